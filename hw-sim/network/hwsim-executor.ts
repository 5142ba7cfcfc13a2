/**
 * hw-sim alone as the network walk's executor: one ArraySim whose state carries on across layers, images and
 * batches (reset once, when it is made here), optionally printing the one-line trace of every cycle.
 */
import { ArraySim } from '../array-sim.ts';
import type { ArrayCounters } from '../counters.ts';
import { gatherOutputs } from '../compiler/gather.ts';
import type { Program } from '../compiler/program.ts';
import type { ArrayConfig } from '../contract/index.ts';
import type { ProgramContext, ProgramResult, SyncProgramExecutor } from './executor.ts';

export interface HwSimExecutorOptions {
  /** Check the hazard rules every cycle (slower). */
  checkHazards?: boolean;
  /** Run on this simulator (already reset) instead of a fresh one. */
  sim?: ArraySim;
  /** Called with the one-line trace of every cycle of the programs of the first `traceImages` images (default 1). */
  trace?: (line: string) => void;
  traceImages?: number;
}

export class HwSimExecutor implements SyncProgramExecutor {
  readonly sim: ArraySim;
  private outBuf = new Int32Array(0);

  constructor(readonly cfg: ArrayConfig, private readonly opts: HwSimExecutorOptions = {}) {
    if (opts.sim !== undefined) {
      this.sim = opts.sim;
    } else {
      this.sim = new ArraySim(cfg, { checkHazards: opts.checkHazards === true });
      this.sim.reset();
    }
  }

  get counters(): Readonly<ArrayCounters> {
    return this.sim.counters;
  }

  /** hw-sim's state carries on from batch to batch. */
  startBatch(): void {}

  run(p: Program, ctx: ProgramContext): ProgramResult<never> {
    const sim = this.sim;
    const need = p.nCycles * sim.outWords;
    if (this.outBuf.length < need) this.outBuf = new Int32Array(need);
    const trace = this.opts.trace;
    if (trace !== undefined && ctx.image < (this.opts.traceImages ?? 1)) {
      trace(`# ${ctx.label} layer ${ctx.layerIndex} '${p.layer}': ${p.nCycles} cycles from cycle ${sim.cycle}`);
      for (let t = 0; t < p.nCycles; t++) {
        sim.step(p.beats, t * sim.inWords, this.outBuf, t * sim.outWords);
        trace(sim.traceLine());
      }
    } else {
      sim.run(p.nCycles, p.beats, this.outBuf);
    }
    return { output: gatherOutputs(p, this.outBuf) };
  }
}
