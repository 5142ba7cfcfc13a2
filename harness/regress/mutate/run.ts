/**
 * Mutation testing of the regression: every mutant of the catalogue is applied alone to a copy of rtl/, built by
 * the harness (its own cache key), and run against the kill-suite: the first `cases` regression seeds on a 3x5
 * array with AccDepth 8 in the mutant's rounding mode (random GEMMs, every corner generator, raw streams, idle-port
 * noise and a few small networks) in deep mode (every output and every PE register compared every cycle), stopping
 * at the first failing case. The unmutated RTL runs the same suite first
 * in both modes and must pass it, or no verdict means anything.
 */
import { join, resolve } from 'node:path';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BuildError, CosimError } from '../../../quant/errors.ts';
import type { RoundingMode } from '../../../quant/spec/index.ts';
import type { ArrayConfig } from '../../../hw-sim/index.ts';
import { loadRtlConfig } from '../../config/rtlConfig.ts';
import { buildFor, runRegression } from '../runner.ts';
import { applyMutant } from './apply.ts';
import { MUTANTS, type Mutant } from './catalogue.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export type Verdict = 'killed' | 'survived' | 'stillborn' | 'equivalent';

export interface MutantResult {
  name: string;
  file: string;
  description: string;
  mode: RoundingMode;
  diff: string;
  verdict: Verdict;
  /** The first failing case (seed, stage, message) or the build error. */
  killedBy?: string;
  /** Set when a mutant marked equivalent was killed after all (the catalogue's claim is wrong). */
  equivalentClaimWrong?: boolean;
  equivalentReason?: string;
  casesRun: number;
  seconds: number;
}

export interface MutationReport {
  total: number;
  killed: number;
  stillborn: number;
  equivalent: number;
  survivors: string[];
  /** (killed + stillborn) / (total - equivalent). */
  score: number;
  kernelCases: number;
  baseline: { mode: RoundingMode; cases: number; failed: number }[];
  mutants: MutantResult[];
  seconds: number;
}

export interface MutationOptions {
  mutants?: readonly Mutant[];
  /** Kill-suite size (regression seeds 1..cases). Default 200. */
  cases?: number;
  rtlDir?: string;
  outRoot?: string;
  log?: (line: string) => void;
  /** Called after every mutant with the report so far (so that a long run leaves a partial report). */
  onProgress?: (partial: MutationReport) => void;
}

export const KILL_ARRAY = { rows: 3, cols: 5, accDepth: 8 } as const;

function killConfig(mode: RoundingMode): ArrayConfig {
  return { ...KILL_ARRAY, roundingMode: mode };
}

export async function runMutation(opts: MutationOptions = {}): Promise<MutationReport> {
  const t0 = performance.now();
  const log = opts.log ?? (() => {});
  const mutants = opts.mutants ?? MUTANTS;
  const cases = opts.cases ?? 200;
  const rtlDir = opts.rtlDir ?? join(ROOT, 'rtl');
  const outRoot = opts.outRoot ?? join(ROOT, 'out', 'mutate');
  const seeds = Array.from({ length: cases }, (_, i) => i + 1);

  const baseline: MutationReport['baseline'] = [];
  const modes = [...new Set(mutants.map((m) => m.mode ?? 'single'))];
  for (const mode of modes) {
    const r = await runRegression({ palette: [killConfig(mode)], rtl: { config: loadRtlConfig(join(rtlDir, 'cosim.json')), deep: true }, seeds });
    baseline.push({ mode, cases: r.cases, failed: r.failed });
    log(`baseline rtl/ (${mode}): ${r.passed}/${r.cases} kill-suite cases pass`);
    if (r.failed > 0) throw new CosimError(`the unmutated RTL fails the kill-suite in ${mode} mode (seed ${r.failures[0]?.seed}: ${r.failures[0]?.message})`);
  }

  const results: MutantResult[] = [];
  for (const m of mutants) {
    const tm = performance.now();
    const mode = m.mode ?? 'single';
    const applied = applyMutant(m, rtlDir, outRoot);
    const base = { name: m.name, file: m.file, description: m.description, mode, diff: applied.diff };
    let verdict: Verdict;
    let killedBy: string | undefined;
    let casesRun = 0;
    try {
      const r = await runRegression({
        palette: [killConfig(mode)],
        rtl: { config: loadRtlConfig(applied.configPath), deep: true },
        seeds,
        stopOnFirstFailure: true,
        replayCommand: (s) => `node bin/int8cosim.mjs mutate --only ${m.name} (kill-suite seed ${s})`,
      });
      casesRun = r.cases;
      const f = r.failures[0];
      if (f) {
        verdict = 'killed';
        killedBy = `seed ${f.seed} (${f.kind}, ${f.stage}): ${f.message}`;
      } else verdict = m.equivalent !== undefined ? 'equivalent' : 'survived';
    } catch (err) {
      if (!(err instanceof BuildError)) throw err;
      // Stillborn only if the unmutated RTL still builds: a broken toolchain or harness is not a verdict.
      try {
        await buildFor({ config: loadRtlConfig(join(rtlDir, 'cosim.json')), deep: true }, killConfig(mode));
      } catch (baseErr) {
        throw new CosimError(`mutant ${m.name}: the unmutated RTL does not build either (the harness or the toolchain is broken): ${(baseErr as Error).message.split('\n')[0]}`, { cause: baseErr });
      }
      verdict = 'stillborn';
      killedBy = `build failed: ${err.message.split('\n').slice(0, 3).join(' ')}`;
    }
    const res: MutantResult = { ...base, verdict, casesRun, seconds: (performance.now() - tm) / 1000 };
    if (killedBy !== undefined) res.killedBy = killedBy;
    if (m.equivalent !== undefined) {
      res.equivalentReason = m.equivalent;
      if (verdict !== 'equivalent') res.equivalentClaimWrong = true;
    }
    results.push(res);
    opts.onProgress?.(summary(results, cases, baseline, t0));
    log(`${m.name.padEnd(36)} ${verdict.padEnd(10)} ${res.seconds.toFixed(1).padStart(5)} s  ${killedBy ?? (m.equivalent ? 'equivalent: ' + m.equivalent.slice(0, 60) + '...' : 'SURVIVED all ' + casesRun + ' cases')}`);
  }
  return summary(results, cases, baseline, t0);
}

function summary(results: MutantResult[], cases: number, baseline: MutationReport['baseline'], t0: number): MutationReport {
  const count = (v: Verdict) => results.filter((r) => r.verdict === v).length;
  const equivalent = count('equivalent');
  const killed = count('killed');
  const stillborn = count('stillborn');
  return {
    total: results.length,
    killed,
    stillborn,
    equivalent,
    survivors: results.filter((r) => r.verdict === 'survived').map((r) => r.name),
    score: (killed + stillborn) / Math.max(1, results.length - equivalent),
    kernelCases: cases,
    baseline,
    mutants: results,
    seconds: (performance.now() - t0) / 1000,
  };
}
