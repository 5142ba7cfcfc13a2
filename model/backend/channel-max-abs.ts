/**
 * max |w| of each output channel (the last axis) of a float32 weight tensor in one pass of train-kernels.wat's
 * col_absmax on the WASM backend's heap (QAT takes it every step, for every MAC layer, to set the weight scales),
 * or null where that cannot run (another backend, channels not a multiple of 4): the caller then reads the weights
 * back for quant/fakequant's weightChannelParams, which gives the same maxima.
 */
import * as tf from '@tensorflow/tfjs';
import { trainKernels } from './train-kernels.ts';

export function channelMaxAbs(w: tf.Tensor): Float32Array | null {
  const k = channelMaxAbsRuns(w) ? trainKernels(tf.backend()) : null;
  if (k === null) return null;
  const c = w.shape[w.rank - 1] as number;
  const out = k.malloc(c * 4);
  try {
    k.col_absmax(k.ptr(w), w.size / c, c, out);
    return new Float32Array(k.heap(), out, c).slice();
  } finally {
    k.free(out);
  }
}

/** Whether channelMaxAbs runs on w (else it returns null). */
export function channelMaxAbsRuns(w: tf.Tensor): boolean {
  const c = w.shape[w.rank - 1] as number;
  return tf.getBackend() === 'wasm' && w.dtype === 'float32' && w.rank >= 2 && c % 4 === 0 && w.size > 0 && trainKernels(tf.backend()) !== null;
}
