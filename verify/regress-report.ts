/**
 * out/regress/report.json (written by `int8cosim regress`, cli/regress.ts) as a zod schema that its writer and its
 * readers share; caseFailureSchema is also the corner tier's failures in report.json (report/schema).
 */
import { z } from 'zod';
import { finite, int, text } from '../quant/json-fields.ts';
import { CHECK_MODES } from '../harness/transaction/check-mode.ts';

const integer = z.int('an integer');

/**
 * A transaction-mode failure as the transaction scoreboard reports it (harness/transaction/errors.ts): the kind,
 * where (layer, output tile, address, Y's row m), the cycle the row appeared (or the run ended); a mismatch adds the
 * port, column, both values, the beat's cycle and the latency, a missing row its beat's cycle and the rows outstanding.
 */
export const caseTransactionFailureSchema = z.strictObject({
  error: z.enum(['mismatch', 'missing', 'duplicate', 'unexpected', 'other']),
  layer: text,
  tile: text,
  addr: integer,
  m: integer,
  cycle: integer,
  port: z.enum(['o_acc_o', 'o_data_o']).optional(),
  column: int().optional(),
  expected: integer.optional(),
  actual: integer.optional(),
  beatCycle: integer.optional(),
  latency: integer.optional(),
  outstanding: int().optional(),
});
export type CaseTransactionFailure = z.output<typeof caseTransactionFailureSchema>;

/** One failing case (verify/runner.ts CaseFailure): its seed, what failed and the command that replays it. */
export const caseFailureSchema = z.strictObject({
  seed: z.int('an integer'),
  config: text,
  kind: text,
  /** transaction: the transaction scoreboard (--check transactions) found a breach of ARCHITECTURE.md section 13. */
  stage: z.enum(['lockstep', 'transaction', 'golden', 'network', 'stop']),
  message: text,
  replay: text,
  /** Stage transaction: what the scoreboard said, in fields. */
  transaction: caseTransactionFailureSchema.optional(),
});

/**
 * Transaction mode, per configuration: the RTL's latency (beat taken to row, over every row seen) and rows per cycle
 * (each program or stream from its first cycle to its last row) beside hw-sim's (R + C + 1, outputRows / nCycles).
 */
const timingSchema = z.strictObject({
  programs: int(),
  rows: int(),
  seen: int(),
  latency: z.strictObject({ min: int(), max: int(), mean: finite }).nullable(),
  cycles: int(),
  rowsPerCycle: finite.nullable(),
  reference: z.strictObject({ latency: int().nullable(), cycles: int(), rowsPerCycle: finite.nullable() }),
});

export const regressReportSchema = z.strictObject({
  tier: z.enum(['quick', 'long']),
  deep: z.boolean('true or false'),
  /** What was compared: the cycle lockstep or the transaction-level contract (harness/transaction/check-mode.ts). */
  check: z.enum(CHECK_MODES),
  /** ISO time the run started. */
  started: text,
  cases: int(),
  passed: int(),
  failed: int(),
  /** Cases over the whole run (builds included) and over the simulation time alone. */
  casesPerSecond: finite,
  casesPerSecondWarm: finite,
  seconds: finite,
  buildSeconds: finite,
  cycles: int(),
  seed: z.int('an integer'),
  /** "index/count". */
  shard: z.string('a shard "i/n"').regex(/^\d+\/\d+$/, 'a shard "i/n"'),
  /** The RTL config's parameters that the palette overrides (verify/runner.ts parameterOverrides). */
  parameterOverrides: z.strictObject({
    config: text,
    configured: z.record(z.string(), z.union([finite, text], 'a number or a string')),
    overridden: z.array(text),
    configurations: z.array(text),
    line: text,
  }),
  /** Cases by kind. */
  kinds: z.record(z.string(), int()),
  /** Per configuration; in transaction mode with the RTL's timing (harness/transaction/totals.ts TransactionSummary). */
  configs: z.array(z.strictObject({ config: text, cases: int(), buildSeconds: finite, cached: z.boolean('true or false'), seconds: finite, timing: timingSchema.optional() })),
  failedSeeds: z.array(z.int('an integer')),
  replayCommands: z.array(text),
  failures: z.array(caseFailureSchema),
});
export type RegressReport = z.input<typeof regressReportSchema>;
