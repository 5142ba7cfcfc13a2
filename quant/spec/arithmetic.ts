/**
 * The two named arithmetic targets of an imported TFLite model: which rounding each kernel uses and which softmax.
 *
 *  tflite-reference: TFLite Micro's reference kernels (what a microcontroller deployment computes): gemmlowp's
 *    double rounding (`MultiplyByQuantizedMultiplier`, RoundingDivideByPOT ties away from zero) in CONV_2D,
 *    DEPTHWISE_CONV_2D and FULLY_CONNECTED, and the fixed-point int8 softmax of reference/softmax.h.
 *  tflite-runtime: TFLite 2.9.0's optimized x86 kernels (npm tfjs-tflite-node, the runtime the project is checked
 *    against): CONV_2D and FULLY_CONNECTED go through ruy (AVX2), whose right shift rounds ties toward +infinity
 *    ('ruy'); DEPTHWISE_CONV_2D keeps the reference's double rounding; SOFTMAX is the optimized kernel's float
 *    lookup table (optimized_ops PopulateSoftmaxLookupTable + Softmax<int8, int8>).
 *
 * ADD and AVERAGE_POOL_2D compute the same integers in both targets (quant/spec add.ts, average-pool.ts).
 */
import type { RoundingMode } from './multiplier.ts';

export const ARITHMETIC_TARGETS = ['tflite-reference', 'tflite-runtime'] as const;
export type ArithmeticTarget = (typeof ARITHMETIC_TARGETS)[number];

/** The kernels that multiply by weights and requantize an int32 accumulator. */
export type MacKind = 'conv2d' | 'dense' | 'depthwise2d';

/** The requantizer rounding a MAC kernel uses in a target. */
export function macRounding(target: ArithmeticTarget, kind: MacKind): RoundingMode {
  switch (target) {
    case 'tflite-reference':
      return 'double';
    case 'tflite-runtime':
      // ruy serves CONV_2D (im2col + GEMM) and FULLY_CONNECTED; the optimized depthwise kernels apply
      // MultiplyByQuantizedMultiplier with the reference's RoundingDivideByPOT
      return kind === 'depthwise2d' ? 'double' : 'ruy';
  }
}

export type SoftmaxVariant = 'fixed-point' | 'float-lut';

/** Which int8 softmax a target computes: TFLite Micro's fixed-point one, or TFLite's float lookup table. */
export function softmaxVariant(target: ArithmeticTarget): SoftmaxVariant {
  switch (target) {
    case 'tflite-reference':
      return 'fixed-point';
    case 'tflite-runtime':
      return 'float-lut';
  }
}
