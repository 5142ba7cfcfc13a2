/**
 * The mutation report (out/mutate/report.json, written by `int8cosim mutate`): one verdict per mutant and mode, and
 * the score of each mode side by side. Port mode compares every output word of every cycle (what `make regress` and
 * `make cosim` run); deep mode also compares every PE register every cycle; transaction mode (`--check
 * transactions`) compares only what docs/ARCHITECTURE.md section 13 keeps: every row once, its address and values,
 * whenever it comes. A mutant that survives transaction mode but port mode kills changes only timing: timingOnly.
 */
import { z } from 'zod';
import { finite, fraction, int, text } from '../../quant/json-fields.ts';

export const LOCKSTEP_MODES = ['port', 'deep'] as const;
export type LockstepMode = (typeof LOCKSTEP_MODES)[number];
/** Every mode a mutant can be judged in: the two lockstep modes and transaction mode, in report order. */
export const MUTATION_MODES = ['port', 'deep', 'transactions'] as const;
export type MutationMode = (typeof MUTATION_MODES)[number];

const verdictSchema = z.enum(['killed', 'survived', 'stillborn', 'equivalent']);
export type Verdict = z.output<typeof verdictSchema>;
const mutationMode = z.enum(MUTATION_MODES);

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
  verdicts: z.strictObject({ port: modeVerdictSchema.optional(), deep: modeVerdictSchema.optional(), transactions: modeVerdictSchema.optional() }),
  equivalentReason: text.optional(),
  /** Marked equivalent in the catalogue but killed in some mode (the claim is wrong). */
  equivalentClaimWrong: z.boolean('true or false').optional(),
  /** The catalogue's reason why only a deep-mode register can show it (an expected port-mode survivor). */
  portInvisibleReason: text.optional(),
  /** Marked port-invisible but killed in port mode (the claim is wrong). */
  portInvisibleClaimWrong: z.boolean('true or false').optional(),
  /** The catalogue's reason why the mutant changes only timing (an expected survivor of transaction mode). */
  timingOnlyReason: text.optional(),
  /** Marked timing-only but killed in transaction mode (the claim is wrong). */
  timingOnlyClaimWrong: z.boolean('true or false').optional(),
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
  modes: z.array(mutationMode),
  total: int(),
  /** Mutants the catalogue marks equivalent. */
  equivalent: int(),
  scores: z.strictObject({ port: modeScoreSchema.optional(), deep: modeScoreSchema.optional(), transactions: modeScoreSchema.optional() }),
  /**
   * With port and transaction mode both judged: the mutants that survived transaction mode and were killed in port
   * mode, i.e. that change only timing (rows late, reordered within a tile, outputs in cycles without o_valid_o);
   * expected when the catalogue says so (timingOnly, with its reason).
   */
  timingOnly: z.array(survivorSchema).optional(),
  /** Kill-suite: regression seeds 1..kernelCases on killArray (a build of every rounding mode; each case draws one). */
  kernelCases: int(),
  killArray: z.strictObject({ rows: int(1), cols: int(1), accDepth: int(1) }),
  /** The unmutated RTL on the kill-suite in each mode of the run (`lockstep` names the mode, transactions too). */
  baseline: z.array(z.strictObject({ lockstep: mutationMode, cases: int(), failed: int() })),
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

/** Why the catalogue expects a mutant to survive a mode, if it does: port-invisible, and in transaction mode also timing-only. */
function expectedReason(r: MutantResult, mode: MutationMode): string | undefined {
  if (mode === 'port') return r.portInvisibleReason;
  if (mode === 'transactions') return r.timingOnlyReason ?? r.portInvisibleReason;
  return undefined;
}

export function modeScore(results: readonly MutantResult[], mode: MutationMode): ModeScore {
  const judged = results.filter((r) => r.verdicts[mode] !== undefined);
  const count = (v: Verdict): number => judged.filter((r) => r.verdicts[mode]?.verdict === v).length;
  const killed = count('killed');
  const stillborn = count('stillborn');
  const equivalent = count('equivalent');
  const survivors = judged
    .filter((r) => r.verdicts[mode]?.verdict === 'survived')
    .map((r): Survivor => {
      const reason = expectedReason(r, mode);
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

/**
 * The mutants transaction mode misses and port mode kills (undefined unless both were judged): they change only
 * timing. Expected when the catalogue marks them timingOnly.
 */
export function timingOnlyMutants(results: readonly MutantResult[], modes: readonly MutationMode[]): Survivor[] | undefined {
  if (!modes.includes('port') || !modes.includes('transactions')) return undefined;
  return results
    .filter((r) => r.verdicts.transactions?.verdict === 'survived' && r.verdicts.port?.verdict === 'killed')
    .map((r): Survivor => (r.timingOnlyReason === undefined ? { name: r.name, expected: false } : { name: r.name, expected: true, reason: r.timingOnlyReason }));
}

/** "port 96.7% (29/30)": the score of a mode as a person reads it. */
export function scoreLine(mode: MutationMode, s: ModeScore): string {
  return `${mode} ${(100 * s.score).toFixed(1)}% (${s.killed + s.stillborn}/${s.mutants - s.equivalent})`;
}
