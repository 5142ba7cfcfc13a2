/**
 * The requantization multipliers TFLite derives from a MAC layer's float32 scales at Prepare time.
 *
 *  effectiveOutputScale: `PopulateConvolutionQuantizationParams` (tensorflow/lite/kernels/kernel_util.cc, the same
 *    code in TF 2.9 and in TFLite Micro), the per-channel loop that CONV_2D and DEPTHWISE_CONV_2D use for every
 *    int8 model (a per-tensor filter scale is broadcast over the channels) and TFLite Micro uses for a per-channel
 *    FULLY_CONNECTED:
 *        effective_output_scale = double(input_scale) * double(filter_scale) / double(output_scale)
 *    two double roundings, the product first; no float32 product.
 *  getQuantizedConvolutionMultiplier: `GetQuantizedConvolutionMultipler` (sic, kernel_util.cc), what a per-tensor
 *    FULLY_CONNECTED uses, in TF 2.9 (fully_connected.cc Prepare; 2.9 has no per-channel FULLY_CONNECTED) and in
 *    TFLite Micro (fully_connected_common.cc):
 *        input_product_scale = double(float(input_scale * filter_scale))   <- a float32 product
 *        multiplier = input_product_scale / double(output_scale)
 *    The float32 product can round differently from the double one, and then m0 differs (test/quant/conv-params).
 *
 * macMultipliers picks the right one for a MAC kernel in a target (and TF 2.9's per-channel FULLY_CONNECTED, which
 * has no per-channel kernel: it reads the filter's per-tensor scale, 0 for a multi-scale tensor, so m0 = 0).
 *
 * The scales are float32 in the file; every input is taken through Math.fround first (a no-op for a value read
 * from a float32 field), so that a caller holding a wider double still gets TFLite's bits. Math.fround(a * b) of
 * two float32s is the float32 product exactly (the double product of two 24-bit significands is exact).
 */
import type { ArithmeticTarget, MacKind } from './arithmetic.ts';
import { quantizeMultiplier } from './multiplier.ts';

function checkScale(what: string, s: number): number {
  if (!(s > 0) || !Number.isFinite(s)) throw new RangeError(`${what}: expected a finite scale > 0, got ${s}`);
  return Math.fround(s);
}

/** PopulateConvolutionQuantizationParams: double(S_in) * double(S_w) / double(S_out), from float32 scales. */
export function effectiveOutputScale(inputScale: number, filterScale: number, outputScale: number): number {
  const sIn = checkScale('effectiveOutputScale input scale', inputScale);
  const sW = checkScale('effectiveOutputScale filter scale', filterScale);
  const sOut = checkScale('effectiveOutputScale output scale', outputScale);
  return (sIn * sW) / sOut;
}

/** GetQuantizedConvolutionMultipler: double(float32(S_in * S_w)) / double(S_out) (per-tensor FULLY_CONNECTED). */
export function getQuantizedConvolutionMultiplier(inputScale: number, filterScale: number, outputScale: number): number {
  const sIn = checkScale('getQuantizedConvolutionMultiplier input scale', inputScale);
  const sW = checkScale('getQuantizedConvolutionMultiplier filter scale', filterScale);
  const sOut = checkScale('getQuantizedConvolutionMultiplier output scale', outputScale);
  return Math.fround(sIn * sW) / sOut;
}

/**
 * The per-channel (m0, shift) of PopulateConvolutionQuantizationParams: QuantizeMultiplier(effectiveOutputScale)
 * for each filter scale (one scale: the per-tensor case, one pair).
 */
export function perChannelMultipliers(inputScale: number, filterScales: ArrayLike<number>, outputScale: number): { multiplier: Int32Array; shift: Int32Array } {
  const n = filterScales.length;
  if (n === 0) throw new RangeError('perChannelMultipliers: expected at least one filter scale, got none');
  const multiplier = new Int32Array(n);
  const shift = new Int32Array(n);
  for (let c = 0; c < n; c++) {
    const q = quantizeMultiplier(effectiveOutputScale(inputScale, filterScales[c] as number, outputScale));
    multiplier[c] = q.m0;
    shift[c] = q.shift;
  }
  return { multiplier, shift };
}

/**
 * The (m0, shift) per output channel a MAC kernel uses in a target, from the float32 scales (`filterScales`: one
 * per-tensor scale, or one per channel; `channels` output channels):
 *   CONV_2D, DEPTHWISE_CONV_2D: perChannelMultipliers (a per-tensor scale broadcast), both targets;
 *   FULLY_CONNECTED, one scale: QuantizeMultiplier(getQuantizedConvolutionMultiplier), broadcast, both targets;
 *   FULLY_CONNECTED, per channel: tflite-reference per channel (TFLite Micro); tflite-runtime (0, 0) everywhere,
 *     what TF 2.9 computes (its FULLY_CONNECTED reads the per-tensor scale, which a per-channel tensor leaves 0:
 *     every output is the output zero point; checked on the runtime).
 */
export function macMultipliers(
  target: ArithmeticTarget,
  kind: MacKind,
  inputScale: number,
  filterScales: ArrayLike<number>,
  outputScale: number,
  channels: number = filterScales.length,
): { multiplier: Int32Array; shift: Int32Array } {
  const n = filterScales.length;
  if (!(n === 1 || n === channels) || !Number.isInteger(channels) || channels < 1) {
    throw new RangeError(`macMultipliers: expected 1 or ${channels} filter scales for ${channels} channels, got ${n}`);
  }
  const multiplier = new Int32Array(channels);
  const shift = new Int32Array(channels);
  if (kind === 'dense' && n > 1 && target === 'tflite-runtime') return { multiplier, shift };
  if (kind === 'dense' && n === 1) {
    const q = quantizeMultiplier(getQuantizedConvolutionMultiplier(inputScale, filterScales[0] as number, outputScale));
    return { multiplier: multiplier.fill(q.m0), shift: shift.fill(q.shift) };
  }
  const per = perChannelMultipliers(inputScale, filterScales, outputScale);
  for (let c = 0; c < channels; c++) {
    multiplier[c] = per.multiplier[n === 1 ? 0 : c] as number;
    shift[c] = per.shift[n === 1 ? 0 : c] as number;
  }
  return { multiplier, shift };
}

