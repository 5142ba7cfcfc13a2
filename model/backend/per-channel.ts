/**
 * What the per-channel WASM kernels (train-kernels.wat's div_channels and add_channels: y[i, j] = x[i, j] op s[j],
 * s [C] along x's last axis) share: when a pair of tensors can take them, and their forward kernel function.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { trainKernels, type TrainKernels, type WasmBackend } from './train-kernels.ts';

/** x [..., C] and s [C], both float32, C a multiple of 4, `kernelName` registered here and the kernels loaded. */
export function fitsPerChannel(x: tf.Tensor, s: tf.Tensor, kernelName: string): boolean {
  const c = x.shape[x.rank - 1] as number;
  return s.rank === 1 && s.shape[0] === c && c % 4 === 0 && x.dtype === 'float32' && s.dtype === 'float32'
    && tf.getKernel(kernelName, tf.getBackend()) !== undefined && trainKernels(tf.backend()) !== null;
}

export function kernelsOf(backend: unknown, kernelName: string): TrainKernels {
  const k = trainKernels(backend);
  if (k === null) throw new Error(`${kernelName}: the WASM training kernels are not available on this backend`);
  return k;
}

/** The kernel function of y = x op s (inputs x, s). */
export function perChannelKernel(kernelName: string, op: 'div_channels' | 'add_channels'): KernelFunc {
  return ({ inputs, backend }) => {
    const { x, s } = inputs as { x: TensorInfo; s: TensorInfo };
    const k = kernelsOf(backend, kernelName);
    const c = s.shape[0] as number;
    const y = (backend as unknown as WasmBackend).makeOutput(x.shape.slice(), 'float32');
    k[op](k.ptr(x), k.ptr(s), k.ptr(y), tf.util.sizeFromShape(x.shape) / c, c);
    return y;
  };
}
