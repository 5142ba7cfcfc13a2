/**
 * BatchNorm in training mode as one differentiable op: y = (x - mean) / sqrt(var + eps) * gamma + beta with the
 * batch mean and (biased) variance over every axis but the last, which it also returns (they feed the running
 * statistics; no gradient flows through them). Where the current backend has the fused kernels
 * (batch-norm-train-kernels.ts, registered on WASM) it is a tf.customGrad over them; elsewhere, and as the
 * reference the fused one is tested against, it is the tf-op composition (tf.moments, then sub/div/sqrt/mul/add,
 * differentiated by autograd).
 */
import * as tf from '@tensorflow/tfjs';
import { BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD } from './batch-norm-train-kernels.ts';

export interface BatchNormTrainResult {
  y: tf.Tensor;
  /** Batch mean and biased variance, [C]. */
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
}

/** The tf-op composition (autograd differentiates it); any backend. */
export function batchNormTrainReference(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): BatchNormTrainResult {
  const axes = Array.from({ length: x.rank - 1 }, (_, i) => i);
  const { mean, variance } = tf.moments(x, axes);
  const y = tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, epsilon))), gamma), beta);
  return { y, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
}

/** True where the current backend has the fused forward and backward kernels. */
export function hasFusedBatchNormTrain(): boolean {
  const b = tf.getBackend();
  return tf.getKernel(BATCH_NORM_TRAIN, b) !== undefined && tf.getKernel(BATCH_NORM_TRAIN_GRAD, b) !== undefined;
}

/** The fused op; needs hasFusedBatchNormTrain(). */
export function batchNormTrainFused(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): BatchNormTrainResult {
  let mean: tf.Tensor1D | undefined;
  let variance: tf.Tensor1D | undefined;
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xv, g, b, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const [y, mu, va, invstd] = tf.engine().runKernel(BATCH_NORM_TRAIN, { x: xv, gamma: g, beta: b }, { epsilon } as unknown as tf.NamedAttrMap) as tf.Tensor[];
    mean = tf.keep(mu as tf.Tensor1D);
    variance = tf.keep(va as tf.Tensor1D);
    save([xv, mu as tf.Tensor, invstd as tf.Tensor, g]);
    return {
      value: y as tf.Tensor,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [sx, smu, sinv, sg] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
        return tf.engine().runKernel(BATCH_NORM_TRAIN_GRAD, { dy: dy as tf.Tensor, x: sx, mean: smu, invstd: sinv, gamma: sg }, {}) as tf.Tensor[];
      },
    };
  });
  const y = op(x, gamma, beta);
  // tf.keep held them through customGrad's inner tidy; clones hand them to the caller's scope like the reference's
  const m = (mean as tf.Tensor1D).clone();
  const v = (variance as tf.Tensor1D).clone();
  tf.dispose([mean as tf.Tensor1D, variance as tf.Tensor1D]);
  return { y, mean: m, variance: v };
}

/** The fused op where the backend has it, the reference composition elsewhere. */
export function batchNormTrain(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): BatchNormTrainResult {
  return hasFusedBatchNormTrain() ? batchNormTrainFused(x, gamma, beta, epsilon) : batchNormTrainReference(x, gamma, beta, epsilon);
}
