/** Shared by the model/backend tests: how far a kernel's float32 result is from the reference's. */

/** The largest absolute difference over the largest magnitude of the reference (0 when they are equal). */
export function maxRelDiff(a: Float32Array, b: Float32Array): number {
  let scale = 0;
  let diff = 0;
  for (let i = 0; i < a.length; i++) {
    scale = Math.max(scale, Math.abs(b[i] as number));
    diff = Math.max(diff, Math.abs((a[i] as number) - (b[i] as number)));
  }
  return diff / Math.max(scale, 1e-12);
}
