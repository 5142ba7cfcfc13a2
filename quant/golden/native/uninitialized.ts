/**
 * Output arrays the native kernels fill whole: allocated without the zero fill of `new Int8Array(n)` (V8 clears
 * every new backing store, a memset that took 7% of ResNet-8's run), through Node's Buffer.allocUnsafeSlow.
 * Only for outputs whose every element a kernel writes before anyone reads it.
 */
import { Buffer } from 'node:buffer';

export function uninitializedInt8(n: number): Int8Array {
  const b = Buffer.allocUnsafeSlow(n);
  return new Int8Array(b.buffer, b.byteOffset, n);
}
