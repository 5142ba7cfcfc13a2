/**
 * The mutation report (out/mutate/report.json, written by `int8cosim mutate`): one verdict per mutant and lockstep
 * mode, and the score of each mode side by side. Port mode compares every output word of every cycle (what
 * `make regress` and `make cosim` run); deep mode also compares every PE register every cycle.
 */
import type { RoundingMode } from '../../quant/spec/index.ts';
import type { ToolchainCheck } from './toolchain.ts';

export const LOCKSTEP_MODES = ['port', 'deep'] as const;
export type LockstepMode = (typeof LOCKSTEP_MODES)[number];

export type Verdict = 'killed' | 'survived' | 'stillborn' | 'equivalent';

/** A mutant's verdict in one lockstep mode. */
export interface ModeVerdict {
  verdict: Verdict;
  /** The first failing case (seed, kind, stage, message) or the build error. */
  killedBy?: string;
  casesRun: number;
  seconds: number;
  /** After a failed build: the unmutated RTL built from nothing (stillborn needs it to pass). */
  toolchainCheck?: ToolchainCheck;
  /** A first build failure that did not repeat after the toolchain check (a tool killed under load, say). */
  transientBuildFailure?: string;
}

export interface MutantResult {
  name: string;
  file: string;
  description: string;
  /** The RoundingMode build the mutant is judged on. */
  rounding: RoundingMode;
  diff: string;
  verdicts: Partial<Record<LockstepMode, ModeVerdict>>;
  equivalentReason?: string;
  /** Marked equivalent in the catalogue but killed in some mode (the claim is wrong). */
  equivalentClaimWrong?: boolean;
  /** The catalogue's reason why only a deep-mode register can show it (an expected port-mode survivor). */
  portInvisibleReason?: string;
  /** Marked port-invisible but killed in port mode (the claim is wrong). */
  portInvisibleClaimWrong?: boolean;
}

export interface Survivor {
  name: string;
  /** true when the catalogue says why this mode cannot see the mutant. */
  expected: boolean;
  reason?: string;
}

export interface ModeScore {
  /** Mutants judged in this mode. */
  mutants: number;
  killed: number;
  stillborn: number;
  survived: number;
  equivalent: number;
  /** (killed + stillborn) / (mutants - equivalent). */
  score: number;
  survivors: Survivor[];
  /** Builds and kill-suite runs of this mode. */
  seconds: number;
}

export interface MutationReport {
  modes: LockstepMode[];
  total: number;
  /** Mutants the catalogue marks equivalent. */
  equivalent: number;
  scores: Partial<Record<LockstepMode, ModeScore>>;
  /** Kill-suite: regression seeds 1..kernelCases on killArray in each mutant's rounding mode. */
  kernelCases: number;
  killArray: { rows: number; cols: number; accDepth: number };
  baseline: { lockstep: LockstepMode; rounding: RoundingMode; cases: number; failed: number }[];
  mutants: MutantResult[];
  seconds: number;
}

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
