/** RESHAPE: the same int8 codes under the output tensor's shape; quantization passes through unchanged. */
import type { ReshapeLayer } from '../../../quant/format/types.ts';
import type { TfliteOperator } from '../graph.ts';
import type { ImportContext } from './context.ts';

export function importReshape(ctx: ImportContext, op: TfliteOperator): void {
  const src = ctx.producer(op, op.inputs[0], 'input');
  const out = ctx.tensor(op, op.outputs[0], 'output');
  const q = ctx.activationQuant(op, out, 'output');
  if (q.scale !== src.quant.scale || q.zeroPoint !== src.quant.zeroPoint) ctx.fail(op, `its output quantization differs from its input's; a RESHAPE must not requantize`);
  const layer: ReshapeLayer = { type: 'reshape', name: ctx.name(op, 'reshape'), ...ctx.inputsOf([src]), inputShape: src.shape, outputShape: ctx.unbatched(op, out, 'output') };
  ctx.add(op, layer, src.quant);
}
