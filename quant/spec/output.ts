/**
 * The output stage of every layer, in the order the hardware does it:
 *   x = wrap32(acc + bias)                      (bias already holds the folded input zero point)
 *   y = multiplyByQuantizedMultiplier(x, m0, shift, mode)
 *   q = clamp(y + zOut, actMin, actMax)         (exact: y + zOut is never wrapped)
 * A fused ReLU is nothing but actMin = zOut. The result fits in int8 when [actMin, actMax] does.
 */
import { multiplyByQuantizedMultiplier, type RoundingMode } from './multiplier.ts';

export function outputStage(y: number, zeroPoint: number, actMin: number, actMax: number): number {
  const v = y + zeroPoint;
  return v < actMin ? actMin : v > actMax ? actMax : v;
}

export function requantize(
  acc: number,
  bias: number,
  m0: number,
  shift: number,
  zeroPoint: number,
  actMin: number,
  actMax: number,
  mode: RoundingMode,
): number {
  const y = multiplyByQuantizedMultiplier((acc + bias) | 0, m0, shift, mode);
  return outputStage(y, zeroPoint, actMin, actMax);
}
