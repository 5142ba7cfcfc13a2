import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../model/backend/backend.ts';
import { batchNormTrainFused, batchNormTrainReference, hasFusedBatchNormTrain, type BatchNormTrainResult } from '../../model/backend/batch-norm-train.ts';
import { Rng } from '../../quant/random.ts';
import { maxRelDiff } from './max-rel-diff.ts';

type Op = (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number) => BatchNormTrainResult;

/** y, mean, variance and the gradients of sum(y * r) wrt x, gamma, beta. */
function run(op: Op, x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, r: tf.Tensor): Float32Array[] {
  return tf.tidy(() => {
    const fwd = op(x, gamma, beta, 1e-5);
    const loss = (xv: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Scalar => tf.sum(tf.mul(op(xv, g, b, 1e-5).y, r));
    const [dx, dg, db] = tf.grads(loss)([x, gamma, beta]);
    return [fwd.y, fwd.mean, fwd.variance, dx!, dg!, db!].map((t) => t.dataSync() as Float32Array);
  });
}

describe('model/backend: fused training BatchNorm', () => {
  before(async () => {
    await initBackend('wasm');
  });

  it('is registered on WASM', () => {
    assert.equal(tf.getBackend(), 'wasm');
    assert.ok(hasFusedBatchNormTrain());
  });

  const cases: Array<[string, number[], number, number]> = [
    ['NHWC conv output', [8, 6, 5, 7], 1.0, 0.0],
    ['NHWC, one channel', [4, 9, 9, 1], 2.0, -1.0],
    ['NC dense output', [64, 33], 1.0, 3.0],
    ['NC, offset mean, small spread', [16, 5], 0.05, 20.0],
  ];
  for (const [name, shape, spread, offset] of cases) {
    it(`forward and gradients equal the tf-op composition: ${name} [${shape}]`, () => {
      const seed = 500 + shape.reduce((a, b) => a * b, 1);
      const rng = new Rng(seed);
      const c = shape[shape.length - 1] as number;
      const size = shape.reduce((a, b) => a * b, 1);
      // per-channel offsets so that channels have different means and spreads
      const x = tf.tensor(Float32Array.from({ length: size }, (_, i) => offset + (i % c) * 0.3 + spread * (1 + (i % c) / c) * rng.normal()), shape);
      const gamma = tf.tensor1d(Float32Array.from({ length: c }, () => 0.5 + rng.normal() * 0.3));
      const beta = tf.tensor1d(Float32Array.from({ length: c }, () => rng.normal()));
      const r = tf.tensor(Float32Array.from({ length: size }, () => rng.normal()), shape);
      const fused = run(batchNormTrainFused, x, gamma, beta, r);
      const ref = run(batchNormTrainReference, x, gamma, beta, r);
      const names = ['y', 'mean', 'variance', 'dx', 'dgamma', 'dbeta'];
      fused.forEach((a, i) => {
        const b = ref[i] as Float32Array;
        assert.equal(a.length, b.length, `${names[i]} length`);
        const d = maxRelDiff(a, b);
        assert.ok(d < 2e-4, `seed ${seed}: ${names[i]} differs by ${d} (relative to its largest value)`);
      });
      tf.dispose([x, gamma, beta, r]);
    });
  }

  it('leaves no tensor behind beyond its results', () => {
    const x = tf.randomNormal([4, 3, 3, 2], 0, 1, 'float32', 3);
    const g = tf.ones([2]);
    const b = tf.zeros([2]);
    const before = tf.memory().numTensors;
    const r = batchNormTrainFused(x, g, b, 1e-5);
    assert.equal(tf.memory().numTensors, before + 3);
    tf.dispose([r.y, r.mean, r.variance]);
    const grads = tf.grads((xv: tf.Tensor) => tf.sum(batchNormTrainFused(xv, g, b, 1e-5).y.square()))([x]);
    tf.dispose(grads);
    assert.equal(tf.memory().numTensors, before);
    tf.dispose([x, g, b]);
  });
});
