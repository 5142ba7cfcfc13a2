/**
 * The minimum and maximum of a float32 tensor as numbers (the QAT observers read them every step): one pass of
 * train-kernels.wat's minmax on the WASM backend's heap, or tf.min / tf.max and a read-back elsewhere.
 */
import * as tf from '@tensorflow/tfjs';
import { trainKernels } from './train-kernels.ts';

export function tensorMinMax(t: tf.Tensor): [number, number] {
  const k = tf.getBackend() === 'wasm' && t.dtype === 'float32' && t.size > 0 ? trainKernels(tf.backend()) : null;
  if (k === null) {
    const r = tf.tidy(() => tf.stack([tf.min(t), tf.max(t)]).dataSync());
    return [r[0] as number, r[1] as number];
  }
  const out = k.malloc(8);
  try {
    k.minmax(k.ptr(t), t.size, out);
    const v = new Float32Array(k.heap(), out, 2);
    return [v[0] as number, v[1] as number];
  } finally {
    k.free(out);
  }
}
