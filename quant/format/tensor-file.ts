/**
 * Tensor files: raw little-endian values, no header (shape, dtype and sha256 live in the manifest), and their
 * $readmemh twins: one value per line, two's complement, lower-case hex, 2 digits for int8, 8 for int32.
 */
import { createHash } from 'node:crypto';

export const DTYPES = ['int8', 'int32', 'float32'] as const;
export type DType = (typeof DTYPES)[number];
export type TypedTensor = Int8Array | Int32Array | Float32Array;

export const DTYPE_BYTES: Record<DType, number> = { int8: 1, int32: 4, float32: 4 };

export function dtypeOf(t: TypedTensor): DType {
  return t instanceof Int8Array ? 'int8' : t instanceof Int32Array ? 'int32' : 'float32';
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The little-endian bytes of a tensor. */
export function encodeTensor(t: TypedTensor): Uint8Array {
  const bytes = new Uint8Array(t.length * DTYPE_BYTES[dtypeOf(t)]);
  const view = new DataView(bytes.buffer);
  if (t instanceof Int8Array) bytes.set(new Uint8Array(t.buffer, t.byteOffset, t.length));
  else if (t instanceof Int32Array) t.forEach((v, i) => view.setInt32(4 * i, v, true));
  else t.forEach((v, i) => view.setFloat32(4 * i, v, true));
  return bytes;
}

/** A tensor from little-endian bytes; the caller has checked that bytes.length = count * size of dtype. */
export function decodeTensor(bytes: Uint8Array, dtype: DType): TypedTensor {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dtype === 'int8') {
    const t = new Int8Array(bytes.length);
    t.set(new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length));
    return t;
  }
  const n = bytes.length / 4;
  if (dtype === 'int32') {
    const t = new Int32Array(n);
    for (let i = 0; i < n; i++) t[i] = view.getInt32(4 * i, true);
    return t;
  }
  const t = new Float32Array(n);
  for (let i = 0; i < n; i++) t[i] = view.getFloat32(4 * i, true);
  return t;
}

/** $readmemh text of an integer tensor: one two's-complement value per line. */
export function hexText(t: Int8Array | Int32Array): string {
  const digits = t instanceof Int8Array ? 2 : 8;
  const mask = t instanceof Int8Array ? 0xff : 0xffffffff;
  const lines = new Array<string>(t.length);
  for (let i = 0; i < t.length; i++) lines[i] = (((t[i] as number) & mask) >>> 0).toString(16).padStart(digits, '0');
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
