/**
 * The golden model's native kernels: out/native/golden-kernels.so, compiled from kernels.cc beside this file by
 * `make native` (which `make test`, `make cosim` and `make bench` run first), bound through koffi. Typed arrays are
 * passed zero-copy, WebAssembly memory included. `nativeKernels()` is null where the library is absent, older than
 * its source or of another ABI (loaded through quant/ffi/koffi.ts, which sets the call stacks harness/sim needs); the golden model then runs its WebAssembly kernels, and `nativeStatus()` says why.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadLibrary } from '../../ffi/koffi.ts';

/** The ABI version kernels.cc's ic_golden_abi returns. */
const ABI = 8;

/** The exports of kernels.cc (its comments give each one's contract). */
export interface NativeKernels {
  /** The library's path. */
  path: string;
  /** The path that runs: 'amx-int8' (compiled and granted by Linux), 'avx512-vnni' or 'portable'. */
  isa: string;
  /** C[m, n] (row stride ldc) = A[m, k] (row stride lda) * B packed by packBNative. */
  gemm(a: Int8Array, lda: number, b: Int8Array, c: Int32Array, ldc: number, m: number, k: number, n: number): void;
  /** out[m, n] (row stride ldo) = the output stage `stages` (nativeStages) on A[m, k] * B, fused. */
  gemmRequant(a: Int8Array, lda: number, b: Int8Array, stages: Int32Array, out: Int8Array, ldo: number, m: number, k: number, n: number): void;
  /**
   * The conv layer of `batch` NHWC images, the patch matrix built tile by tile: C (row stride ldc) = im2col(src) * B.
   * geometry: inH, inW, inC, kh, kw, strideH, strideW, padTop, padLeft, outH, outW; pad: the input zero point.
   */
  conv(src: Int8Array, geometry: Int32Array, pad: number, b: Int8Array, c: Int32Array, ldc: number, batch: number, n: number): void;
  /** The same with the output stage fused: the int8 out (row stride ldo). */
  convRequant(src: Int8Array, geometry: Int32Array, pad: number, b: Int8Array, stages: Int32Array, out: Int8Array, ldo: number, batch: number, n: number): void;
  /**
   * A depthwise conv (multiplier 1) of `batch` NHWC images and its output stage into the int8 out; weights int8
   * [kh * kw][C rounded up to 32] (depthwise-layer.ts), geometry and pad as conv's.
   */
  depthwiseRequant(src: Int8Array, geometry: Int32Array, pad: number, weights: Int8Array, stages: Int32Array, out: Int8Array, batch: number): void;
  /** out[i] = ADD(a[i], b[i]), i < n, looked up in the layer's table of 65536 + 4 bytes (add-layer.ts). */
  add(a: Int8Array, b: Int8Array, table: Int8Array, out: Int8Array, n: number): void;
  /** The output stage alone on C[m, n] (row stride ldc): the scalar form of the fused one, for tests. */
  requant(c: Int32Array, ldc: number, stages: Int32Array, out: Int8Array, ldo: number, m: number, n: number): void;
}

/** Where `make native` writes the library. */
export const NATIVE_LIBRARY = fileURLToPath(new URL('../../../out/native/golden-kernels.so', import.meta.url));
const SOURCES = fileURLToPath(new URL('.', import.meta.url));

/** The newest modification time of kernels.cc and the headers it includes. */
function sourcesTime(): number {
  if (!existsSync(SOURCES)) return 0;
  return Math.max(0, ...readdirSync(SOURCES).filter((f) => /\.(cc|h)$/.test(f)).map((f) => statSync(SOURCES + f).mtimeMs));
}

let loaded: NativeKernels | null | undefined;
let status = '';

/** Binds the library at `path` (a build of kernels.cc); throws when it cannot be loaded or is of another ABI. */
export function loadNativeKernels(path: string): NativeKernels {
  const lib = loadLibrary(path);
  const abi = (lib.func('int ic_golden_abi(void)') as () => number)();
  if (abi !== ABI) throw new Error(`${path} has ABI ${abi}, this code binds ABI ${ABI}: run make native`);
  const isa = (lib.func('const char* ic_golden_isa(void)') as () => string)();
  const gemm = lib.func('void ic_golden_gemm(const int8_t* a, int lda, const int8_t* b, int32_t* c, int ldc, int m, int k, int n)') as NativeKernels['gemm'];
  const gemmRequant = lib.func(
    'void ic_golden_gemm_requant(const int8_t* a, int lda, const int8_t* b, const int32_t* stages, int8_t* out, int ldo, int m, int k, int n)',
  ) as NativeKernels['gemmRequant'];
  const requant = lib.func('void ic_golden_requant(const int32_t* c, int ldc, const int32_t* stages, int8_t* out, int ldo, int m, int n)') as NativeKernels['requant'];
  const conv = lib.func(
    'void ic_golden_conv(const int8_t* src, const int32_t* geometry, int pad, const int8_t* b, int32_t* c, int ldc, int batch, int n)',
  ) as NativeKernels['conv'];
  const convRequant = lib.func(
    'void ic_golden_conv_requant(const int8_t* src, const int32_t* geometry, int pad, const int8_t* b, const int32_t* stages, int8_t* out, int ldo, int batch, int n)',
  ) as NativeKernels['convRequant'];
  const add = lib.func('void ic_golden_add(const int8_t* a, const int8_t* b, const int8_t* table, int8_t* out, int n)') as NativeKernels['add'];
  const depthwiseRequant = lib.func(
    'void ic_golden_depthwise_requant(const int8_t* src, const int32_t* geometry, int pad, const int8_t* weights, const int32_t* stages, int8_t* out, int batch)',
  ) as NativeKernels['depthwiseRequant'];
  return { path, isa, gemm, gemmRequant, conv, convRequant, depthwiseRequant, add, requant };
}

/**
 * The kernels of out/native/golden-kernels.so (or of the build of kernels.cc that INT8COSIM_GOLDEN_NATIVE names), or
 * null when that library is absent, stale or unusable.
 */
export function nativeKernels(): NativeKernels | null {
  if (loaded !== undefined) return loaded;
  loaded = null;
  const named = process.env.INT8COSIM_GOLDEN_NATIVE;
  if (named !== undefined && named !== '') {
    try {
      loaded = loadNativeKernels(named);
      status = `${loaded.isa} (${named}, from INT8COSIM_GOLDEN_NATIVE)`;
    } catch (e) {
      status = `unusable (INT8COSIM_GOLDEN_NATIVE=${named}: ${(e as Error).message})`;
    }
    return loaded;
  }
  if (!existsSync(NATIVE_LIBRARY)) {
    status = `not built (${NATIVE_LIBRARY} is absent: run make native)`;
  } else if (statSync(NATIVE_LIBRARY).mtimeMs < sourcesTime()) {
    status = `stale (${NATIVE_LIBRARY} is older than kernels.cc or its headers: run make native)`;
  } else {
    try {
      loaded = loadNativeKernels(NATIVE_LIBRARY);
      status = `${loaded.isa} (${NATIVE_LIBRARY})`;
    } catch (e) {
      status = `unusable (${(e as Error).message})`;
    }
  }
  return loaded;
}

/** One line on the native kernels: the path they compiled, or why the WebAssembly ones run instead. */
export function nativeStatus(): string {
  nativeKernels();
  return status;
}
