/**
 * ArrayModel: what a cycle model of the array of docs/ARCHITECTURE.md does around its PE grid, shared by hw-sim's
 * ArraySim (circular chains) and the tests' naive register-by-register model, which check each other's grid, skew,
 * de-skew and control lines. Here: the geometry, the reset and clocking lifecycle (step before reset throws), the
 * run over flat beat buffers, the hazard checker, the event counters, and the registers behind the lines: the
 * programmed registers (weights, parameters, configuration: ProgrammedRegisters) and the back end (accumulate,
 * requantize, output flops: OutputStages).
 *
 * One cycle (step): the outputs are the flops before the edge; then the port writes (checked: the one part that can
 * refuse a beat, before anything else changes), the model's `nextLines()` (its grid and lines, handing the beat at
 * the end of the control line to the accumulate stage) and the requantize stage compute next values, and the edge
 * (`commitLines()`, then the back end and the programmed registers) swaps them in.
 */
import { LifecycleError, RangeCheckError } from '../quant/errors.ts';
import { zeroCounters, type ArrayCounters } from './counters.ts';
import { HazardChecker } from './hazards.ts';
import { aDataOffset, inWords, outWords, validateArrayConfig, type ArrayConfig } from './contract/index.ts';
import { OutputStages } from './output-stages.ts';
import { ProgrammedRegisters } from './programmed-registers.ts';

export interface ArraySimOptions {
  /** Check the hazard rules of section 5 and the port ranges every cycle (slower; for tests and debugging). */
  checkHazards?: boolean;
}

export abstract class ArrayModel {
  readonly cfg: ArrayConfig;
  readonly rows: number;
  readonly cols: number;
  readonly depth: number;
  readonly inWords: number;
  readonly outWords: number;
  /** Clock edges since reset (= the index of the cycle the next step() runs). */
  cycle = 0;
  readonly counters: ArrayCounters = zeroCounters();
  /** The weight banks, the columns' requantization parameters and the output configuration (written through the ports). */
  readonly programmed: ProgrammedRegisters;
  /** The accumulate and requantize stages (accumulator memory, acc_q) and the output flops. */
  readonly stages: OutputStages;

  /** Offset of a_data[0] in an input beat. */
  protected readonly aOff: number;
  protected lastIn: Int32Array | undefined;
  protected lastInOff = 0;
  protected lastOut: Int32Array | undefined;
  protected lastOutOff = 0;
  private readonly hazards: HazardChecker | undefined;
  private isReset = false;

  constructor(cfg: ArrayConfig, opts: ArraySimOptions) {
    this.cfg = validateArrayConfig({ ...cfg });
    this.rows = cfg.rows;
    this.cols = cfg.cols;
    this.depth = cfg.accDepth;
    this.inWords = inWords(cfg);
    this.outWords = outWords(cfg);
    this.aOff = aDataOffset(cfg);
    this.hazards = opts.checkHazards === true ? new HazardChecker(cfg) : undefined;
    this.programmed = new ProgrammedRegisters(this.cfg);
    this.stages = new OutputStages(this.cfg, this.programmed);
  }

  /** The grid's and the lines' registers to 0 (part of reset()). */
  protected abstract resetLines(): void;
  /** The grid's and the lines' next values from the beat at b[o ..], and the accumulate stage's (stages.nextAccumulate). */
  protected abstract nextLines(b: Int32Array, o: number): void;
  /** The clock edge of the grid and the lines. */
  protected abstract commitLines(): void;

  /** Asserts rst_ni: every register goes to 0; the accumulator memory keeps its contents. */
  reset(): void {
    this.resetLines();
    this.programmed.reset();
    this.stages.reset();
    this.cycle = 0;
    Object.assign(this.counters, zeroCounters());
    this.hazards?.reset();
    this.lastIn = undefined;
    this.lastOut = undefined;
    this.isReset = true;
  }

  /**
   * One cycle: writes this cycle's outputs (the flops before the edge) to outBuf at outOff, then samples the
   * inputs at inBuf[inOff ..] and clocks.
   */
  step(inBuf: Int32Array, inOff: number, outBuf: Int32Array, outOff: number): void {
    if (!this.isReset) throw new LifecycleError('ArraySim.step() before reset(): call reset() first');
    this.stages.writeOutputs(outBuf, outOff);
    // first what can refuse the beat (HazardError, RangeCheckError): a refused beat changes no register
    if (this.hazards !== undefined) this.hazards.observe(this.cycle, inBuf, inOff, this.stages.accValidQ === 1);
    this.programmed.sample(inBuf, inOff, this.cycle, this.counters);
    this.nextLines(inBuf, inOff);
    this.stages.nextRequantize(this.counters);
    this.commitLines();
    this.stages.commit();
    this.programmed.commit();
    this.cycle++;
    this.counters.cycles++;
    this.lastIn = inBuf;
    this.lastInOff = inOff;
    this.lastOut = outBuf;
    this.lastOutOff = outOff;
  }

  /** nCycles cycles from flat buffers: inputs nCycles*inWords words from inStart, outputs nCycles*outWords from outStart. */
  run(nCycles: number, inBuf: Int32Array, outBuf: Int32Array, inStart = 0, outStart = 0): void {
    this.checkRun(nCycles, inBuf, outBuf, inStart, outStart);
    const iw = this.inWords;
    const ow = this.outWords;
    for (let t = 0; t < nCycles; t++) this.step(inBuf, inStart + t * iw, outBuf, outStart + t * ow);
  }

  /** What run() checks before its first cycle: the model was reset, and both buffers hold the cycles asked for. */
  protected checkRun(nCycles: number, inBuf: Int32Array, outBuf: Int32Array, inStart: number, outStart: number): void {
    if (!this.isReset) throw new LifecycleError('ArraySim.run() before reset(): call reset() first');
    const iw = this.inWords;
    const ow = this.outWords;
    if (inBuf.length < inStart + nCycles * iw || outBuf.length < outStart + nCycles * ow) {
      throw new RangeCheckError(
        `ArraySim.run(${nCycles}): needs ${nCycles * iw} input words from ${inStart} and ${nCycles * ow} output words ` +
          `from ${outStart}, got buffers of ${inBuf.length} and ${outBuf.length}`,
      );
    }
  }

  /** Whether step() checks the hazard rules (ArraySimOptions.checkHazards): then every cycle must go through it. */
  protected get checksHazards(): boolean {
    return this.hazards !== undefined;
  }

  /**
   * After cycles a subclass ran without step() (they had no port write, so nothing in them could be refused or
   * sampled): the cycle count, and the last cycle's buffers for the trace line.
   */
  protected advance(n: number, inBuf: Int32Array, lastInOff: number, outBuf: Int32Array, lastOutOff: number): void {
    this.cycle += n;
    this.counters.cycles += n;
    this.lastIn = inBuf;
    this.lastInOff = lastInOff;
    this.lastOut = outBuf;
    this.lastOutOff = lastOutOff;
  }

  /** round_q: the rounding mode's code of the last configuration write. */
  get roundQ(): number {
    return this.programmed.roundQ;
  }
  /** o_valid_q and o_addr_q (the trace's). */
  get oValidQ(): number {
    return this.stages.oValidQ;
  }
  get oAddrQ(): number {
    return this.stages.oAddrQ;
  }
  /** Accumulator memory of column c, address a at a*C + c. */
  get accMem(): Int32Array {
    return this.stages.accMem;
  }
}
