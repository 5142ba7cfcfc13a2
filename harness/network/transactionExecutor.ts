/**
 * The RTL in transaction mode as the network walk's executor (hw-sim/network/executor.ts): every program runs on
 * the RTL under flow control and on hw-sim (harness/transaction/runner.ts), each row checked against hw-sim's; the
 * output comes from the RTL's rows, the reference from hw-sim's. The runner is reset before each batch, so that the
 * batch's programs alone replay a failure (and cycle numbers count from that reset). A breach of the
 * transaction-level contract is the walk's failure.
 */
import type { ArrayCounters } from '../../hw-sim/counters.ts';
import type { Program } from '../../hw-sim/compiler/program.ts';
import type { ProgramContext, ProgramExecutor, ProgramResult } from '../../hw-sim/network/executor.ts';
import type { ArrayConfig } from '../../hw-sim/contract/index.ts';
import type { TransactionRun, TransactionRunner } from '../transaction/runner.ts';

/** A failed program's run: its `error` is set. */
export type TransactionFailure = TransactionRun & { error: NonNullable<TransactionRun['error']> };

export class TransactionExecutor implements ProgramExecutor<TransactionFailure> {
  constructor(readonly runner: TransactionRunner) {}

  get cfg(): ArrayConfig {
    return this.runner.cfg;
  }

  get counters(): Readonly<ArrayCounters> {
    return this.runner.reference.counters;
  }

  startBatch(): void {
    this.runner.reset();
  }

  async run(p: Program, ctx: ProgramContext): Promise<ProgramResult<TransactionFailure>> {
    const run = await this.runner.runProgram(p, ctx.label);
    if (run.error !== undefined) return { failure: run as TransactionFailure, cycles: run.end - run.start };
    return { output: run.output as Int8Array, reference: run.reference as Int8Array };
  }
}
