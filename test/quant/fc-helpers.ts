/**
 * Shared by the property tests of TFLite's kernels (test/quant/*.test.ts): the seeded fast-check runner, and exact
 * BigInt references for the floating-point steps (a double as an exact ratio, correct rounding of a ratio to
 * float32 and the check that a double is the correctly rounded value of a ratio).
 */
import fc from 'fast-check';

export const SEED = process.env.FC_SEED === undefined ? 20261201 : Number(process.env.FC_SEED);

/** Runs of a property: FC_RUNS when set, else the file's own default (a cheap property runs more). */
export function runsOr(byDefault: number): number {
  return process.env.FC_RUNS === undefined ? byDefault : Number(process.env.FC_RUNS);
}

export const RUNS = runsOr(5000);

/** fc.assert with the suite's seed, printing it on failure (FC_SEED=n FC_RUNS=n replay and deepen). */
export function check<T>(name: string, prop: fc.IProperty<T>, numRuns = RUNS): void {
  try {
    fc.assert(prop, { seed: SEED, numRuns });
  } catch (err) {
    console.error(`${name}: property failed with FC_SEED=${SEED}`);
    throw err;
  }
}

/** An exact rational num / den (den > 0). */
export interface Ratio {
  num: bigint;
  den: bigint;
}

/** A finite double as an exact ratio (den a power of two). */
export function ratio(x: number): Ratio {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const exp = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  const mant = exp === 0 ? frac : frac | (1n << 52n);
  const e = (exp === 0 ? 1 : exp) - 1075;
  const sign = x < 0 ? -1n : 1n;
  return e >= 0 ? { num: sign * (mant << BigInt(e)), den: 1n } : { num: sign * mant, den: 1n << BigInt(-e) };
}

export const mul = (a: Ratio, b: Ratio): Ratio => ({ num: a.num * b.num, den: a.den * b.den });
export const div = (a: Ratio, b: Ratio): Ratio => (b.num < 0n ? { num: -a.num * b.den, den: a.den * -b.num } : { num: a.num * b.den, den: a.den * b.num });
export const add = (a: Ratio, b: Ratio): Ratio => ({ num: a.num * b.den + b.num * a.den, den: a.den * b.den });
/** sign of a - b */
export const cmp = (a: Ratio, b: Ratio): number => {
  const d = a.num * b.den - b.num * a.den;
  return d < 0n ? -1 : d > 0n ? 1 : 0;
};

/** floor(log2 |r|) for r != 0. */
function ilog2(r: Ratio): number {
  const n = r.num < 0n ? -r.num : r.num;
  let e = n.toString(2).length - r.den.toString(2).length;
  // 2^e <= n/d < 2^(e+1)
  while (e >= 0 ? n < r.den << BigInt(e) : n << BigInt(-e) < r.den) e--;
  while (e + 1 >= 0 ? n >= r.den << BigInt(e + 1) : n << BigInt(-(e + 1)) >= r.den) e++;
  return e;
}

/**
 * r rounded to the nearest value with `bits` significant bits (ties to even), as a double: float32 is bits = 24
 * (normal range only, which is all the tests use).
 */
export function roundToBits(r: Ratio, bits: number): number {
  if (r.num === 0n) return 0;
  const neg = r.num < 0n;
  const n = neg ? -r.num : r.num;
  const e = ilog2(r) - (bits - 1); // the unit of the last place
  // q = n / d / 2^e, integer part and remainder
  const num = e >= 0 ? n : n << BigInt(-e);
  const den = e >= 0 ? r.den << BigInt(e) : r.den;
  let q = num / den;
  const rem2 = 2n * (num % den);
  if (rem2 > den || (rem2 === den && (q & 1n) === 1n)) q += 1n;
  const v = Number(q) * 2 ** e;
  return neg ? -v : v;
}

/** True when the double x is r correctly rounded to double (|x - r| <= ulp(x)/2, ties to even not checked). */
export function isCorrectlyRoundedDouble(x: number, r: Ratio): boolean {
  return x === roundToBits(r, 53);
}
