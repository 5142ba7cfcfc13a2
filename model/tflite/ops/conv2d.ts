/**
 * CONV_2D: filter [O, kh, kw, I] (OHWI), per-channel along axis 0, becomes a conv2d layer with HWIO weights
 * [kh, kw, I, O].
 */
import type { Conv2DLayer } from '../../../quant/format/types.ts';
import type { TfliteOperator } from '../graph.ts';
import type { ImportContext } from './context.ts';
import { macWeights, windowLayerFields } from './mac-weights.ts';

export function importConv2d(ctx: ImportContext, op: TfliteOperator): void {
  const src = ctx.producer(op, op.inputs[0], 'input');
  if (src.shape.length !== 3) ctx.fail(op, `its input has shape [1, ${src.shape.join(', ')}]; expected [1, H, W, C]`);
  const filter = ctx.tensor(op, op.inputs[1], 'filter');
  if (filter.shape.length !== 4 || filter.shape[3] !== src.shape[2]) {
    ctx.fail(op, `its filter '${filter.name}' has shape [${filter.shape.join(', ')}]; expected [O, kh, kw, ${src.shape[2]}] (grouped convolutions are not supported)`);
  }
  const [o, kh, kw, i] = filter.shape as [number, number, number, number];
  const w = macWeights(ctx, op, 'conv2d', o, 0, src.quant);
  const weights = new Int8Array(kh * kw * i * o);
  for (let c = 0; c < o; c++) {
    for (let p = 0; p < kh * kw * i; p++) weights[p * o + c] = w.raw[c * kh * kw * i + p] as number;
  }
  const layer: Conv2DLayer = { type: 'conv2d', name: ctx.name(op, 'conv2d'), ...windowLayerFields(ctx, op, src, [kh, kw]), weights, ...w.params };
  ctx.add(op, layer, layer.output);
}
