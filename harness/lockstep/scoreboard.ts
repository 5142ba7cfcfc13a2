/**
 * The scoreboard: owns the reference model (hw-sim's ArraySim), runs it on the same beats as the RTL and compares
 * what the monitor sampled with what the reference produced, every output word of every cycle and, in deep mode,
 * every PE register after every cycle. The beats are a compiled Program's or a raw stream (no program: the
 * mismatch then names no tile); checkStream compares a whole stream an RTL ran elsewhere (a testbench's output file).
 */
import { ArraySim, type ArrayConfig } from '../../hw-sim/index.ts';
import { tileAt, tileName, tileOfOutput, type Program } from '../../hw-sim/compiler/program.ts';
import { ShapeError } from '../../quant/errors.ts';
import type { ArrayGeometry } from '../build/ports.ts';
import { countDifferences, firstStageDifference } from './compare.ts';
import type { Mismatch } from './mismatch.ts';
import { outputWordLocation, outputWordRanks, registerWordLocation, registerWordRanks, type WordLocation } from './names.ts';

/** What the RTL produced in a chunk of cycles: the monitor's buffers, or any other samples of the same layout. */
export interface Samples {
  /** Output words of cycles [start, start + n), outWords a cycle. */
  outputView(start: number, n: number): Int32Array;
  /** Register words of the chunk's n cycles (regWords a cycle), deep mode only. */
  registerView(n: number): Int32Array | undefined;
}

export interface Verdict {
  first: Mismatch;
  /** Differing words in the chunk where the first mismatch appeared (outputs and registers). */
  count: number;
}

export class Scoreboard {
  readonly reference: ArraySim;
  /** Reference outputs of the current chunk: `own` (predicted here) or a view of a stream computed elsewhere (take). */
  private expected: Int32Array;
  private readonly own: Int32Array;
  private readonly expectedRegs: Int32Array | undefined;

  /** Stage order of the words of one cycle (names.ts). */
  private readonly outRank: Int32Array;
  private readonly regRank: Int32Array;

  /** checkHazards: the reference checks the hazard rules every cycle (it vouches for a raw stream's stimulus). */
  constructor(cfg: ArrayConfig, private readonly g: ArrayGeometry, readonly deep: boolean, readonly chunk: number, checkHazards = false) {
    if (cfg.rows !== g.rows || cfg.cols !== g.cols || cfg.accDepth !== g.accDepth) {
      throw new ShapeError(`hw-sim is ${cfg.rows}x${cfg.cols} (AccDepth ${cfg.accDepth}) but the RTL is ${g.rows}x${g.cols} (AccDepth ${g.accDepth})`);
    }
    this.reference = new ArraySim(cfg, { checkHazards });
    this.own = new Int32Array(chunk * g.outWords);
    this.expected = this.own;
    this.expectedRegs = deep ? new Int32Array(chunk * g.regWords) : undefined;
    this.outRank = outputWordRanks(g.cols);
    this.regRank = deep ? registerWordRanks(g.rows, g.cols) : new Int32Array(0);
  }

  reset(): void {
    this.reference.reset();
    this.expected = this.own; // no view of a stream taken before (its buffer may go back to a reference worker)
  }


  /**
   * Runs the reference over cycles [start, start + n) of the program's beats; its output words go to `into` (n x
   * outWords words, e.g. a view of a whole program's stream) when given, else to a chunk buffer of its own.
   */
  predict(beats: Int32Array, start: number, n: number, into?: Int32Array): void {
    if (into !== undefined && into.length < n * this.g.outWords) throw new ShapeError(`Scoreboard.predict: ${n} cycles need ${n * this.g.outWords} output words, got ${into.length}`);
    this.expected = into ?? this.own;
    const ref = this.reference;
    const iw = this.g.inWords;
    if (this.expectedRegs === undefined) {
      ref.run(n, beats, this.expected, start * iw, 0);
      return;
    }
    const ow = this.g.outWords;
    const rw = this.g.regWords;
    for (let t = 0; t < n; t++) {
      ref.step(beats, (start + t) * iw, this.expected, t * ow);
      ref.readRegisters(this.expectedRegs, t * rw);
    }
  }

  /**
   * Takes cycles [start, start + n) of hw-sim's outputs computed elsewhere (stream: a whole program's, outWords a
   * cycle; harness/network/referenceAhead.ts) as the chunk's reference, instead of predicting them here. Output
   * words only: deep mode's register words are predicted here.
   */
  take(stream: Int32Array, start: number, n: number): void {
    if (this.expectedRegs !== undefined) throw new ShapeError('Scoreboard.take gives output words only; a deep scoreboard predicts its register words itself');
    const ow = this.g.outWords;
    if (n > this.chunk || (start + n) * ow > stream.length) throw new ShapeError(`Scoreboard.take: cycles [${start}, ${start + n}) of a stream of ${stream.length / ow} cycles, chunks of ${this.chunk}`);
    this.expected = stream.subarray(start * ow, (start + n) * ow);
  }

  /** Runs the reference over a whole program without keeping its outputs (to bring it to a state again). */
  predictAll(beats: Int32Array, nCycles: number): void {
    this.expected = this.own;
    for (let t = 0; t < nCycles; t += this.chunk) this.reference.run(Math.min(this.chunk, nCycles - t), beats, this.own, t * this.g.inWords, 0);
  }

  /**
   * Compares the chunk [start, start + n) of program p, or of a raw stream (p undefined), which began at cycle
   * programStart since reset, with the RTL's samples. Returns the earliest disagreement, at the earliest pipeline stage it shows (compare.ts
   * firstStageDifference: an output seen in cycle t shows the flops of edge t-1, a register read after cycle t
   * those of edge t; within a cycle o_acc_o before o_data_o, PE (r, c) by r + c), and how many words differ in the chunk.
   */
  check(p: Program | undefined, programStart: number, start: number, n: number, monitor: Samples, context: string): Verdict | undefined {
    const ow = this.g.outWords;
    const actual = monitor.outputView(start, n);
    const regs = monitor.registerView(n);
    const regStream = this.expectedRegs !== undefined && regs !== undefined ? { expected: this.expectedRegs, actual: regs, rank: this.regRank } : undefined;
    const d = firstStageDifference({ expected: this.expected, actual, rank: this.outRank }, regStream, n);
    if (d === undefined) return undefined;

    const local = start + d.cycle;
    const w = d.words[0] as number;
    const port = d.kind === 'port';
    const name = (i: number): WordLocation => (port ? outputWordLocation(this.g.cols, i) : registerWordLocation(this.g.cols, i));
    const at = d.cycle * (port ? ow : this.g.regWords) + w;
    const first: Mismatch = {
      layer: p?.layer ?? 'raw stream',
      tile: p === undefined ? '-' : tileName(port ? tileOfOutput(p, local) ?? tileAt(p, local) : tileAt(p, local)),
      cycle: programStart + local,
      programCycle: local,
      programStart,
      context,
      kind: d.kind,
      ...name(w),
      expected: (port ? this.expected : (this.expectedRegs as Int32Array))[at] as number,
      actual: (port ? actual : (regs as Int32Array))[at] as number,
    };
    if (d.words.length > 1) first.also = d.words.slice(1).map((i) => name(i).where);
    let count = countDifferences(this.expected, actual, 0, n * ow);
    if (this.expectedRegs !== undefined && regs !== undefined) count += countDifferences(this.expectedRegs, regs, 0, n * this.g.regWords);
    return { first, count };
  }

  /**
   * Runs the reference from reset over a whole stream of nCycles beats and compares it with the outputs an RTL
   * produced for it elsewhere (outputs: nCycles x outWords, cycle-major): the first difference, or undefined.
   */
  checkStream(beats: Int32Array, nCycles: number, outputs: Int32Array, context: string): Verdict | undefined {
    if (this.deep) throw new ShapeError('Scoreboard.checkStream compares output words only (a scoreboard made with deep = false)');
    const ow = this.g.outWords;
    if (outputs.length !== nCycles * ow) throw new ShapeError(`${context}: expected ${nCycles} cycles x ${ow} output words, got ${outputs.length} words`);
    this.reset();
    const samples: Samples = { outputView: (start, n) => outputs.subarray(start * ow, (start + n) * ow), registerView: () => undefined };
    for (let t = 0; t < nCycles; t += this.chunk) {
      const n = Math.min(this.chunk, nCycles - t);
      this.predict(beats, t, n);
      const v = this.check(undefined, 0, t, n, samples, context);
      if (v !== undefined) return v;
    }
    return undefined;
  }
}
