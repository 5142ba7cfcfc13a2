/**
 * 32- and 64-bit two's-complement helpers on plain JS numbers.
 *
 * A JS number holds integers exactly up to 2^53. An int32 x int32 product needs 62 bits, so products are split
 * into 16-bit limbs and carried as a pair (hi, lo) with value hi * 2^32 + lo, lo in [0, 2^32). Every helper here
 * is exact for every int32 input; none allocates.
 */

export const INT32_MIN = -2147483648;
export const INT32_MAX = 2147483647;
export const INT8_MIN = -128;
export const INT8_MAX = 127;

const TWO16 = 65536;
const TWO32 = 4294967296;

/** Wraps an exact integer (|x| < 2^53) to int32, two's complement. */
export function wrapInt32(x: number): number {
  // `| 0` is ToInt32: modulo 2^32 into [-2^31, 2^31), exactly what a 32-bit register does.
  return x | 0;
}

/** Clamps an exact integer to [INT32_MIN, INT32_MAX]. */
export function saturateInt32(x: number): number {
  return x < INT32_MIN ? INT32_MIN : x > INT32_MAX ? INT32_MAX : x;
}

/** True when x is an integer in the int32 range. */
export function isInt32(x: number): boolean {
  return Number.isInteger(x) && x >= INT32_MIN && x <= INT32_MAX;
}

/** One multiply-accumulate of the array: acc + a*b with int32 wrap-around (a, b int8 or any int16). */
export function mac(acc: number, a: number, b: number): number {
  return (acc + a * b) | 0;
}

/**
 * The 64-bit product a*b of two int32s, written into out as [hi, lo] with a*b = hi * 2^32 + lo, lo in [0, 2^32).
 * hi is in [-2^30, 2^30].
 */
export function mul64(a: number, b: number, out: Float64Array | number[]): void {
  const bh = b >> 16; // signed, [-2^15, 2^15)
  const bl = b & 0xffff; // [0, 2^16)
  const ph = a * bh; // |ph| <= 2^46: exact
  const pl = a * bl; // |pl| <  2^47: exact
  // a*b = ph * 2^16 + pl
  const phHi = Math.floor(ph / TWO16);
  const phLo = ph - phHi * TWO16; // [0, 2^16)
  const plHi = Math.floor(pl / TWO32);
  const plLo = pl - plHi * TWO32; // [0, 2^32)
  let lo = plLo + phLo * TWO16; // < 2^33
  let hi = plHi + phHi;
  if (lo >= TWO32) {
    lo -= TWO32;
    hi += 1;
  }
  out[0] = hi;
  out[1] = lo;
}

/** Adds the exact integer k (|k| < 2^52) to the pair in place. */
export function add64(v: Float64Array | number[], k: number): void {
  const kHi = Math.floor(k / TWO32);
  let lo = (v[1] as number) + (k - kHi * TWO32);
  let hi = (v[0] as number) + kHi;
  if (lo >= TWO32) {
    lo -= TWO32;
    hi += 1;
  }
  v[0] = hi;
  v[1] = lo;
}

/**
 * floor((hi * 2^32 + lo) / 2^s) for s in [0, 63]. Exact whenever the result lies within +-2^53; callers that
 * saturate to int32 may rely on the sign and magnitude of larger results, which are correct to within rounding.
 */
export function floorShift64(hi: number, lo: number, s: number): number {
  if (s >= 32) return Math.floor(hi / 2 ** (s - 32));
  const p = 2 ** s;
  return hi * (TWO32 / p) + Math.floor(lo / p);
}

/** Exact 64-bit value of a pair as a BigInt (for tests and error messages, never hot paths). */
export function pairToBigInt(hi: number, lo: number): bigint {
  return (BigInt(hi) << 32n) + BigInt(lo);
}
