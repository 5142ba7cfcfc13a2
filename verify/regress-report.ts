/**
 * out/regress/report.json (written by `int8cosim regress`, cli/regress.ts) as a zod schema that its writer and its
 * readers share; caseFailureSchema is also the corner tier's failures in report.json (report/schema).
 */
import { z } from 'zod';
import { finite, int, text } from '../quant/json-fields.ts';

/** One failing case (verify/runner.ts CaseFailure): its seed, what failed and the command that replays it. */
export const caseFailureSchema = z.strictObject({
  seed: z.int('an integer'),
  config: text,
  kind: text,
  stage: z.enum(['lockstep', 'golden', 'network', 'stop']),
  message: text,
  replay: text,
});

export const regressReportSchema = z.strictObject({
  tier: z.enum(['quick', 'long']),
  deep: z.boolean('true or false'),
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
  configs: z.array(z.strictObject({ config: text, cases: int(), buildSeconds: finite, cached: z.boolean('true or false'), seconds: finite })),
  failedSeeds: z.array(z.int('an integer')),
  replayCommands: z.array(text),
  failures: z.array(caseFailureSchema),
});
export type RegressReport = z.input<typeof regressReportSchema>;
