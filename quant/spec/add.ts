/**
 * TFLite's int8 ADD: the Prepare of TFLite Micro's add_common.cc (CalculateOpDataAdd; TF 2.9's add.cc computes the
 * same doubles) and reference_integer_ops::AddFunc (TF 2.9's optimized AddElementwise runs the same scalar code on
 * x86; only its NEON path differs). Each input is moved to a common scale with 20 bits of headroom, the two are
 * added, and the sum is rescaled to the output:
 *
 *   twice_max_input_scale  = 2 * max(S1, S2)                         (double, from the float32 scales)
 *   input1 multiplier      = S1 / twice_max_input_scale              (<= 1/2)
 *   input2 multiplier      = S2 / twice_max_input_scale
 *   output multiplier      = twice_max_input_scale / (2^20 * S_out)
 *   each QuantizeMultiplierSmallerThanOneExp (shift <= 0)
 *
 *   v_i      = (x_i - Z_i) * 2^20
 *   scaled_i = MultiplyByQuantizedMultiplierSmallerThanOneExp(v_i, m_i, shift_i)   = RDBPOT(SRDHM(v_i, m_i), -shift_i)
 *   raw      = MultiplyByQuantizedMultiplierSmallerThanOneExp(scaled_1 + scaled_2, m_out, shift_out) + Z_out
 *   y        = min(act_max, max(act_min, raw))
 *
 * Three double roundings (SRDHM ties toward +infinity, RoundingDivideByPOT ties away from zero) in every element.
 */
import { multiplyByQuantizedMultiplierSmallerThanOneExp, quantizeMultiplierSmallerThanOneExp } from './multiplier.ts';

/** TFLite's ArithmeticParams of an int8 ADD (offsets are the negated input zero points, the output's zero point). */
export interface AddParams {
  leftShift: number;
  input1Offset: number;
  input2Offset: number;
  outputOffset: number;
  input1Multiplier: number;
  input1Shift: number;
  input2Multiplier: number;
  input2Shift: number;
  outputMultiplier: number;
  outputShift: number;
  quantizedActivationMin: number;
  quantizedActivationMax: number;
}

/** int8 ADD's left shift (TFLite: 20 for int8, 15 for int16). */
export const ADD_LEFT_SHIFT_INT8 = 20;

interface Quant {
  scale: number;
  zeroPoint: number;
}

function checkQuant(what: string, q: Quant): void {
  if (!(q.scale > 0) || !Number.isFinite(q.scale)) throw new RangeError(`addParams: ${what} scale must be finite and > 0, got ${q.scale}`);
  if (!Number.isInteger(q.zeroPoint) || q.zeroPoint < -128 || q.zeroPoint > 127) {
    throw new RangeError(`addParams: ${what} zero point must be an integer in [-128, 127], got ${q.zeroPoint}`);
  }
}

/** CalculateOpDataAdd for int8: the multipliers and shifts from the three float32 scales; [actMin, actMax] as given. */
export function addParams(input1: Quant, input2: Quant, output: Quant, actMin: number, actMax: number): AddParams {
  checkQuant('input1', input1);
  checkQuant('input2', input2);
  checkQuant('output', output);
  if (!Number.isInteger(actMin) || !Number.isInteger(actMax) || actMin > actMax) {
    throw new RangeError(`addParams: expected integer actMin <= actMax, got [${actMin}, ${actMax}]`);
  }
  const s1 = Math.fround(input1.scale);
  const s2 = Math.fround(input2.scale);
  const sOut = Math.fround(output.scale);
  const leftShift = ADD_LEFT_SHIFT_INT8;
  const twiceMaxInputScale = 2 * Math.max(s1, s2);
  // (1 << 20) * float32 output scale: a float32 product, exact (a power of two)
  const realOutput = twiceMaxInputScale / (2 ** leftShift * sOut);
  if (!(realOutput < 1)) {
    throw new RangeError(`addParams: the output multiplier 2 * max(S1, S2) / (2^20 * S_out) = ${realOutput} must be below 1 (TFLite CHECKs it), scales ${s1}, ${s2}, ${sOut}`);
  }
  const q1 = quantizeMultiplierSmallerThanOneExp(s1 / twiceMaxInputScale);
  const q2 = quantizeMultiplierSmallerThanOneExp(s2 / twiceMaxInputScale);
  const qo = quantizeMultiplierSmallerThanOneExp(realOutput);
  return {
    leftShift,
    input1Offset: -input1.zeroPoint,
    input2Offset: -input2.zeroPoint,
    outputOffset: output.zeroPoint,
    input1Multiplier: q1.m0,
    input1Shift: q1.shift,
    input2Multiplier: q2.m0,
    input2Shift: q2.shift,
    outputMultiplier: qo.m0,
    outputShift: qo.shift,
    quantizedActivationMin: actMin,
    quantizedActivationMax: actMax,
  };
}

/** reference_integer_ops AddFunc: one int8 output from the int8 codes x1, x2. */
export function addElement(x1: number, x2: number, p: AddParams): number {
  const shifted1 = (p.input1Offset + x1) * 2 ** p.leftShift; // |.| <= 255 * 2^20: exact, no wrap
  const shifted2 = (p.input2Offset + x2) * 2 ** p.leftShift;
  const scaled1 = multiplyByQuantizedMultiplierSmallerThanOneExp(shifted1, p.input1Multiplier, p.input1Shift);
  const scaled2 = multiplyByQuantizedMultiplierSmallerThanOneExp(shifted2, p.input2Multiplier, p.input2Shift);
  const rawSum = scaled1 + scaled2; // each |scaled| <= 255 * 2^19: no wrap
  const rawOutput = multiplyByQuantizedMultiplierSmallerThanOneExp(rawSum, p.outputMultiplier, p.outputShift) + p.outputOffset;
  const lo = rawOutput > p.quantizedActivationMin ? rawOutput : p.quantizedActivationMin;
  return lo < p.quantizedActivationMax ? lo : p.quantizedActivationMax;
}
