/**
 * x + b per channel (b [C] along x's last axis: a MAC layer's bias), as one WASM kernel (train-kernels.wat's
 * add_channels) where the backend has the training kernels and C is a multiple of 4; tf.add elsewhere, which is its
 * reference. The WASM backend's Add broadcasts [64, 28, 28, 8] + [8] element by element through index arithmetic
 * (measured: ~1.4 ms of a ~19 ms CNN QAT step once BatchNorm is folded). The same bits as tf.add and its gradient:
 *   y = x + b (one float32 addition),  dx = dy,  db = the backend's Sum of dy over every axis but the last
 * (tfjs's Add gradient, wasm-js-kernels.ts's Sum).
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { fitsPerChannel, perChannelKernel } from './per-channel.ts';

const ADD = 'Int8cosimAddChannels';

export function addChannelsConfig(backendName: string): KernelConfig {
  return { kernelName: ADD, backendName, kernelFunc: perChannelKernel(ADD, 'add_channels') };
}

/** x + b with b [C] broadcast along x's last axis. */
export function addChannels(x: tf.Tensor, b: tf.Tensor): tf.Tensor {
  if (!fitsPerChannel(x, b, ADD)) return tf.add(x, b);
  const leading = Array.from({ length: x.rank - 1 }, (_, i) => i);
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => ({
    value: tf.engine().runKernel(ADD, { x: args[0] as tf.Tensor, s: args[1] as tf.Tensor }, {}) as tf.Tensor,
    gradFunc: (dy: tf.Tensor | tf.Tensor[]) => [dy as tf.Tensor, tf.sum(dy as tf.Tensor, leading)],
  }));
  return op(x, b) as tf.Tensor;
}
