/**
 * MAX_POOL_2D over int8 codes: the largest code of each (clipped) window, then the fused activation's clamp.
 * Input and output quantization are the same, so no arithmetic of quant/spec is involved. The golden model and
 * hw-sim's host ops both run this one kernel.
 */
import { convGeometry, type ConvGeometry } from '../format/shapes.ts';
import type { MaxPool2DLayer } from '../format/types.ts';
import { forEachWindow } from './window.ts';

/** Runs the pool on `batch` inputs laid out one after the other. */
export function maxPool2d(layer: MaxPool2DLayer, input: Int8Array, batch = 1): Int8Array {
  const g = convGeometry(layer.inputShape, layer.pool, layer.strides, layer.padding);
  const out = new Int8Array(batch * g.outH * g.outW * g.inC);
  const unclamped = (layer.actMin ?? -128) <= -128 && (layer.actMax ?? 127) >= 127;
  if (g.kh === 2 && g.kw === 2 && g.strideH === 2 && g.strideW === 2 && layer.padding === 'valid' && unclamped) return maxPool2x2(g, input, batch, out);
  const lo = layer.actMin ?? -128;
  const hi = layer.actMax ?? 127;
  const { inW, inC } = g;
  forEachWindow(g, batch, (base, w, o) => {
    for (let c = 0; c < inC; c++) {
      let best = -128;
      for (let y = w.yStart; y < w.yEnd; y++) {
        for (let x = w.xStart, s = base + (y * inW + x) * inC + c; x < w.xEnd; x++, s += inC) {
          const v = input[s] as number;
          if (v > best) best = v;
        }
      }
      out[o + c] = best < lo ? lo : best > hi ? hi : best;
    }
  });
  return out;
}

/** The common 2x2 stride-2 valid pool without a clamp, unrolled. */
function maxPool2x2(g: ConvGeometry, input: Int8Array, batch: number, out: Int8Array): Int8Array {
  const { inH, inW, inC, outH, outW } = g;
  const rowStride = inW * inC;
  let o = 0;
  for (let b = 0; b < batch; b++) {
    const base = b * inH * rowStride;
    for (let oy = 0; oy < outH; oy++) {
      let s = base + 2 * oy * rowStride;
      for (let ox = 0; ox < outW; ox++, s += 2 * inC) {
        for (let c = 0; c < inC; c++) {
          const a = input[s + c] as number;
          const b1 = input[s + inC + c] as number;
          const c1 = input[s + rowStride + c] as number;
          const d = input[s + rowStride + inC + c] as number;
          const m1 = a > b1 ? a : b1;
          const m2 = c1 > d ? c1 : d;
          out[o++] = m1 > m2 ? m1 : m2;
        }
      }
    }
  }
  return out;
}
