/**
 * TFLite's int8 AVERAGE_POOL_2D rounding (reference_integer_ops::AveragePool; TF 2.9's optimized AveragePool16,
 * used for windows of at most 16 x 16, computes the same on int16 sums, and larger windows run the reference):
 *
 *   acc = sum of the window's int8 codes over the positions inside the input (filter_count of them)
 *   acc = acc > 0 ? (acc + filter_count / 2) / filter_count : (acc - filter_count / 2) / filter_count
 *   y   = min(act_max, max(act_min, acc))
 *
 * with C++'s integer division, which truncates toward zero (filter_count / 2 included): round half away from
 * zero for an odd count; for an even count a tie also goes away from zero (e.g. 3/2 -> 2, -3/2 -> -2, 5/4 -> 1).
 */

/** One output of the int8 AveragePool: the rounded average of `filterCount` codes summing to `sum`, clamped. */
export function averagePoolElement(sum: number, filterCount: number, actMin: number, actMax: number): number {
  if (!Number.isInteger(filterCount) || filterCount < 1) {
    throw new RangeError(`averagePoolElement: filterCount must be a positive integer, got ${filterCount}`);
  }
  if (!Number.isInteger(sum) || sum < -(2 ** 31) || sum >= 2 ** 31) {
    throw new RangeError(`averagePoolElement: sum must be an int32 (TFLite's int32_t acc), got ${sum}`);
  }
  const half = (filterCount / 2) | 0;
  // `| 0` truncates toward zero as C++ does (and gives 0, not -0); the quotient has |.| < 2^31
  const acc = (sum > 0 ? (sum + half) / filterCount : (sum - half) / filterCount) | 0;
  const lo = acc > actMin ? acc : actMin; // std::max(acc, quantized_activation_min)
  return lo < actMax ? lo : actMax; // std::min(acc, quantized_activation_max)
}
