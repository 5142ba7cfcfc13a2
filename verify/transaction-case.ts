/**
 * One regression case in transaction mode (docs/ARCHITECTURE.md section 13): the case's programs, or its raw beat
 * stream, run on the RTL through the harness's TransactionRunner (the driver honours a_ready_o, a monitor collects
 * the rows whenever they come, the transaction scoreboard matches them against hw-sim's rows), and the rows a GEMM
 * case's RTL delivered are then compared with the golden model, as in cycle mode. What a failure says is the
 * scoreboard's own: the row, the column, both values, the cycle and the latency, or a row missing, duplicated or
 * unexpected; caseTransactionFailure keeps the same in fields for the report.
 */
import { MissingRowError, DuplicateRowError, TransactionMismatch, UnexpectedRowError, type TransactionError } from '../harness/transaction/errors.ts';
import type { TransactionRunner } from '../harness/transaction/runner.ts';
import type { Program } from '../hw-sim/index.ts';
import type { CaseTransactionFailure } from './regress-report.ts';

/** The scoreboard's verdict as the regression report keeps it (regress-report.ts caseTransactionFailureSchema). */
export function caseTransactionFailure(e: TransactionError): CaseTransactionFailure {
  const at = { layer: e.place.layer, tile: e.place.tile, addr: e.place.addr, m: e.place.m, cycle: e.cycle };
  if (e instanceof TransactionMismatch) {
    return { error: 'mismatch', ...at, port: e.port, column: e.column, expected: e.expected, actual: e.actual, beatCycle: e.beatCycle, latency: e.latency };
  }
  if (e instanceof MissingRowError) return { error: 'missing', ...at, beatCycle: e.beatCycle, outstanding: e.outstanding };
  if (e instanceof DuplicateRowError) return { error: 'duplicate', ...at };
  if (e instanceof UnexpectedRowError) return { error: 'unexpected', ...at };
  return { error: 'other', ...at };
}

/** What a transaction-mode case produced: the scoreboard's first error, or every program's output gathered from the RTL's rows. */
export type TransactionCaseRun =
  | { error: TransactionError; message: string }
  | { error?: undefined; outputs: Int8Array[] };

/**
 * The raw stream, or the programs one after another from the runner's reset (a network's programs without a reset
 * between them, as a host issues them). A stream hw-sim's hazard checker refuses throws the runner's StimulusError
 * (the caller's generator bug, as in cycle mode); an RTL stop throws the simulator's SimStopError.
 */
export async function runTransactionCase(tr: TransactionRunner, seed: number, raw: Int32Array | undefined, programs: readonly Program[]): Promise<TransactionCaseRun> {
  const ctx = `seed ${seed}`;
  if (raw !== undefined) {
    const run = await tr.runStream(raw, ctx);
    return run.error === undefined ? { outputs: [] } : { error: run.error, message: `transaction check of a raw stream (seed ${seed}): ${run.error.message}` };
  }
  const outputs: Int8Array[] = [];
  for (const p of programs) {
    const run = await tr.runProgram(p, ctx);
    if (run.error !== undefined) return { error: run.error, message: `transaction check: ${run.error.message}` };
    outputs.push(run.output as Int8Array);
  }
  return { outputs };
}
