/**
 * The weights, bias and output stage of CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED: symmetric int8 weights
 * (zero point 0), per channel along `channelAxis` or per tensor, an int32 bias (or none), and the per-channel
 * multipliers TFLite's Prepare derives from the three float32 scales for this kernel and target (quant/spec
 * `macMultipliers`: a per-tensor FULLY_CONNECTED rounds S_in * S_w to float32 first, a convolution does not).
 */
import { BITS_MAX, macMultipliers, type MacKind } from '../../../quant/spec/index.ts';
import type { MacLayerParams, TensorQuant } from '../../../quant/format/types.ts';
import type { TfliteOperator } from '../graph.ts';
import type { ImportContext, Produced } from './context.ts';
import { fusedActivation } from './fused-activation.ts';

export interface MacWeights {
  /** The weights as the file stores them (the caller transposes them to the format's layout). */
  raw: Int8Array;
  shape: number[];
  params: Omit<MacLayerParams, 'weights'>;
}

export function macWeights(ctx: ImportContext, op: TfliteOperator, kind: MacKind, channels: number, channelAxis: number, input: TensorQuant): MacWeights {
  const { tensor: wt, values } = ctx.constant(op, op.inputs[1], 'filter', 'INT8');
  const raw = values as Int8Array;
  const q = wt.quant;
  if (q === undefined || q.scale.length === 0) ctx.fail(op, `its filter '${wt.name}' has no quantization (a float or hybrid model)`);
  const perChannel = q.scale.length > 1;
  if (perChannel && (q.scale.length !== channels || q.quantizedDimension !== channelAxis)) {
    ctx.fail(op, `its filter '${wt.name}' has ${q.scale.length} scales along axis ${q.quantizedDimension}; expected one per output channel (${channels}) along axis ${channelAxis}, or one`);
  }
  if (q.zeroPoint.some((z) => z !== 0)) ctx.fail(op, `its filter '${wt.name}' has a zero point other than 0; TFLite's int8 weights are symmetric`);
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === -128) ctx.fail(op, `its filter '${wt.name}' holds -128 at ${i}; TFLite's int8 weights are in [-127, 127] (narrow range)`);
  }
  const weightScales = Float32Array.from({ length: channels }, (_, c) => q.scale[perChannel ? c : 0] as number);
  const outTensor = ctx.tensor(op, op.outputs[0], 'output');
  const output = ctx.activationQuant(op, outTensor, 'output');
  let bias: Int32Array;
  if (op.inputs[2] === undefined || op.inputs[2] < 0) {
    bias = new Int32Array(channels);
  } else {
    const b = ctx.constant(op, op.inputs[2], 'bias', 'INT32');
    if (b.values.length !== channels) ctx.fail(op, `its bias '${b.tensor.name}' has ${b.values.length} values for ${channels} output channels`);
    bias = b.values as Int32Array;
  }
  const { multiplier, shift } = macMultipliers(ctx.arithmetic, kind, input.scale, q.scale, output.scale, channels);
  const { actMin, actMax, activation } = fusedActivation(ctx, op, output);
  return {
    raw,
    shape: wt.shape,
    params: { bias, multiplier, shift, weightScales, weightBits: BITS_MAX, input, output, actMin, actMax, relu: activation !== 'NONE' && actMin === output.zeroPoint },
  };
}

/** The window options shared by convolutions and pools: strides, padding; dilation must be 1. */
export function windowOptions(ctx: ImportContext, op: TfliteOperator): { strides: [number, number]; padding: 'same' | 'valid' } {
  const o = op.options;
  const padding = o.padding;
  if (padding !== 'SAME' && padding !== 'VALID') ctx.fail(op, `its padding is ${String(padding)}; supported: SAME, VALID`);
  for (const key of ['dilationHFactor', 'dilationWFactor']) {
    if (o[key] !== undefined && o[key] !== 1) ctx.fail(op, `its ${key} is ${String(o[key])}; only dilation 1 is supported`);
  }
  const sh = o.strideH;
  const sw = o.strideW;
  if (typeof sh !== 'number' || typeof sw !== 'number' || sh < 1 || sw < 1) ctx.fail(op, `its strides are (${String(sh)}, ${String(sw)}); expected positive integers`);
  return { strides: [sh, sw], padding: padding === 'SAME' ? 'same' : 'valid' };
}

/** The fields every windowed layer (conv2d, depthwise2d) shares: what it reads, its shapes, kernel and window. */
export function windowLayerFields(ctx: ImportContext, op: TfliteOperator, src: Produced, kernel: [number, number]) {
  const out = ctx.tensor(op, op.outputs[0], 'output');
  return { ...ctx.inputsOf([src]), inputShape: src.shape, outputShape: ctx.unbatched(op, out, 'output'), kernel, ...windowOptions(ctx, op) };
}
