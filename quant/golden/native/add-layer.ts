/**
 * ADD on the native kernels' ic_golden_add (../native/add.h): quant/spec addElement's arithmetic on 16 elements a
 * vector, no table. The WebAssembly table lookup (../wasm/layers/add-layer.ts) runs where the library is absent
 * or the parameters are outside what the kernel takes.
 */
import { ShapeError } from '../../errors.ts';
import type { AddLayer } from '../../format/types.ts';
import { M0_MAX, type AddParams } from '../../spec/index.ts';
import { nativeKernels } from './kernels.ts';
import { uninitializedInt8 } from './uninitialized.ts';

/**
 * The layer's parameters as ic_golden_add takes them (AddParams' fields in order), or undefined where the kernel's
 * int32 arithmetic is not the spec's: multipliers outside [0, 2^31 - 1], shifts outside [-31, 0], a left shift
 * other than int8's 20, offsets or bounds outside int8 (the products (x + offset) 2^20 then stay within int32).
 */
export function nativeAddParams(p: AddParams): Int32Array | undefined {
  const inM = (m: number) => Number.isInteger(m) && m >= 0 && m <= M0_MAX;
  const inShift = (s: number) => Number.isInteger(s) && s >= -31 && s <= 0;
  const inByte = (v: number) => Number.isInteger(v) && v >= -128 && v <= 128;
  if (p.leftShift !== 20 || !inM(p.input1Multiplier) || !inM(p.input2Multiplier) || !inM(p.outputMultiplier)) return undefined;
  if (!inShift(p.input1Shift) || !inShift(p.input2Shift) || !inShift(p.outputShift)) return undefined;
  if (!inByte(p.input1Offset) || !inByte(p.input2Offset) || !inByte(p.outputOffset)) return undefined;
  if (!(p.quantizedActivationMin >= -128 && p.quantizedActivationMax <= 127 && p.quantizedActivationMin <= p.quantizedActivationMax)) return undefined;
  return Int32Array.of(
    p.leftShift, p.input1Offset, p.input2Offset, p.outputOffset, p.input1Multiplier, p.input1Shift, p.input2Multiplier,
    p.input2Shift, p.outputMultiplier, p.outputShift, p.quantizedActivationMin, p.quantizedActivationMax,
  );
}

/** The layer on two operands of the same length, params from nativeAddParams(layer.params). */
export function runNativeAdd(layer: AddLayer, params: Int32Array, input1: Int8Array, input2: Int8Array): Int8Array {
  const kern = nativeKernels();
  if (kern === null) throw new RangeError('runNativeAdd: the native kernels are not loaded (run make native)');
  if (input1.length !== input2.length) {
    throw new ShapeError(`add '${layer.name}': operands of ${input1.length} and ${input2.length} codes (broadcasting is not supported)`);
  }
  const out = uninitializedInt8(input1.length); // the kernel writes every element
  kern.add(input1, input2, params, out, input1.length);
  return out;
}
