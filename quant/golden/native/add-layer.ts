/**
 * ADD on the native kernels' ic_golden_add (./add.h): every element looked up in the layer's table of its 256 x 256
 * results (quant/kernels/add.ts addTable, from quant/spec addElement), 16 a gather; the same bytes as quant/kernels
 * add, which it is tested against. The WebAssembly lookup (../wasm/layers/add-layer.ts) runs where the library is
 * absent.
 */
import { ShapeError } from '../../errors.ts';
import type { AddLayer } from '../../format/types.ts';
import { addTable } from '../../kernels/add.ts';
import type { AddParams } from '../../spec/index.ts';
import { nativeKernels } from './kernels.ts';
import { uninitializedInt8 } from './uninitialized.ts';

/** The layer's table with the 4 bytes of slack a gather past its last entry reads. */
export function nativeAddTable(p: AddParams): Int8Array {
  const t = new Int8Array(65536 + 4);
  t.set(addTable(p));
  return t;
}

/** The layer on two operands of the same length, table from nativeAddTable(layer.params); into `out` when given. */
export function runNativeAdd(layer: AddLayer, table: Int8Array, input1: Int8Array, input2: Int8Array, out?: Int8Array): Int8Array {
  const kern = nativeKernels();
  if (kern === null) throw new RangeError('runNativeAdd: the native kernels are not loaded (run make native)');
  if (input1.length !== input2.length) {
    throw new ShapeError(`add '${layer.name}': operands of ${input1.length} and ${input2.length} codes (broadcasting is not supported)`);
  }
  const result = out ?? uninitializedInt8(input1.length); // the kernel writes every element
  kern.add(input1, input2, table, result, input1.length);
  return result;
}
