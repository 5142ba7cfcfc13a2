/**
 * The checks a cosim run makes and its one verdict: PASS only when every check ran and held. Each check says what
 * it compared and how much of it (cases, words, bytes), so that a PASS can be read as the sum of its parts.
 */
import type { LayerCheckResult, Pair } from '../harness/network/layerCheck.ts';
import { describeLayerDifference } from '../harness/network/layerCheck.ts';

export type CheckStatus = 'pass' | 'fail' | 'not-run';

export interface CosimCheck {
  name: string;
  status: CheckStatus;
  /** What was compared, in words. */
  what: string;
  /** How much was compared (in `unit`). */
  compared: number;
  unit: 'cases' | 'words' | 'bytes';
  /** Why it failed or did not run. */
  detail?: string;
}

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
