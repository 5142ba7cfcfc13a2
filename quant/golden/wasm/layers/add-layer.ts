/**
 * ADD on kernels.wat's `add_lookup`: every element looked up in the layer's table of its 256 x 256 results
 * (quant/kernels/add.ts addTable, from quant/spec's addElement), as quant/kernels' add does in JavaScript, which
 * runs where WebAssembly SIMD is absent and is what this one is tested against.
 */
import { ShapeError } from '../../../errors.ts';
import type { AddLayer } from '../../../format/types.ts';
import { addTable } from '../../../kernels/add.ts';
import { align16, wasmKernels, wasmMemory } from '../kernels.ts';

/** The layer on two operands of the same length (the caller has checked them against the layer's shape). */
export function runWasmAdd(layer: AddLayer, input1: Int8Array, input2: Int8Array): Int8Array {
  const kern = wasmKernels();
  if (kern === null) throw new RangeError('runWasmAdd: this runtime has no WebAssembly SIMD');
  if (input1.length !== input2.length) {
    throw new ShapeError(`add '${layer.name}': operands of ${input1.length} and ${input2.length} codes (broadcasting is not supported)`);
  }
  const n = input1.length;
  const table = addTable(layer.params);
  const bOff = align16(n + 4);
  const tOff = align16(bOff + n + 4);
  const outOff = tOff + table.length;
  const buf = wasmMemory(kern, outOff + n + 4);
  new Int8Array(buf, 0, n).set(input1);
  new Int8Array(buf, bOff, n).set(input2);
  new Int8Array(buf, tOff, table.length).set(table);
  kern.add_lookup(0, bOff, tOff, outOff, n);
  return new Int8Array(buf, outOff, n).slice();
}
