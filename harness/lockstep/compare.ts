/** The comparison loops of the scoreboard: flat typed arrays, no allocation. */

/** Index of the first word where a and b differ in [from, to), or -1. */
export function firstDifference(a: Int32Array, b: Int32Array, from: number, to: number): number {
  for (let i = from; i < to; i++) if (a[i] !== b[i]) return i;
  return -1;
}

/** Number of words where a and b differ in [from, to). */
export function countDifferences(a: Int32Array, b: Int32Array, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (a[i] !== b[i]) n++;
  return n;
}
