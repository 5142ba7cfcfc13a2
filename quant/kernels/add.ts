/**
 * ADD of two int8 tensors of the same shape (TFLite reference integer_ops::Add, no broadcasting): element by
 * element, quant/spec `addElement` with the layer's integer parameters. An int8 ADD has only 256 x 256 distinct
 * operand pairs, so the kernel computes addElement once for each (a table of 64 KiB per parameter set, built on
 * first use) and then looks every element up: the same bytes as the element loop (addDirect), which the tests
 * hold it against, at a table lookup an element.
 */
import { ShapeError } from '../errors.ts';
import { addElement, type AddParams } from '../spec/index.ts';
import type { AddLayer } from '../format/types.ts';

const tables = new WeakMap<AddParams, Int8Array>();

/** addElement(a, b) for every int8 pair, at index (a + 128) * 256 + (b + 128). */
export function addTable(p: AddParams): Int8Array {
  let t = tables.get(p);
  if (t === undefined) {
    t = new Int8Array(65536);
    for (let a = -128, i = 0; a < 128; a++) for (let b = -128; b < 128; b++, i++) t[i] = addElement(a, b, p);
    tables.set(p, t);
  }
  return t;
}

function checkOperands(layer: AddLayer, input1: Int8Array, input2: Int8Array): void {
  if (input1.length !== input2.length) {
    throw new ShapeError(`add '${layer.name}': operands of ${input1.length} and ${input2.length} codes (broadcasting is not supported)`);
  }
}

export function add(layer: AddLayer, input1: Int8Array, input2: Int8Array): Int8Array {
  checkOperands(layer, input1, input2);
  const t = addTable(layer.params);
  const out = new Int8Array(input1.length);
  for (let i = 0; i < out.length; i++) out[i] = t[(((input1[i] as number) + 128) << 8) | ((input2[i] as number) + 128)] as number;
  return out;
}

/** The element loop over quant/spec `addElement`: the reference the table is tested against. */
export function addDirect(layer: AddLayer, input1: Int8Array, input2: Int8Array): Int8Array {
  checkOperands(layer, input1, input2);
  const out = new Int8Array(input1.length);
  const p = layer.params;
  for (let i = 0; i < out.length; i++) out[i] = addElement(input1[i] as number, input2[i] as number, p);
  return out;
}
