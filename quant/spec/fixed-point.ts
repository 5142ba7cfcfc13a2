/**
 * gemmlowp's fixed-point math (fixedpoint/fixedpoint.h, scalar int32 specializations) and TFLite's GetReciprocal
 * (kernels/internal/common.h), as TFLite Micro's int8 softmax uses them. A FixedPoint<int32, k> is its raw int32
 * with value raw / 2^(31 - k) (Qk.(31-k)); the product of two is SaturatingRoundingDoublingHighMul of the raws
 * (quant/spec/multiplier.ts), and their integer bits add. gemmlowp's Add and Sub are plain int32 additions, whose
 * overflow is undefined in C++ and wraps on every target; here they wrap.
 */
import { INT32_MAX, INT32_MIN } from './int32.ts';
import { roundingDivideByPOT, saturatingRoundingDoublingHighMul } from './multiplier.ts';

/**
 * gemmlowp SaturatingRoundingMultiplyByPOT<exponent>: x * 2^exponent; a left shift (exponent > 0) saturates,
 * a right shift rounds to nearest (RoundingDivideByPOT, ties away from zero).
 */
export function saturatingRoundingMultiplyByPOT(x: number, exponent: number): number {
  if (exponent === 0) return x;
  if (exponent < 0) return roundingDivideByPOT(x, -exponent);
  if (exponent > 31) throw new RangeError(`saturatingRoundingMultiplyByPOT: exponent must be at most 31, got ${exponent}`);
  const threshold = 2 ** (31 - exponent) - 1;
  if (x > threshold) return INT32_MAX;
  if (x < -threshold) return INT32_MIN;
  return x * 2 ** exponent;
}

/** gemmlowp Rescale<dstIntegerBits>: the same real value from Q(src) to Q(dst), SaturatingRoundingMultiplyByPOT<src - dst>. */
export function rescale(x: number, srcIntegerBits: number, dstIntegerBits: number): number {
  return saturatingRoundingMultiplyByPOT(x, srcIntegerBits - dstIntegerBits);
}

/** gemmlowp RoundingHalfSum: (a + b) / 2 rounded half away from zero ((sum + sign) / 2, truncating), exact. */
export function roundingHalfSum(a: number, b: number): number {
  const sum = a + b;
  return Math.trunc((sum + (sum >= 0 ? 1 : -1)) / 2) | 0;
}

/** The raw of FixedPoint<int32, k>::One(): INT32_MAX for k = 0 (1 is not representable), else 2^(31 - k). */
export function fixedPointOne(integerBits: number): number {
  return integerBits === 0 ? INT32_MAX : 2 ** (31 - integerBits);
}

/** gemmlowp exp_on_interval_between_negative_one_quarter_and_0_excl: exp(a) for a in [-1/4, 0), Q0.31 in and out. */
export function expOnIntervalBetweenNegativeOneQuarterAnd0Excl(a: number): number {
  const constantTerm = 1895147668; // exp(-1/8) in Q0.31
  const constant1Over3 = 715827883; // 1/3
  // Taylor expansion around -1/8: x = a + 1/8
  const x = (a + (1 << 28)) | 0;
  const x2 = saturatingRoundingDoublingHighMul(x, x);
  const x3 = saturatingRoundingDoublingHighMul(x2, x);
  const x4 = saturatingRoundingDoublingHighMul(x2, x2);
  const x4Over4 = saturatingRoundingMultiplyByPOT(x4, -2);
  const x4Over24PlusX3Over6PlusX2Over2 = saturatingRoundingMultiplyByPOT(
    (saturatingRoundingDoublingHighMul((x4Over4 + x3) | 0, constant1Over3) + x2) | 0,
    -1,
  );
  return (constantTerm + saturatingRoundingDoublingHighMul(constantTerm, (x + x4Over24PlusX3Over6PlusX2Over2) | 0)) | 0;
}

/** gemmlowp's barrel shifter of exp_on_negative_values: exp(-2^e) in Q0.31 for e = -2..4. */
const EXP_BARREL: ReadonlyArray<readonly [number, number]> = [
  [-2, 1672461947],
  [-1, 1302514674],
  [0, 790015084],
  [1, 290630308],
  [2, 39332535],
  [3, 720401],
  [4, 242],
];

/**
 * gemmlowp exp_on_negative_values: exp(a) for a <= 0 given as FixedPoint<int32, integerBits> (raw a), result
 * Q0.31. The fractional quarter goes through the polynomial, each set bit of the rest multiplies by exp(-2^e);
 * a = 0 gives One (INT32_MAX); with more than 5 integer bits, a < -32 gives 0.
 */
export function expOnNegativeValues(a: number, integerBits: number): number {
  if (!(Number.isInteger(integerBits) && integerBits >= 0 && integerBits <= 30)) {
    throw new RangeError(`expOnNegativeValues: integerBits must be in [0, 30], got ${integerBits}`);
  }
  const fractionalBits = 31 - integerBits;
  const oneQuarter = 2 ** (fractionalBits - 2);
  const mask = oneQuarter - 1;
  const aModQuarterMinusOneQuarter = ((a & mask) - oneQuarter) | 0;
  let result = expOnIntervalBetweenNegativeOneQuarterAnd0Excl(rescale(aModQuarterMinusOneQuarter, integerBits, 0));
  const remainder = (aModQuarterMinusOneQuarter - a) | 0;
  for (const [exponent, multiplier] of EXP_BARREL) {
    if (integerBits > exponent) {
      const shiftAmount = fractionalBits + exponent;
      if ((remainder & (1 << shiftAmount)) !== 0) result = saturatingRoundingDoublingHighMul(result, multiplier);
    }
  }
  if (integerBits > 5) {
    const clamp = -(2 ** (36 - integerBits)); // -32 in Q(integerBits)
    if (a < clamp) result = 0;
  }
  return a === 0 ? INT32_MAX : result;
}

/** gemmlowp one_over_one_plus_x_for_x_in_0_1: 1 / (1 + a) for a in [0, 1), Q0.31 in and out (Newton-Raphson, 3 steps). */
export function oneOverOnePlusXForXIn01(a: number): number {
  const halfDenominator = roundingHalfSum(a, INT32_MAX); // (1 + a) / 2, Q0.31
  const constant48Over17 = 1515870810; // Q2.29
  const constantNeg32Over17 = -1010580540; // Q2.29
  const oneQ2 = fixedPointOne(2);
  let x = (constant48Over17 + saturatingRoundingDoublingHighMul(halfDenominator, constantNeg32Over17)) | 0; // Q2.29
  for (let i = 0; i < 3; i++) {
    const halfDenominatorTimesX = saturatingRoundingDoublingHighMul(halfDenominator, x); // Q2.29
    const oneMinusHalfDenominatorTimesX = (oneQ2 - halfDenominatorTimesX) | 0;
    // x * (1 - d x) is Q4.27; Rescale<2> brings it back to Q2.29
    x = (x + rescale(saturatingRoundingDoublingHighMul(x, oneMinusHalfDenominatorTimesX), 4, 2)) | 0;
  }
  // ExactMulByPot<-1> (Q2 -> Q1, same raw), then Rescale<0>
  return rescale(x, 1, 0);
}

/** TFLite CountLeadingZeros of an int32 read as uint32 (32 for 0). */
export function countLeadingZeros(x: number): number {
  return Math.clz32(x);
}

/**
 * TFLite GetReciprocal(x, x_integer_digits, &num_bits_over_unit): 1/x for a positive x in Q(xIntegerDigits), as
 * a Q0.31 raw and the power of two it is short by: x = 2^numBitsOverUnit * (1 + f), value = 1 / (1 + f).
 */
export function getReciprocal(x: number, xIntegerDigits: number): { reciprocal: number; numBitsOverUnit: number } {
  if (!(Number.isInteger(x) && x > 0 && x <= INT32_MAX)) {
    throw new RangeError(`getReciprocal: expected a positive int32, got ${x}`);
  }
  const headroomPlusOne = countLeadingZeros(x);
  const numBitsOverUnit = xIntegerDigits - headroomPlusOne;
  // (uint32(x) << headroom_plus_one) - 2^31: the leading 1 shifted to bit 31, then removed
  const shiftedSumMinusOne = ((x << headroomPlusOne) - 0x80000000) | 0;
  return { reciprocal: oneOverOnePlusXForXIn01(shiftedSumMinusOne), numBitsOverUnit };
}
