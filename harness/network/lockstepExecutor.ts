/**
 * hw-sim and the RTL in lockstep as the network walk's executor (hw-sim/network/executor.ts): every program's
 * beats drive both (Lockstep), the output comes from the RTL's rows, the reference from hw-sim's; both sides are
 * reset before each batch, so that the batch's programs alone replay a mismatch (and cycle numbers count from that
 * reset). A mismatch is the walk's failure.
 *
 * With a ReferenceAhead (referenceAhead.ts) hw-sim's side of each program comes from a worker thread that ran the
 * batch's programs from the same reset: the executor checks that the worker ran the very stream this walk compiled
 * (same layer, cycles and every beat word), then the lockstep compares the RTL with those outputs, every output word
 * of every cycle, and hw-sim's counters (the walk's statistics) are the worker's.
 */
import { zeroCounters, type ArrayCounters } from '../../hw-sim/counters.ts';
import type { Program } from '../../hw-sim/compiler/program.ts';
import type { ProgramContext, ProgramExecutor, ProgramResult } from '../../hw-sim/network/executor.ts';
import type { ArrayConfig } from '../../hw-sim/contract/index.ts';
import { CosimError } from '../../quant/errors.ts';
import { sameBytes } from '../lockstep/compare.ts';
import type { Lockstep } from '../lockstep/lockstep.ts';
import type { Verdict } from '../lockstep/scoreboard.ts';
import type { ReferenceAhead, ReferenceBatch, ReferenceProgram } from './referenceAhead.ts';

export class LockstepExecutor implements ProgramExecutor<Verdict> {
  private batch: ReferenceBatch | undefined;
  private index = 0;
  private aheadCounters: ArrayCounters = zeroCounters();

  constructor(readonly lockstep: Lockstep, private readonly ahead?: ReferenceAhead) {}

  get cfg(): ArrayConfig {
    return this.lockstep.cfg;
  }

  get counters(): Readonly<ArrayCounters> {
    return this.ahead === undefined ? this.lockstep.scoreboard.reference.counters : this.aheadCounters;
  }

  startBatch(): void {
    this.lockstep.reset();
    this.batch = undefined;
    this.index = 0;
    this.aheadCounters = zeroCounters();
  }

  async run(p: Program, ctx: ProgramContext): Promise<ProgramResult<Verdict>> {
    const ref = this.ahead === undefined ? undefined : await this.reference(this.ahead, p, ctx);
    const run = await this.lockstep.runProgram(p, ctx.label, ref?.expected);
    if (ref !== undefined) this.aheadCounters = ref.counters;
    if (run.verdict !== undefined) return { failure: run.verdict, cycles: this.lockstep.cycle - run.start };
    return { output: run.output as Int8Array, reference: run.reference as Int8Array };
  }

  /** The worker's run of this program: the next of the batch, checked to be the same stream. */
  private async reference(ahead: ReferenceAhead, p: Program, ctx: ProgramContext): Promise<ReferenceProgram> {
    this.batch ??= await ahead.nextBatch();
    const r = this.batch.programs[this.index++];
    const what = `layer ${ctx.layerIndex} '${p.layer}' (${ctx.label})`;
    if (r === undefined) throw this.batch.error ?? new CosimError(`hw-sim reference: the worker ran fewer programs than the walk of ${what}`);
    if (r.layer !== p.layer || r.nCycles !== p.nCycles || !sameBytes(r.beats, p.beats)) {
      throw new CosimError(`hw-sim reference: the worker's program ${this.index - 1} of the batch ('${r.layer}', ${r.nCycles} cycles) is not the stream of ${what} (${p.nCycles} cycles)`);
    }
    return r;
  }
}
