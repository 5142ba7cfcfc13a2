/** SOFTMAX over the last axis: int8 in, int8 out at scale 1/256 and zero point -128 (what TFLite requires). */
import type { SoftmaxLayer } from '../../../quant/format/types.ts';
import type { TfliteOperator } from '../graph.ts';
import { option, type ImportContext } from './context.ts';

export function importSoftmax(ctx: ImportContext, op: TfliteOperator): void {
  const src = ctx.producer(op, op.inputs[0], 'input');
  const out = ctx.tensor(op, op.outputs[0], 'output');
  const output = ctx.activationQuant(op, out, 'output');
  if (output.scale !== 1 / 256 || output.zeroPoint !== -128) {
    ctx.fail(op, `its output has scale ${output.scale} and zero point ${output.zeroPoint}; TFLite's int8 softmax requires 1/256 and -128`);
  }
  const beta = option<number>(ctx, op, 'beta', 'number');
  if (!(beta > 0) || !Number.isFinite(beta)) ctx.fail(op, `its beta is ${beta}; expected a finite number > 0`);
  const layer: SoftmaxLayer = { type: 'softmax', name: ctx.name(op, 'softmax'), ...ctx.inputsOf([src]), inputShape: src.shape, outputShape: ctx.unbatched(op, out, 'output'), beta, input: src.quant, output };
  ctx.add(op, layer, output);
}
