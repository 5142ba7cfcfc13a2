/**
 * hw-sim's WebAssembly kernel: beat-rows.wat beside it, compiled by tools/build-wasm.ts into beat-rows-wasm.ts (the
 * binary in base64: hw-sim reads no file), instantiated once. `beatRowsKernel()` is null where this runtime has no
 * WebAssembly SIMD; ArraySim then computes every row in JavaScript.
 */
import { WASM_BASE64 } from './beat-rows-wasm.ts';

// The few WebAssembly names used here (the project's lib has no DOM types, where TypeScript declares them).
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface Globals {
  WebAssembly?: WasmApi;
  atob(data: string): string;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

/** The exports of beat-rows.wat (its comment gives the contract); pointers are byte offsets into mem. */
export interface BeatRowsKernel {
  rows(a: number, w: number, out: number, k: number, r: number, c: number): void;
  mem: WasmMemory;
}

let kernel: BeatRowsKernel | null | undefined;

/** The instantiated kernel, or null when WebAssembly SIMD is not available here. */
export function beatRowsKernel(): BeatRowsKernel | null {
  if (kernel !== undefined) return kernel;
  try {
    const g = globalThis as unknown as Globals;
    const api = g.WebAssembly;
    if (api === undefined) throw new Error('no WebAssembly');
    const bytes = Uint8Array.from(g.atob(WASM_BASE64), (ch) => ch.charCodeAt(0));
    kernel = new api.Instance(new api.Module(bytes), {}).exports as BeatRowsKernel;
  } catch {
    kernel = null; // no WebAssembly SIMD here: ArraySim computes the rows in JavaScript
  }
  return kernel;
}

/** The kernel's memory grown to at least `bytes`; returns its buffer (a new one after a grow). */
export function beatRowsMemory(k: BeatRowsKernel, bytes: number): ArrayBuffer {
  const mem = k.mem;
  if (mem.buffer.byteLength < bytes) mem.grow(Math.ceil((bytes - mem.buffer.byteLength) / 65536));
  return mem.buffer;
}
