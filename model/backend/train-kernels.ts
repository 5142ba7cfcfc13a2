/**
 * The trainer's WebAssembly kernels (train-kernels.wasm, compiled from train-kernels.wat beside it by
 * tools/build-wasm.ts), instantiated once per tfjs WASM backend on that backend's own memory: a kernel reads and
 * writes tensors where the backend keeps them (a tensor's pointer is its heap view's byteOffset) and scratch it
 * mallocs from the backend's allocator. `trainKernels(backend)` is null where that is not possible (not the WASM
 * backend, no WebAssembly SIMD); the callers then keep their plain paths.
 */
import { readFileSync } from 'node:fs';
import type { TensorInfo } from '@tensorflow/tfjs-core';

// The few WebAssembly names used here (the project's lib has no DOM types, where TypeScript declares them).
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

/** The exports of train-kernels.wat (its comments give each one's contract); pointers are byte offsets. */
interface Exports {
  conv_filter_grad(
    xp: number, dy: number, koff: number, out: number, k4: number, co: number, n: number, outH: number, outW: number,
    imgStride: number, rowStep: number, pixStep: number,
  ): void;
  bn_sums(x: number, m: number, c: number, k: number, s1: number, s2: number): void;
  bn_apply(x: number, y: number, m: number, c: number, scale: number, shift: number): void;
  bn_grad_sums(dy: number, x: number, m: number, c: number, mean: number, s: number, sx: number): void;
  bn_grad_apply(dy: number, x: number, dx: number, m: number, c: number, mean: number, k: number, a: number, r: number): void;
  fq_vec(x: number, y: number, mask: number, n: number, scales: number, c: number, lo: number, hi: number, half: number, nonNeg: number): void;
  fq_channel(x: number, y: number, mask: number, n: number, scales: number, c: number, lo: number, hi: number, half: number, nonNeg: number): void;
  col_sums(x: number, m: number, c: number, out: number): void;
  minmax(x: number, n: number, out: number): void;
  col_absmax(x: number, m: number, c: number, out: number): void;
  div_channels(x: number, s: number, y: number, m: number, c: number): void;
  add_channels(x: number, s: number, y: number, m: number, c: number): void;
  div_channels_grad(dy: number, x: number, s: number, m: number, c: number, dx: number, p: number): void;
  maxpool_grad2x2(x: number, g: number, dx: number, n: number, inH: number, inW: number, ch: number, outH: number, outW: number): void;
  adam(
    w: number, m: number, v: number, g: number, n: number, ow: number, om: number, ov: number, b1: number, c1: number,
    b2: number, c2: number, d1: number, d2: number, eps: number, nlr: number,
  ): void;
}

/** What a kernel of the WASM backend sees of it. */
export interface WasmBackend {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
  disposeData(dataId: object): boolean;
  wasm?: { asm?: { memory?: unknown }; _malloc(bytes: number): number; _free(ptr: number): void; HEAPU8: Uint8Array };
}

export interface TrainKernels extends Exports {
  /** Scratch on the backend's heap (free it with `free`). */
  malloc(bytes: number): number;
  free(ptr: number): void;
  /** The heap's current buffer (a new one after the heap grew: take views after every malloc). */
  heap(): ArrayBuffer;
  /** A tensor's byte offset on the heap. */
  ptr(t: TensorInfo): number;
}

const instances = new WeakMap<object, TrainKernels | null>();
let bytes: Uint8Array | null | undefined;

function instantiate(b: WasmBackend): TrainKernels | null {
  const em = b.wasm;
  const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  if (em === undefined || em.asm?.memory === undefined || api === undefined) return null;
  try {
    bytes ??= readFileSync(new URL('./train-kernels.wasm', import.meta.url));
  } catch {
    bytes = null;
  }
  if (bytes === null) return null;
  let exports: Exports;
  try {
    exports = new api.Instance(new api.Module(bytes), { env: { memory: em.asm.memory } }).exports as Exports;
  } catch {
    return null; // no WebAssembly SIMD here
  }
  return {
    ...exports,
    malloc: (n) => {
      const p = em._malloc(n);
      if (p === 0) throw new Error(`train kernels: the WASM heap could not allocate ${n} bytes`);
      return p;
    },
    free: (p) => em._free(p),
    heap: () => em.HEAPU8.buffer as ArrayBuffer,
    ptr: (t) => b.typedArrayFromHeap(t).byteOffset,
  };
}

/** The kernels on this backend's heap, or null (not the WASM backend, or no WebAssembly SIMD). */
export function trainKernels(backend: unknown): TrainKernels | null {
  const b = backend as WasmBackend;
  if (typeof b !== 'object' || b === null) return null;
  let k = instances.get(b);
  if (k === undefined) {
    k = instantiate(b);
    instances.set(b, k);
  }
  return k;
}
