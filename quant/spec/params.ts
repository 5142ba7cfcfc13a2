/**
 * Choosing quantization parameters (the conventions every stage shares):
 *  - weights: symmetric, per output channel, narrow range [-(2^(b-1) - 1), 2^(b-1) - 1], zero point 0;
 *  - activations: asymmetric, per tensor, full range [-2^(b-1), 2^(b-1) - 1], integer zero point inside it;
 *  - bias: int32 at scale S_in * S_w[c], zero point 0;
 *  - bit widths 2..8, always carried in int8 containers;
 *  - for the array, the input zero point is folded into the bias: bias'[c] = bias[c] - Z_in * sum_k w[k][c].
 * Float-to-integer conversions round half away from zero (std::round), as TFLite's converter does.
 */
import { INT32_MAX, INT32_MIN } from './int32.ts';
import { roundHalfAwayFromZero } from './rounding.ts';

export const BITS_MIN = 2;
export const BITS_MAX = 8;

export interface IntRange {
  qmin: number;
  qmax: number;
}

function checkBits(bits: number): void {
  if (!Number.isInteger(bits) || bits < BITS_MIN || bits > BITS_MAX) {
    throw new RangeError(`bit width must be an integer in [${BITS_MIN}, ${BITS_MAX}], got ${bits}`);
  }
}

/** Integer range of a b-bit signed value; narrow drops the most negative code (symmetric weights). */
export function intRange(bits: number, narrow: boolean): IntRange {
  checkBits(bits);
  const half = 2 ** (bits - 1);
  return { qmin: narrow ? -half + 1 : -half, qmax: half - 1 };
}

export interface AffineParams {
  scale: number;
  zeroPoint: number;
  qmin: number;
  qmax: number;
}

/** Symmetric narrow-range weight parameters for one output channel whose largest |w| is maxAbs. */
export function weightParams(maxAbs: number, bits: number): AffineParams {
  const { qmin, qmax } = intRange(bits, true);
  if (!(maxAbs >= 0) || !Number.isFinite(maxAbs)) {
    throw new RangeError(`weightParams: expected a finite max |w| >= 0, got ${maxAbs}`);
  }
  // An all-zero channel still needs a positive scale; its codes are all 0 whatever the scale.
  const scale = maxAbs > 0 ? maxAbs / qmax : 1;
  return { scale, zeroPoint: 0, qmin, qmax };
}

/**
 * Asymmetric activation parameters for an observed [min, max]: the range is widened to hold 0, then the zero point
 * is nudged to an integer inside [qmin, qmax] (as TF's FakeQuant nudging does), so that real 0 is exact.
 */
export function activationParams(min: number, max: number, bits: number): AffineParams {
  const { qmin, qmax } = intRange(bits, false);
  if (!Number.isFinite(min) || !Number.isFinite(max) || min > max) {
    throw new RangeError(`activationParams: expected finite min <= max, got [${min}, ${max}]`);
  }
  const lo = Math.min(min, 0);
  const hi = Math.max(max, 0);
  if (hi === lo) return { scale: 1, zeroPoint: qmin < 0 && qmax >= 0 ? 0 : qmin, qmin, qmax };
  const scale = (hi - lo) / (qmax - qmin);
  const zpReal = qmin - lo / scale;
  const zeroPoint = Math.min(qmax, Math.max(qmin, roundHalfAwayFromZero(zpReal)));
  return { scale, zeroPoint, qmin, qmax };
}

/** Quantizes one real value: clamp(round(r / scale) + zeroPoint, qmin, qmax). */
export function quantizeValue(r: number, p: AffineParams): number {
  const q = roundHalfAwayFromZero(r / p.scale) + p.zeroPoint;
  return q < p.qmin ? p.qmin : q > p.qmax ? p.qmax : q;
}

/** The real value of a code. */
export function dequantizeValue(q: number, p: Pick<AffineParams, 'scale' | 'zeroPoint'>): number {
  return (q - p.zeroPoint) * p.scale;
}

/** An int32 bias at scale inputScale * weightScale, saturated to int32. */
export function quantizeBias(bias: number, inputScale: number, weightScale: number): number {
  const q = roundHalfAwayFromZero(bias / (inputScale * weightScale));
  return q < INT32_MIN ? INT32_MIN : q > INT32_MAX ? INT32_MAX : q;
}

/** The real multiplier of a layer's output channel: S_in * S_w[c] / S_out. */
export function effectiveScale(inputScale: number, weightScale: number, outputScale: number): number {
  return (inputScale * weightScale) / outputScale;
}

/**
 * Folds the input zero point into the bias for an array that multiplies raw int8 codes:
 *   sum_k (x_k - Z_in) w[k][c] + b[c]  ==  sum_k x_k w[k][c] + (b[c] - Z_in * sum_k w[k][c])   (mod 2^32)
 * weights are [K, N] row-major (k outer). Returns the new int32 biases.
 */
export function foldInputZeroPoint(bias: Int32Array, weights: Int8Array, k: number, n: number, inputZeroPoint: number): Int32Array {
  if (bias.length !== n || weights.length !== k * n) {
    throw new RangeError(`foldInputZeroPoint: expected bias [${n}] and weights [${k}, ${n}], got bias [${bias.length}] and ${weights.length} weights`);
  }
  const out = new Int32Array(n);
  for (let c = 0; c < n; c++) {
    let sum = 0;
    for (let i = 0; i < k; i++) sum = (sum + (weights[i * n + c] as number)) | 0;
    out[c] = ((bias[c] as number) - Math.imul(inputZeroPoint, sum)) | 0;
  }
  return out;
}

/**
 * The largest K for which sum_k a_k w_k + bias cannot wrap int32, given the largest |a*w| (16384 for int8 x int8,
 * 16256 with narrow-range weights) and the largest |bias|.
 */
export function maxSafeK(maxAbsProduct = 16384, maxAbsBias = 0): number {
  return Math.floor((INT32_MAX - maxAbsBias) / maxAbsProduct);
}
