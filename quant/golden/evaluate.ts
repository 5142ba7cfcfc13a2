/**
 * Batch inference of the golden model over a dataset: predictions (argmax of the int8 outputs, ties to the lowest
 * index) and accuracy.
 */
import { ShapeError } from '../errors.ts';
import type { QuantModel } from '../format/types.ts';
import { pixelTable, quantizeImage } from './image.ts';
import { GoldenModel } from './run.ts';

export interface Evaluation {
  /** Fraction of images whose prediction equals the label. */
  accuracy: number;
  correct: number;
  count: number;
  predictions: Int32Array;
}

/** Index of the largest value of v[offset .. offset+n), the lowest such index on ties. */
export function argmax(v: ArrayLike<number>, offset = 0, n = v.length - offset): number {
  let best = 0;
  let bestValue = v[offset] as number;
  for (let i = 1; i < n; i++) {
    const x = v[offset + i] as number;
    if (x > bestValue) {
      bestValue = x;
      best = i;
    }
  }
  return best;
}

export interface EvaluateOptions {
  /** Images per golden batch. Default 16 (large enough to amortize per-layer calls, small enough for the caches). */
  batchSize?: number;
}

/**
 * Runs the model over images laid out one after the other: uint8 pixels (Uint8Array, quantized with
 * quantizeImage) or int8 input codes (Int8Array, used as they are).
 */
export function evaluate(model: QuantModel, images: Uint8Array | Int8Array, labels: ArrayLike<number>, opts: EvaluateOptions = {}): Evaluation {
  const golden = new GoldenModel(model);
  const size = golden.inputSize;
  const count = labels.length;
  if (images.length !== count * size) {
    throw new ShapeError(`evaluate: ${count} labels need ${count} x [${model.input.shape.join(', ')}] = ${count * size} input values, got ${images.length}`);
  }
  const table = images instanceof Uint8Array ? pixelTable(model) : undefined;
  const batchSize = opts.batchSize ?? 16;
  const predictions = new Int32Array(count);
  const classes = model.classes;
  let correct = 0;
  for (let start = 0; start < count; start += batchSize) {
    const batch = Math.min(batchSize, count - start);
    const slice = images.subarray(start * size, (start + batch) * size);
    const codes = slice instanceof Uint8Array ? quantizeImage(model, slice, table) : slice;
    const { output } = golden.run(codes, { batch });
    if (output.length !== batch * classes) {
      throw new ShapeError(`evaluate: model '${model.name}' says ${classes} classes but its last layer gives ${output.length / batch} outputs`);
    }
    for (let b = 0; b < batch; b++) {
      const pred = argmax(output, b * classes, classes);
      predictions[start + b] = pred;
      if (pred === labels[start + b]) correct++;
    }
  }
  return { accuracy: count === 0 ? 0 : correct / count, correct, count, predictions };
}
