/**
 * Rounding of reals to integers, named for their tie rule. JS `Math.round` rounds ties toward +infinity,
 * C++ `std::round` (TfLiteRound) away from zero and `tf.round` to even; the project never calls Math.round on a
 * value that becomes a bit of the model.
 */

/**
 * std::round / TfLiteRound: ties away from zero (2.5 -> 3, -2.5 -> -3). Exact for every double: it compares the
 * fraction, which `a - floor(a)` gives exactly, with 1/2, rather than flooring `a + 0.5`, which rounds
 * 0.49999999999999994 up to 1 and 2^52 + 1 up to 2^52 + 2.
 */
export function roundHalfAwayFromZero(x: number): number {
  const a = Math.abs(x);
  const f = Math.floor(a);
  const r = a - f >= 0.5 ? f + 1 : f;
  return x < 0 ? 0 - r : r; // 0 - 0 is +0: never returns -0
}

/** Ties to even (2.5 -> 2, 3.5 -> 4), as tf.round and IEEE roundTiesToEven. */
export function roundHalfToEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/**
 * Ties toward +infinity (2.5 -> 3, -2.5 -> -2): the tie rule of an integer `(v + half) >> s`. Exact for every
 * double (x - floor(x) is exact whenever it is near 1/2, and rounding is monotone elsewhere).
 */
export function roundHalfUp(x: number): number {
  const f = Math.floor(x);
  return x - f >= 0.5 ? f + 1 : f;
}

const frexpView = new DataView(new ArrayBuffer(8));

/**
 * C's frexp for finite x: returns [q, e] with x = q * 2^e and |q| in [0.5, 1), or [0, 0] for zero. Exact (it
 * only moves the binary exponent), subnormals included.
 */
export function frexp(x: number): [number, number] {
  if (x === 0 || !Number.isFinite(x)) return [x, 0];
  let bias = 0;
  if (Math.abs(x) < 2 ** -1000) {
    x *= 2 ** 64;
    bias = -64;
  }
  frexpView.setFloat64(0, x);
  const hiWord = frexpView.getUint32(0);
  const exp = (hiWord >>> 20) & 0x7ff;
  const e = exp - 1022;
  frexpView.setUint32(0, (hiWord & 0x800fffff) | (1022 << 20));
  return [frexpView.getFloat64(0), e + bias];
}
