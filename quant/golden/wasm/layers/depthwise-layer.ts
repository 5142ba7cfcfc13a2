/**
 * A depthwise2d layer (depth multiplier 1) of the golden model on kernels.wat: `depthwise` for the int32
 * accumulators, 8 channels a vector, then the output stage (`requant`, or `requant_rows` where the layer is in
 * its form), chunk by chunk of images. Same bits as runDepthwise in ../../layers.ts, which stays for runtimes
 * without WebAssembly SIMD and for parameters outside what ../output-stages.ts reproduces.
 */
import type { ConvGeometry } from '../../../format/shapes.ts';
import { align16, wasmKernels, wasmMemory } from '../kernels.ts';
import { outputStride, readOutputRows, requantChunk, stageBytes } from '../output-rows.ts';
import { stagesOf, type OutputParams, type OutputStages } from '../output-stages.ts';

/** Output pixels per chunk: the accumulators (pixels x channels x 4 bytes) stay within L2. */
const CHUNK_PIXELS = 1024;

export interface WasmDepthwisePlan {
  geometry: ConvGeometry;
  /** Channels rounded up to 8: the accumulators' row stride. */
  cp: number;
  /** int16 [kh * kw][cp], zero past the channels. */
  weights: Int16Array;
  stages: OutputStages;
  pad: number;
}

export function prepareWasmDepthwise(geometry: ConvGeometry, weights: Int8Array, out: OutputParams, pad: number): WasmDepthwisePlan | undefined {
  if (wasmKernels() === null) return undefined;
  const stages = stagesOf(out);
  if (stages === undefined) return undefined;
  const { inC, kh, kw } = geometry;
  const cp = (inC + 7) & ~7;
  const w16 = new Int16Array(kh * kw * cp);
  for (let t = 0; t < kh * kw; t++) for (let c = 0; c < inC; c++) w16[t * cp + c] = weights[t * inC + c] as number;
  return { geometry, cp, weights: w16, stages, pad };
}

/** Runs the layer on `batch` inputs laid out one after the other (the caller has checked the sizes). */
export function runWasmDepthwise(plan: WasmDepthwisePlan, input: Int8Array, batch: number): Int8Array {
  const kern = wasmKernels();
  if (kern === null) throw new RangeError('runWasmDepthwise: this runtime has no WebAssembly SIMD');
  const { geometry: g, cp, stages } = plan;
  const n = g.inC;
  const plane = g.outH * g.outW;
  const m = batch * plane;
  const perChunk = Math.max(1, Math.floor(CHUNK_PIXELS / plane));
  const chunkRows = Math.min(batch, perChunk) * plane;
  const stBytes = stageBytes(stages);
  const outStride = outputStride(stages, cp);
  const inOff = 0;
  const wOff = align16(input.length + 16);
  const stOff = align16(wOff + plan.weights.byteLength);
  const scratchOff = align16(stOff + stBytes.length);
  const accOff = align16(scratchOff + ((g.outH - 1) * g.strideH + g.kh) * ((g.outW - 1) * g.strideW + g.kw) * g.inC + 16);
  const outOff = align16(accOff + (chunkRows + 3) * cp * 4);
  const buf = wasmMemory(kern, align16(outOff + (m + 3) * outStride + 16));
  new Int8Array(buf, inOff, input.length).set(input);
  new Int16Array(buf, wOff, plan.weights.length).set(plan.weights);
  new Uint8Array(buf, stOff, stBytes.length).set(stBytes);
  for (let b0 = 0; b0 < batch; b0 += perChunk) {
    const images = Math.min(perChunk, batch - b0);
    kern.depthwise(inOff + b0 * g.inH * g.inW * g.inC, accOff, scratchOff, wOff, images, g.inH, g.inW, g.inC, g.kh, g.kw, g.strideH, g.strideW, g.padTop, g.padLeft, g.outH, g.outW, plan.pad, cp);
    requantChunk(kern, stages, stOff, accOff, cp, outOff, b0 * plane, images * plane);
  }
  return readOutputRows(buf, outOff, m, n, outStride);
}
