/**
 * The checks a cosim run makes and its one verdict: PASS only when every check ran and held. Each check says what
 * it compared and how much of it (cases, words, bytes), so that a PASS can be read as the sum of its parts.
 */
import type { BuildRequest, RtlBuild } from '../harness/index.ts';
import type { LayerCheckResult, Pair } from '../harness/network/layerCheck.ts';
import type { CosimReport } from '../report/schema/cosim-report.ts';
import { cornerSeeds } from '../verify/corner-tier.ts';
import { configName } from '../verify/palette.ts';
import { runRegression } from '../verify/runner.ts';
import { describeLayerDifference } from '../harness/network/layerCheck.ts';

/** One check as report.json holds it (report/schema/sections.ts, checkSchema): what, how much, pass or fail. */
export type CosimCheck = CosimReport['checks'][number];

/** The corner tier's key of report.json (report/schema/cosim-report.ts), when the tier ran. */
export type CornerTierReport = NonNullable<CosimReport['cornerTier']>;

const PAIR_TEXT: Record<Pair, string> = {
  'golden-hwsim': 'golden model vs hw-sim',
  'golden-rtl': 'golden model vs RTL',
  'hwsim-rtl': 'hw-sim vs RTL',
};

/** The three byte checks of the layer outputs (array and host layers; hw-sim vs RTL on array layers). */
export function byteChecks(r: LayerCheckResult, stoppedEarly: string | undefined): CosimCheck[] {
  return (['golden-hwsim', 'golden-rtl', 'hwsim-rtl'] as const).map((p) => {
    const c = r.pairs[p];
    const check: CosimCheck = {
      name: `bytes ${p}`,
      status: c.bytesDiffering > 0 ? 'fail' : stoppedEarly !== undefined || c.bytesCompared === 0 ? 'not-run' : 'pass',
      what: `${PAIR_TEXT[p]}: every output byte of every ${p === 'hwsim-rtl' ? 'array ' : ''}layer of ${r.images} images`,
      compared: c.bytesCompared,
      unit: 'bytes',
    };
    if (c.bytesDiffering > 0) {
      const first = r.first !== undefined && r.first.pairs.includes(p) ? `; first: ${describeLayerDifference(r.first)}` : '';
      check.detail = `${c.bytesDiffering} of ${c.bytesCompared} bytes differ${first}`;
    } else if (stoppedEarly !== undefined) {
      check.detail = `incomplete: ${stoppedEarly}`;
    }
    return check;
  });
}

export function verdictOf(checks: readonly CosimCheck[]): { verdict: 'PASS' | 'FAIL'; failed: string[] } {
  const failed = checks.filter((c) => c.status !== 'pass').map((c) => c.name);
  return { verdict: failed.length === 0 && checks.length > 0 ? 'PASS' : 'FAIL', failed };
}

/** One line a check, for the terminal. */
export function formatChecks(checks: readonly CosimCheck[]): string[] {
  return checks.map((c) => {
    const mark = c.status === 'pass' ? 'PASS' : c.status === 'fail' ? 'FAIL' : 'NOT RUN';
    return `  ${mark.padEnd(7)} ${c.name}: ${c.what} (${c.compared.toLocaleString('en-US')} ${c.unit})${c.detail !== undefined ? ` - ${c.detail}` : ''}`;
  });
}

/**
 * The quick corner tier on the cosim's own build: every corner of the contract, which a trained network never
 * reaches; in the cosim's check mode (transactions: each case's programs and raw streams through the transaction
 * runner, as `regress --check transactions` runs them). The seeds and replay line are verify/corner-tier.ts's.
 */
export async function cornerCheck(
  req: BuildRequest, build: RtlBuild, cases: number, deep: boolean, log: (m: string) => void, mode: 'cycles' | 'transactions' = 'cycles',
): Promise<{ check: CosimCheck; report: CornerTierReport | null }> {
  const g = build.geometry;
  const level = mode === 'transactions' ? 'transaction level (every row, whatever its timing)' : `every cycle${deep ? ', deep' : ''}`;
  const what = `quick corner tier on this build (${g.rows}x${g.cols} AccDepth ${g.accDepth}, rounding ${build.roundingModes.join('/')}): golden vs hw-sim vs RTL, ${level}`;
  if (cases === 0) return { check: { name: 'corner tier', status: 'not-run', what, compared: 0, unit: 'cases', detail: '--corner-cases 0' }, report: null };
  const cfg = { rows: g.rows, cols: g.cols, accDepth: g.accDepth, roundingModes: build.roundingModes };
  const name = configName(cfg);
  const r = await runRegression({
    palette: [cfg],
    rtl: { config: req.config, deep, ...(req.defines ? { defines: req.defines } : {}) },
    seeds: cornerSeeds(cases, cfg),
    networks: false,
    check: mode,
    replayCommand: (s) => `corner tier seed ${s} on ${name}${deep ? ', deep' : ''}${mode === 'transactions' ? ', check transactions' : ''}: cornerTierCase(${s}, cfg) of verify/corner-tier.ts`,
    log: (l) => log(`corners: ${l}`),
  });
  const f = r.failures[0];
  const check: CosimCheck = { name: 'corner tier', status: r.failed === 0 && r.cases > 0 ? 'pass' : 'fail', what, compared: r.cases, unit: 'cases' };
  if (f !== undefined) check.detail = `${r.failed} of ${r.cases} cases failed; first seed ${f.seed} (${f.kind}, ${f.stage}): ${f.message}; replay: ${f.replay}`;
  return { check, report: { cases: r.cases, passed: r.passed, failed: r.failed, cycles: r.cycles, seconds: +r.seconds.toFixed(3), kinds: r.kinds, failures: r.failures.slice(0, 10) } };
}
