/**
 * quant/spec add.ts: TFLite's int8 ADD. addElement against a BigInt reference written from the formulas of
 * reference_integer_ops::AddFunc, exact ties worked by hand (RoundingDivideByPOT rounds them away from zero), the
 * Prepare's multipliers by hand, and closeness to the real sum.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { INT32_MAX, INT32_MIN, addElement, addParams, dequantizeMultiplier, quantizeMultiplierSmallerThanOneExp } from '../../quant/spec/index.ts';
import { check } from './fc-helpers.ts';

// ---- BigInt reference (gemmlowp's definitions, independent of quant/spec) ----
function srdhm(a: bigint, b: bigint): bigint {
  if (a === BigInt(INT32_MIN) && b === BigInt(INT32_MIN)) return BigInt(INT32_MAX);
  const ab = a * b;
  const nudge = ab >= 0n ? 1n << 30n : 1n - (1n << 30n);
  const q = (ab + nudge) / (1n << 31n); // BigInt division truncates toward zero, as C++
  return BigInt.asIntN(32, q);
}
function rdbpot(x: bigint, e: number): bigint {
  if (e === 0) return x;
  const mag = ((x < 0n ? -x : x) + (1n << BigInt(e - 1))) >> BigInt(e);
  return x < 0n ? -mag : mag;
}
function refAdd(x1: number, x2: number, p: ReturnType<typeof addParams>): number {
  const ms = (v: bigint, m: number, s: number) => rdbpot(srdhm(v, BigInt(m)), -s);
  const v1 = BigInt(p.input1Offset + x1) << BigInt(p.leftShift);
  const v2 = BigInt(p.input2Offset + x2) << BigInt(p.leftShift);
  const sum = ms(v1, p.input1Multiplier, p.input1Shift) + ms(v2, p.input2Multiplier, p.input2Shift);
  const raw = Number(ms(sum, p.outputMultiplier, p.outputShift)) + p.outputOffset;
  return Math.min(p.quantizedActivationMax, Math.max(p.quantizedActivationMin, raw));
}

const int8 = fc.integer({ min: -128, max: 127 });
const scale = fc.float({ min: Math.fround(1e-4), max: Math.fround(1), noNaN: true });
const tensor = fc.record({ scale, zeroPoint: int8 });

describe('quant/spec ADD (TFLite int8, left shift 20)', () => {
  it('addParams: the multipliers of equal scales, and of an output scale twice the inputs (hand values)', () => {
    const p = addParams({ scale: 1, zeroPoint: 3 }, { scale: 1, zeroPoint: -4 }, { scale: 2, zeroPoint: 5 }, -128, 127);
    // twice_max = 2; inputs 1/2 = (2^30, 0); output 2 / (2^20 * 2) = 2^-20 = (2^30, -19)
    assert.deepEqual(p, {
      leftShift: 20, input1Offset: -3, input2Offset: 4, outputOffset: 5,
      input1Multiplier: 2 ** 30, input1Shift: 0, input2Multiplier: 2 ** 30, input2Shift: 0,
      outputMultiplier: 2 ** 30, outputShift: -19, quantizedActivationMin: -128, quantizedActivationMax: 127,
    });
    const q = addParams({ scale: 0.5, zeroPoint: 0 }, { scale: 0.125, zeroPoint: 0 }, { scale: 0.25, zeroPoint: 0 }, -128, 127);
    // twice_max = 1: input1 1/2 = (2^30, 0), input2 1/8 = (2^30, -2); output 1 / 2^18 = (2^30, -17)
    assert.deepEqual([q.input1Multiplier, q.input1Shift, q.input2Multiplier, q.input2Shift, q.outputMultiplier, q.outputShift], [2 ** 30, 0, 2 ** 30, -2, 2 ** 30, -17]);
  });
  it('exact ties of the output rescale round away from zero (RoundingDivideByPOT), at S_out = 2 S_in', () => {
    // y = (x1 + x2) / 2 exactly before rounding (zero points 0): every odd sum is a tie
    const p = addParams({ scale: 1, zeroPoint: 0 }, { scale: 1, zeroPoint: 0 }, { scale: 2, zeroPoint: 0 }, -128, 127);
    assert.equal(addElement(1, 2, p), 2); // 1.5 -> 2
    assert.equal(addElement(-1, -2, p), -2); // -1.5 -> -2 (ties toward +inf would give -1)
    assert.equal(addElement(-1, 0, p), -1); // -0.5 -> -1
    assert.equal(addElement(1, 0, p), 1); // 0.5 -> 1
    assert.equal(addElement(127, 127, p), 127);
    assert.equal(addElement(-128, -127, p), -128); // -127.5 -> -128
    // the same ties with zero points: (x1 - 3) + (x2 + 4) over 2, plus 5
    const z = addParams({ scale: 1, zeroPoint: 3 }, { scale: 1, zeroPoint: -4 }, { scale: 2, zeroPoint: 5 }, -128, 127);
    assert.equal(addElement(3, -5, z), 5 - 1); // (0 + -1) / 2 = -0.5 -> -1
    assert.equal(addElement(4, -4, z), 5 + 1); // 0.5 -> 1
  });
  it('clamps to the fused activation range with std::max then std::min', () => {
    const p = addParams({ scale: 1, zeroPoint: 0 }, { scale: 1, zeroPoint: 0 }, { scale: 2, zeroPoint: -10 }, -10, 20);
    assert.equal(addElement(-100, -100, p), -10); // -110 -> ReLU at the zero point
    assert.equal(addElement(100, 100, p), 20);
    assert.equal(addElement(10, 12, p), 1);
  });
  it('equals the BigInt reference of AddFunc (property)', () => {
    check(
      'addElement',
      fc.property(tensor, tensor, tensor, int8, int8, (a, b, o, x1, x2) => {
        const maxIn = 2 * Math.max(Math.fround(a.scale), Math.fround(b.scale));
        fc.pre(maxIn / (2 ** 20 * Math.fround(o.scale)) < 1);
        const p = addParams(a, b, o, -128, 127);
        assert.equal(addElement(x1, x2, p), refAdd(x1, x2, p), `x1=${x1} x2=${x2} ${JSON.stringify(p)}`);
      }),
    );
  });
  it('is within one code of the real sum where it does not clamp (property)', () => {
    check(
      'addElement real',
      fc.property(tensor, tensor, tensor, int8, int8, (a, b, o, x1, x2) => {
        const [s1, s2, so] = [Math.fround(a.scale), Math.fround(b.scale), Math.fround(o.scale)];
        fc.pre(s1 / so < 8 && s2 / so < 8);
        const real = (s1 * (x1 - a.zeroPoint) + s2 * (x2 - b.zeroPoint)) / so + o.zeroPoint;
        fc.pre(real > -127 && real < 126);
        const y = addElement(x1, x2, addParams(a, b, o, -128, 127));
        assert.ok(Math.abs(y - real) <= 1, `y=${y} real=${real}`);
      }),
    );
  });
  it('rejects what TFLite CHECKs: an output multiplier of 1 or more, bad zero points, actMin > actMax', () => {
    assert.throws(() => addParams({ scale: 2 ** 20, zeroPoint: 0 }, { scale: 1, zeroPoint: 0 }, { scale: 1, zeroPoint: 0 }, -128, 127), /must be below 1/);
    assert.throws(() => addParams({ scale: 1, zeroPoint: 128 }, { scale: 1, zeroPoint: 0 }, { scale: 1, zeroPoint: 0 }, -128, 127), /input1 zero point/);
    assert.throws(() => addParams({ scale: 1, zeroPoint: 0 }, { scale: 1, zeroPoint: 0 }, { scale: 1, zeroPoint: 0 }, 5, 4), /actMin <= actMax/);
    assert.ok(dequantizeMultiplier(2 ** 30, -19) === 2 ** -20);
    // QuantizeMultiplierSmallerThanOneExp: (0, 1) only, and a mantissa that rounds up to shift 1 fails its CHECK
    assert.deepEqual(quantizeMultiplierSmallerThanOneExp(0.5), { m0: 2 ** 30, shift: 0 });
    assert.throws(() => quantizeMultiplierSmallerThanOneExp(1), /in \(0, 1\)/);
    assert.throws(() => quantizeMultiplierSmallerThanOneExp(0), /in \(0, 1\)/);
    assert.throws(() => quantizeMultiplierSmallerThanOneExp(1 - 2 ** -33), /a shift above 0/);
  });
});
