/**
 * DEPTHWISE_CONV_2D with depth multiplier 1: filter [1, kh, kw, C], per-channel along axis 3, becomes a
 * depthwise2d layer with weights [kh, kw, C] (the same bytes).
 */
import type { DepthwiseConv2DLayer } from '../../../quant/format/types.ts';
import type { TfliteOperator } from '../graph.ts';
import { option, type ImportContext } from './context.ts';
import { macWeights, windowLayerFields } from './mac-weights.ts';

export function importDepthwiseConv2d(ctx: ImportContext, op: TfliteOperator): void {
  const src = ctx.producer(op, op.inputs[0], 'input');
  if (src.shape.length !== 3) ctx.fail(op, `its input has shape [1, ${src.shape.join(', ')}]; expected [1, H, W, C]`);
  const channels = src.shape[2] as number;
  const filter = ctx.tensor(op, op.inputs[1], 'filter');
  const multiplier = option<number>(ctx, op, 'depthMultiplier', 'number');
  if (filter.shape.length !== 4 || filter.shape[0] !== 1 || filter.shape[3] !== channels || (multiplier !== 1 && multiplier !== 0)) {
    ctx.fail(op, `its filter '${filter.name}' has shape [${filter.shape.join(', ')}] with depth multiplier ${multiplier}; only depth multiplier 1 ([1, kh, kw, ${channels}]) is supported`);
  }
  const [, kh, kw] = filter.shape as [number, number, number, number];
  const w = macWeights(ctx, op, 'depthwise2d', channels, 3, src.quant);
  const layer: DepthwiseConv2DLayer = { type: 'depthwise2d', name: ctx.name(op, 'depthwise2d'), ...windowLayerFields(ctx, op, src, [kh, kw]), weights: w.raw, ...w.params };
  ctx.add(op, layer, layer.output);
}
