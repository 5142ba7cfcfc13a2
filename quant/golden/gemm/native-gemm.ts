/**
 * The int8 GEMM as a native kernel: `ic_golden_gemm` of ../native/kernels.cc (AVX-512 VNNI where the machine has
 * it, a portable loop elsewhere). Same contract as gemm.ts: C[M, N] = wrap32(sum_k A[m, k] * B[k, n]).
 *
 * On AMX (Sapphire Rapids and later, where Linux grants it) tdpbssd multiplies 16 x 64 int8 tiles of A and B
 * signed by signed. Elsewhere vpdpbusd multiplies four unsigned bytes of A by four signed bytes of B and adds the
 * four products into an int32 lane: the kernel makes A unsigned (a + 128) and takes 128 * sum_k B[k, n] off at
 * the end, which packBNative stores after each panel; both sums wrap modulo 2^32, so the result is exact.
 *   A: int8 row-major as given (no slack needed past its end)
 *   B: packed once per layer into panels of 16 columns x 16 ceil(K/64) quads x [16][4] int8 (zero past K and N),
 *      each panel followed by its 16 int32 excesses
 *   C: int32 row-major, written in place
 */
import { M0_MAX, SHIFT_MAX, SHIFT_MIN, type RoundingMode } from '../../spec/index.ts';
import { nativeKernels } from '../native/kernels.ts';

/** True when the native library is built and loaded. */
export function nativeGemmAvailable(): boolean {
  return nativeKernels() !== null;
}

/** B[K, N] packed for the native kernel (see the header). */
export interface NativePackedB {
  k: number;
  n: number;
  data: Int8Array;
}

/** Quads of one panel: K in blocks of 64 (an AMX B tile each), ceil(K/64) * 16. */
function paddedQuads(k: number): number {
  return Math.ceil(k / 64) * 16;
}

/** Bytes of one panel of 16 columns for a reduction of k. */
export function nativePanelBytes(k: number): number {
  return paddedQuads(k) * 64 + 64;
}

export function packBNative(b: Int8Array, k: number, n: number): NativePackedB {
  const quads = paddedQuads(k);
  const panels = Math.ceil(n / 16);
  const panel = nativePanelBytes(k);
  const data = new Int8Array(panels * panel);
  const excess = new Int32Array(data.buffer);
  for (let p = 0; p < panels; p++) {
    for (let j = 0; j < 16; j++) {
      const col = p * 16 + j;
      if (col >= n) continue;
      let sum = 0;
      for (let i = 0; i < k; i++) {
        const v = b[i * n + col] as number;
        data[p * panel + (i >> 2) * 64 + j * 4 + (i & 3)] = v;
        sum += v;
      }
      // panel is a multiple of 64 bytes: the excesses are int32-aligned
      excess[(p * panel + quads * 64) / 4 + j] = Math.imul(sum, 128);
    }
  }
  return { k, n, data };
}

/** C[M, N] = A[M, K] * B with the native kernel. The caller checks sizes and that the kernel is available. */
export function gemmNative(a: Int8Array, m: number, b: NativePackedB, c: Int32Array): void {
  const kern = nativeKernels();
  if (kern === null) throw new RangeError('gemmNative: the native kernels are not loaded (run make native); use the wasm engine');
  kern.gemm(a, b.k, b.data, c, b.n, m, b.k, b.n);
}

const MODE_CODE: Record<RoundingMode, number> = { single: 0, double: 1, ruy: 2 };
/** Bound on |zp| under which lo = actMin - zp and hi = actMax - zp are far inside int32. */
const ZP_BOUND = 2 ** 16;

/**
 * A layer's output stage for ic_golden_gemm_requant (kernels.cc's `Stages`): bias, m0 and shift, each over the
 * columns rounded up to 16 (zero past n), then mode, zp, actMin - zp, actMax - zp. Undefined where the kernel's
 * arithmetic is not the spec's: an m0 outside [0, 2^31 - 1] or a shift outside [-31, 30] (what the spec takes),
 * or bounds outside int8 (the kernel stores bytes).
 */
export function nativeStages(
  bias: Int32Array, multiplier: Int32Array, shift: Int32Array, mode: RoundingMode, zp: number, actMin: number, actMax: number,
): Int32Array | undefined {
  const n = bias.length;
  if (multiplier.length !== n || shift.length !== n) return undefined;
  if (!(Number.isInteger(zp) && Math.abs(zp) <= ZP_BOUND && actMin >= -128 && actMax <= 127 && actMin <= actMax)) return undefined;
  const stride = (n + 15) & ~15;
  const rec = new Int32Array(3 * stride + 4);
  for (let j = 0; j < n; j++) {
    const m0 = multiplier[j] as number;
    const sh = shift[j] as number;
    if (!(m0 >= 0 && m0 <= M0_MAX && sh >= SHIFT_MIN && sh <= SHIFT_MAX)) return undefined;
    rec[j] = bias[j] as number;
    rec[stride + j] = m0;
    rec[2 * stride + j] = sh;
  }
  // columns past n: m0 = 0, shift = 0, whatever the kernel computes there is masked off
  rec.set([MODE_CODE[mode], zp, actMin - zp, actMax - zp], 3 * stride);
  return rec;
}
