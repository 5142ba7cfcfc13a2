/**
 * Mutation testing of the regression: every mutant of the catalogue is applied alone to a copy of rtl/, built by
 * the harness (its own cache key), and run against the kill-suite: the first `cases` regression seeds on a 3x5
 * array with AccDepth 8 built with every rounding mode, each case's programs choosing one (random GEMMs, every
 * corner generator, raw streams that switch the rounding mid-stream, idle-port noise and a few small networks),
 * stopping at the first failing case. It is judged in each mode asked
 * for: port (every output word every cycle, what `make regress` and `make cosim` compare; a port build), deep
 * (every PE register too; a deep build) and transactions (the regression's transaction mode, docs/ARCHITECTURE.md
 * section 13: every row once with its address and values, whenever it comes; on the port build). A mutant killed in
 * port mode that survives transaction mode changes only timing (report.ts timingOnlyMutants). The unmutated RTL
 * runs the same suite first in every mode and must pass it, or no verdict means anything.
 *
 * Only the RTL can kill a mutant: a lockstep, transaction or golden difference, or the RTL stopping itself. A harness or tool
 * error (runner.ts HarnessError, anything but a build failure) ends the run as an error. A build failure is
 * stillborn only when the unmutated RTL then builds from nothing (toolchain.ts) and the mutant fails again.
 */
import { join, resolve } from 'node:path';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BuildError, CosimError } from '../../quant/errors.ts';
import type { ArrayConfig } from '../../hw-sim/index.ts';
import { ROUNDING_MODES } from '../../quant/spec/index.ts';
import { loadRtlConfig } from '../../harness/config/rtlConfig.ts';
import { runRegression, type RegressResult, type RtlTarget } from '../runner.ts';
import { applyMutant } from './apply.ts';
import { MUTANTS, type Mutant } from './catalogue.ts';
import { MUTATION_MODES, modeScore, timingOnlyMutants, type MutationMode, type ModeVerdict, type MutantResult, type MutationReport } from './report.ts';
import { checkToolchain } from './toolchain.ts';

export type { LockstepMode, ModeScore, ModeVerdict, MutantResult, MutationMode, MutationReport, Survivor, Verdict } from './report.ts';
export { LOCKSTEP_MODES, MUTATION_MODES } from './report.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface MutationOptions {
  mutants?: readonly Mutant[];
  /** Kill-suite size (regression seeds 1..cases). Default 200. */
  cases?: number;
  /** Modes to judge every mutant in (default the two lockstep modes: port, deep; transactions on request). */
  modes?: readonly MutationMode[];
  rtlDir?: string;
  outRoot?: string;
  /** Where the toolchain check's temporary cache goes (default the OS's temp directory). */
  scratchDir?: string;
  log?: (line: string) => void;
  /** Called after every mutant with the report so far (so that a long run leaves a partial report). */
  onProgress?: (partial: MutationReport) => void;
}

export const KILL_ARRAY = { rows: 3, cols: 5, accDepth: 8 } as const;

/** The kill-suite's array: every rounding mode built in, so that one build judges every requantizer datapath. */
const KILL_CONFIG: ArrayConfig = { ...KILL_ARRAY, roundingModes: ROUNDING_MODES };

/** Stages of a failing case that only the RTL can cause (runner.ts CaseFailure). */
const RTL_STAGES = new Set(['lockstep', 'transaction', 'golden', 'stop']);

interface Judge {
  seeds: number[];
  scratchDir?: string;
  log: (line: string) => void;
}

/** The kill-suite's regression options of a mode: deep builds for deep mode, the transaction runner for transactions. */
function modeRun(mode: MutationMode): { deep: boolean; check: 'cycles' | 'transactions' } {
  return { deep: mode === 'deep', check: mode === 'transactions' ? 'transactions' : 'cycles' };
}

/** The CLI flags that judge a mutant in one mode. */
function modeFlags(mode: MutationMode): string {
  return mode === 'transactions' ? '--check transactions' : `--mode ${mode}`;
}

/** Builds and runs one mutant in one mode. */
async function judge(m: Mutant, configPath: string, unmutated: RtlTarget, mode: MutationMode, j: Judge): Promise<ModeVerdict> {
  const t0 = performance.now();
  const { deep, check } = modeRun(mode);
  const run = (): Promise<RegressResult> =>
    runRegression({
      palette: [KILL_CONFIG],
      rtl: { config: loadRtlConfig(configPath), deep },
      check,
      seeds: j.seeds,
      stopOnFirstFailure: true,
      replayCommand: (s) => `node bin/int8cosim.mjs mutate --only ${m.name} ${modeFlags(mode)} (kill-suite seed ${s})`,
    });
  const extra: Pick<ModeVerdict, 'toolchainCheck' | 'transientBuildFailure'> = {};
  let r: RegressResult;
  try {
    r = await run();
  } catch (err) {
    if (!(err instanceof BuildError)) throw err; // a harness or tool error: no verdict, the run stops
    const firstLines = err.message.split('\n').slice(0, 3).join(' ');
    extra.toolchainCheck = await checkToolchain({ ...unmutated, deep }, KILL_CONFIG, j.scratchDir);
    j.log(`${m.name}: build failed; the unmutated RTL built from nothing in ${extra.toolchainCheck.seconds.toFixed(1)} s, building the mutant again`);
    try {
      r = await run();
      extra.transientBuildFailure = firstLines;
    } catch (again) {
      if (!(again instanceof BuildError)) throw again;
      return { verdict: 'stillborn', killedBy: `build failed: ${again.message.split('\n').slice(0, 3).join(' ')}`, casesRun: 0, seconds: (performance.now() - t0) / 1000, ...extra };
    }
  }
  const f = r.failures[0];
  const seconds = (performance.now() - t0) / 1000;
  if (f === undefined) return { verdict: m.equivalent !== undefined ? 'equivalent' : 'survived', casesRun: r.cases, seconds, ...extra };
  if (!RTL_STAGES.has(f.stage)) {
    throw new CosimError(`mutant ${m.name} (${mode} mode): seed ${f.seed} fails at stage ${f.stage}, which does not involve the RTL (${f.message}); no verdict, the run stops`);
  }
  return { verdict: 'killed', killedBy: `seed ${f.seed} (${f.kind}, ${f.stage}): ${f.message}`, casesRun: r.cases, seconds, ...extra };
}

/** What the log says after SURVIVED when the catalogue expects it. */
function survivorNote(m: Mutant, mode: MutationMode): string {
  if (mode !== 'deep' && m.portInvisible !== undefined) return ' (expected: only a PE register shows it)';
  if (mode === 'transactions' && m.timingOnly !== undefined) return ' (expected: it changes only timing)';
  return '';
}

export async function runMutation(opts: MutationOptions = {}): Promise<MutationReport> {
  const t0 = performance.now();
  const log = opts.log ?? (() => {});
  const mutants = opts.mutants ?? MUTANTS;
  const cases = opts.cases ?? 200;
  const modes = MUTATION_MODES.filter((x) => (opts.modes ?? ['port', 'deep']).includes(x));
  if (modes.length === 0) throw new CosimError(`runMutation: no mode (expected some of ${MUTATION_MODES.join(', ')})`);
  const rtlDir = opts.rtlDir ?? join(ROOT, 'rtl');
  const outRoot = opts.outRoot ?? join(ROOT, 'out', 'mutate');
  const seeds = Array.from({ length: cases }, (_, i) => i + 1);
  const unmutated: RtlTarget = { config: loadRtlConfig(join(rtlDir, 'cosim.json')) };

  const baseline: MutationReport['baseline'] = [];
  for (const lockstep of modes) {
    const { deep, check } = modeRun(lockstep);
    const r = await runRegression({ palette: [KILL_CONFIG], rtl: { ...unmutated, deep }, check, seeds });
    baseline.push({ lockstep, cases: r.cases, failed: r.failed });
    log(`baseline rtl/ (${lockstep} mode): ${r.passed}/${r.cases} kill-suite cases pass`);
    if (r.failed > 0) throw new CosimError(`the unmutated RTL fails the kill-suite in ${lockstep} mode (seed ${r.failures[0]?.seed}: ${r.failures[0]?.message})`);
  }

  const results: MutantResult[] = [];
  const report = (): MutationReport => ({
    modes: [...modes],
    total: results.length,
    equivalent: results.filter((r) => r.equivalentReason !== undefined).length,
    scores: Object.fromEntries(modes.map((mode) => [mode, modeScore(results, mode)])),
    ...(timingOnlyMutants(results, modes) === undefined ? {} : { timingOnly: timingOnlyMutants(results, modes) }),
    kernelCases: cases,
    killArray: { ...KILL_ARRAY },
    baseline,
    mutants: results,
    seconds: (performance.now() - t0) / 1000,
  });
  for (const m of mutants) {
    const applied = applyMutant(m, rtlDir, outRoot);
    const res: MutantResult = { name: m.name, file: m.file, description: m.description, diff: applied.diff, verdicts: {} };
    if (m.equivalent !== undefined) res.equivalentReason = m.equivalent;
    if (m.portInvisible !== undefined) res.portInvisibleReason = m.portInvisible;
    if (m.timingOnly !== undefined) res.timingOnlyReason = m.timingOnly;
    for (const mode of modes) {
      let v: ModeVerdict;
      try {
        v = await judge(m, applied.configPath, unmutated, mode, { seeds, ...(opts.scratchDir ? { scratchDir: opts.scratchDir } : {}), log });
      } catch (err) {
        log(`${m.name} (${mode} mode): the run stops, no verdict: ${(err as Error).message.split('\n')[0]}`);
        throw err;
      }
      res.verdicts[mode] = v;
      if (m.equivalent !== undefined && v.verdict === 'killed') res.equivalentClaimWrong = true;
      if (m.portInvisible !== undefined && mode === 'port' && v.verdict === 'killed') res.portInvisibleClaimWrong = true;
      if (m.timingOnly !== undefined && mode === 'transactions' && v.verdict === 'killed') res.timingOnlyClaimWrong = true;
      const note = v.killedBy ?? (v.verdict === 'equivalent' ? 'equivalent (the catalogue says why)' : `SURVIVED all ${v.casesRun} cases${survivorNote(m, mode)}`);
      log(`${m.name.padEnd(36)} ${mode.padEnd(4)} ${v.verdict.padEnd(10)} ${v.seconds.toFixed(1).padStart(5)} s  ${note}`);
    }
    results.push(res);
    opts.onProgress?.(report());
  }
  return report();
}
