/**
 * The integer GEMM of the golden model: C[M, N] = wrap32( sum_k A[m, k] * B[k, n] ), A and B int8 row-major,
 * C int32. The sum is exact modulo 2^32, the same value as quant/spec `mac` applied K times in any order (two's
 * complement addition is associative), so a kernel is free to reorder and to accumulate pairs first.
 *
 * Two engines compute the same bits: 'wasm' (WebAssembly SIMD, wasm-gemm.ts; the default where available) and
 * 'js' (plain JS, below; the fallback, and the cross-check of the other). INT8COSIM_GEMM=js forces the JS one.
 *
 * JS kernel: B is packed once (per layer) into panels of 4 columns, A per call into panels of 4 rows, and a 4x4
 * register tile of 16 accumulators runs over K with 8 loads per 16 multiply-adds. Partial sums are kept in int32
 * (each `| 0` wraps exactly like the hardware's accumulator).
 */
import { ShapeError } from '../errors.ts';
import { gemmWasm, packBWasm, wasmGemmAvailable, type WasmPackedB } from './wasm-gemm.ts';

export type GemmEngine = 'wasm' | 'js';

/** The engine used when none is named: wasm when this runtime has WebAssembly SIMD, unless INT8COSIM_GEMM=js. */
export function defaultGemmEngine(): GemmEngine {
  return process.env.INT8COSIM_GEMM !== 'js' && wasmGemmAvailable() ? 'wasm' : 'js';
}

const TILE = 4;

/** B[K, N] packed for one engine (build once per layer, multiply many times). */
export interface PackedB {
  k: number;
  n: number;
  engine: GemmEngine;
  /** JS engine: ceil(N/4) panels of [K][4] (columns past N are zero). */
  js?: Int32Array;
  wasm?: WasmPackedB;
}

export function packB(b: Int8Array, k: number, n: number, engine: GemmEngine = defaultGemmEngine()): PackedB {
  if (b.length !== k * n) throw new ShapeError(`packB: expected B [K=${k}, N=${n}] = ${k * n} values, got ${b.length}`);
  if (engine === 'wasm') {
    if (!wasmGemmAvailable()) throw new RangeError('packB: this runtime has no WebAssembly SIMD; use the js engine');
    return { k, n, engine, wasm: packBWasm(b, k, n) };
  }
  return { k, n, engine, js: packBJs(b, k, n) };
}

function packBJs(b: Int8Array, k: number, n: number): Int32Array {
  const panels = Math.ceil(n / TILE);
  const data = new Int32Array(panels * k * TILE);
  for (let p = 0; p < panels; p++) {
    const base = p * k * TILE;
    for (let kk = 0; kk < k; kk++) {
      for (let j = 0; j < TILE; j++) {
        const col = p * TILE + j;
        if (col < n) data[base + kk * TILE + j] = b[kk * n + col] as number;
      }
    }
  }
  return data;
}

/** A[M, K] repacked as ceil(M/4) panels of [K][4] (rows past M are zero). */
function packA(a: Int8Array, m: number, k: number, into: Int32Array): void {
  const panels = Math.ceil(m / TILE);
  for (let p = 0; p < panels; p++) {
    const base = p * k * TILE;
    for (let i = 0; i < TILE; i++) {
      const row = p * TILE + i;
      if (row < m) {
        let s = row * k;
        let d = base + i;
        for (let kk = 0; kk < k; kk++, d += TILE) into[d] = a[s++] as number;
      } else {
        for (let kk = 0, d = base + i; kk < k; kk++, d += TILE) into[d] = 0;
      }
    }
  }
}

let scratchA = new Int32Array(0);

/** C[M, N] = A[M, K] * B (packed). Writes into out (allocated when absent) and returns it. */
export function gemmInt8Packed(a: Int8Array, m: number, b: PackedB, out?: Int32Array): Int32Array {
  const { k, n } = b;
  if (a.length !== m * k) throw new ShapeError(`gemmInt8: expected A [M=${m}, K=${k}] = ${m * k} values, got ${a.length}`);
  const c = out ?? new Int32Array(m * n);
  if (c.length < m * n) throw new ShapeError(`gemmInt8: output holds ${c.length} values, needs [M=${m}, N=${n}]`);
  if (b.wasm) gemmWasm(a, m, b.wasm, c);
  else gemmJs(a, m, k, n, b.js as Int32Array, c);
  return c;
}

function gemmJs(a: Int8Array, m: number, k: number, n: number, bp: Int32Array, c: Int32Array): void {
  const rowPanels = Math.ceil(m / TILE);
  const colPanels = Math.ceil(n / TILE);
  const need = rowPanels * k * TILE;
  if (scratchA.length < need) scratchA = new Int32Array(need);
  const ap = scratchA;
  packA(a, m, k, ap);
  const k4 = k * TILE;
  for (let ip = 0; ip < rowPanels; ip++) {
    const aBase = ip * k4;
    const row0 = ip * TILE;
    for (let jp = 0; jp < colPanels; jp++) {
      const bBase = jp * k4;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
      let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
      let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let t = 0; t < k4; t += TILE) {
        const a0 = ap[aBase + t] as number;
        const a1 = ap[aBase + t + 1] as number;
        const a2 = ap[aBase + t + 2] as number;
        const a3 = ap[aBase + t + 3] as number;
        const b0 = bp[bBase + t] as number;
        const b1 = bp[bBase + t + 1] as number;
        const b2 = bp[bBase + t + 2] as number;
        const b3 = bp[bBase + t + 3] as number;
        c00 = (c00 + a0 * b0) | 0; c01 = (c01 + a0 * b1) | 0; c02 = (c02 + a0 * b2) | 0; c03 = (c03 + a0 * b3) | 0;
        c10 = (c10 + a1 * b0) | 0; c11 = (c11 + a1 * b1) | 0; c12 = (c12 + a1 * b2) | 0; c13 = (c13 + a1 * b3) | 0;
        c20 = (c20 + a2 * b0) | 0; c21 = (c21 + a2 * b1) | 0; c22 = (c22 + a2 * b2) | 0; c23 = (c23 + a2 * b3) | 0;
        c30 = (c30 + a3 * b0) | 0; c31 = (c31 + a3 * b1) | 0; c32 = (c32 + a3 * b2) | 0; c33 = (c33 + a3 * b3) | 0;
      }
      const col0 = jp * TILE;
      storeRow(c, row0, m, n, col0, c00, c01, c02, c03);
      storeRow(c, row0 + 1, m, n, col0, c10, c11, c12, c13);
      storeRow(c, row0 + 2, m, n, col0, c20, c21, c22, c23);
      storeRow(c, row0 + 3, m, n, col0, c30, c31, c32, c33);
    }
  }
}

function storeRow(c: Int32Array, row: number, m: number, n: number, col0: number, v0: number, v1: number, v2: number, v3: number): void {
  if (row >= m) return;
  const o = row * n + col0;
  if (col0 + 3 < n) {
    c[o] = v0;
    c[o + 1] = v1;
    c[o + 2] = v2;
    c[o + 3] = v3;
    return;
  }
  c[o] = v0;
  if (col0 + 1 < n) c[o + 1] = v1;
  if (col0 + 2 < n) c[o + 2] = v2;
}

/** C[M, N] = wrap32(A[M, K] * B[K, N]) for int8 row-major A and B. */
export function gemmInt8(a: Int8Array, b: Int8Array, m: number, k: number, n: number, out?: Int32Array, engine?: GemmEngine): Int32Array {
  return gemmInt8Packed(a, m, packB(b, k, n, engine), out);
}
