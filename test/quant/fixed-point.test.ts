/**
 * quant/spec fixed-point.ts: gemmlowp's fixed-point helpers and TFLite's GetReciprocal. The primitives against
 * BigInt references; the functions against exact values that gemmlowp's fixedpoint.h and TFLite Micro's
 * GetReciprocal give (compiled from their sources for these vectors), and against Math.exp / division within the
 * accuracy gemmlowp documents.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  INT32_MAX,
  INT32_MIN,
  countLeadingZeros,
  expOnNegativeValues,
  getReciprocal,
  oneOverOnePlusXForXIn01,
  rescale,
  roundingHalfSum,
  saturatingRoundingMultiplyByPOT,
} from '../../quant/spec/index.ts';
import { check } from './fc-helpers.ts';

const int32 = fc.integer({ min: INT32_MIN, max: INT32_MAX });
const sat32 = (v: bigint): number => Number(v < BigInt(INT32_MIN) ? BigInt(INT32_MIN) : v > BigInt(INT32_MAX) ? BigInt(INT32_MAX) : v);
function refRdbpot(x: number, e: number): number {
  if (e === 0) return x;
  const mag = (BigInt(Math.abs(x)) + (1n << BigInt(e - 1))) >> BigInt(e);
  return Number(x < 0 ? -mag : mag);
}

describe('quant/spec fixed point (gemmlowp)', () => {
  it('SaturatingRoundingMultiplyByPOT: a saturating left shift, a rounding right shift (property, BigInt)', () => {
    check(
      'saturatingRoundingMultiplyByPOT',
      fc.property(int32, fc.integer({ min: -31, max: 31 }), (x, e) => {
        const want = e >= 0 ? sat32(BigInt(x) << BigInt(e)) : refRdbpot(x, -e);
        assert.equal(saturatingRoundingMultiplyByPOT(x, e), want, `x=${x} e=${e}`);
      }),
    );
    assert.equal(saturatingRoundingMultiplyByPOT(2 ** 29, 2), INT32_MAX); // 2^31 saturates
    assert.equal(saturatingRoundingMultiplyByPOT(-(2 ** 29), 2), INT32_MIN);
    assert.equal(saturatingRoundingMultiplyByPOT(-3, -1), -2); // -1.5 away from zero
    assert.equal(rescale(1 << 20, 0, 12), 1 << 8); // Q0.31 -> Q12.19
  });
  it('RoundingHalfSum: (a + b) / 2 rounded half away from zero (property, BigInt)', () => {
    check(
      'roundingHalfSum',
      fc.property(int32, int32, (a, b) => {
        const s = BigInt(a) + BigInt(b);
        assert.equal(roundingHalfSum(a, b), Number((s + (s >= 0n ? 1n : -1n)) / 2n), `a=${a} b=${b}`);
      }),
    );
    assert.equal(roundingHalfSum(INT32_MAX, INT32_MAX), INT32_MAX);
    assert.equal(roundingHalfSum(0, INT32_MAX), 2 ** 30);
  });
  it('exp_on_negative_values: the values gemmlowp gives (Q5.26 and Q0.31 inputs)', () => {
    const q5: Array<[number, number]> = [[0, 2147483647], [-1, 2147483124], [-(2 ** 26), 790015308], [-(2 ** 24), 1672462419], [INT32_MIN, 0], [-1000000000, 725]];
    for (const [a, want] of q5) assert.equal(expOnNegativeValues(a, 5), want, `Q5.26 ${a}`);
    const q0: Array<[number, number]> = [[-1, 2147483155], [-(2 ** 29), 1672462419], [INT32_MIN, 790015308]];
    for (const [a, want] of q0) assert.equal(expOnNegativeValues(a, 0), want, `Q0.31 ${a}`);
  });
  it('exp_on_negative_values is within 3e-7 of exp and monotone (property)', () => {
    check(
      'expOnNegativeValues',
      fc.property(fc.integer({ min: INT32_MIN, max: 0 }), fc.integer({ min: 0, max: 2 ** 20 }), (a, d) => {
        const y = expOnNegativeValues(a, 5);
        assert.ok(Math.abs(y / 2 ** 31 - Math.exp(a / 2 ** 26)) < 3e-7, `a=${a}: ${y}`);
        assert.ok(expOnNegativeValues(Math.max(INT32_MIN, a - d), 5) <= y, `monotone at a=${a}, d=${d}`);
      }),
    );
  });
  it('one_over_one_plus_x_for_x_in_0_1: gemmlowp values, and within 1e-8 of 1 / (1 + x) (property)', () => {
    assert.equal(oneOverOnePlusXForXIn01(0), 2147483647);
    assert.equal(oneOverOnePlusXForXIn01(2 ** 30), 1431655762);
    assert.equal(oneOverOnePlusXForXIn01(INT32_MAX), 1073741820);
    check(
      'oneOverOnePlusXForXIn01',
      fc.property(fc.integer({ min: 0, max: INT32_MAX }), (a) => {
        assert.ok(Math.abs(oneOverOnePlusXForXIn01(a) / 2 ** 31 - 1 / (1 + a / 2 ** 31)) < 1e-8, `a=${a}`);
      }),
    );
  });
  it('GetReciprocal: TFLite values, and reciprocal * 2^-numBitsOverUnit * x = 1 within 1e-8 (property)', () => {
    assert.deepEqual(getReciprocal(2 ** 20, 12), { reciprocal: 2147483647, numBitsOverUnit: 1 });
    assert.deepEqual(getReciprocal(1, 12), { reciprocal: 2147483647, numBitsOverUnit: -19 });
    assert.deepEqual(getReciprocal(INT32_MAX, 12), { reciprocal: 1073741820, numBitsOverUnit: 11 });
    assert.deepEqual(getReciprocal(3000000, 12), { reciprocal: 1501199874, numBitsOverUnit: 2 });
    check(
      'getReciprocal',
      fc.property(fc.integer({ min: 1, max: INT32_MAX }), (x) => {
        const { reciprocal, numBitsOverUnit } = getReciprocal(x, 12);
        assert.ok(Math.abs((reciprocal / 2 ** 31) * 2 ** -numBitsOverUnit * (x / 2 ** 19) - 1) < 1e-8, `x=${x}`);
      }),
    );
    assert.throws(() => getReciprocal(0, 12), /positive int32/);
  });
  it('CountLeadingZeros of the uint32', () => {
    assert.deepEqual([0, 1, 2 ** 20, INT32_MAX, -1].map(countLeadingZeros), [32, 31, 11, 1, 0]);
  });
});
