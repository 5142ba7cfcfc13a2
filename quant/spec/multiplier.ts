/**
 * Fixed-point multipliers, after TFLite's `QuantizeMultiplier` and `MultiplyByQuantizedMultiplier` and gemmlowp's
 * fixed-point primitives. A real multiplier M >= 0 is carried as (m0, shift) with M ~= m0 * 2^(shift - 31),
 * m0 in [2^30, 2^31 - 1] (or 0), shift in [-31, 30]; positive shift is a left shift.
 *
 * Three requantization modes, all exact for every int32 x:
 *
 *  single (TFLite's TFLITE_SINGLE_ROUNDING build, the project default):
 *      y = sat32( floor( (x * m0 + 2^(t-1)) / 2^t ) ),   t = 31 - shift in [1, 62]
 *    one rounding of the exact 62-bit product, ties toward +infinity; the result saturates to int32 (TFLite only
 *    DCHECKs that it fits; hardware saturates).
 *
 *  double (TFLite's default build):
 *      y = RoundingDivideByPOT( SaturatingRoundingDoublingHighMul( wrap32(x * 2^l), m0 ), r )
 *    with l = max(shift, 0), r = max(-shift, 0). The left shift is applied first and wraps modulo 2^32 exactly as
 *    TFLite's `x * (1 << left_shift)` does on every target. Two roundings: the high-mul rounds ties toward +infinity
 *    (its nudge of 2^30, or 1 - 2^30 for a negative product, before truncating), RoundingDivideByPOT rounds ties
 *    away from zero.
 *
 *  ruy (what TFLite 2.9's optimized CONV_2D and FULLY_CONNECTED compute on x86: ruy's AVX2 kernel):
 *      t = SaturatingRoundingDoublingHighMul( wrap32(x * 2^l), m0 ),   y = floor( (t + 2^(r-1)) / 2^r )  (r > 0; t if r = 0)
 *    the same high-mul as double, then ruy's rounding right shift `(t + nudge) >> r` (arithmetic): ties toward
 *    +infinity where RoundingDivideByPOT rounds them away from zero, so ruy and double differ only at negative
 *    exact ties, by 1. ruy computes t + nudge in 32 bits but replaces an overflowing sum by 2^(31-r), which is the
 *    exact quotient: the result is the mathematical floor for every int32 t.
 *
 * Corner cases: SRDHM(INT32_MIN, INT32_MIN) is the one overflow and returns INT32_MAX; m0 = 0 gives 0 in both
 * modes; single mode at shift = 30 with x * m0 near 2^62 saturates.
 */
import { INT32_MAX, INT32_MIN, floorShift64, mul64, add64 } from './int32.ts';
import { frexp, roundHalfAwayFromZero } from './rounding.ts';

export type RoundingMode = 'single' | 'double' | 'ruy';
export const ROUNDING_MODES: readonly RoundingMode[] = ['single', 'double', 'ruy'] as const;

export const SHIFT_MIN = -31;
export const SHIFT_MAX = 30;
export const M0_MIN = 2 ** 30;
export const M0_MAX = INT32_MAX;

export interface QuantizedMultiplier {
  /** Q0.31 mantissa in [2^30, 2^31 - 1], or 0 for a zero (or flushed) multiplier. */
  m0: number;
  /** Power-of-two exponent in [-31, 30]; positive shifts left. */
  shift: number;
}

/**
 * TFLite `QuantizeMultiplier`: frexp, then round the mantissa half away from zero to Q0.31. A mantissa that rounds
 * up to 2^31 becomes 2^30 with shift + 1; shift < -31 flushes to zero; shift > 30 saturates to (2^31 - 1, 30).
 */
export function quantizeMultiplier(real: number): QuantizedMultiplier {
  if (!Number.isFinite(real) || real < 0) {
    throw new RangeError(`quantizeMultiplier: expected a finite multiplier >= 0, got ${real}`);
  }
  if (real === 0) return { m0: 0, shift: 0 };
  let [q, shift] = frexp(real);
  let qFixed = roundHalfAwayFromZero(q * 2 ** 31);
  if (qFixed === 2 ** 31) {
    qFixed /= 2;
    shift += 1;
  }
  if (shift < SHIFT_MIN) return { m0: 0, shift: 0 };
  if (shift > SHIFT_MAX) return { m0: M0_MAX, shift: SHIFT_MAX };
  return { m0: qFixed, shift };
}

/** The real value a (m0, shift) pair stands for. */
export function dequantizeMultiplier(m0: number, shift: number): number {
  return m0 * 2 ** (shift - 31);
}

/**
 * Below this magnitude of x, x * m0 (m0 < 2^31) stays under 2^52 and the requantizer runs on plain doubles:
 * the product is exact, scaling by 2^-t is exact, and so is adding 1/2 (the sum needs at most 53 significant bits,
 * docs/SPEC.md "Fast paths"). SRDHM likewise. Same bits as the 64-bit path; the property tests cover both sides
 * of the bound.
 */
const FAST_X = 2 ** 21;
const POW2_NEG = Float64Array.from({ length: 64 }, (_, i) => 2 ** -i);
/** 2^i for i in [0, 63]: a table, since V8 computes `2 ** k` of a variable k with a call to pow. */
const POW2 = Float64Array.from({ length: 64 }, (_, i) => 2 ** i);

const scratch = new Float64Array(2);

/**
 * gemmlowp SaturatingRoundingDoublingHighMul: the high 32 bits of 2*a*b, rounded (nudge 2^30, or 1 - 2^30 for a
 * negative product, then C division truncating toward zero by 2^31). Only a = b = INT32_MIN overflows; it
 * saturates to INT32_MAX.
 */
export function saturatingRoundingDoublingHighMul(a: number, b: number): number {
  // nudge-then-truncate equals floor((a*b + 2^30) / 2^31) for either sign; exact in doubles while |a*b| < 2^52
  if (a > -FAST_X && a < FAST_X) return Math.floor((a * b + 2 ** 30) / 2 ** 31);
  return srdhmWide(a, b);
}

/**
 * SRDHM for any int32 pair (kept out of line so that the fast path inlines): floor((a*b + 2^30) / 2^31), which
 * equals gemmlowp's nudge-then-truncate for either sign of the product, computed exactly on doubles by splitting
 * a = ah * 2^16 + al (al in [0, 2^16)): with P = ah * b = q * 2^15 + r (|P| <= 2^46, r in [0, 2^15)),
 *   a*b + 2^30 = q * 2^31 + (r * 2^16 + al * b + 2^30),
 * and the bracket (|.| < 2^48) and every step are exact, so the result is q + floor(bracket / 2^31).
 */
function srdhmWide(a: number, b: number): number {
  if (a === INT32_MIN && b === INT32_MIN) return INT32_MAX;
  const al = a & 0xffff;
  const ah = (a - al) / 65536;
  const p = ah * b;
  const q = Math.floor(p / 32768);
  const r = p - q * 32768;
  return q + Math.floor((r * 65536 + al * b + 2 ** 30) / 2 ** 31);
}

/**
 * gemmlowp RoundingDivideByPOT: x / 2^exponent rounded to nearest, ties away from zero, exponent in [0, 31].
 */
export function roundingDivideByPOT(x: number, exponent: number): number {
  if (!(exponent >= 0 && exponent <= 31)) {
    throw new RangeError(`roundingDivideByPOT: exponent must be in [0, 31], got ${exponent}`);
  }
  const mask = (POW2[exponent] as number) - 1;
  const remainder = x & mask;
  const threshold = (mask >>> 1) + (x < 0 ? 1 : 0);
  return (x >> exponent) + (remainder > threshold ? 1 : 0);
}

/** Single-rounding requantization: sat32(floor((x*m0 + 2^(t-1)) / 2^t)), t = 31 - shift. */
export function multiplyByQuantizedMultiplierSingle(x: number, m0: number, shift: number): number {
  const t = 31 - shift;
  const y = x > -FAST_X && x < FAST_X ? Math.floor(x * m0 * (POW2_NEG[t] as number) + 0.5) : singleWide(x, m0, t);
  return y < INT32_MIN ? INT32_MIN : y > INT32_MAX ? INT32_MAX : y;
}

/** floor((x*m0 + 2^(t-1)) / 2^t) on the 64-bit pair: the general path (out of line so that the fast path inlines). */
function singleWide(x: number, m0: number, t: number): number {
  mul64(x, m0, scratch);
  add64(scratch, POW2[t - 1] as number);
  return floorShift64(scratch[0] as number, scratch[1] as number, t);
}

/** Double-rounding requantization (TFLite default): RDBPOT(SRDHM(wrap32(x << l), m0), r). */
export function multiplyByQuantizedMultiplierDouble(x: number, m0: number, shift: number): number {
  const left = shift > 0 ? shift : 0;
  const right = shift > 0 ? 0 : -shift;
  return roundingDivideByPOT(saturatingRoundingDoublingHighMul(Math.imul(x, POW2[left] as number), m0), right);
}

/**
 * ruy's requantization (its x86 AVX2 kernel, TFLite 2.9's optimized CONV_2D / FULLY_CONNECTED):
 * floor((SRDHM(wrap32(x << l), m0) + 2^(r-1)) / 2^r), ties toward +infinity; r = 0 gives the high-mul itself.
 */
export function multiplyByQuantizedMultiplierRuy(x: number, m0: number, shift: number): number {
  const left = shift > 0 ? shift : 0;
  const right = shift > 0 ? 0 : -shift;
  const t = saturatingRoundingDoublingHighMul(Math.imul(x, POW2[left] as number), m0);
  // |t| < 2^31 and the nudge is at most 2^30: the sum, the division by a power of two and the floor are exact
  return right === 0 ? t : Math.floor((t + (POW2[right - 1] as number)) * (POW2_NEG[right] as number));
}

/**
 * TFLite `MultiplyByQuantizedMultiplier(x, m0, shift)` in the chosen rounding mode. x is any int32, m0 in
 * [0, 2^31 - 1], shift in [-31, 30].
 */
export function multiplyByQuantizedMultiplier(x: number, m0: number, shift: number, mode: RoundingMode): number {
  switch (mode) {
    case 'single':
      return multiplyByQuantizedMultiplierSingle(x, m0, shift);
    case 'double':
      return multiplyByQuantizedMultiplierDouble(x, m0, shift);
    case 'ruy':
      return multiplyByQuantizedMultiplierRuy(x, m0, shift);
  }
}

/**
 * TFLite `QuantizeMultiplierSmallerThanOneExp`: QuantizeMultiplier for 0 < M < 1, whose shift is <= 0 (TFLite
 * CHECKs all three; a multiplier that rounds up to 1, M >= 1 - 2^-32, fails as it does there).
 */
export function quantizeMultiplierSmallerThanOneExp(real: number): QuantizedMultiplier {
  if (!(real > 0 && real < 1)) {
    throw new RangeError(`quantizeMultiplierSmallerThanOneExp: expected a multiplier in (0, 1), got ${real}`);
  }
  const q = quantizeMultiplier(real);
  if (q.shift > 0) {
    throw new RangeError(`quantizeMultiplierSmallerThanOneExp: ${real} rounds to (${q.m0}, ${q.shift}), a shift above 0`);
  }
  return q;
}

/**
 * TFLite `QuantizeMultiplierGreaterThanOne`: QuantizeMultiplier for M > 1 (shift >= 0). TFLite's double-rounding
 * build keeps a shift of 31 for M >= 2^30, whose left shift `x * (1 << 31)` overflows; that is refused here
 * rather than saturated (quantizeMultiplier's saturation to (2^31 - 1, 30) is not what TFLite computes).
 */
export function quantizeMultiplierGreaterThanOne(real: number): QuantizedMultiplier {
  if (!(real > 1) || !Number.isFinite(real)) {
    throw new RangeError(`quantizeMultiplierGreaterThanOne: expected a finite multiplier above 1, got ${real}`);
  }
  if (real >= 2 ** 30) {
    throw new RangeError(`quantizeMultiplierGreaterThanOne: ${real} needs a shift above 30 (TFLite's left shift would overflow int32)`);
  }
  return quantizeMultiplier(real);
}

/**
 * TFLite `MultiplyByQuantizedMultiplierSmallerThanOneExp(x, m0, shift)` (double-rounding build, shift <= 0):
 * RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(x, m0), -shift). ADD's three rescalings use it.
 */
export function multiplyByQuantizedMultiplierSmallerThanOneExp(x: number, m0: number, shift: number): number {
  return roundingDivideByPOT(saturatingRoundingDoublingHighMul(x, m0), -shift);
}

/**
 * TFLite `MultiplyByQuantizedMultiplierGreaterThanOne(x, m0, shift)` (double-rounding build, shift >= 0):
 * SaturatingRoundingDoublingHighMul(wrap32(x * 2^shift), m0). The softmax's input rescaling uses it.
 */
export function multiplyByQuantizedMultiplierGreaterThanOne(x: number, m0: number, shift: number): number {
  if (!(shift >= 0 && shift <= 30)) {
    throw new RangeError(`multiplyByQuantizedMultiplierGreaterThanOne: shift must be in [0, 30], got ${shift}`);
  }
  return saturatingRoundingDoublingHighMul(Math.imul(x, 2 ** shift), m0);
}
