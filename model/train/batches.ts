/** Mini-batches from uint8 splits: pixels / 255 as float32 NHWC, labels one-hot; seeded shuffles. */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../quant/random.ts';
import type { Split } from '../data/dataset.ts';

const PIXELS = 28 * 28;

export function batchImages(images: Uint8Array, indices: ArrayLike<number>): tf.Tensor4D {
  const n = indices.length;
  const buf = new Float32Array(n * PIXELS);
  for (let i = 0; i < n; i++) {
    const src = (indices[i] as number) * PIXELS;
    const dst = i * PIXELS;
    for (let p = 0; p < PIXELS; p++) buf[dst + p] = (images[src + p] as number) / 255;
  }
  return tf.tensor4d(buf, [n, 28, 28, 1]);
}

export function batchLabels(labels: Uint8Array, indices: ArrayLike<number>, classes: number): tf.Tensor2D {
  const n = indices.length;
  const buf = new Float32Array(n * classes);
  for (let i = 0; i < n; i++) buf[i * classes + (labels[indices[i] as number] as number)] = 1;
  return tf.tensor2d(buf, [n, classes]);
}

/** A seeded Fisher-Yates permutation of 0..n-1. */
export function permutation(n: number, rng: Rng): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(0, i);
    const t = p[i] as number;
    p[i] = p[j] as number;
    p[j] = t;
  }
  return p;
}

/** The first `count` examples of a split (or all of it). */
export function head(s: Split, count: number | undefined): Split {
  if (count === undefined || count >= s.labels.length) return s;
  return { images: s.images.subarray(0, count * PIXELS), labels: s.labels.subarray(0, count) };
}
