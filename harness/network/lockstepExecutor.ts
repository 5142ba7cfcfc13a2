/**
 * hw-sim and the RTL in lockstep as the network walk's executor (hw-sim/network/executor.ts): every program's
 * beats drive both (Lockstep), the output comes from the RTL's rows, the reference from hw-sim's; both sides are
 * reset before each batch, so that the batch's programs alone replay a mismatch (and cycle numbers count from that
 * reset). A mismatch is the walk's failure.
 *
 * With a ReferenceAhead (referenceAhead.ts) hw-sim's side of each program comes from a worker thread that ran the
 * batch's programs from the same reset. As soon as a batch arrives, its streams are queued on the RTL
 * (Lockstep.runAhead), which then runs them back to back while this thread compiles, compares and walks; for each
 * program the executor checks that the worker ran (and the RTL was given) the very stream this walk compiled (same
 * layer, cycles and every beat word), then the lockstep compares the RTL with hw-sim's outputs, every output word of
 * every cycle, and hw-sim's counters (the walk's statistics) are the worker's.
 */
import { zeroCounters, type ArrayCounters } from '../../hw-sim/counters.ts';
import type { Program } from '../../hw-sim/compiler/program.ts';
import type { ProgramContext, ProgramExecutor, ProgramResult } from '../../hw-sim/network/executor.ts';
import type { ArrayConfig } from '../../hw-sim/contract/index.ts';
import { CosimError } from '../../quant/errors.ts';
import { sameBytes } from '../lockstep/compare.ts';
import type { Lockstep, ProgramRun } from '../lockstep/lockstep.ts';
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

  /** Waits for the RTL's runs queued ahead (after a failure some may still run); before the RTL is closed. */
  settle(): Promise<void> {
    return this.lockstep.settle();
  }

  startBatch(): void {
    this.lockstep.reset();
    this.batch = undefined;
    this.index = 0;
    this.aheadCounters = zeroCounters();
  }

  async run(p: Program, ctx: ProgramContext): Promise<ProgramResult<Verdict>> {
    let ref: ReferenceProgram | undefined;
    let run: ProgramRun;
    try {
      ref = this.ahead === undefined ? undefined : await this.reference(this.ahead, p, ctx);
      run = await this.lockstep.runProgram(p, ctx.label, ref?.expected, ref?.beats);
    } catch (err) {
      await this.settle(); // the walk ends here: no RTL run queued ahead goes on behind it
      throw err;
    }
    if (ref !== undefined) this.aheadCounters = ref.counters;
    if (run.verdict !== undefined) {
      await this.settle();
      return { failure: run.verdict, cycles: this.lockstep.cycle - run.start };
    }
    // compared and gathered (copies): the worker may have the buffers back (after the next reset, with its next batch)
    if (ref !== undefined) this.ahead?.giveBack(ref);
    return { output: run.output as Int8Array, reference: run.reference as Int8Array };
  }

  /** The worker's run of this program: the next of the batch, checked to be the same stream. */
  private async reference(ahead: ReferenceAhead, p: Program, ctx: ProgramContext): Promise<ReferenceProgram> {
    if (this.batch === undefined) {
      this.batch = await ahead.nextBatch();
      // the whole batch on the RTL's thread now, back to back; each program is checked against its stream below
      this.lockstep.runAhead(this.batch.programs);
    }
    const r = this.batch.programs[this.index++];
    const what = `layer ${ctx.layerIndex} '${p.layer}' (${ctx.label})`;
    if (r === undefined) throw this.batch.error ?? new CosimError(`hw-sim reference: the worker ran fewer programs than the walk of ${what}`);
    if (r.layer !== p.layer || r.nCycles !== p.nCycles || !sameBytes(r.beats, p.beats)) {
      throw new CosimError(`hw-sim reference: the worker's program ${this.index - 1} of the batch ('${r.layer}', ${r.nCycles} cycles) is not the stream of ${what} (${p.nCycles} cycles)`);
    }
    return r;
  }
}
