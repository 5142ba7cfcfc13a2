/**
 * Rounding of reals to integers, named for their tie rule. JS `Math.round` rounds ties toward +infinity,
 * C++ `std::round` (TfLiteRound) away from zero and `tf.round` to even; the project never calls Math.round on a
 * value that becomes a bit of the model.
 */

/** std::round / TfLiteRound: ties away from zero (2.5 -> 3, -2.5 -> -3). */
export function roundHalfAwayFromZero(x: number): number {
  return x < 0 ? -Math.floor(-x + 0.5) : Math.floor(x + 0.5);
}

/** Ties to even (2.5 -> 2, 3.5 -> 4), as tf.round and IEEE roundTiesToEven. */
export function roundHalfToEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/** Ties toward +infinity (2.5 -> 3, -2.5 -> -2): the tie rule of an integer `(v + half) >> s`. */
export function roundHalfUp(x: number): number {
  return Math.floor(x + 0.5);
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
