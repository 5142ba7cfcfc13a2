/**
 * ADD of two int8 tensors of the same shape (TFLite reference integer_ops::Add, no broadcasting): element by
 * element, quant/spec `addElement` with the layer's integer parameters.
 */
import { ShapeError } from '../errors.ts';
import { addElement } from '../spec/index.ts';
import type { AddLayer } from '../format/types.ts';

export function add(layer: AddLayer, input1: Int8Array, input2: Int8Array): Int8Array {
  if (input1.length !== input2.length) {
    throw new ShapeError(`add '${layer.name}': operands of ${input1.length} and ${input2.length} codes (broadcasting is not supported)`);
  }
  const out = new Int8Array(input1.length);
  const p = layer.params;
  for (let i = 0; i < out.length; i++) out[i] = addElement(input1[i] as number, input2[i] as number, p);
  return out;
}
