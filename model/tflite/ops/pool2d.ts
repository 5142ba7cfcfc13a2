/**
 * AVERAGE_POOL_2D and MAX_POOL_2D: int8 in and out with the same quantization (TFLite requires it for int8), a
 * window, strides, padding and a fused activation.
 */
import type { AvgPool2DLayer, MaxPool2DLayer } from '../../../quant/format/types.ts';
import type { TfliteOperator } from '../graph.ts';
import { option, type ImportContext } from './context.ts';
import { fusedActivation } from './fused-activation.ts';
import { windowOptions } from './mac-weights.ts';

export function importPool2d(ctx: ImportContext, op: TfliteOperator): void {
  const src = ctx.producer(op, op.inputs[0], 'input');
  if (src.shape.length !== 3) ctx.fail(op, `its input has shape [1, ${src.shape.join(', ')}]; expected [1, H, W, C]`);
  const out = ctx.tensor(op, op.outputs[0], 'output');
  const output = ctx.activationQuant(op, out, 'output');
  if (output.scale !== src.quant.scale || output.zeroPoint !== src.quant.zeroPoint) {
    ctx.fail(op, `its output quantization (scale ${output.scale}, zero point ${output.zeroPoint}) differs from its input's (${src.quant.scale}, ${src.quant.zeroPoint}); TFLite's int8 pools require them equal`);
  }
  const pool: [number, number] = [option<number>(ctx, op, 'filterHeight', 'number'), option<number>(ctx, op, 'filterWidth', 'number')];
  const { actMin, actMax } = fusedActivation(ctx, op, output);
  const common = { ...ctx.inputsOf([src]), inputShape: src.shape, outputShape: ctx.unbatched(op, out, 'output'), pool, ...windowOptions(ctx, op), actMin, actMax };
  const layer: AvgPool2DLayer | MaxPool2DLayer =
    op.opcode === 'AVERAGE_POOL_2D' ? { type: 'avgpool2d', name: ctx.name(op, 'avgpool2d'), ...common } : { type: 'maxpool2d', name: ctx.name(op, 'maxpool2d'), ...common };
  ctx.add(op, layer, src.quant);
}
