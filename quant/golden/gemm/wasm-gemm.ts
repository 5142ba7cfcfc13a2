/**
 * The int8 GEMM as a WebAssembly SIMD kernel, assembled here byte by byte (no toolchain needed). Same contract as
 * gemm.ts: C[M, N] = wrap32(sum_k A[m, k] * B[k, n]).
 *
 * The kernel is built on i32x4.dot_i16x8_s (x86 pmaddwd): for a pair of reductions (k, k+1) it multiplies
 * [a_k, a_k+1] x 4 with [b_k,n  b_k+1,n  ... b_k,n+3  b_k+1,n+3] and adds the pairs into four int32 lanes. Each
 * pair product is at most 2 * 2^14, so nothing but the int32 accumulation can overflow, and i32x4.add wraps
 * exactly like the hardware's accumulator. A 4 x 8 register tile (8 v128 accumulators) runs over K.
 *   A: int8 row-major as given (v128.load16_splat + i16x8.extend_low_i8x16_s give [a_k, a_k+1] x 4)
 *   B: widened to int16 and packed once per layer into panels of 8 columns x K pairs (zero past K and N)
 *   C: int32, rows padded to a multiple of 4 and columns to 8, copied out at the end
 */

const enc = {
  u32(n: number): number[] {
    const out: number[] = [];
    do {
      let b = n & 0x7f;
      n >>>= 7;
      if (n !== 0) b |= 0x80;
      out.push(b);
    } while (n !== 0);
    return out;
  },
  i32(n: number): number[] {
    const out: number[] = [];
    for (;;) {
      const b = n & 0x7f;
      n >>= 7;
      if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
        out.push(b);
        return out;
      }
      out.push(b | 0x80);
    }
  },
  str(s: string): number[] {
    return [...enc.u32(s.length), ...[...s].map((c) => c.charCodeAt(0))];
  },
  section(id: number, body: number[]): number[] {
    return [id, ...enc.u32(body.length), ...body];
  },
};

// Opcodes used below.
const I32 = 0x7f;
const V128 = 0x7b;
const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: (d: number) => [0x0c, ...enc.u32(d)],
  brIf: (d: number) => [0x0d, ...enc.u32(d)],
  get: (i: number) => [0x20, ...enc.u32(i)],
  set: (i: number) => [0x21, ...enc.u32(i)],
  const: (v: number) => [0x41, ...enc.i32(v)],
  add: [0x6a],
  sub: [0x6b],
  mul: [0x6c],
  eqz: [0x45],
  geU: [0x4f],
  shrU: [0x76],
  simd: (code: number, ...rest: number[]) => [0xfd, ...enc.u32(code), ...rest],
};
const v128Load = (offset: number) => op.simd(0x00, 4, ...enc.u32(offset));
const v128Store = (offset: number) => op.simd(0x0b, 4, ...enc.u32(offset));
const load16Splat = op.simd(0x08, 1, 0);
const extendLowS = op.simd(0x87);
const i32x4Add = op.simd(0xae);
const dot = op.simd(0xba);
const v128Zero = op.simd(0x0c, ...new Array<number>(16).fill(0));

// Locals: params, then i32s, then v128s.
const P_A = 0, P_B = 1, P_C = 2, P_M = 3, P_K = 4, P_N = 5;
const L_I = 6, L_J = 7, L_KK = 8, L_AP = 9, L_BP = 10, L_CP = 11, L_PAIRS = 12, L_PANEL = 13, L_K2 = 14, L_K3 = 15, L_ROW = 16;
const I32_LOCALS = 11;
const V_X = 17, V_B0 = 18, V_B1 = 19, V_ACC = 20; // 8 accumulators: 20..27
const V128_LOCALS = 11;

function kernelBody(): number[] {
  const c: number[] = [];
  const e = (...xs: number[][]) => xs.forEach((x) => c.push(...x));
  // pairs = (K + 1) >> 1; panel = pairs * 32; K2 = 2K; K3 = 3K; row = N * 4
  e(op.get(P_K), op.const(1), op.add, op.const(1), op.shrU, op.set(L_PAIRS));
  e(op.get(L_PAIRS), op.const(32), op.mul, op.set(L_PANEL));
  e(op.get(P_K), op.get(P_K), op.add, op.set(L_K2));
  e(op.get(L_K2), op.get(P_K), op.add, op.set(L_K3));
  e(op.get(P_N), op.const(4), op.mul, op.set(L_ROW));
  e(op.const(0), op.set(L_I));
  e(op.block, op.loop); // rows of 4
  e(op.get(L_I), op.get(P_M), op.geU, op.brIf(1));
  e(op.const(0), op.set(L_J));
  e(op.block, op.loop); // columns of 8
  e(op.get(L_J), op.get(P_N), op.geU, op.brIf(1));
  for (let r = 0; r < 8; r++) e(v128Zero, op.set(V_ACC + r));
  e(op.get(P_A), op.get(L_I), op.get(P_K), op.mul, op.add, op.set(L_AP));
  e(op.get(P_B), op.get(L_J), op.const(3), op.shrU, op.get(L_PANEL), op.mul, op.add, op.set(L_BP));
  e(op.get(L_PAIRS), op.set(L_KK));
  e(op.block, op.loop); // K pairs
  e(op.get(L_KK), op.eqz, op.brIf(1));
  e(op.get(L_BP), v128Load(0), op.set(V_B0));
  e(op.get(L_BP), v128Load(16), op.set(V_B1));
  const rowOffset = [null, P_K, L_K2, L_K3] as const;
  for (let r = 0; r < 4; r++) {
    const off = rowOffset[r];
    e(op.get(L_AP));
    if (off !== null && off !== undefined) e(op.get(off), op.add);
    e(load16Splat, extendLowS, op.set(V_X));
    e(op.get(V_ACC + 2 * r), op.get(V_X), op.get(V_B0), dot, i32x4Add, op.set(V_ACC + 2 * r));
    e(op.get(V_ACC + 2 * r + 1), op.get(V_X), op.get(V_B1), dot, i32x4Add, op.set(V_ACC + 2 * r + 1));
  }
  e(op.get(L_AP), op.const(2), op.add, op.set(L_AP));
  e(op.get(L_BP), op.const(32), op.add, op.set(L_BP));
  e(op.get(L_KK), op.const(1), op.sub, op.set(L_KK));
  e(op.br(0), op.end, op.end);
  // store the 4 x 8 tile: C + (i * N + j) * 4, rows N * 4 bytes apart
  e(op.get(P_C), op.get(L_I), op.get(P_N), op.mul, op.get(L_J), op.add, op.const(4), op.mul, op.add, op.set(L_CP));
  for (let r = 0; r < 4; r++) {
    e(op.get(L_CP), op.get(V_ACC + 2 * r), v128Store(0));
    e(op.get(L_CP), op.get(V_ACC + 2 * r + 1), v128Store(16));
    if (r < 3) e(op.get(L_CP), op.get(L_ROW), op.add, op.set(L_CP));
  }
  e(op.get(L_J), op.const(8), op.add, op.set(L_J));
  e(op.br(0), op.end, op.end);
  e(op.get(L_I), op.const(4), op.add, op.set(L_I));
  e(op.br(0), op.end, op.end);
  e(op.end);
  const locals = [...enc.u32(2), ...enc.u32(I32_LOCALS), I32, ...enc.u32(V128_LOCALS), V128];
  const body = [...locals, ...c];
  return [...enc.u32(body.length), ...body];
}

function moduleBytes(): Uint8Array {
  const type = [...enc.u32(1), 0x60, ...enc.u32(6), ...new Array<number>(6).fill(I32), ...enc.u32(0)];
  const funcs = [...enc.u32(1), ...enc.u32(0)];
  const memory = [...enc.u32(1), 0x00, ...enc.u32(1)];
  const exports = [...enc.u32(2), ...enc.str('gemm'), 0x00, ...enc.u32(0), ...enc.str('mem'), 0x02, ...enc.u32(0)];
  const code = [...enc.u32(1), ...kernelBody()];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...enc.section(1, type),
    ...enc.section(3, funcs),
    ...enc.section(5, memory),
    ...enc.section(7, exports),
    ...enc.section(10, code),
  ]);
}

// The few WebAssembly names used here (the project's lib has no DOM types, where TypeScript declares them).
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

interface Kernel {
  gemm: (a: number, b: number, c: number, m: number, k: number, n: number) => void;
  mem: WasmMemory;
}

let kernel: Kernel | null | undefined;

function instance(): Kernel | null {
  if (kernel !== undefined) return kernel;
  try {
    const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
    if (api === undefined) throw new Error('no WebAssembly');
    kernel = new api.Instance(new api.Module(moduleBytes()), {}).exports as Kernel;
  } catch {
    kernel = null; // no WebAssembly SIMD here: the caller falls back to the JS kernel
  }
  return kernel;
}

/** True when this engine runs the SIMD kernel. */
export function wasmGemmAvailable(): boolean {
  return instance() !== null;
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

const align16 = (x: number) => (x + 15) & ~15;

/** C[M, N] = A[M, K] * B with the SIMD kernel. The caller checks sizes and that the kernel is available. */
export function gemmWasm(a: Int8Array, m: number, b: WasmPackedB, c: Int32Array): void {
  const kern = instance() as Kernel;
  const { k, n } = b;
  const mp = (m + 3) & ~3;
  const np = (n + 7) & ~7;
  const aOff = 0;
  const bOff = align16(mp * k + 16);
  const cOff = align16(bOff + b.data.byteLength);
  const need = cOff + mp * np * 4;
  const mem = kern.mem;
  if (mem.buffer.byteLength < need) mem.grow(Math.ceil((need - mem.buffer.byteLength) / 65536));
  const buf = mem.buffer;
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
