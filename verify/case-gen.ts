/**
 * One regression case from one seed: an array configuration from the tier's palette and either a random GEMM (all
 * the operand ranges of the issue) or a corner GEMM (corners.ts), or a small random network. The same seed and
 * palette always give the same case, so a failure replays from its seed alone.
 *
 * The corner schedule: in every block of cornerBlock(palette.length) consecutive seeds, the seeds s with
 * s mod block = 3j (j < CORNER_COUNT * palette length) are corner cases, corner floor(j / P) of the schedule on
 * palette entry j mod P. So any run of `block` consecutive seeds hits every corner on every configuration of its
 * palette on purpose (the quick tier's 300 seeds: 3 times each), and a single configuration has its corners at
 * seeds 100b + 3i (corner-tier.ts).
 */
import type { ArrayConfig } from '../hw-sim/index.ts';
import { randomModel } from '../quant/format/random-model.ts';
import type { QuantModel } from '../quant/format/types.ts';
import { Rng } from '../quant/random.ts';
import { foldInputZeroPoint, intRange } from '../quant/spec/index.ts';
import { accExtremeGemm, allAddressesGemm, clampGemm, idleGapGemm, int8ExtremesGemm, shiftGemm, tieGemm, tieStepsOf, type TieStep } from './corners.ts';
import { pickBias, pickClamp, pickDim, pickM, pickMultiplier, pickRound, type GemmCase } from './gemm-draws.ts';
import { rawBeats, resetStateBeats } from './stimulus.ts';

/** The kinds of the random mix. */
export type RandomKind = 'random' | 'acc-extreme' | 'tie' | 'clamp' | 'raw' | 'network';
export const CASE_KINDS: readonly RandomKind[] = ['random', 'acc-extreme', 'tie', 'clamp', 'raw', 'network'] as const;

/** The corners of the schedule (what each one hits: corners.ts, stimulus.ts; the proofs: test/verify/corner-proofs.ts). */
export type CornerKind =
  | 'reset-state' // reads weights, parameters, configuration the contract resets to 0, before writing them
  | 'int8-extremes' // -128 x -128 in every PE and both banks; acc + bias wraps both ways
  | 'tie-single' // single rounding, shift <= 0: exact halves of both signs
  | 'tie-single-left' // single rounding, shift > 0
  | 'tie-srdhm' // double or ruy rounding, exact halves in SaturatingRoundingDoublingHighMul (shift >= 0)
  | 'tie-rdbpot' // double rounding, exact halves in RoundingDivideByPOT
  | 'tie-ruy' // ruy rounding, exact halves in its final shift (ties toward +infinity)
  | 'clamp-both-bounds' // values beyond both clamp bounds in every column
  | 'clamp-min-above-max' // min > max: values below min, at or above min, and between max and min
  | 'shift-left' // shifts 1 .. 30, one per column
  | 'shift-right' // shifts -1 .. -31, one per column
  | 'idle-first' // an idle slot with a_first and the address of the non-first beat right after it
  | 'raw-forwarding' // a raw stream: back-to-back accumulates to one address, aimed idle slots
  | 'all-addresses'; // two accumulator passes through every address

export type CaseKind = RandomKind | CornerKind;

// raw-forwarding comes last: it writes every row of both banks, every column's parameters and the configuration
// with random values, so in the corner tier (cornerSeeds, block after block) the next case, reset-state, finds
// non-zero state wherever an RTL forgot a reset (the first reset-state finds the simulator's random power-up state).
const SCHEDULE_HEAD: readonly CornerKind[] = ['reset-state', 'int8-extremes'];
const SCHEDULE_TAIL: readonly CornerKind[] = [
  'clamp-both-bounds', 'clamp-min-above-max', 'shift-left', 'shift-right', 'idle-first', 'all-addresses', 'raw-forwarding',
];
/** The tie corner of each rounding step (corners.ts tieGemm). */
const TIE_CORNERS: Record<TieStep, CornerKind> = {
  single: 'tie-single', 'single-left': 'tie-single-left', srdhm: 'tie-srdhm', rdbpot: 'tie-rdbpot', 'ruy-shift': 'tie-ruy',
};
/** Corners of the schedule of an array with every rounding mode (the longest schedule). */
export const CORNER_COUNT = SCHEDULE_HEAD.length + Object.keys(TIE_CORNERS).length + SCHEDULE_TAIL.length;

/**
 * The corners every configuration with these rounding modes is run through, in schedule order: the ties of the
 * rounding steps its modes have (every mode's, on an array that implements all three).
 */
export function cornerSchedule(cfg: Pick<ArrayConfig, 'roundingModes'>): readonly CornerKind[] {
  return [...SCHEDULE_HEAD, ...tieStepsOf(cfg).map((s) => TIE_CORNERS[s]), ...SCHEDULE_TAIL];
}

/** Seeds per block of the corner schedule for a palette of `paletteLength` entries (100 for up to 3 entries). */
export function cornerBlock(paletteLength: number): number {
  return Math.max(100, 3 * CORNER_COUNT * paletteLength);
}

/** The corner a seed is, on its palette, or undefined for a seed of the random mix. */
export function cornerOf(seed: number, palette: readonly ArrayConfig[]): { cfg: ArrayConfig; kind: CornerKind } | undefined {
  const r = seed % cornerBlock(palette.length);
  if (r % 3 !== 0 || r / 3 >= CORNER_COUNT * palette.length) return undefined;
  const j = r / 3;
  const cfg = palette[j % palette.length] as ArrayConfig;
  const kind = cornerSchedule(cfg)[Math.floor(j / palette.length)];
  return kind === undefined ? undefined : { cfg, kind }; // an array with fewer modes has fewer tie corners
}

export interface RegressCase {
  seed: number;
  cfg: ArrayConfig;
  kind: CaseKind;
  gemm?: GemmCase;
  /** For GEMM cases: the seed of the random values put on disabled port groups (stimulus.ts idleNoise), if any. */
  noiseSeed?: number;
  /** A raw beat stream (stimulus.ts rawBeats), compared RTL vs hw-sim every cycle. */
  raw?: Int32Array;
  network?: { model: QuantModel; input: Int8Array };
}

/** The array configuration of a seed: its corner slot's, or the first draw of its generator (cheap, so that runs group by build). */
export function caseConfig(seed: number, palette: readonly ArrayConfig[]): ArrayConfig {
  return cornerOf(seed, palette)?.cfg ?? new Rng(seed).pick(palette);
}

/** Weighted choice of the case kind: mostly random GEMMs, a tenth each of the corner generators. */
function pickKind(rng: Rng, allowNetwork: boolean): RandomKind {
  const u = rng.next();
  if (u < 0.62) return 'random';
  if (u < 0.72) return 'acc-extreme';
  if (u < 0.84) return 'tie';
  if (u < 0.92) return 'clamp';
  if (u < 0.96 || !allowNetwork) return 'raw';
  return 'network';
}

export function randomGemm(rng: Rng, cfg: ArrayConfig): GemmCase {
  const m = pickM(rng, cfg);
  const k = pickDim(rng, cfg.rows);
  const n = pickDim(rng, cfg.cols);
  const bits = { w: rng.int(2, 8), a: rng.int(2, 8), o: rng.int(2, 8) };
  const wr = intRange(bits.w, rng.next() < 0.8); // narrow (symmetric) weights mostly, the full range sometimes
  const ar = intRange(bits.a, false);
  const w = Int8Array.from({ length: k * n }, () => rng.int(wr.qmin, wr.qmax));
  const x = Int8Array.from({ length: m * k }, () => rng.int(ar.qmin, ar.qmax));
  const inputZeroPoint = rng.int(ar.qmin, ar.qmax);
  const rawBias = Int32Array.from({ length: n }, () => pickBias(rng));
  const m0 = new Int32Array(n);
  const shift = new Int32Array(n);
  const perChannel = rng.next() < 0.7;
  let q = pickMultiplier(rng, k, bits);
  for (let c = 0; c < n; c++) {
    if (perChannel && c > 0) q = pickMultiplier(rng, k, bits);
    m0[c] = q.m0;
    shift[c] = q.shift;
  }
  const { zp, min, max } = pickClamp(rng, bits.o);
  const bias = foldInputZeroPoint(rawBias, w, k, n, inputZeroPoint);
  return { m, k, n, bits, inputZeroPoint, ops: { x, w, bias, m0, shift, zp, min, max, round: pickRound(rng, cfg) } };
}

/** A corner case of the schedule on cfg (GEMMs always carry idle-port noise, which aims at a_first: stimulus.ts). */
/** The corners that are a GEMM case, each with its generator (the two raw-beat corners are cornerCase's own). */
const GEMM_CORNERS: Record<Exclude<CornerKind, 'reset-state' | 'raw-forwarding'>, (rng: Rng, cfg: ArrayConfig) => GemmCase> = {
  'int8-extremes': int8ExtremesGemm,
  'tie-single': (rng, cfg) => tieGemm(rng, cfg, 'single'),
  'tie-single-left': (rng, cfg) => tieGemm(rng, cfg, 'single-left'),
  'tie-srdhm': (rng, cfg) => tieGemm(rng, cfg, 'srdhm'),
  'tie-rdbpot': (rng, cfg) => tieGemm(rng, cfg, 'rdbpot'),
  'tie-ruy': (rng, cfg) => tieGemm(rng, cfg, 'ruy-shift'),
  'clamp-both-bounds': (rng, cfg) => clampGemm(rng, cfg),
  'clamp-min-above-max': (rng, cfg) => clampGemm(rng, cfg, true),
  'shift-left': (rng, cfg) => shiftGemm(rng, cfg, 'left'),
  'shift-right': (rng, cfg) => shiftGemm(rng, cfg, 'right'),
  'idle-first': idleGapGemm,
  'all-addresses': allAddressesGemm,
};

export function cornerCase(seed: number, cfg: ArrayConfig, kind: CornerKind): RegressCase {
  const rng = new Rng(seed);
  switch (kind) {
    case 'reset-state':
      return { seed, cfg, kind, raw: resetStateBeats(rng, cfg) };
    case 'raw-forwarding':
      return { seed, cfg, kind, raw: rawBeats(rng, cfg, rng.int(8 + cfg.rows, 80)) };
    default:
      // the GEMM is drawn first, then the noise seed
      return { seed, cfg, kind, gemm: GEMM_CORNERS[kind](rng, cfg), noiseSeed: rng.nextU32() };
  }
}

/** The case of a seed, drawn from `palette`: a corner of the schedule (cornerOf) or a case of the random mix. */
export function generateCase(seed: number, palette: readonly ArrayConfig[], opts: { networks?: boolean } = {}): RegressCase {
  const corner = cornerOf(seed, palette);
  if (corner !== undefined) return cornerCase(seed, corner.cfg, corner.kind);
  const rng = new Rng(seed);
  const cfg = rng.pick(palette);
  const kind = pickKind(rng, opts.networks ?? true);
  const noise = (): { noiseSeed?: number } => (rng.next() < 0.5 ? { noiseSeed: rng.nextU32() } : {});
  switch (kind) {
    case 'random':
      return { seed, cfg, kind, gemm: randomGemm(rng, cfg), ...noise() };
    case 'acc-extreme':
      return { seed, cfg, kind, gemm: accExtremeGemm(rng, cfg), ...noise() };
    case 'tie':
      return { seed, cfg, kind, gemm: tieGemm(rng, cfg, rng.pick(tieStepsOf(cfg).filter((s) => s !== 'single-left'))), ...noise() };
    case 'clamp':
      return { seed, cfg, kind, gemm: clampGemm(rng, cfg), ...noise() };
    case 'raw':
      return { seed, cfg, kind, raw: rawBeats(rng, cfg, rng.int(8, 80)) };
    case 'network': {
      const spatial = rng.next() < 0.7;
      const model = randomModel(rng, {
        roundingMode: pickRound(rng, cfg),
        inputShape: spatial ? [rng.int(3, 7), rng.int(3, 7), rng.int(1, 3)] : [rng.int(4, 40)],
        maxChannels: 8,
        extreme: rng.next() < 0.3,
      });
      const size = model.input.shape.reduce((a, b) => a * b, 1);
      const input = Int8Array.from({ length: size }, () => rng.int(model.input.qmin, model.input.qmax));
      return { seed, cfg, kind, network: { model, input } };
    }
  }
}
