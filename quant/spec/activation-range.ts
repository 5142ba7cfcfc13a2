/**
 * TFLite `CalculateActivationRangeQuantized` (tensorflow/lite/kernels/kernel_util.cc): the int8 clamp a fused
 * activation becomes. Each real bound r (0, 6, -1, 1) is quantized in float32 as TFLite's local `Quantize` does,
 *     q = zero_point + int(TfLiteRound(float(r) / scale))          (a float32 division, rounded half away from zero)
 * and act_min = max(qmin, q_low), act_max = min(qmax, q_high) (std::max / std::min, not a clamp of both):
 *     NONE: [qmin, qmax];  RELU: [max(qmin, zp), qmax];  RELU6: [max(qmin, zp), min(qmax, q(6))];
 *     RELU_N1_TO_1: [max(qmin, q(-1)), min(qmax, q(1))].
 * The float32 division matters: 6 / float32(0.8) is 7.4999998.. in double but exactly 7.5 in float32, which rounds to 8.
 */
import { roundHalfAwayFromZero } from './rounding.ts';

export const FUSED_ACTIVATIONS = ['NONE', 'RELU', 'RELU6', 'RELU_N1_TO_1'] as const;
export type FusedActivation = (typeof FUSED_ACTIVATIONS)[number];

/** TFLite's `Quantize` of kernel_util.cc: zero_point + TfLiteRound(f / scale) in float32; refuses an int32 overflow. */
function quantizeBound(r: number, scale: number, zeroPoint: number): number {
  const t = roundHalfAwayFromZero(Math.fround(r / scale)); // float32 f / scale, then roundf (exact on a float32)
  if (!(t >= -(2 ** 31) && t <= 2 ** 31 - 1)) {
    throw new RangeError(`activationRange: ${r} / scale ${scale} = ${t} does not fit in int32 (TFLite refuses it too)`);
  }
  return zeroPoint + t;
}

export function activationRange(fused: FusedActivation, scale: number, zeroPoint: number, qmin = -128, qmax = 127): { actMin: number; actMax: number } {
  if (!(scale > 0) || !Number.isFinite(scale)) throw new RangeError(`activationRange: expected a finite scale > 0, got ${scale}`);
  if (!Number.isInteger(zeroPoint)) throw new RangeError(`activationRange: expected an integer zero point, got ${zeroPoint}`);
  const s = Math.fround(scale);
  switch (fused) {
    case 'NONE':
      return { actMin: qmin, actMax: qmax };
    case 'RELU':
      return { actMin: Math.max(qmin, quantizeBound(0, s, zeroPoint)), actMax: qmax };
    case 'RELU6':
      return { actMin: Math.max(qmin, quantizeBound(0, s, zeroPoint)), actMax: Math.min(qmax, quantizeBound(6, s, zeroPoint)) };
    case 'RELU_N1_TO_1':
      return { actMin: Math.max(qmin, quantizeBound(-1, s, zeroPoint)), actMax: Math.min(qmax, quantizeBound(1, s, zeroPoint)) };
    default:
      throw new RangeError(`activationRange: expected one of ${FUSED_ACTIVATIONS.join(', ')}, got ${String(fused)}`);
  }
}
