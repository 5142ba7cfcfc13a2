/**
 * MAX_POOL_2D on kernels.wat's `maxpool` (8 channels a vector), for the layers it covers: channels a multiple of
 * 8 and int8 output bounds. Same bits as quant/kernels/max-pool2d.ts, which runs every other layer and is what
 * this one is tested against.
 */
import { convGeometry, type ConvGeometry } from '../../../format/shapes.ts';
import type { MaxPool2DLayer } from '../../../format/types.ts';
import { align16, wasmKernels, wasmMemory } from '../kernels.ts';

export interface WasmPoolPlan {
  geometry: ConvGeometry;
  lo: number;
  hi: number;
}

/** The plan of a max pool, or undefined when the kernels are absent or the layer needs the JS kernel. */
export function prepareWasmMaxPool(layer: MaxPool2DLayer): WasmPoolPlan | undefined {
  if (wasmKernels() === null) return undefined;
  const geometry = convGeometry(layer.inputShape, layer.pool, layer.strides, layer.padding);
  const lo = layer.actMin ?? -128;
  const hi = layer.actMax ?? 127;
  const int8 = (v: number) => Number.isInteger(v) && v >= -128 && v <= 127;
  if (geometry.inC % 8 !== 0 || !int8(lo) || !int8(hi)) return undefined;
  return { geometry, lo, hi };
}

/** Runs the pool on `batch` inputs laid out one after the other (the caller has checked the sizes). */
export function runWasmMaxPool(plan: WasmPoolPlan, input: Int8Array, batch: number): Int8Array {
  const kern = wasmKernels();
  if (kern === null) throw new RangeError('runWasmMaxPool: this runtime has no WebAssembly SIMD');
  const g = plan.geometry;
  const outLength = batch * g.outH * g.outW * g.inC;
  const outOff = align16(input.length + 16);
  const buf = wasmMemory(kern, outOff + outLength + 16);
  new Int8Array(buf, 0, input.length).set(input);
  kern.maxpool(0, outOff, batch, g.inH, g.inW, g.inC, g.kh, g.kw, g.strideH, g.strideW, g.padTop, g.padLeft, g.outH, g.outW, plan.lo, plan.hi);
  return new Int8Array(buf, outOff, outLength).slice();
}
