/**
 * The integer GEMM of the golden model: C[M, N] = wrap32( sum_k A[m, k] * B[k, n] ), A and B int8 row-major,
 * C int32. The sum is exact modulo 2^32, the same value as quant/spec `mac` applied K times in any order (two's
 * complement addition is associative), so a kernel is free to reorder and to accumulate pairs first.
 *
 * Three engines compute the same bits: 'native' (../native/kernels.cc through koffi, native-gemm.ts; the default
 * where `make native` built it), 'wasm' (WebAssembly SIMD, wasm-gemm.ts; the default where the native library is
 * absent) and 'js' (plain JS, js-gemm.ts; the fallback, and the cross-check of the others). INT8COSIM_GEMM=wasm
 * or INT8COSIM_GEMM=js forces one of the other two.
 */
import { ShapeError } from '../../errors.ts';
import { gemmJs, packBJs } from './js-gemm.ts';
import { gemmNative, nativeGemmAvailable, packBNative, type NativePackedB } from './native-gemm.ts';
import { nativeKernels, nativeStatus } from '../native/kernels.ts';
import { gemmWasm, packBWasm, wasmGemmAvailable, type WasmPackedB } from './wasm-gemm.ts';

export type GemmEngine = 'native' | 'wasm' | 'js';

/**
 * The engine used when none is named: native where its library is loaded on a SIMD path (AMX or AVX-512 VNNI),
 * else wasm where this runtime has WebAssembly SIMD, else native's portable loops where they are built, else js;
 * INT8COSIM_GEMM=wasm or =js caps the choice there, =native takes the native kernels whatever their path. The portable loops run a tenth as fast as the WebAssembly
 * kernels (1.8 against 18.5 GMAC/s at 256x256x256, an x86-64-v3 build measured here), so they never displace them.
 */
export function defaultGemmEngine(): GemmEngine {
  const cap = process.env.INT8COSIM_GEMM;
  const native = cap !== 'js' && cap !== 'wasm' ? nativeKernels() : null;
  if (native !== null && (native.isa !== 'portable' || cap === 'native')) return 'native';
  if (cap !== 'js' && wasmGemmAvailable()) return 'wasm';
  return native !== null ? 'native' : 'js';
}

/** One line on the kernels the golden model runs: the native path, or the engine that runs instead and why. */
export function goldenKernels(): string {
  const engine = defaultGemmEngine();
  if (engine === 'native') return `native, ${nativeKernels()?.isa}`;
  const capped = process.env.INT8COSIM_GEMM === 'wasm' || process.env.INT8COSIM_GEMM === 'js';
  // (INT8COSIM_GEMM=native without a loaded library: the reason is the library's)
  const portable = nativeKernels()?.isa === 'portable';
  const why = capped ? `INT8COSIM_GEMM=${process.env.INT8COSIM_GEMM}` : portable ? 'the native kernels have only their portable loops here, slower' : `native kernels ${nativeStatus()}`;
  return `${engine === 'wasm' ? 'WebAssembly SIMD' : 'plain JS'} (${why})`;
}

/** B[K, N] packed for one engine (build once per layer, multiply many times). */
export interface PackedB {
  k: number;
  n: number;
  engine: GemmEngine;
  js?: Float64Array;
  wasm?: WasmPackedB;
  native?: NativePackedB;
}

export function packB(b: Int8Array, k: number, n: number, engine: GemmEngine = defaultGemmEngine()): PackedB {
  if (b.length !== k * n) throw new ShapeError(`packB: expected B [K=${k}, N=${n}] = ${k * n} values, got ${b.length}`);
  if (engine === 'native') {
    if (!nativeGemmAvailable()) throw new RangeError('packB: the native kernels are not loaded (run make native); use the wasm engine');
    return { k, n, engine, native: packBNative(b, k, n) };
  }
  if (engine === 'wasm') {
    if (!wasmGemmAvailable()) throw new RangeError('packB: this runtime has no WebAssembly SIMD; use the js engine');
    return { k, n, engine, wasm: packBWasm(b, k, n) };
  }
  return { k, n, engine, js: packBJs(b, k, n) };
}

/** C[M, N] = A[M, K] * B (packed). Writes into out (allocated when absent) and returns it. */
export function gemmInt8Packed(a: Int8Array, m: number, b: PackedB, out?: Int32Array): Int32Array {
  const { k, n } = b;
  if (a.length !== m * k) throw new ShapeError(`gemmInt8: expected A [M=${m}, K=${k}] = ${m * k} values, got ${a.length}`);
  const c = out ?? new Int32Array(m * n);
  if (c.length < m * n) throw new ShapeError(`gemmInt8: output holds ${c.length} values, needs [M=${m}, N=${n}]`);
  if (b.native) gemmNative(a, m, b.native, c);
  else if (b.wasm) gemmWasm(a, m, b.wasm, c);
  else gemmJs(a, m, k, n, b.js as Float64Array, c);
  return c;
}

/** C[M, N] = wrap32(A[M, K] * B[K, N]) for int8 row-major A and B. */
export function gemmInt8(a: Int8Array, b: Int8Array, m: number, k: number, n: number, out?: Int32Array, engine?: GemmEngine): Int32Array {
  return gemmInt8Packed(a, m, packB(b, k, n, engine), out);
}
