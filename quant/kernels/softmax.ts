/**
 * SOFTMAX over the last axis of int8 codes, in one of TFLite's two int8 kernels (quant/spec `softmaxVariant`):
 * TFLite Micro's fixed-point reference, or the float lookup table of TFLite's optimized kernel. The parameters
 * are derived once per layer (prepareSoftmax) and the rows run after it.
 */
import { softmaxFloatLut, softmaxLookupTable, softmaxReference, softmaxReferenceParams, type softmaxVariant } from '../spec/index.ts';
import type { SoftmaxLayer } from '../format/types.ts';

/** 'fixed-point' (TFLite Micro's reference) or 'float-lut' (TFLite's optimized kernel). */
export type SoftmaxVariant = ReturnType<typeof softmaxVariant>;
export type PreparedSoftmax = (input: Int8Array) => Int8Array;

export function prepareSoftmax(layer: SoftmaxLayer, variant: SoftmaxVariant): PreparedSoftmax {
  const depth = layer.inputShape[layer.inputShape.length - 1] as number;
  if (variant === 'fixed-point') {
    const p = softmaxReferenceParams(layer.input.scale, layer.beta);
    return (input) => eachRow(input, depth, (row, out) => softmaxReference(row, p, out));
  }
  const table = softmaxLookupTable(layer.input.scale, layer.beta);
  const { scale, zeroPoint } = layer.output;
  return (input) => eachRow(input, depth, (row, out) => softmaxFloatLut(row, table, scale, zeroPoint, out));
}

function eachRow(input: Int8Array, depth: number, kernel: (row: Int8Array, out: Int8Array) => void): Int8Array {
  const out = new Int8Array(input.length);
  for (let r = 0; r < input.length; r += depth) kernel(input.subarray(r, r + depth), out.subarray(r, r + depth));
  return out;
}
