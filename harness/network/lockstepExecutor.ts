/**
 * hw-sim and the RTL in lockstep as the network walk's executor (hw-sim/network/executor.ts): every program's
 * beats drive both (Lockstep), the output comes from the RTL's rows, the reference from hw-sim's; both sides are
 * reset before each batch, so that the batch's programs alone replay a mismatch (and cycle numbers count from that
 * reset). A mismatch is the walk's failure.
 */
import type { ArrayCounters } from '../../hw-sim/counters.ts';
import type { Program } from '../../hw-sim/compiler/program.ts';
import type { ProgramContext, ProgramExecutor, ProgramResult } from '../../hw-sim/network/executor.ts';
import type { ArrayConfig } from '../../hw-sim/contract/index.ts';
import type { Lockstep } from '../lockstep/lockstep.ts';
import type { Verdict } from '../lockstep/scoreboard.ts';

export class LockstepExecutor implements ProgramExecutor<Verdict> {
  constructor(readonly lockstep: Lockstep) {}

  get cfg(): ArrayConfig {
    return this.lockstep.cfg;
  }

  get counters(): Readonly<ArrayCounters> {
    return this.lockstep.scoreboard.reference.counters;
  }

  startBatch(): void {
    this.lockstep.reset();
  }

  async run(p: Program, ctx: ProgramContext): Promise<ProgramResult<Verdict>> {
    const run = await this.lockstep.runProgram(p, ctx.label);
    if (run.verdict !== undefined) return { failure: run.verdict, cycles: this.lockstep.cycle - run.start };
    return { output: run.output as Int8Array, reference: run.reference as Int8Array };
  }
}
