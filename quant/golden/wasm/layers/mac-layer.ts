/**
 * A dense or conv2d layer of the golden model on kernels.wat, whole: im2col (conv), the int8 GEMM and the output
 * stage, chunk by chunk of rows so that the patch and accumulator blocks stay in cache, with the int32
 * accumulators never leaving WebAssembly memory. The GEMM is kernels.wat's, or the native one (../../native/
 * kernels.cc) where the weights were packed for it, run on the same memory zero-copy. Same bits as the JS path of ../../layers.ts (quant/spec's
 * requantize per element), which stays for runtimes without WebAssembly SIMD and for parameters outside what
 * ../output-stages.ts reproduces.
 */
import { convGeometry, type ConvGeometry } from '../../../format/shapes.ts';
import type { MaxPool2DLayer } from '../../../format/types.ts';
import { nativeStages, type NativePackedB } from '../../gemm/native-gemm.ts';
import type { WasmPackedB } from '../../gemm/wasm-gemm.ts';
import { nativeKernels } from '../../native/kernels.ts';
import { uninitializedInt8 } from '../../native/uninitialized.ts';
import { align16, wasmKernels, wasmMemory } from '../kernels.ts';
import { outputStride, readOutputRows, requantChunk, stageBytes } from '../output-rows.ts';
import { stagesOf, type OutputParams, type OutputStages } from '../output-stages.ts';

/** Rows of the GEMM per chunk: A (rows x K bytes) and C (rows x N x 4 bytes) stay within L2. */
const CHUNK_ROWS = 2048;

export interface WasmMacPlan {
  k: number;
  n: number;
  /** n rounded up to the GEMM's panel of 8. */
  np: number;
  /** The weights packed for kernels.wat's gemm (int16 pairs) or, with `native`, for the native one (int8 quads). */
  b: WasmPackedB | NativePackedB;
  /** The GEMM runs on the native kernels. */
  native: boolean;
  /** With `native`: the output stage for the native GEMM's fused epilogue (nativeStages), where it takes it. */
  nativeStages?: Int32Array;
  stages: OutputStages;
  geometry?: ConvGeometry;
  /** The input zero point: what im2col writes for taps in the padding. */
  pad: number;
  /** The output stage's parameters (a fused max pool derives its own stage from them). */
  out: OutputParams;
}

/**
 * A conv layer and the max pool that alone reads it, run as one: the pool on the conv's int32 accumulators
 * (kernels.wat `maxpool32`), then the output stage on the pooled ones, with the pool's clamp folded into the
 * stage's. Same bits as the two layers one after the other wherever `fuseMaxPool` returns one: there the stage is
 * non-decreasing in the accumulator, so the largest accumulator of a window gives its largest code.
 */
export interface WasmPoolFusion {
  /** The pool's geometry on the conv's output. */
  geometry: ConvGeometry;
  /** The conv's output stage clamped to both layers' bounds. */
  stages: OutputStages;
}

/** The plan of a MAC layer, or undefined when the kernels are absent or its parameters need the JS path. */
export function prepareWasmMac(
  b: { wasm: WasmPackedB } | { native: NativePackedB }, out: OutputParams, pad: number, geometry?: ConvGeometry,
): WasmMacPlan | undefined {
  if (wasmKernels() === null) return undefined;
  if ('native' in b && nativeKernels() === null) return undefined;
  const stages = stagesOf(out);
  if (stages === undefined) return undefined;
  const packed = 'native' in b ? b.native : b.wasm;
  const plan: WasmMacPlan = { k: packed.k, n: packed.n, np: (packed.n + 7) & ~7, b: packed, native: 'native' in b, stages, pad, out };
  if (geometry) plan.geometry = geometry;
  const fused = plan.native ? nativeStages(out.bias, out.multiplier, out.shift, out.mode, out.zp, out.actMin, out.actMax) : undefined;
  if (fused) plan.nativeStages = fused;
  return plan;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * The fusion of a conv layer (its plan and its weights [K, N]) with the max pool that reads it, or undefined where
 * the two must run one after the other. It needs: every pool window holding a tap; an int8 conv output (what the
 * pool's start from -128 assumes) and clamps of the two layers that meet; and, per channel c, an output stage
 * non-decreasing over every accumulator the layer can reach, |acc| <= 128 * sum_k |w[k][c]|. The stage is
 * wrap32(acc + bias) then, in the double and ruy modes, wrap32(x << max(shift, 0)), then roundings and a clamp
 * that never decrease for m0 >= 0; so it is non-decreasing where neither wrap can happen, which is what is checked.
 */
export function fuseMaxPool(plan: WasmMacPlan, weights: Int8Array, pool: MaxPool2DLayer): WasmPoolFusion | undefined {
  const g = plan.geometry;
  if (g === undefined) return undefined;
  const pg = convGeometry(pool.inputShape, pool.pool, pool.strides, pool.padding);
  if (pg.inH !== g.outH || pg.inW !== g.outW || pg.inC !== plan.n) return undefined;
  const covered = (out: number, stride: number, pad: number, size: number, full: number) => {
    for (let o = 0; o < out; o++) {
      const a = o * stride - pad;
      if (Math.max(a, 0) >= Math.min(a + size, full)) return false;
    }
    return true;
  };
  if (!covered(pg.outH, pg.strideH, pg.padTop, pg.kh, pg.inH) || !covered(pg.outW, pg.strideW, pg.padLeft, pg.kw, pg.inW)) return undefined;
  const out = plan.out;
  const lo = Math.max(out.actMin, pool.actMin ?? -128);
  const hi = Math.min(out.actMax, pool.actMax ?? 127);
  if (out.actMin < -128 || out.actMax > 127 || lo > hi) return undefined;
  const { k, n } = plan;
  for (let c = 0; c < n; c++) {
    let sum = 0;
    for (let i = 0; i < k; i++) sum += Math.abs(weights[i * n + c] as number);
    const reach = 128 * sum;
    const bias = out.bias[c] as number;
    const shift = out.shift[c] as number;
    const scale = out.mode !== 'single' && shift > 0 ? 2 ** shift : 1;
    if (!((out.multiplier[c] as number) >= 0 && (bias - reach) * scale >= INT32_MIN && (bias + reach) * scale <= INT32_MAX)) return undefined;
  }
  const stages = stagesOf({ ...out, actMin: lo, actMax: hi });
  return stages ? { geometry: pg, stages } : undefined;
}

/**
 * Runs the layer on `batch` inputs laid out one after the other (the caller has checked the sizes); with `pool`
 * (from fuseMaxPool on this plan), the layer and its max pool, returning the pool's output. `out`: where the
 * native kernels run the whole layer, its output goes there (else a new array is returned).
 */
export function runWasmMac(plan: WasmMacPlan, input: Int8Array, batch: number, pool?: WasmPoolFusion, out?: Int8Array): Int8Array {
  const kern = wasmKernels();
  if (kern === null) throw new RangeError('runWasmMac: this runtime has no WebAssembly SIMD');
  const nat = plan.native ? nativeKernels() : null;
  if (plan.native && nat === null) throw new RangeError('runWasmMac: the plan is for the native kernels, which are not loaded');
  const { k, n, np, b, geometry: g } = plan;
  if (nat && plan.nativeStages && !pool) return runFusedMac(plan, input, batch, out);
  const stages = pool ? pool.stages : plan.stages;
  const pg = pool?.geometry;
  const plane = g ? g.outH * g.outW : 1;
  // rows of the output: the pool's when fused
  const outPlane = pg ? pg.outH * pg.outW : plane;
  const m = batch * outPlane;
  // images per chunk (a dense layer's row is one image)
  const perChunk = Math.max(1, Math.floor(CHUNK_ROWS / plane));
  const chunkRows = Math.min(batch, perChunk) * plane;
  const chunkRowsPadded = (chunkRows + 3) & ~3;
  const inOff = 0;
  const bOff = align16(inOff + input.length + 16);
  const stBytes = stageBytes(stages);
  // requant_rows writes rows n rounded up to 8 bytes apart, compacted at the end when that is not n
  const outStride = outputStride(stages, np);
  // the native GEMM reads its weights where they are; kernels.wat's need them in its memory
  const stOff = align16(bOff + (nat ? 0 : b.data.byteLength));
  const aOff = align16(stOff + stBytes.length);
  const scratchOff = align16(aOff + (g ? chunkRowsPadded * k + 16 : 0));
  // im2col's padded image: [(outH - 1) * strideH + kh, (outW - 1) * strideW + kw, inC]
  const cOff = align16(scratchOff + (g ? ((g.outH - 1) * g.strideH + g.kh) * ((g.outW - 1) * g.strideW + g.kw) * g.inC + 16 : 0));
  // a fused pool's output of one chunk, int32, with 3 rows for requant's groups of 4
  const pOff = align16(cOff + chunkRowsPadded * np * 4);
  const outOff = align16(pOff + (pg ? (Math.min(batch, perChunk) * outPlane + 3) * np * 4 : 0));
  const need = align16(outOff + (m + 3) * outStride + 16); // requant writes whole groups of 4 rows
  const buf = wasmMemory(kern, need);
  new Int8Array(buf, inOff, input.length).set(input);
  if (!nat) new Int16Array(buf, bOff, b.data.length).set(b.data);
  new Uint8Array(buf, stOff, stBytes.length).set(stBytes);
  const cView = nat ? new Int32Array(buf, cOff, chunkRowsPadded * np) : undefined;
  for (let b0 = 0; b0 < batch; b0 += perChunk) {
    const images = Math.min(perChunk, batch - b0);
    const rows = images * plane;
    const rowsPadded = (rows + 3) & ~3;
    let a: number;
    if (nat && g) {
      // the native conv builds its patch rows itself, from the images where they are
      const inSize = g.inH * g.inW * g.inC;
      nat.conv(input.subarray(b0 * inSize, (b0 + images) * inSize), nativeGeometry(g), plan.pad, b.data as Int8Array, cView as Int32Array, np, images, np);
      a = -1;
    } else if (g) {
      a = aOff;
      kern.im2col(inOff + b0 * g.inH * g.inW * g.inC, aOff, scratchOff, images, g.inH, g.inW, g.inC, g.kh, g.kw, g.strideH, g.strideW, g.padTop, g.padLeft, g.outH, g.outW, plan.pad);
    } else {
      a = inOff + b0 * k; // the rows past the last image are read and their results dropped
    }
    if (nat && !g) nat.gemm(new Int8Array(buf, a, rows * k), k, b.data as Int8Array, cView as Int32Array, np, rows, k, np);
    else if (!nat) kern.gemm(a, bOff, cOff, rowsPadded, k, np);
    if (pg && g) {
      kern.maxpool32(cOff, pOff, images, g.outH, g.outW, np, pg.kh, pg.kw, pg.strideH, pg.strideW, pg.padTop, pg.padLeft, pg.outH, pg.outW);
      requantChunk(kern, stages, stOff, pOff, np, outOff, b0 * outPlane, images * outPlane);
    } else {
      requantChunk(kern, stages, stOff, cOff, np, outOff, b0 * plane, rows);
    }
  }
  return readOutputRows(buf, outOff, m, n, outStride);
}

/** A conv's geometry as ic_golden_conv takes it. */
export function nativeGeometry(g: ConvGeometry): Int32Array {
  return Int32Array.of(g.inH, g.inW, g.inC, g.kh, g.kw, g.strideH, g.strideW, g.padTop, g.padLeft, g.outH, g.outW);
}

/**
 * runWasmMac on the native kernels alone, the output stage in the GEMM's epilogue: ic_golden_conv_requant (the
 * patch rows built tile by tile from the images) or ic_golden_gemm_requant (dense) straight into the int8 output;
 * the accumulators never leave the registers.
 */
function runFusedMac(plan: WasmMacPlan, input: Int8Array, batch: number, into?: Int8Array): Int8Array {
  const nat = nativeKernels() as NonNullable<ReturnType<typeof nativeKernels>>;
  const { k, n, b, geometry: g } = plan;
  const stages = plan.nativeStages as Int32Array;
  const out = into ?? uninitializedInt8(batch * (g ? g.outH * g.outW : 1) * n); // the kernels write every element
  if (g) nat.convRequant(input, nativeGeometry(g), plan.pad, b.data as Int8Array, stages, out, n, batch, n);
  else nat.gemmRequant(input, k, b.data as Int8Array, stages, out, n, batch, k, n);
  return out;
}
