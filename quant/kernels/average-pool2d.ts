/**
 * AVERAGE_POOL_2D over int8 codes (TFLite reference integer_ops::AveragePool): the int32 sum of each window's
 * positions inside the input, divided by their count with TFLite's rounding (quant/spec `averagePoolElement`),
 * clamped to the fused activation's range. Input and output quantization are the same.
 */
import { averagePoolElement } from '../spec/index.ts';
import { convGeometry } from '../format/shapes.ts';
import type { AvgPool2DLayer } from '../format/types.ts';
import { forEachWindow } from './window.ts';

/** Runs the pool on `batch` inputs laid out one after the other. */
export function averagePool2d(layer: AvgPool2DLayer, input: Int8Array, batch = 1): Int8Array {
  const g = convGeometry(layer.inputShape, layer.pool, layer.strides, layer.padding);
  const { inW, inC } = g;
  const out = new Int8Array(batch * g.outH * g.outW * inC);
  forEachWindow(g, batch, (base, w, o) => {
    const count = (w.yEnd - w.yStart) * (w.xEnd - w.xStart);
    for (let c = 0; c < inC; c++) {
      let sum = 0;
      for (let y = w.yStart; y < w.yEnd; y++) {
        for (let x = w.xStart, s = base + (y * inW + x) * inC + c; x < w.xEnd; x++, s += inC) sum += input[s] as number;
      }
      out[o + c] = averagePoolElement(sum, count, layer.actMin, layer.actMax);
    }
  });
  return out;
}
