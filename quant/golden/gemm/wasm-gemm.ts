/**
 * The int8 GEMM as a WebAssembly SIMD kernel: `gemm` of ../wasm/kernels.wat (WebAssembly text compiled by
 * tools/build-wasm.ts). Same contract as gemm.ts: C[M, N] = wrap32(sum_k A[m, k] * B[k, n]).
 *
 * The kernel is built on i32x4.dot_i16x8_s (x86 pmaddwd): for a pair of reductions (k, k+1) it multiplies
 * [a_k, a_k+1] x 4 with [b_k,n  b_k+1,n  ... b_k,n+3  b_k+1,n+3] and adds the pairs into four int32 lanes. Each
 * pair product is at most 2 * 2^14, so nothing but the int32 accumulation can overflow, and i32x4.add wraps
 * exactly like the hardware's accumulator. A 4 x 8 register tile (8 v128 accumulators) runs over K.
 *   A: int8 row-major as given (v128.load16_splat + i16x8.extend_low_i8x16_s give [a_k, a_k+1] x 4)
 *   B: widened to int16 and packed once per layer into panels of 8 columns x K pairs (zero past K and N)
 *   C: int32, rows padded to a multiple of 4 and columns to 8, copied out at the end
 */

import { align16, wasmKernels, wasmMemory } from '../wasm/kernels.ts';

/** True when this engine runs the SIMD kernel. */
export function wasmGemmAvailable(): boolean {
  return wasmKernels() !== null;
}

/** B[K, N] widened to int16 and packed for the kernel: ceil(N/8) panels x ceil(K/2) pairs x 16 int16. */
export interface WasmPackedB {
  k: number;
  n: number;
  data: Int16Array;
}

export function packBWasm(b: Int8Array, k: number, n: number): WasmPackedB {
  const pairs = (k + 1) >> 1;
  const panels = Math.ceil(n / 8);
  const data = new Int16Array(panels * pairs * 16);
  for (let p = 0; p < panels; p++) {
    for (let q = 0; q < pairs; q++) {
      const base = (p * pairs + q) * 16;
      for (let j = 0; j < 8; j++) {
        const col = p * 8 + j;
        if (col >= n) continue;
        const slot = base + 2 * j; // lanes [b(2q, col), b(2q+1, col)]; columns 0..3 then 4..7 fill the two vectors
        data[slot] = b[2 * q * n + col] as number;
        if (2 * q + 1 < k) data[slot + 1] = b[(2 * q + 1) * n + col] as number;
      }
    }
  }
  return { k, n, data };
}

/** C[M, N] = A[M, K] * B with the SIMD kernel. The caller checks sizes and that the kernel is available. */
export function gemmWasm(a: Int8Array, m: number, b: WasmPackedB, c: Int32Array): void {
  const kern = wasmKernels();
  if (kern === null) throw new RangeError('gemmWasm: this runtime has no WebAssembly SIMD; use the js engine');
  const { k, n } = b;
  const mp = (m + 3) & ~3;
  const np = (n + 7) & ~7;
  const aOff = 0;
  const bOff = align16(mp * k + 16);
  const cOff = align16(bOff + b.data.byteLength);
  const need = cOff + mp * np * 4;
  const buf = wasmMemory(kern, need);
  new Int8Array(buf, aOff, a.length).set(a);
  new Int16Array(buf, bOff, b.data.length).set(b.data);
  kern.gemm(aOff, bOff, cOff, mp, k, np);
  const out = new Int32Array(buf, cOff, mp * np);
  if (np === n) {
    c.set(out.subarray(0, m * n));
  } else {
    for (let i = 0; i < m; i++) c.set(out.subarray(i * np, i * np + n), i * n);
  }
}
