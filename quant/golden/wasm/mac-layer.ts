/**
 * A dense or conv2d layer of the golden model on kernels.wat, whole: im2col (conv), the int8 GEMM and the output
 * stage, chunk by chunk of rows so that the patch and accumulator blocks stay in cache, with the int32
 * accumulators never leaving WebAssembly memory. Same bits as the JS path of ../layers.ts (quant/spec's
 * requantize per element), which stays for runtimes without WebAssembly SIMD and for parameters outside what
 * ./output-stages.ts reproduces.
 */
import type { ConvGeometry } from '../../format/shapes.ts';
import type { WasmPackedB } from '../gemm/wasm-gemm.ts';
import { align16, wasmKernels, wasmMemory } from './kernels.ts';
import { outputStride, readOutputRows, requantChunk, stageBytes } from './output-rows.ts';
import { stagesOf, type OutputParams, type OutputStages } from './output-stages.ts';

/** Rows of the GEMM per chunk: A (rows x K bytes) and C (rows x N x 4 bytes) stay within L2. */
const CHUNK_ROWS = 2048;

export interface WasmMacPlan {
  k: number;
  n: number;
  /** n rounded up to the GEMM's panel of 8. */
  np: number;
  b: WasmPackedB;
  stages: OutputStages;
  geometry?: ConvGeometry;
  /** The input zero point: what im2col writes for taps in the padding. */
  pad: number;
}

/** The plan of a MAC layer, or undefined when the kernels are absent or its parameters need the JS path. */
export function prepareWasmMac(b: WasmPackedB, out: OutputParams, pad: number, geometry?: ConvGeometry): WasmMacPlan | undefined {
  if (wasmKernels() === null) return undefined;
  const stages = stagesOf(out);
  if (stages === undefined) return undefined;
  const plan = { k: b.k, n: b.n, np: (b.n + 7) & ~7, b, stages, pad };
  return geometry ? { ...plan, geometry } : plan;
}

/** Runs the layer on `batch` inputs laid out one after the other (the caller has checked the sizes). */
export function runWasmMac(plan: WasmMacPlan, input: Int8Array, batch: number): Int8Array {
  const kern = wasmKernels();
  if (kern === null) throw new RangeError('runWasmMac: this runtime has no WebAssembly SIMD');
  const { k, n, np, b, stages, geometry: g } = plan;
  const plane = g ? g.outH * g.outW : 1;
  const m = batch * plane;
  // images per chunk (a dense layer's row is one image)
  const perChunk = Math.max(1, Math.floor(CHUNK_ROWS / plane));
  const chunkRows = Math.min(batch, perChunk) * plane;
  const chunkRowsPadded = (chunkRows + 3) & ~3;
  const inOff = 0;
  const bOff = align16(inOff + input.length + 16);
  const stBytes = stageBytes(stages);
  // requant_rows writes rows n rounded up to 8 bytes apart, compacted at the end when that is not n
  const outStride = outputStride(stages, np);
  const stOff = align16(bOff + b.data.byteLength);
  const aOff = align16(stOff + stBytes.length);
  const scratchOff = align16(aOff + (g ? chunkRowsPadded * k + 16 : 0));
  // im2col's padded image: [(outH - 1) * strideH + kh, (outW - 1) * strideW + kw, inC]
  const cOff = align16(scratchOff + (g ? ((g.outH - 1) * g.strideH + g.kh) * ((g.outW - 1) * g.strideW + g.kw) * g.inC + 16 : 0));
  const outOff = align16(cOff + chunkRowsPadded * np * 4);
  const need = align16(outOff + (m + 3) * outStride + 16); // requant writes whole groups of 4 rows
  const buf = wasmMemory(kern, need);
  new Int8Array(buf, inOff, input.length).set(input);
  new Int16Array(buf, bOff, b.data.length).set(b.data);
  new Uint8Array(buf, stOff, stBytes.length).set(stBytes);
  for (let b0 = 0; b0 < batch; b0 += perChunk) {
    const images = Math.min(perChunk, batch - b0);
    const rows = images * plane;
    const rowsPadded = (rows + 3) & ~3;
    let a: number;
    if (g) {
      a = aOff;
      kern.im2col(inOff + b0 * g.inH * g.inW * g.inC, aOff, scratchOff, images, g.inH, g.inW, g.inC, g.kh, g.kw, g.strideH, g.strideW, g.padTop, g.padLeft, g.outH, g.outW, plan.pad);
    } else {
      a = inOff + b0 * k; // the rows past the last image are read and their results dropped
    }
    kern.gemm(a, bOff, cOff, rowsPadded, k, np);
    requantChunk(kern, stages, stOff, cOff, np, outOff, b0 * plane, rows);
  }
  return readOutputRows(buf, outOff, m, n, outStride);
}
