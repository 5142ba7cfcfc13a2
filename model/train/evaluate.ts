/** Accuracy and mean cross-entropy of any batched forward function over a whole split. */
import * as tf from '@tensorflow/tfjs';
import type { Split } from '../data/dataset.ts';
import { batchImages } from './batches.ts';

export interface EvalResult {
  loss: number;
  accuracy: number;
  /** argmax per example. */
  predictions: Uint8Array;
}

export function evaluateSplit(split: Split, logitsOf: (x: tf.Tensor4D) => tf.Tensor2D, batchSize = 500): EvalResult {
  const n = split.labels.length;
  const predictions = new Uint8Array(n);
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < n; start += batchSize) {
    const idx = Array.from({ length: Math.min(batchSize, n - start) }, (_, i) => start + i);
    const [pred, losses] = tf.tidy(() => {
      const logits = logitsOf(batchImages(split.images, idx));
      const labels = tf.tensor1d(idx.map((i) => split.labels[i] as number), 'int32');
      const ce = tf.losses.softmaxCrossEntropy(tf.oneHot(labels, logits.shape[1] as number), logits, undefined, undefined, tf.Reduction.NONE);
      return [tf.argMax(logits, 1).dataSync(), ce.dataSync()];
    });
    for (let i = 0; i < idx.length; i++) {
      const p = pred[i] as number;
      predictions[start + i] = p;
      if (p === split.labels[start + i]) correct++;
      lossSum += losses[i] as number;
    }
  }
  return { loss: lossSum / n, accuracy: correct / n, predictions };
}
