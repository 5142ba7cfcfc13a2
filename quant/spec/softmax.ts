/**
 * TFLite's int8 SOFTMAX (int8 in; int8 out with zero point -128 and scale 1/256), in its two variants
 * (quant/spec/arithmetic.ts softmaxVariant):
 *
 *  fixed-point (TFLite Micro: softmax_common.cc CalculateSoftmaxParams + reference_ops::Softmax of
 *  reference/softmax.h): the input differences to the row's maximum are rescaled to Q5.26 by beta * S_in, exp'd in
 *  gemmlowp fixed point (quant/spec/fixed-point.ts), summed in Q12.19, and each exp is multiplied by the sum's
 *  reciprocal (GetReciprocal).
 *
 *  float-lut (TFLite 2.9's optimized kernel on x86: activations.cc SoftmaxPrepare ->
 *  optimized_ops::PopulateSoftmaxLookupTable, SoftmaxEval -> optimized_ops::Softmax<int8, int8>): a 256-entry
 *  float32 table of exp, a float32 sum in order, a float32 reciprocal and TfLiteRound. Every float32 operation is
 *  emulated exactly with Math.fround (a double +, *, / of two float32s rounded to float32 is the float32 result),
 *  and the table's expf is glibc's, emulated bit for bit (quant/spec/expf.ts): Math.fround(Math.exp(x)) is the
 *  correctly rounded value and differs from glibc's expf for about 1 input in 10^4, which would move a table
 *  entry by one float32 ulp.
 */
import { INT8_MAX, INT8_MIN } from './int32.ts';
import { multiplyByQuantizedMultiplierGreaterThanOne, quantizeMultiplierGreaterThanOne, roundingDivideByPOT, saturatingRoundingDoublingHighMul } from './multiplier.ts';
import { expOnNegativeValues, getReciprocal, rescale } from './fixed-point.ts';
import { roundHalfAwayFromZero } from './rounding.ts';
import { expf, type ExpfVariant } from './expf.ts';

/** reference/softmax.h kScaledDiffIntegerBits: the scaled differences are Q5.26. */
export const SOFTMAX_SCALED_DIFF_INTEGER_BITS = 5;
/** reference/softmax.h kAccumulationIntegerBits: the sum of exps is Q12.19. */
export const SOFTMAX_ACCUMULATION_INTEGER_BITS = 12;

export interface SoftmaxReferenceParams {
  /** m0 of beta * S_in * 2^26 (QuantizeMultiplierGreaterThanOne). */
  inputMultiplier: number;
  /** Its left shift, >= 0. */
  inputLeftShift: number;
  /** The smallest input difference (x - max) that is exp'd; smaller ones give -128 (-CalculateInputRadius). */
  diffMin: number;
}

/**
 * CalculateSoftmaxParams for int8: PreprocessSoftmaxScaling(beta, S_in, 5) and CalculateInputRadius(5, shift):
 *   real = min(beta * S_in * 2^26, 2^31 - 1)    (double, from float32 beta and S_in; the double-rounding build's cap)
 *   (inputMultiplier, inputLeftShift) = QuantizeMultiplierGreaterThanOne(real)
 *   diffMin = -floor((2^5 - 1) * 2^(31 - 5) / 2^inputLeftShift)
 */
export function softmaxReferenceParams(inputScale: number, beta: number): SoftmaxReferenceParams {
  if (!(inputScale > 0) || !Number.isFinite(inputScale)) throw new RangeError(`softmaxReferenceParams: expected a finite input scale > 0, got ${inputScale}`);
  if (!(beta > 0) || !Number.isFinite(beta)) throw new RangeError(`softmaxReferenceParams: expected a finite beta > 0, got ${beta}`);
  const k = SOFTMAX_SCALED_DIFF_INTEGER_BITS;
  const real = Math.min(Math.fround(beta) * Math.fround(inputScale) * 2 ** (31 - k), 2 ** 31 - 1);
  const q = quantizeMultiplierGreaterThanOne(real);
  const radius = Math.floor((((2 ** k - 1) * 2 ** (31 - k)) / 2 ** q.shift));
  return { inputMultiplier: q.m0, inputLeftShift: q.shift, diffMin: -radius };
}

function rowMax(input: Int8Array): number {
  let m = INT8_MIN;
  for (let c = 0; c < input.length; c++) if ((input[c] as number) > m) m = input[c] as number;
  return m;
}

/** exp(beta * S_in * diff) in Q0.31 for a difference diff >= diffMin: the rescale to Q5.26, then exp_on_negative_values. */
function expOfDiff(diff: number, p: SoftmaxReferenceParams): number {
  const scaledDiff = multiplyByQuantizedMultiplierGreaterThanOne(diff, p.inputMultiplier, p.inputLeftShift);
  return expOnNegativeValues(scaledDiff, SOFTMAX_SCALED_DIFF_INTEGER_BITS);
}

/** reference_ops::Softmax<int8, int8> over one row (the last dimension): output zero point -128, scale 1/256. */
export function softmaxReference(input: Int8Array, p: SoftmaxReferenceParams, output: Int8Array): void {
  if (output.length !== input.length) throw new RangeError(`softmaxReference: output has ${output.length} elements, input ${input.length}`);
  const max = rowMax(input);
  let sumOfExps = 0; // Q12.19
  for (let c = 0; c < input.length; c++) {
    const diff = (input[c] as number) - max;
    if (diff >= p.diffMin) sumOfExps = (sumOfExps + rescale(expOfDiff(diff, p), 0, SOFTMAX_ACCUMULATION_INTEGER_BITS)) | 0;
  }
  const { reciprocal: shiftedScale, numBitsOverUnit } = getReciprocal(sumOfExps, SOFTMAX_ACCUMULATION_INTEGER_BITS);
  const exponent = numBitsOverUnit + 31 - 8;
  if (!(exponent >= 0 && exponent <= 31)) throw new RangeError(`softmaxReference: exponent ${exponent} outside [0, 31] (TFLite CHECKs it)`);
  for (let c = 0; c < input.length; c++) {
    const diff = (input[c] as number) - max;
    if (diff >= p.diffMin) {
      const unsat = roundingDivideByPOT(saturatingRoundingDoublingHighMul(shiftedScale, expOfDiff(diff, p)), exponent);
      const shifted = unsat + INT8_MIN;
      output[c] = shifted > INT8_MAX ? INT8_MAX : shifted < INT8_MIN ? INT8_MIN : shifted;
    } else {
      output[c] = INT8_MIN;
    }
  }
}

/**
 * optimized_ops::PopulateSoftmaxLookupTable: scale = float32(-S_in * beta), table[255 - v] = expf(float32(scale * v))
 * for v = 0..255 (so table[255 - d] is exp(-S_in * beta * d) for a difference d to the row's maximum). expf is
 * glibc's, by default its FMA build (x86-64 with FMA; `exp: 'plain'` for a CPU without).
 */
export function softmaxLookupTable(inputScale: number, beta: number, exp: ExpfVariant = 'fma'): Float32Array {
  if (!(inputScale > 0) || !Number.isFinite(inputScale)) throw new RangeError(`softmaxLookupTable: expected a finite input scale > 0, got ${inputScale}`);
  if (!Number.isFinite(beta)) throw new RangeError(`softmaxLookupTable: expected a finite beta, got ${beta}`);
  const scale = Math.fround(-Math.fround(inputScale) * Math.fround(beta));
  const table = new Float32Array(256);
  for (let v = 0; v <= 255; v++) table[255 - v] = expf(Math.fround(scale * v), exp);
  return table;
}

/**
 * optimized_ops::Softmax<int8, int8> over one row with the table of softmaxLookupTable:
 *   max = the row's maximum; e_j = table[255 - max + x_j]
 *   sum = e_0 + e_1 + ... in float32, in order;  inv = 1 / (sum * S_out) in float32
 *   y_j = clamp(TfLiteRound(e_j * inv) + Z_out, -128, 127)       (roundf: ties away from zero)
 */
export function softmaxFloatLut(input: Int8Array, table: Float32Array, outputScale: number, outputZeroPoint: number, output: Int8Array): void {
  if (table.length !== 256) throw new RangeError(`softmaxFloatLut: expected a 256-entry table, got ${table.length}`);
  if (output.length !== input.length) throw new RangeError(`softmaxFloatLut: output has ${output.length} elements, input ${input.length}`);
  const offset = 255 - rowMax(input);
  let sum = 0;
  for (let j = 0; j < input.length; j++) sum = Math.fround(sum + (table[offset + (input[j] as number)] as number));
  const inv = Math.fround(1 / Math.fround(sum * Math.fround(outputScale)));
  for (let j = 0; j < input.length; j++) {
    const prob = Math.fround((table[offset + (input[j] as number)] as number) * inv);
    const q = roundHalfAwayFromZero(prob) + outputZeroPoint;
    output[j] = q > INT8_MAX ? INT8_MAX : q < INT8_MIN ? INT8_MIN : q;
  }
}
