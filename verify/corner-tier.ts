/**
 * The corner tier of one array configuration: the corner schedule of case-gen.ts (cornerSchedule: reset state,
 * int8 extremes, rounding ties, clamps, shifts, aimed idle slots, raw streams, every accumulator address), each
 * corner hit by construction, run golden vs hw-sim vs RTL on exactly that configuration. It is what `cosim` runs on
 * its own Verilated build before the network: a trained network never reaches these corners.
 *
 * The build is the one `buildFor(rtl, cfg)` gives (parameters Rows, Cols, AccDepth, RoundingMode of cfg, the
 * target's defines), so a caller that built the same parameters shares its cache entry. Port mode unless rtl.deep.
 */
import { validateArrayConfig, type ArrayConfig } from '../hw-sim/index.ts';
import { UsageError } from '../quant/errors.ts';
import { CORNER_COUNT, cornerBlock, cornerSchedule, generateCase, type RegressCase } from './case-gen.ts';
import { configName } from './palette.ts';
import { runRegression, type RegressResult, type RtlTarget } from './runner.ts';

/** Cases of a corner tier by default: the schedule four times, each time with fresh operands (an array of every rounding mode). */
export const CORNER_TIER_CASES = 4 * CORNER_COUNT;

/**
 * The seeds of `cases` corner cases of a single configuration: block b (from 1) holds the whole schedule of cfg
 * (cornerSchedule: an array of fewer rounding modes has fewer tie corners) at seeds 100b + 3i, so the first
 * schedule-length seeds are every corner once, the next ones every corner again.
 */
export function cornerSeeds(cases: number, cfg?: Pick<ArrayConfig, 'roundingModes'>): number[] {
  const block = cornerBlock(1);
  const per = cfg === undefined ? CORNER_COUNT : cornerSchedule(cfg).length;
  const out: number[] = [];
  for (let i = 0; i < cases; i++) out.push(block * (1 + Math.floor(i / per)) + 3 * (i % per));
  return out;
}

/** The corner case of a seed of cornerSeeds on cfg (what a corner tier failure replays). */
export function cornerTierCase(seed: number, cfg: ArrayConfig): RegressCase {
  return generateCase(seed, [cfg]);
}

export async function runCornerTier(opts: { rtl: RtlTarget; cfg: ArrayConfig; cases?: number; log?: (l: string) => void }): Promise<RegressResult> {
  const cfg = validateArrayConfig({ ...opts.cfg });
  const cases = opts.cases ?? 4 * cornerSchedule(cfg).length;
  if (!Number.isInteger(cases) || cases < 1) throw new UsageError(`the corner tier needs a whole number of cases >= 1, got ${cases}`);
  const name = configName(cfg);
  return runRegression({
    palette: [cfg],
    rtl: opts.rtl,
    seeds: cornerSeeds(cases, cfg),
    networks: false,
    replayCommand: (s) => `corner tier seed ${s} on ${name}${opts.rtl.deep === true ? ', deep' : ''}: cornerTierCase(${s}, cfg) of verify/corner-tier.ts`,
    ...(opts.log ? { log: opts.log } : {}),
  });
}
