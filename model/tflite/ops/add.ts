/**
 * ADD of two int8 tensors of the same shape (no broadcasting), with TFLite's fixed-point rescaling: the integers
 * of TFLite's Prepare come from quant/spec `addParams`.
 */
import { sameShape } from '../../../quant/format/shapes.ts';
import type { AddLayer } from '../../../quant/format/types.ts';
import { addParams } from '../../../quant/spec/index.ts';
import type { TfliteOperator } from '../graph.ts';
import type { ImportContext } from './context.ts';
import { fusedActivation } from './fused-activation.ts';

export function importAdd(ctx: ImportContext, op: TfliteOperator): void {
  const a = ctx.producer(op, op.inputs[0], 'first operand');
  const b = ctx.producer(op, op.inputs[1], 'second operand');
  if (!sameShape(a.shape, b.shape)) ctx.fail(op, `its operands have shapes [1, ${a.shape.join(', ')}] and [1, ${b.shape.join(', ')}]; broadcasting is not supported`);
  const out = ctx.tensor(op, op.outputs[0], 'output');
  const output = ctx.activationQuant(op, out, 'output');
  const { actMin, actMax } = fusedActivation(ctx, op, output);
  const layer: AddLayer = {
    type: 'add',
    name: ctx.name(op, 'add'),
    inputs: [a.layer, b.layer],
    inputShape: a.shape,
    outputShape: ctx.unbatched(op, out, 'output'),
    input1: a.quant,
    input2: b.quant,
    output,
    params: addParams(a.quant, b.quant, output, actMin, actMax),
  };
  ctx.add(op, layer, output);
}
