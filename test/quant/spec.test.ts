/**
 * quant/spec: worked-by-hand vectors for every corner of the arithmetic (docs/SPEC.md), then seeded property tests
 * of the three requantization modes against a BigInt reference written here from the formulas, over the whole int32
 * range. Seed: FC_SEED env var, else a fixed one; it is printed on failure.
 */
import assert from 'node:assert/strict';
import { Rng } from '../../quant/random.ts';
import fc from 'fast-check';
import {
  INT32_MAX,
  INT32_MIN,
  M0_MAX,
  M0_MIN,
  SHIFT_MAX,
  SHIFT_MIN,
  dequantizeMultiplier,
  foldInputZeroPoint,
  mac,
  maxSafeK,
  multiplyByQuantizedMultiplier,
  outputStage,
  quantizeMultiplier,
  requantize,
  roundHalfAwayFromZero,
  roundHalfToEven,
  roundHalfUp,
  roundingDivideByPOT,
  saturatingRoundingDoublingHighMul,
  type RoundingMode,
} from '../../quant/spec/index.ts';
import { check as checkSeeded, ratio, runsOr } from './fc-helpers.ts';

const RUNS = runsOr(30000);
/** The suite's seeded check, RUNS runs unless told. */
const check = <T>(name: string, prop: fc.IProperty<T>, numRuns = RUNS): void => checkSeeded(name, prop, numRuns);

// ---------------------------------------------------------------------------------------------------------------
// BigInt reference, written from the formulas of docs/SPEC.md (not from the implementation).
const B_MIN = BigInt(INT32_MIN);
const B_MAX = BigInt(INT32_MAX);

function sat32(v: bigint): number {
  return Number(v < B_MIN ? B_MIN : v > B_MAX ? B_MAX : v);
}

/** single: sat32(floor((x*m0 + 2^(t-1)) / 2^t)), t = 31 - shift. BigInt >> is a floor. */
function refSingle(x: number, m0: number, shift: number): number {
  const t = BigInt(31 - shift);
  return sat32((BigInt(x) * BigInt(m0) + (1n << (t - 1n))) >> t);
}

/** SRDHM: round-half-up of a*b / 2^31 (gemmlowp's nudge-then-truncate is exactly this), MIN*MIN saturates. */
function refSrdhm(a: number, b: number): number {
  if (a === INT32_MIN && b === INT32_MIN) return INT32_MAX;
  return Number((BigInt(a) * BigInt(b) + (1n << 30n)) >> 31n);
}

/** x / 2^r rounded to nearest, ties away from zero. */
function refRdbpot(x: number, r: number): number {
  if (r === 0) return x;
  const mag = (BigInt(Math.abs(x)) + (1n << BigInt(r - 1))) >> BigInt(r);
  return Number(x < 0 ? -mag : mag);
}

/** double: RDBPOT(SRDHM(wrap32(x * 2^l), m0), r), l = max(shift, 0), r = max(-shift, 0). */
function refDouble(x: number, m0: number, shift: number): number {
  const l = Math.max(shift, 0);
  const r = Math.max(-shift, 0);
  const xl = Number(BigInt.asIntN(32, BigInt(x) << BigInt(l)));
  return refRdbpot(refSrdhm(xl, m0), r);
}

/** ruy: floor((SRDHM(wrap32(x * 2^l), m0) + 2^(r-1)) / 2^r), ties toward +infinity (BigInt >> floors). */
function refRuy(x: number, m0: number, shift: number): number {
  const l = Math.max(shift, 0);
  const r = Math.max(-shift, 0);
  const t = BigInt(refSrdhm(Number(BigInt.asIntN(32, BigInt(x) << BigInt(l))), m0));
  return r === 0 ? Number(t) : Number((t + (1n << BigInt(r - 1))) >> BigInt(r));
}

const ref: Record<RoundingMode, (x: number, m0: number, s: number) => number> = { single: refSingle, double: refDouble, ruy: refRuy };

// Generators that hit the corners often and the whole range otherwise.
const int32 = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: INT32_MIN, max: INT32_MAX }) },
  { weight: 2, arbitrary: fc.integer({ min: -70000, max: 70000 }) },
  { weight: 2, arbitrary: fc.integer({ min: -(2 ** 21), max: 2 ** 21 }) },
  { weight: 2, arbitrary: fc.constantFrom(INT32_MIN, INT32_MIN + 1, -1, 0, 1, INT32_MAX - 1, INT32_MAX, 2 ** 30, -(2 ** 30)) },
  // both sides of the double-precision fast path's bound |x| < 2^21 (quant/spec/multiplier.ts)
  { weight: 2, arbitrary: fc.integer({ min: 2 ** 21 - 4, max: 2 ** 21 + 4 }).chain((v) => fc.constantFrom(v, -v)) },
);
const m0s = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: M0_MIN, max: M0_MAX }) },
  { weight: 2, arbitrary: fc.constantFrom(0, M0_MIN, M0_MIN + 1, M0_MAX) },
);
const shifts = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: SHIFT_MIN, max: SHIFT_MAX }) },
  { weight: 2, arbitrary: fc.constantFrom(SHIFT_MIN, -1, 0, 1, SHIFT_MAX) },
);

describe('quant/spec', () => {
  describe('rounding of reals', () => {
    const justBelowHalf = 0.49999999999999994; // the largest double below 1/2; x + 0.5 rounds to 1 in floating point
    it('roundHalfAwayFromZero is std::round, also where floor(x + 0.5) is wrong', () => {
      assert.equal(roundHalfAwayFromZero(2.5), 3);
      assert.equal(roundHalfAwayFromZero(-2.5), -3);
      assert.equal(roundHalfAwayFromZero(0.5), 1);
      assert.equal(roundHalfAwayFromZero(-0.5), -1);
      assert.equal(roundHalfAwayFromZero(justBelowHalf), 0);
      assert.equal(roundHalfAwayFromZero(-justBelowHalf), 0);
      assert.ok(Object.is(roundHalfAwayFromZero(-0.2), 0), 'no negative zero');
      assert.equal(roundHalfAwayFromZero(2 ** 52 + 1), 2 ** 52 + 1);
      assert.equal(roundHalfAwayFromZero(-(2 ** 52 + 1)), -(2 ** 52 + 1));
      assert.equal(roundHalfAwayFromZero(1.4999999999999998), 1);
      assert.equal(roundHalfAwayFromZero(4503599627370495.5), 4503599627370496); // 2^52 - 0.5: a tie
    });
    it('roundHalfUp ties toward +infinity, roundHalfToEven to even', () => {
      assert.equal(roundHalfUp(2.5), 3);
      assert.equal(roundHalfUp(-2.5), -2);
      assert.equal(roundHalfUp(justBelowHalf), 0);
      assert.equal(roundHalfUp(-justBelowHalf), 0);
      assert.equal(roundHalfUp(2 ** 52 + 1), 2 ** 52 + 1);
      assert.equal(roundHalfToEven(2.5), 2);
      assert.equal(roundHalfToEven(3.5), 4);
      assert.equal(roundHalfToEven(-2.5), -2);
      assert.equal(roundHalfToEven(justBelowHalf), 0);
    });
    it('roundHalfAwayFromZero agrees with an exact rational reference (property)', () => {
      check(
        'roundHalfAwayFromZero',
        fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -(2 ** 60), max: 2 ** 60 }), (x) => {
          // exact: compare 2|x| with 2 floor|x| + 1 using BigInt on the double's exact binary value
          const a = Math.abs(x);
          const f = Math.floor(a);
          const { num, den } = ratio(a - 0); // a = num / den exactly
          const twiceFrac = 2n * num - 2n * BigInt(f) * den; // 2 (a - f) * den
          const want = twiceFrac >= den ? f + 1 : f;
          assert.equal(roundHalfAwayFromZero(x), x < 0 ? 0 - want : want, String(x));
        }),
      );
    });
  });

  describe('quantizeMultiplier (TFLite QuantizeMultiplier)', () => {
    it('frexp then round the mantissa to Q0.31', () => {
      assert.deepEqual(quantizeMultiplier(0.5), { m0: 2 ** 30, shift: 0 });
      assert.deepEqual(quantizeMultiplier(1), { m0: 2 ** 30, shift: 1 });
      assert.deepEqual(quantizeMultiplier(0.75), { m0: 3 * 2 ** 29, shift: 0 });
      assert.deepEqual(quantizeMultiplier(0.1), { m0: 1717986918, shift: -3 }); // 0.8 * 2^31 = 1717986918.4
      assert.deepEqual(quantizeMultiplier(0), { m0: 0, shift: 0 });
    });
    it('rounds an exact mantissa tie half away from zero', () => {
      // q = 0.5 + 2^-32: q * 2^31 = 2^30 + 0.5 exactly -> 2^30 + 1
      assert.deepEqual(quantizeMultiplier(0.5 + 2 ** -32), { m0: 2 ** 30 + 1, shift: 0 });
      // q * 2^31 = 2^30 + 2.5 exactly -> 2^30 + 3 (ties-to-even would give 2^30 + 2)
      assert.deepEqual(quantizeMultiplier(0.5 + 5 * 2 ** -32), { m0: 2 ** 30 + 3, shift: 0 });
    });
    it('turns a mantissa that rounds up to 2^31 into (2^30, shift + 1)', () => {
      assert.deepEqual(quantizeMultiplier(1 - 2 ** -33), { m0: 2 ** 30, shift: 1 }); // q*2^31 = 2^31 - 0.25
      assert.deepEqual(quantizeMultiplier(0.5 - 2 ** -34), { m0: 2 ** 30, shift: 0 });
      assert.deepEqual(quantizeMultiplier(1 - 2 ** -31), { m0: M0_MAX, shift: 0 }); // q*2^31 = 2^31 - 1 exactly: no round-up
    });
    it('flushes multipliers below 2^-32 to zero, keeps 2^-32 and a round-up rescue', () => {
      assert.deepEqual(quantizeMultiplier(2 ** -33), { m0: 0, shift: 0 });
      assert.deepEqual(quantizeMultiplier(2 ** -32 * 0.99), { m0: 0, shift: 0 });
      assert.deepEqual(quantizeMultiplier(2 ** -32), { m0: 2 ** 30, shift: -31 });
      // just below 2^-32: frexp shift -32, but the mantissa rounds up to 2^31, so shift -31 and it is kept
      assert.deepEqual(quantizeMultiplier(2 ** -32 * (1 - 2 ** -40)), { m0: 2 ** 30, shift: -31 });
      assert.deepEqual(quantizeMultiplier(Number.MIN_VALUE), { m0: 0, shift: 0 });
    });
    it('saturates multipliers of 2^30 and more to (2^31 - 1, 30)', () => {
      assert.deepEqual(quantizeMultiplier(2 ** 29 * 1.5), { m0: 3 * 2 ** 29, shift: 30 });
      assert.deepEqual(quantizeMultiplier(2 ** 30), { m0: M0_MAX, shift: 30 });
      assert.deepEqual(quantizeMultiplier(1e300), { m0: M0_MAX, shift: 30 });
    });
    it('rejects negative and non-finite multipliers', () => {
      for (const bad of [-1e-9, Number.NaN, Number.POSITIVE_INFINITY]) assert.throws(() => quantizeMultiplier(bad), RangeError);
    });
    it('keeps every result in range and within half an ulp of Q0.31 (property)', () => {
      check(
        'quantizeMultiplier',
        fc.property(fc.double({ min: 2 ** -31, max: 2 ** 29, noNaN: true }), (real) => {
          const { m0, shift } = quantizeMultiplier(real);
          assert.ok(m0 >= M0_MIN && m0 <= M0_MAX && shift >= SHIFT_MIN && shift <= SHIFT_MAX, `${real} -> ${m0}, ${shift}`);
          const err = Math.abs(dequantizeMultiplier(m0, shift) - real);
          assert.ok(err <= 2 ** (shift - 32) * (1 + 1e-9), `${real}: error ${err}`);
        }),
      );
    });
  });

  describe('saturatingRoundingDoublingHighMul', () => {
    it('INT32_MIN x INT32_MIN is the one overflow: it saturates to INT32_MAX', () => {
      assert.equal(saturatingRoundingDoublingHighMul(INT32_MIN, INT32_MIN), INT32_MAX);
      assert.equal(saturatingRoundingDoublingHighMul(INT32_MIN, INT32_MAX), -2147483647); // -2^31 + 1 + 0.5 -> floor
      assert.equal(saturatingRoundingDoublingHighMul(INT32_MAX, INT32_MAX), 2147483646); // (2^31-1)^2 / 2^31 = 2^31 - 2 + 2^-31
    });
    it('rounds ties toward +infinity (nudge, then truncate)', () => {
      assert.equal(saturatingRoundingDoublingHighMul(1, 2 ** 30), 1); // 0.5 -> 1
      assert.equal(saturatingRoundingDoublingHighMul(-1, 2 ** 30), 0); // -0.5 -> 0
      assert.equal(saturatingRoundingDoublingHighMul(-3, 2 ** 30), -1); // -1.5 -> -1
      assert.equal(saturatingRoundingDoublingHighMul(3, 2 ** 30), 2); // 1.5 -> 2
    });
    it('equals the 64-bit definition (BigInt nudge, then truncate toward zero) on 200,000 seeded int32 pairs of every magnitude', () => {
      const rng = new Rng(0x5d4);
      const ref = (a: number, b: number): number => {
        const ab = BigInt(a) * BigInt(b);
        const nudged = ab + (ab >= 0n ? 1n << 30n : 1n - (1n << 30n));
        return Number(nudged / (1n << 31n)); // BigInt division truncates toward zero, as C's
      };
      for (let i = 0; i < 200_000; i++) {
        // magnitudes spread over 2^0..2^31, both signs: the fast path below 2^21 and the split path above it
        const a = Math.trunc(rng.next() * 2 ** (rng.int(0, 31) + 1)) * (rng.next() < 0.5 ? -1 : 1) | 0;
        const b = i % 3 === 0 ? rng.int32() : rng.int(0, 2 ** 31 - 1);
        if (a === INT32_MIN && b === INT32_MIN) continue;
        assert.equal(saturatingRoundingDoublingHighMul(a, b), ref(a, b), `a ${a}, b ${b} (seed 0x5d4, pair ${i})`);
      }
    });
  });

  describe('roundingDivideByPOT', () => {
    it('rounds ties away from zero over exponents 0..31', () => {
      assert.equal(roundingDivideByPOT(5, 1), 3);
      assert.equal(roundingDivideByPOT(-5, 1), -3);
      assert.equal(roundingDivideByPOT(-3, 1), -2);
      assert.equal(roundingDivideByPOT(-7, 2), -2); // -1.75
      assert.equal(roundingDivideByPOT(-6, 2), -2); // -1.5 -> -2
      assert.equal(roundingDivideByPOT(123, 0), 123);
      assert.equal(roundingDivideByPOT(-(2 ** 30), 31), -1); // -0.5 -> -1
      assert.equal(roundingDivideByPOT(2 ** 30, 31), 1); // 0.5 -> 1
      assert.equal(roundingDivideByPOT(2 ** 30 - 1, 31), 0);
      assert.equal(roundingDivideByPOT(INT32_MIN, 31), -1);
      assert.equal(roundingDivideByPOT(INT32_MAX, 31), 1);
    });
    it('rejects exponents outside [0, 31]', () => {
      assert.throws(() => roundingDivideByPOT(1, 32), RangeError);
      assert.throws(() => roundingDivideByPOT(1, -1), RangeError);
    });
  });

  describe('multiplyByQuantizedMultiplier', () => {
    const q = (x: number, m0: number, s: number, mode: RoundingMode) => multiplyByQuantizedMultiplier(x, m0, s, mode);
    it('exact ties: single rounds toward +infinity once; double rounds twice', () => {
      assert.equal(q(7, 2 ** 30, 0, 'single'), 4); // 3.5
      assert.equal(q(-7, 2 ** 30, 0, 'single'), -3); // -3.5
      assert.equal(q(7, 2 ** 30, 0, 'double'), 4); // SRDHM 3.5 -> 4, no right shift
      assert.equal(q(-7, 2 ** 30, 0, 'double'), -3); // SRDHM -3.5 -> -3
      assert.equal(q(-6, 2 ** 30, -1, 'single'), -1); // -1.5 -> -1
      assert.equal(q(-6, 2 ** 30, -1, 'double'), -2); // SRDHM -3 exact, RDBPOT -1.5 -> -2 (away from zero)
      assert.equal(q(6, 2 ** 30, -1, 'double'), 2); // 1.5 -> 2 in both
      assert.equal(q(6, 2 ** 30, -1, 'single'), 2);
      // double rounding differs from single: -7 * 2^-2 = -1.75; SRDHM(-7, 2^30) = -3 (from -3.5), RDBPOT(-3, 1) = -2
      assert.equal(q(-7, 2 ** 30, -1, 'double'), -2);
      assert.equal(q(-7, 2 ** 30, -1, 'single'), -2);
      // 5 * 2^-2 = 1.25: single 1; double SRDHM(5, 2^30) = 3 (2.5 up), RDBPOT(3, 1) = 2 (1.5 away): two roundings
      assert.equal(q(5, 2 ** 30, -1, 'single'), 1);
      assert.equal(q(5, 2 ** 30, -1, 'double'), 2);
    });
    it("ruy: double's high-mul, then a right shift rounding ties toward +infinity", () => {
      assert.equal(q(-6, 2 ** 30, -1, 'ruy'), -1); // SRDHM -3 exact, (-3 + 1) >> 1 = -1 (double: -2)
      assert.equal(q(6, 2 ** 30, -1, 'ruy'), 2); // 1.5 -> 2 as in double
      assert.equal(q(5, 2 ** 30, -1, 'ruy'), 2); // SRDHM 3 (2.5 up), (3 + 1) >> 1 = 2: two roundings, as double
      assert.equal(q(-10, 2 ** 30, -2, 'ruy'), -1); // SRDHM -5, (-5 + 2) >> 2 = -1 (-1.25); double gives -1 too
      assert.equal(q(-12, 2 ** 30, -2, 'ruy'), -1); // SRDHM -6, (-6 + 2) >> 2 = -1 (-1.5 up); double gives -2
      assert.equal(q(-7, 2 ** 30, 0, 'ruy'), -3); // r = 0: the high-mul alone (-3.5 -> -3)
      assert.equal(q(INT32_MIN, 2 ** 30, -31, 'ruy'), 0); // SRDHM -2^30, -0.5 -> 0 (double: -1)
      // SRDHM = 2^31 - 2; + 2^30 overflows int32, ruy then takes 2^(31-31) = 1, the exact quotient
      assert.equal(q(INT32_MAX, M0_MAX, -31, 'ruy'), 1);
      assert.equal(q(2, 2 ** 30, 30, 'ruy'), -(2 ** 30)); // the left shift wraps as in double
    });
    it('shift = -31 (the smallest): x * m0 / 2^62', () => {
      assert.equal(q(INT32_MAX, M0_MAX, -31, 'single'), 1); // (2^62 - 2^32 + 1) / 2^62 = 0.99.. -> 1
      assert.equal(q(INT32_MIN, 2 ** 30, -31, 'single'), 0); // -0.5 -> 0 (toward +inf)
      assert.equal(q(INT32_MIN, 2 ** 30, -31, 'double'), -1); // SRDHM -2^30, RDBPOT(-2^30, 31) = -0.5 -> -1
      assert.equal(q(INT32_MIN, 2 ** 30 + 1, -31, 'single'), -1);
      assert.equal(q(INT32_MIN, M0_MAX, -31, 'double'), -1);
      assert.equal(q(2 ** 30, 2 ** 30, -31, 'single'), 0); // 0.25
    });
    it('shift = 30 (the largest): single saturates, double wraps in its left shift', () => {
      assert.equal(q(1, 2 ** 30, 30, 'single'), 2 ** 29);
      assert.equal(q(1, 2 ** 30, 30, 'double'), 2 ** 29);
      assert.equal(q(3, 2 ** 30 + 1, 30, 'single'), 3 * 2 ** 29 + 2); // (3 * 2^30 + 3 + 1) / 2
      assert.equal(q(4, 2 ** 30, 30, 'single'), INT32_MAX); // 2^31 saturates
      assert.equal(q(-4, 2 ** 30, 30, 'single'), INT32_MIN); // -2^31 fits exactly
      assert.equal(q(-5, 2 ** 30, 30, 'single'), INT32_MIN); // saturates
      assert.equal(q(INT32_MAX, M0_MAX, 30, 'single'), INT32_MAX);
      assert.equal(q(INT32_MIN, M0_MAX, 30, 'single'), INT32_MIN);
      assert.equal(q(2, 2 ** 30, 30, 'single'), 2 ** 30);
      assert.equal(q(2, 2 ** 30, 30, 'double'), -(2 ** 30)); // 2 << 30 wraps to -2^31 before the high-mul
      assert.equal(q(4, 2 ** 30, 30, 'double'), 0); // 4 << 30 wraps to 0
      assert.equal(q(3, 2 ** 30, 1, 'double'), 3); // no wrap: 6 * 0.5
    });
    it('a zero multiplier gives 0 in every mode', () => {
      for (const mode of ['single', 'double', 'ruy'] as const) {
        assert.equal(q(INT32_MIN, 0, 0, mode), 0);
        assert.equal(q(INT32_MAX, 0, 30, mode), 0);
        assert.equal(q(-123456, 0, -31, mode), 0);
      }
    });
    for (const mode of ['single', 'double', 'ruy'] as const) {
      it(`${mode} mode equals the BigInt reference over the whole int32 range (property)`, () => {
        check(
          `multiplyByQuantizedMultiplier ${mode}`,
          fc.property(int32, m0s, shifts, (x, m0, shift) => {
            assert.equal(q(x, m0, shift, mode), ref[mode](x, m0, shift), `x=${x} m0=${m0} shift=${shift}`);
          }),
        );
      });
    }
    it('SRDHM and RDBPOT equal their references (property)', () => {
      check(
        'srdhm/rdbpot',
        fc.property(int32, int32, fc.integer({ min: 0, max: 31 }), (a, b, r) => {
          assert.equal(saturatingRoundingDoublingHighMul(a, b), refSrdhm(a, b), `SRDHM(${a}, ${b})`);
          assert.equal(roundingDivideByPOT(a, r), refRdbpot(a, r), `RDBPOT(${a}, ${r})`);
        }),
      );
    });
  });

  describe('int32 accumulation', () => {
    it('mac wraps two\'s complement', () => {
      assert.equal(mac(INT32_MAX, 1, 1), INT32_MIN);
      assert.equal(mac(INT32_MIN, -1, 1), INT32_MAX);
      assert.equal(mac(INT32_MIN, -128, 127), 2 ** 31 - 16256);
      assert.equal(mac(0, -128, -128), 16384);
    });
    it('maxSafeK: K products of 16384 fit, one more wraps', () => {
      assert.equal(maxSafeK(), 131071);
      assert.equal(maxSafeK(16256), 132104);
      assert.equal(maxSafeK(16384, 2 ** 20), 131007);
      const k = maxSafeK();
      let acc = 0;
      for (let i = 0; i < k; i++) acc = mac(acc, -128, -128);
      assert.equal(acc, k * 16384);
      assert.ok(acc <= INT32_MAX);
      assert.equal(mac(acc, -128, -128), (k + 1) * 16384 - 2 ** 32); // the (K+1)-th product wraps
      assert.ok(mac(acc, -128, -128) < 0);
    });
    it('folding the input zero point into the bias is exact modulo 2^32 (property)', () => {
      check(
        'foldInputZeroPoint',
        fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: -128, max: 127 }), fc.integer(), (k, n, z, seed) => {
          let s = seed >>> 0;
          const next = (lo: number, hi: number) => {
            s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
            return lo + (s % (hi - lo + 1));
          };
          const w = Int8Array.from({ length: k * n }, () => next(-127, 127));
          const x = Int8Array.from({ length: k }, () => next(-128, 127));
          const bias = Int32Array.from({ length: n }, () => next(0, 2 ** 31) * (next(0, 1) ? 1 : -1) | 0);
          const folded = foldInputZeroPoint(bias, w, k, n, z);
          for (let c = 0; c < n; c++) {
            let direct = bias[c] as number;
            let viaFold = folded[c] as number;
            for (let i = 0; i < k; i++) {
              direct = (direct + ((x[i] as number) - z) * (w[i * n + c] as number)) | 0;
              viaFold = mac(viaFold, x[i] as number, w[i * n + c] as number);
            }
            assert.equal(viaFold, direct);
          }
        }),
        Math.ceil(RUNS / 10),
      );
    });
  });

  describe('output stage', () => {
    it('adds the zero point, then clamps; a fused ReLU is a clamp at the zero point', () => {
      assert.equal(outputStage(5, -3, -128, 127), 2);
      assert.equal(outputStage(-200, 10, -128, 127), -128);
      assert.equal(outputStage(200, 10, -128, 127), 127);
      assert.equal(outputStage(-4, -3, -3, 127), -3); // ReLU: real < 0 -> zero point
      assert.equal(outputStage(INT32_MAX, 127, -128, 127), 127); // y + zOut is not wrapped
      assert.equal(outputStage(INT32_MIN, -128, -128, 127), -128);
      assert.equal(outputStage(3, 0, -8, 7), 3); // 4-bit range
      assert.equal(outputStage(9, 0, -8, 7), 7);
    });
    it('requantize = wrap32(acc + bias), multiply, output stage', () => {
      // 1000 * 0.5 + 3 = 503 -> clamp 127
      assert.equal(requantize(990, 10, 2 ** 30, 0, 3, -128, 127, 'single'), 127);
      assert.equal(requantize(90, 10, 2 ** 30, -2, 3, -128, 127, 'single'), 16); // (90 + 10) / 8 = 12.5 -> 13, + 3
      // acc + bias wraps: INT32_MAX + 1 = INT32_MIN; * 2^-31 = -1 -> -1 + 0
      assert.equal(requantize(INT32_MAX, 1, 2 ** 30, -30, 0, -128, 127, 'single'), -1);
      assert.equal(requantize(-50, 0, 2 ** 30, 0, -10, -10, 127, 'double'), -10); // ReLU
    });
  });
});
