/**
 * MINIMUM and MAXIMUM of an int8 tensor and a one-value constant of the same quantization: a clamp of the codes
 * (TFLite's int8 kernels compare the raw codes, and with equal quantization that is the real comparison). The
 * exporter writes them where no fused activation gives a layer's clamp (a 4-bit ReLU output's [zp, 7]: RELU gives
 * [zp, 127]). The clamp is folded into the layer that makes the tensor, whose actMin/actMax it narrows:
 * clamp(clamp(x, a, b), c, d) = clamp(x, max(a, c), min(b, d)). That layer must be a MAC layer or a pool and the
 * tensor read by nothing else; a MAC layer stays `relu` only if its clamp still starts at the zero point.
 */
import { isMacLayer } from '../../../quant/format/types.ts';
import type { TfliteOperator } from '../graph.ts';
import type { ImportContext } from './context.ts';

export function importMinimumMaximum(ctx: ImportContext, op: TfliteOperator): void {
  if (op.inputs.length !== 2) ctx.fail(op, `has ${op.inputs.length} inputs; expected a tensor and a constant`);
  const src = ctx.producer(op, op.inputs[0], 'first operand');
  const { tensor: bound, values } = ctx.constant(op, op.inputs[1], 'second operand', 'INT8');
  if (values.length !== 1) ctx.fail(op, `its second operand '${bound.name}' has ${values.length} values; only a one-value constant (a clamp) is supported`);
  const bq = bound.quant;
  if (bq === undefined || bq.scale.length !== 1 || bq.scale[0] !== src.quant.scale || bq.zeroPoint[0] !== src.quant.zeroPoint) {
    ctx.fail(op, `its constant '${bound.name}' is not quantized as its first operand (scale ${src.quant.scale}, zero point ${src.quant.zeroPoint}); only a clamp in the same quantization is supported`);
  }
  const out = ctx.tensor(op, op.outputs[0], 'output');
  const q = ctx.activationQuant(op, out, 'output');
  if (q.scale !== src.quant.scale || q.zeroPoint !== src.quant.zeroPoint) ctx.fail(op, `its output quantization differs from its input's; a clamp must not requantize`);
  const shape = ctx.unbatched(op, out, 'output');
  if (shape.join() !== src.shape.join()) ctx.fail(op, `its output has shape [1, ${shape.join(', ')}], its input [1, ${src.shape.join(', ')}]`);

  const layer = ctx.layers[ctx.layers.length - 1];
  const inTensor = op.inputs[0] as number;
  if (layer === undefined || layer.name !== src.layer || !(isMacLayer(layer) || layer.type === 'maxpool2d' || layer.type === 'avgpool2d')) {
    ctx.fail(op, `its first operand is not the output of the previous CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED or pool; only such a clamp is supported`);
  }
  const readers = ctx.graph.operators.filter((o) => o !== op && o.inputs.includes(inTensor)).length + (ctx.graph.outputs.includes(inTensor) ? 1 : 0);
  if (readers > 0) ctx.fail(op, `its first operand is also read elsewhere (${readers} more readers); only a clamp of a tensor nothing else reads can be folded`);
  const v = values[0] as number;
  const actMin = op.opcode === 'MAXIMUM' ? Math.max(layer.actMin ?? -128, v) : (layer.actMin ?? -128);
  const actMax = op.opcode === 'MINIMUM' ? Math.min(layer.actMax ?? 127, v) : (layer.actMax ?? 127);
  if (actMin > actMax) ctx.fail(op, `clamps '${layer.name}' to [${actMin}, ${actMax}], an empty range`);
  layer.actMin = actMin;
  layer.actMax = actMax;
  if (isMacLayer(layer)) layer.relu = layer.relu && actMin === layer.output.zeroPoint;
  ctx.produced.delete(inTensor);
  ctx.produced.set(out.index, { layer: layer.name, shape: src.shape, quant: src.quant });
  ctx.layerTensors[layer.name] = out.index;
}
