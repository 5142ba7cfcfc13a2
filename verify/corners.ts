/**
 * Corner-case GEMM generators of the regression. Each returns the operands the array takes (the input zero point
 * is 0, so the bias is exactly as chosen). The `*Gemm` ones of the random mix draw their corner most of the time;
 * the ones of the corner schedule (case-gen.ts cornerSchedule) are built so that every case hits its corner on
 * every array configuration, by construction (test/verify/corner-proofs.ts checks each one):
 *  - int8ExtremesGemm: -128 x -128 in every PE with both weight banks; wrap32(acc + bias) beyond INT32_MAX and
 *    below INT32_MIN, and within 3 of both bounds without wrapping;
 *  - tieGemm: x = acc + bias constructed so that one rounding step meets exact halves of both signs, unclamped:
 *    single rounding (shift <= 0 or > 0), SaturatingRoundingDoublingHighMul (double or ruy), RoundingDivideByPOT
 *    (double), ruy's final shift (ties toward +infinity);
 * Every GEMM's program takes a rounding mode of the array (pickRound) but a tie's, which is its step's.
 *  - clampGemm: outputs beyond both clamp bounds in every column (fused ReLU, full range, a window), or with
 *    min > max (the contract has no order rule): values below min, at or above min, and between max and min;
 *  - shiftGemm: every column a different shift, left (1 .. 30) or right (-1 .. -31), with values that keep the
 *    result informative (unclamped for small left shifts, non-zero for the deepest right shifts);
 *  - idleGapGemm: a stream with idle cycles right before the first beat of every K-tile after the first (what the
 *    aimed idle noise of stimulus.ts idleNoise needs); allAddressesGemm: two accumulator passes, every address.
 */
import type { ArrayConfig, GemmOperands } from '../hw-sim/index.ts';
import type { Rng } from '../quant/random.ts';
import { INT32_MAX, INT32_MIN, quantizeMultiplier, wrapInt32, type RoundingMode } from '../quant/spec/index.ts';
import { pickBias, pickClamp, pickDim, pickM, pickMultiplier, pickRound, type GemmCase } from './gemm-draws.ts';

const BITS8 = { w: 8, a: 8, o: 8 } as const;

function gemm(m: number, k: number, n: number, ops: GemmOperands, bits: GemmCase['bits'] = { ...BITS8 }): GemmCase {
  return { m, k, n, bits, inputZeroPoint: 0, ops };
}

/** Per-column multipliers of `pick`. */
function multipliers(n: number, pick: (c: number) => { m0: number; shift: number }): { m0: Int32Array; shift: Int32Array } {
  const m0 = new Int32Array(n);
  const shift = new Int32Array(n);
  for (let c = 0; c < n; c++) {
    const q = pick(c);
    m0[c] = q.m0;
    shift[c] = q.shift;
  }
  return { m0, shift };
}

/** Random int8 operands with realistic multipliers, biases and clamps (the GEMMs whose corner is their shape). */
function plainGemm(rng: Rng, cfg: ArrayConfig, m: number, k: number, n: number): GemmCase {
  const x = Int8Array.from({ length: m * k }, () => rng.int(-128, 127));
  const w = Int8Array.from({ length: k * n }, () => rng.int(-128, 127));
  const bias = Int32Array.from({ length: n }, () => pickBias(rng));
  const { m0, shift } = multipliers(n, () => pickMultiplier(rng, k, BITS8));
  return gemm(m, k, n, { x, w, bias, m0, shift, ...pickClamp(rng, 8), round: pickRound(rng, cfg) });
}

/**
 * Bias of column c that puts x = acc + bias a few steps from an int32 bound: over INT32_MAX (c = 0 mod 4) or
 * under INT32_MIN (c = 1 mod 4) for the extreme rows, within 3 of the bound without wrapping otherwise.
 */
function boundBias(rng: Rng, c: number, accMax: number, accMin: number): number {
  switch (c % 4) {
    case 0: return wrapInt32(INT32_MAX - accMax + rng.int(1, 3));
    case 1: return wrapInt32(INT32_MIN - accMin - rng.int(1, 3));
    case 2: return wrapInt32(INT32_MAX - accMax - rng.int(0, 3));
    default: return wrapInt32(INT32_MIN - accMin + rng.int(0, 3));
  }
}

/** Random mix: every MAC -128 x -128 or 127 x -128, acc + bias near (and often beyond) an int32 bound. */
export function accExtremeGemm(rng: Rng, cfg: ArrayConfig): GemmCase {
  const m = pickM(rng, cfg);
  const k = pickDim(rng, cfg.rows);
  const n = pickDim(rng, cfg.cols);
  const w = new Int8Array(k * n).fill(-128);
  const x = new Int8Array(m * k);
  for (let i = 0; i < m; i++) {
    const u = rng.next();
    for (let j = 0; j < k; j++) x[i * k + j] = u < 0.4 ? -128 : u < 0.8 ? 127 : rng.pick([-128, 127, rng.int(-128, 127)]);
  }
  const bias = Int32Array.from({ length: n }, () => boundBias(rng, rng.int(0, 3), k * 16384, -k * 16256));
  const { m0, shift } = multipliers(n, () => pickMultiplier(rng, k, BITS8));
  return gemm(m, k, n, { x, w, bias, m0, shift, ...pickClamp(rng, 8), round: pickRound(rng, cfg) });
}

/**
 * Corner: K = 2R and N >= max(C, 4), so the first N-tile fills every PE in bank 0 (K-tile 0) and bank 1 (K-tile 1); every
 * weight is -128; row 0 is all -128 (every PE multiplies -128 x -128, acc = K * 2^14), row 1 all 127 (acc =
 * -K * 16256); column 0 wraps over INT32_MAX on row 0, column 1 under INT32_MIN on row 1 (boundBias).
 */
export function int8ExtremesGemm(rng: Rng, cfg: ArrayConfig): GemmCase {
  const m = rng.int(2, Math.min(cfg.accDepth, 8));
  const k = 2 * cfg.rows;
  const n = Math.max(4, cfg.cols + rng.int(0, cfg.cols)); // columns 0 .. 3: the four placements of boundBias
  const w = new Int8Array(k * n).fill(-128);
  const x = new Int8Array(m * k);
  for (let i = 0; i < m; i++) {
    const u = rng.next();
    for (let j = 0; j < k; j++) x[i * k + j] = i === 0 ? -128 : i === 1 ? 127 : u < 0.5 ? rng.pick([-128, 127]) : rng.int(-128, 127);
  }
  const bias = Int32Array.from({ length: n }, (_, c) => boundBias(rng, c, k * 16384, -k * 16256));
  const { m0, shift } = multipliers(n, () => pickMultiplier(rng, k, BITS8));
  return gemm(m, k, n, { x, w, bias, m0, shift, ...pickClamp(rng, 8), round: pickRound(rng, cfg) });
}

/** A value v = 2^(e-1) (mod 2^e) with |v| <= lim. */
function halfResidue(rng: Rng, e: number, lim: number): number {
  const h = 2 ** (e - 1);
  const step = 2 ** e;
  return h + rng.int(Math.ceil((-lim - h) / step), Math.floor((lim - h) / step)) * step;
}

/**
 * The rounding step a tie case aims at: single rounding with shift <= 0 or > 0, the high-mul that double and ruy
 * share, double's RoundingDivideByPOT (ties away from zero), or ruy's final shift (ties toward +infinity).
 */
export type TieStep = 'single' | 'single-left' | 'srdhm' | 'rdbpot' | 'ruy-shift';
export const TIE_STEPS: readonly TieStep[] = ['single', 'single-left', 'srdhm', 'rdbpot', 'ruy-shift'] as const;

/** The rounding modes whose arithmetic has the step (SRDHM: double and ruy). */
export function tieStepModes(step: TieStep): readonly RoundingMode[] {
  return step === 'single' || step === 'single-left' ? ['single'] : step === 'srdhm' ? ['double', 'ruy'] : step === 'rdbpot' ? ['double'] : ['ruy'];
}

/** The steps an array of these modes has (a tie on it needs one of its modes). */
export function tieStepsOf(cfg: Pick<ArrayConfig, 'roundingModes'>): TieStep[] {
  return TIE_STEPS.filter((s) => tieStepModes(s).some((m) => cfg.roundingModes.includes(m)));
}

/**
 * Every column uses W[0][c] = +-1 (column 0: +1, column 1: -1) and W[r > 0][c] = 0, so x = +-X[m][0] + bias[c]
 * with bias[c] = 0 (mod 2^e) (0 in columns 0 and 1); the even rows have X[m][0] = 2^(e-1) (mod 2^e), |X| <= 64,
 * which makes x an exact half at the rounding step of divisor 2^e, with both signs in columns 0 and 1, and
 * |y| <= 64 there (the tie decides an output code that no clamp hides).
 *  - single: x*m0 / 2^(31-s), m0 = j*2^p with j odd, e = 31 - s - p; 'single-left' takes s in 1..3 (e + s <= 6);
 *  - srdhm: x*2^s*m0 / 2^31 (s in 0..3), the same construction;
 *  - rdbpot: m0 = 2^30 halves an even x exactly; RoundingDivideByPOT by 2^(e-1) then sees x/2 = 2^(e-2) mod 2^(e-1);
 *  - ruy-shift: the same construction, with ruy's (t + 2^(r-1)) >> r as the step that meets the halves.
 * The program's rounding is the step's mode (srdhm: double or ruy, whichever the array has; both: either).
 */
export function tieGemm(rng: Rng, cfg: ArrayConfig, step: TieStep): GemmCase {
  const modes = tieStepModes(step).filter((md) => cfg.roundingModes.includes(md));
  if (modes.length === 0) throw new RangeError(`tieGemm: the step '${step}' needs ${tieStepModes(step).join(' or ')} rounding; the array has ${cfg.roundingModes.join(', ')}`);
  const m = Math.max(4, pickM(rng, cfg));
  const k = pickDim(rng, cfg.rows);
  const n = Math.max(2, pickDim(rng, cfg.cols));
  let e: number;
  let m0v: number;
  let s: number;
  if (step === 'rdbpot' || step === 'ruy-shift') {
    e = rng.int(2, 7);
    s = -(e - 1);
    m0v = 2 ** 30;
  } else {
    s = step === 'single' ? rng.int(-6, 0) : step === 'single-left' ? rng.int(1, 3) : rng.int(0, 3);
    e = s > 0 ? rng.int(1, 6 - s) : rng.int(Math.max(1, 1 - s), 7);
    const p = 31 - s - e;
    const j = p === 30 ? 1 : 2 * rng.int(2 ** (29 - p), 2 ** (30 - p) - 1) + 1; // odd, m0 in [2^30, 2^31)
    m0v = j * 2 ** p;
  }
  const w = new Int8Array(k * n);
  for (let c = 0; c < n; c++) w[c] = c === 0 ? 1 : c === 1 ? -1 : rng.pick([-1, 1]);
  const x = new Int8Array(m * k);
  const lim = s > 0 ? 3 * 2 ** (e - 1) : 64;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < k; j++) x[i * k + j] = rng.int(-128, 127);
    if (i % 2 === 0) x[i * k] = halfResidue(rng, e, Math.min(lim, 127));
  }
  const bias = Int32Array.from({ length: n }, (_, c) => (c < 2 ? 0 : 2 ** e * rng.int(-1, 1)));
  const q = quantizeMultiplier(m0v / 2 ** 31); // the same m0 through the spec's own encoder (a check of the construction)
  if (q.m0 !== m0v || q.shift !== 0) throw new RangeError(`tieGemm: m0 ${m0v} does not round-trip (${q.m0}, ${q.shift})`);
  const round = rng.pick(modes);
  const ops = { x, w, bias, m0: new Int32Array(n).fill(m0v), shift: new Int32Array(n).fill(s), zp: rng.int(-20, 20), min: -128, max: 127, round };
  return gemm(m, k, n, ops, { w: 2, a: 8, o: 8 });
}

/**
 * Outputs on the clamp bounds: W[0][c] in [64, 127]; row 0 is X = [127, 0, ...] and row 1 [-128, 0, ...], so
 * x >= 6128 and <= -6192 in every column; every multiplier is at least 0.06, which puts those rows beyond +-350
 * (beyond both bounds of any int8 window). `inverted`: min in [30, 100] > max in [-100, -30] and row 2 is all
 * zeros with |bias| <= 20 and multipliers <= 0.51, so its values fall between max and min.
 */
export function clampGemm(rng: Rng, cfg: ArrayConfig, inverted = false): GemmCase {
  const m = Math.max(4, pickM(rng, cfg));
  const k = pickDim(rng, cfg.rows);
  const n = pickDim(rng, cfg.cols);
  const x = Int8Array.from({ length: m * k }, () => rng.int(-128, 127));
  for (let i = 0; i < 3; i++) for (let j = 0; j < k; j++) x[i * k + j] = j > 0 || i === 2 ? 0 : i === 0 ? 127 : -128;
  const w = Int8Array.from({ length: k * n }, () => rng.int(-127, 127));
  for (let c = 0; c < n; c++) w[c] = rng.int(64, 127);
  const lim = inverted ? 20 : 2000;
  const bias = Int32Array.from({ length: n }, () => rng.int(-lim, lim));
  const accSpan = Math.sqrt(k) * 128 * 127;
  const { m0, shift } = multipliers(n, () => quantizeMultiplier(Math.max(0.06, (256 / accSpan) * (4 + 28 * rng.next()))));
  const zp = rng.int(-16, 16);
  let min: number;
  let max: number;
  const u = rng.next();
  if (inverted) [min, max] = [rng.int(30, 100), rng.int(-100, -30)];
  else if (u < 0.3) [min, max] = [zp, 127]; // fused ReLU
  else if (u < 0.5) [min, max] = [-128, 127];
  else [min, max] = [rng.int(-100, zp), rng.int(zp, 100)];
  return gemm(m, k, n, { x, w, bias, m0, shift, zp: inverted ? rng.int(-5, 5) : zp, min, max, round: pickRound(rng, cfg) });
}

/** The shifts a shift corner spreads over its columns (column c takes entry c mod length, so N >= length). */
export const LEFT_SHIFTS = [1, 2, 3, 4, 5, 6, 8, 12, 16, 20, 24, 28, 30] as const;
export const RIGHT_SHIFTS = [-1, -2, -4, -8, -12, -16, -20, -24, -28, -30, -31] as const;

/**
 * Every column a different shift (column c: shifts[c mod length]), m0 at the encoding's ends or in between.
 * Left: values near 0 (every third row is X = [+-1, 0, ...] with W[0][c] = +-3 and |bias| <= 2, so 1 <= |x| <= 5
 * and shifts up to 4 stay unclamped; the large ones saturate or, in double rounding, wrap x << s). Right: the bias of column c is
 * about +-2^(|s| + 6) (at most 2^31 - 2^21), so even shift -31 gives y = +-1 or 0 by rounding.
 */
export function shiftGemm(rng: Rng, cfg: ArrayConfig, dir: 'left' | 'right'): GemmCase {
  const shifts: readonly number[] = dir === 'left' ? LEFT_SHIFTS : RIGHT_SHIFTS;
  const m = Math.max(6, pickM(rng, cfg));
  const k = pickDim(rng, cfg.rows);
  const n = shifts.length + rng.int(0, cfg.cols);
  const v = dir === 'left' ? 2 : 3;
  const x = Int8Array.from({ length: m * k }, () => rng.int(-v, v));
  if (dir === 'left') for (let i = 0; i < m; i += 3) for (let j = 0; j < k; j++) x[i * k + j] = j === 0 ? rng.pick([-1, 1]) : 0;
  const w = Int8Array.from({ length: k * n }, () => rng.int(-v, v));
  if (dir === 'left') for (let c = 0; c < n; c++) w[c] = rng.pick([-3, 3]); // |x| in 1..5 on the X = [+-1, 0, ...] rows
  const off = rng.int(0, shifts.length - 1);
  const shiftOf = (c: number): number => shifts[(c + off) % shifts.length] as number;
  const bias = Int32Array.from({ length: n }, (_, c) => {
    if (dir === 'left') return rng.int(-2, 2);
    const mag = Math.min(2 ** (-shiftOf(c) + 6) * (0.5 + rng.next()), 2 ** 31 - 2 ** 21);
    return Math.round(rng.pick([-1, 1]) * mag);
  });
  const { m0, shift } = multipliers(n, (c) => ({
    m0: shiftOf(c) === -31 ? INT32_MAX : rng.pick([2 ** 30, INT32_MAX, rng.int(2 ** 30, INT32_MAX)]), // -31: |y| = 1 needs m0 near 2^31
    shift: shiftOf(c),
  }));
  return gemm(m, k, n, { x, w, bias, m0, shift, zp: rng.int(-10, 10), min: -128, max: 127, round: pickRound(rng, cfg) });
}

/**
 * M < R and K > R: the period is at least R > M, so every tile's stream ends before the next tile starts and the
 * cycle right before the first beat of every K-tile after the first (a non-`first` beat to address 0) is idle.
 */
export function idleGapGemm(rng: Rng, cfg: ArrayConfig): GemmCase {
  const m = rng.int(1, Math.min(cfg.rows - 1, cfg.accDepth));
  return plainGemm(rng, cfg, m, cfg.rows + rng.int(1, 2 * cfg.rows), pickDim(rng, cfg.cols));
}

/** M = D + 1 .. D + 8: two accumulator passes, the first through every address 0 .. D-1, accumulated over 2 K-tiles. */
export function allAddressesGemm(rng: Rng, cfg: ArrayConfig): GemmCase {
  const m = cfg.accDepth + rng.int(1, Math.min(cfg.accDepth, 8));
  return plainGemm(rng, cfg, m, cfg.rows + rng.int(1, cfg.rows), rng.int(1, cfg.cols));
}
