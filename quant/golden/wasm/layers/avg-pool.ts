/**
 * AVERAGE_POOL_2D on kernels.wat's `avgpool_sums` (8 channels a step), for the layers it covers: channels a
 * multiple of 8. The kernel sums each window; each sum is then divided by its window's count and clamped by
 * quant/spec's averagePoolElement, as quant/kernels/average-pool2d.ts does, which runs every other layer and is
 * what this one is tested against.
 */
import { averagePoolElement } from '../../../spec/index.ts';
import { convGeometry, type ConvGeometry } from '../../../format/shapes.ts';
import type { AvgPool2DLayer } from '../../../format/types.ts';
import { clippedWindow, type ClippedWindow } from '../../../kernels/window.ts';
import { align16, wasmKernels, wasmMemory } from '../kernels.ts';

export interface WasmAvgPoolPlan {
  geometry: ConvGeometry;
  /** The number of positions of each output position's clipped window (outH x outW, the same in every image). */
  counts: Int32Array;
  actMin: number;
  actMax: number;
}

/** The plan of an average pool, or undefined when the kernels are absent or the layer needs the JS kernel. */
export function prepareWasmAvgPool(layer: AvgPool2DLayer): WasmAvgPoolPlan | undefined {
  if (wasmKernels() === null) return undefined;
  const geometry = convGeometry(layer.inputShape, layer.pool, layer.strides, layer.padding);
  // a window of 2^24 codes could pass int32, which the spec refuses and the kernel would wrap
  if (geometry.inC % 8 !== 0 || geometry.kh * geometry.kw >= 2 ** 24) return undefined;
  const counts = new Int32Array(geometry.outH * geometry.outW);
  const w: ClippedWindow = { yStart: 0, yEnd: 0, xStart: 0, xEnd: 0 };
  for (let oy = 0, i = 0; oy < geometry.outH; oy++) {
    for (let ox = 0; ox < geometry.outW; ox++, i++) {
      clippedWindow(geometry, oy, ox, w);
      counts[i] = (w.yEnd - w.yStart) * (w.xEnd - w.xStart);
    }
  }
  return { geometry, counts, actMin: layer.actMin, actMax: layer.actMax };
}

/** Runs the pool on `batch` inputs laid out one after the other (the caller has checked the sizes). */
export function runWasmAvgPool(plan: WasmAvgPoolPlan, input: Int8Array, batch: number): Int8Array {
  const kern = wasmKernels();
  if (kern === null) throw new RangeError('runWasmAvgPool: this runtime has no WebAssembly SIMD');
  const g = plan.geometry;
  const plane = g.outH * g.outW;
  const outLength = batch * plane * g.inC;
  const sumOff = align16(input.length + 16);
  const buf = wasmMemory(kern, sumOff + 4 * outLength + 16);
  new Int8Array(buf, 0, input.length).set(input);
  kern.avgpool_sums(0, sumOff, batch, g.inH, g.inW, g.inC, g.kh, g.kw, g.strideH, g.strideW, g.padTop, g.padLeft, g.outH, g.outW);
  const sums = new Int32Array(buf, sumOff, outLength);
  const out = new Int8Array(outLength);
  const { counts, actMin, actMax } = plan;
  const C = g.inC;
  for (let o = 0, pos = 0; o < outLength; pos = pos + 1 === plane ? 0 : pos + 1) {
    const count = counts[pos] as number;
    for (let c = 0; c < C; c++, o++) out[o] = averagePoolElement(sums[o] as number, count, actMin, actMax);
  }
  return out;
}
