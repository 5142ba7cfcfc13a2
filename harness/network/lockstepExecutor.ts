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

/** One turn of the event loop: koffi's callbacks of finished RTL calls run, and the RTL's next queued call starts. */
function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class LockstepExecutor implements ProgramExecutor<Verdict> {
  private batch: ReferenceBatch | undefined;
  private index = 0;
  private aheadCounters: ArrayCounters = zeroCounters();
  /** The next batch, asked for as soon as this one arrived (and queued on the RTL as soon as it arrives). */
  private pending: Promise<ReferenceBatch> | undefined;
  /** startBatch calls so far: tells a batch that arrives whether its reset is still to come. */
  private resets = 0;
  /** settle() was called: nothing more is queued on the RTL. */
  private stopped = false;

  constructor(readonly lockstep: Lockstep, private readonly ahead?: ReferenceAhead) {}

  get cfg(): ArrayConfig {
    return this.lockstep.cfg;
  }

  get counters(): Readonly<ArrayCounters> {
    return this.ahead === undefined ? this.lockstep.scoreboard.reference.counters : this.aheadCounters;
  }

  /** Waits for the RTL's runs queued ahead (after a failure some may still run); before the RTL is closed. */
  settle(): Promise<void> {
    this.stopped = true;
    return this.lockstep.settle();
  }

  startBatch(): void {
    this.lockstep.reset();
    this.resets++;
    this.batch = undefined;
    this.index = 0;
    this.aheadCounters = zeroCounters();
  }

  async run(p: Program, ctx: ProgramContext): Promise<ProgramResult<Verdict>> {
    let ref: ReferenceProgram | undefined;
    let run: ProgramRun;
    if (this.ahead !== undefined) await turn();
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

  /**
   * The next batch, queued on the RTL the moment it arrives: after a reset that the RTL's thread runs once it has
   * run this batch (so that it goes on into the next batch while this thread finishes this one), or, when this
   * thread has reset the lockstep for it already, right away.
   */
  private prefetch(ahead: ReferenceAhead): Promise<ReferenceBatch> {
    const epoch = this.resets;
    const next = ahead.nextBatch().then((b) => {
      if (!this.stopped) this.lockstep.runAhead(b.programs, { afterReset: this.resets === epoch });
      return b;
    });
    next.catch(() => undefined); // awaited by the batch's first program; a walk that ends before leaves it
    return next;
  }

  /** The worker's run of this program: the next of the batch, checked to be the same stream. */
  private async reference(ahead: ReferenceAhead, p: Program, ctx: ProgramContext): Promise<ReferenceProgram> {
    if (this.batch === undefined) {
      if (this.pending !== undefined) {
        this.batch = await this.pending; // queued on the RTL when it arrived
        this.pending = undefined;
      } else {
        this.batch = await ahead.nextBatch();
        // the whole batch on the RTL's thread now, back to back; each program is checked against its stream below
        this.lockstep.runAhead(this.batch.programs);
      }
      if (ahead.remaining > 0) this.pending = this.prefetch(ahead);
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
