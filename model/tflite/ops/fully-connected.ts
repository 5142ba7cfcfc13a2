/**
 * FULLY_CONNECTED: filter [N, K], per tensor or (tflite-reference only) per channel along axis 0, becomes a dense
 * layer with weights [K, N]. An input of more than one axis is flattened first (TFLite's FC reads its input as [batch, K]), by a
 * flatten layer of its own.
 */
import type { DenseLayer, FlattenLayer } from '../../../quant/format/types.ts';
import type { TfliteOperator } from '../graph.ts';
import { option, type ImportContext, type Produced } from './context.ts';
import { macWeights } from './mac-weights.ts';

export function importFullyConnected(ctx: ImportContext, op: TfliteOperator): void {
  let src = ctx.producer(op, op.inputs[0], 'input');
  const format = option<string>(ctx, op, 'weightsFormat', 'string');
  if (format !== 'DEFAULT') ctx.fail(op, `its weights format is ${format}; only DEFAULT is supported`);
  const filter = ctx.tensor(op, op.inputs[1], 'filter');
  const k = src.shape.reduce((a, b) => a * b, 1);
  if (filter.shape.length !== 2 || filter.shape[1] !== k) ctx.fail(op, `its filter '${filter.name}' has shape [${filter.shape.join(', ')}]; expected [N, ${k}] for an input of [1, ${src.shape.join(', ')}]`);
  const [n] = filter.shape as [number, number];
  if ((filter.quant?.scale.length ?? 0) > 1 && ctx.arithmetic === 'tflite-runtime') {
    ctx.fail(op, `its filter '${filter.name}' is quantized per channel, which TFLite 2.9's runtime does not implement for FULLY_CONNECTED (it reads the filter's per-tensor scale, 0 for a per-channel tensor, and outputs the zero point); import it with --arithmetic tflite-reference (TFLite Micro's FullyConnectedPerChannel)`);
  }
  const out = ctx.tensor(op, op.outputs[0], 'output');
  const outShape = ctx.unbatched(op, out, 'output');
  if (outShape.reduce((a, b) => a * b, 1) !== n) ctx.fail(op, `its output '${out.name}' has shape [${out.shape.join(', ')}]; expected [1, ${n}]`);
  if (src.shape.length !== 1) {
    const flat: FlattenLayer = { type: 'flatten', name: ctx.name(op, 'flatten'), ...ctx.inputsOf([src]), inputShape: src.shape, outputShape: [k] };
    ctx.layers.push(flat);
    src = { layer: flat.name, shape: flat.outputShape, quant: src.quant } satisfies Produced;
  }
  const w = macWeights(ctx, op, 'dense', n, 0, src.quant);
  const weights = new Int8Array(k * n);
  for (let c = 0; c < n; c++) {
    for (let j = 0; j < k; j++) weights[j * n + c] = w.raw[c * k + j] as number;
  }
  const layer: DenseLayer = { type: 'dense', name: ctx.name(op, 'dense'), ...ctx.inputsOf([src]), inputShape: [k], outputShape: [n], weights, ...w.params };
  ctx.add(op, layer, layer.output);
}
