/**
 * The mutation report (out/mutate/report.json, written by `int8cosim mutate`): one verdict per mutant and lockstep
 * mode, and the score of each mode side by side. Port mode compares every output word of every cycle (what
 * `make regress` and `make cosim` run); deep mode also compares every PE register every cycle.
 */
import { z } from 'zod';
import { finite, fraction, int, text } from '../../quant/json-fields.ts';

export const LOCKSTEP_MODES = ['port', 'deep'] as const;
export type LockstepMode = (typeof LOCKSTEP_MODES)[number];

const verdictSchema = z.enum(['killed', 'survived', 'stillborn', 'equivalent']);
export type Verdict = z.output<typeof verdictSchema>;
const lockstepMode = z.enum(LOCKSTEP_MODES);

/** A mutant's verdict in one lockstep mode. */
const modeVerdictSchema = z.strictObject({
  verdict: verdictSchema,
  /** The first failing case (seed, kind, stage, message) or the build error. */
  killedBy: text.optional(),
  casesRun: int(),
  seconds: finite,
  /** After a failed build: the unmutated RTL built from nothing (stillborn needs it to pass); verify/mutate/toolchain.ts. */
  toolchainCheck: z.strictObject({ cacheDir: text, steps: z.array(text), seconds: finite }).optional(),
  /** A first build failure that did not repeat after the toolchain check (a tool killed under load, say). */
  transientBuildFailure: text.optional(),
});
export type ModeVerdict = z.output<typeof modeVerdictSchema>;

const mutantResultSchema = z.strictObject({
  name: text,
  file: text,
  description: text,
  diff: text,
  verdicts: z.strictObject({ port: modeVerdictSchema.optional(), deep: modeVerdictSchema.optional() }),
  equivalentReason: text.optional(),
  /** Marked equivalent in the catalogue but killed in some mode (the claim is wrong). */
  equivalentClaimWrong: z.boolean('true or false').optional(),
  /** The catalogue's reason why only a deep-mode register can show it (an expected port-mode survivor). */
  portInvisibleReason: text.optional(),
  /** Marked port-invisible but killed in port mode (the claim is wrong). */
  portInvisibleClaimWrong: z.boolean('true or false').optional(),
});
export type MutantResult = z.output<typeof mutantResultSchema>;

const survivorSchema = z.strictObject({
  name: text,
  /** true when the catalogue says why this mode cannot see the mutant. */
  expected: z.boolean('true or false'),
  reason: text.optional(),
});
export type Survivor = z.output<typeof survivorSchema>;

const modeScoreSchema = z.strictObject({
  /** Mutants judged in this mode. */
  mutants: int(),
  killed: int(),
  stillborn: int(),
  survived: int(),
  equivalent: int(),
  /** (killed + stillborn) / (mutants - equivalent). */
  score: fraction,
  survivors: z.array(survivorSchema),
  /** Builds and kill-suite runs of this mode. */
  seconds: finite,
});
export type ModeScore = z.output<typeof modeScoreSchema>;

export const mutationReportSchema = z.strictObject({
  modes: z.array(lockstepMode),
  total: int(),
  /** Mutants the catalogue marks equivalent. */
  equivalent: int(),
  scores: z.strictObject({ port: modeScoreSchema.optional(), deep: modeScoreSchema.optional() }),
  /** Kill-suite: regression seeds 1..kernelCases on killArray (a build of every rounding mode; each case draws one). */
  kernelCases: int(),
  killArray: z.strictObject({ rows: int(1), cols: int(1), accDepth: int(1) }),
  baseline: z.array(z.strictObject({ lockstep: lockstepMode, cases: int(), failed: int() })),
  mutants: z.array(mutantResultSchema),
  seconds: finite,
});
export type MutationReport = z.output<typeof mutationReportSchema>;

/**
 * out/mutate/report.json as `int8cosim mutate` writes it (after each mutant, and at the end): the report so far
 * and whether it is complete; after an error, the error's first line (and no report when none was made yet).
 */
export const mutationReportFileSchema = z.union([
  mutationReportSchema.extend({ complete: z.boolean('true or false'), error: text.optional() }),
  z.strictObject({ complete: z.literal(false), error: text }),
], 'a mutation report with complete (and error after a failure), or {complete: false, error}');
export type MutationReportFile = z.input<typeof mutationReportFileSchema>;

export function modeScore(results: readonly MutantResult[], mode: LockstepMode): ModeScore {
  const judged = results.filter((r) => r.verdicts[mode] !== undefined);
  const count = (v: Verdict): number => judged.filter((r) => r.verdicts[mode]?.verdict === v).length;
  const killed = count('killed');
  const stillborn = count('stillborn');
  const equivalent = count('equivalent');
  const survivors = judged
    .filter((r) => r.verdicts[mode]?.verdict === 'survived')
    .map((r): Survivor => {
      const reason = mode === 'port' ? r.portInvisibleReason : undefined;
      return reason === undefined ? { name: r.name, expected: false } : { name: r.name, expected: true, reason };
    });
  return {
    mutants: judged.length,
    killed,
    stillborn,
    survived: survivors.length,
    equivalent,
    score: (killed + stillborn) / Math.max(1, judged.length - equivalent),
    survivors,
    seconds: judged.reduce((s, r) => s + (r.verdicts[mode]?.seconds ?? 0), 0),
  };
}

/** "port 96.7% (29/30)": the score of a mode as a person reads it. */
export function scoreLine(mode: LockstepMode, s: ModeScore): string {
  return `${mode} ${(100 * s.score).toFixed(1)}% (${s.killed + s.stillborn}/${s.mutants - s.equivalent})`;
}
