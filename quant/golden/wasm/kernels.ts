/**
 * The golden model's WebAssembly kernels: kernels.wasm (compiled from kernels.wat beside it by
 * tools/build-wasm.ts), instantiated once. `wasmKernels()` is null where this runtime has no WebAssembly SIMD (or
 * the binary cannot be read); every caller then takes its plain-JS path.
 */
import { readFileSync } from 'node:fs';

// The few WebAssembly names used here (the project's lib has no DOM types, where TypeScript declares them).
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

/** The exports of kernels.wat (its comments give each one's contract); pointers are byte offsets into mem. */
export interface WasmKernels {
  gemm(a: number, b: number, c: number, m: number, k: number, n: number): void;
  im2col(
    src: number, dst: number, scratch: number, batch: number, inH: number, inW: number, inC: number, kh: number, kw: number,
    strideH: number, strideW: number, padTop: number, padLeft: number, outH: number, outW: number, pad: number,
  ): void;
  requant_rows(c: number, n: number, out: number, m: number, stages: number, zp: number, lo: number, hi: number, sh: number, u: number): void;
  requant_rows_double(c: number, n: number, out: number, m: number, stages: number, zp: number, lo: number, hi: number, r0: number, u: number): void;
  depthwise(
    src: number, acc: number, scratch: number, weights: number, batch: number, inH: number, inW: number, inC: number,
    kh: number, kw: number, strideH: number, strideW: number, padTop: number, padLeft: number, outH: number,
    outW: number, pad: number, cp: number,
  ): void;
  maxpool(
    src: number, dst: number, batch: number, inH: number, inW: number, inC: number, kh: number, kw: number,
    strideH: number, strideW: number, padTop: number, padLeft: number, outH: number, outW: number, lo: number, hi: number,
  ): void;
  maxpool32(
    src: number, dst: number, batch: number, inH: number, inW: number, inC: number, kh: number, kw: number,
    strideH: number, strideW: number, padTop: number, padLeft: number, outH: number, outW: number,
  ): void;
  requant(c: number, cStride: number, out: number, m: number, n: number, stages: number, zp: number, lo: number, hi: number): void;
  add_lookup(a: number, b: number, table: number, out: number, n: number): void;
  avgpool_sums(
    src: number, dst: number, batch: number, inH: number, inW: number, inC: number, kh: number, kw: number,
    strideH: number, strideW: number, padTop: number, padLeft: number, outH: number, outW: number,
  ): void;
  mem: WasmMemory;
}

let kernels: WasmKernels | null | undefined;

/** The instantiated kernels, or null when WebAssembly SIMD is not available here. */
export function wasmKernels(): WasmKernels | null {
  if (kernels !== undefined) return kernels;
  try {
    const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
    if (api === undefined) throw new Error('no WebAssembly');
    const bytes = readFileSync(new URL('./kernels.wasm', import.meta.url));
    kernels = new api.Instance(new api.Module(bytes), {}).exports as WasmKernels;
  } catch {
    kernels = null; // no WebAssembly SIMD here: the callers fall back to their JS kernels
  }
  return kernels;
}

/** The kernels' memory grown to at least `bytes`; returns its buffer (a new one after a grow). */
export function wasmMemory(k: WasmKernels, bytes: number): ArrayBuffer {
  const mem = k.mem;
  if (mem.buffer.byteLength < bytes) mem.grow(Math.ceil((bytes - mem.buffer.byteLength) / 65536));
  return mem.buffer;
}

/** x rounded up to a multiple of 16 (v128 alignment). */
export function align16(x: number): number {
  return (x + 15) & ~15;
}
