import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../model/backend/backend.ts';
import { applyLoops, backwardParams, channelSumsLoops, forwardParams, gradApplyLoops } from '../../model/backend/batch-norm-train-kernels.ts';
import { trainKernels } from '../../model/backend/train-kernels.ts';
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
    assert.ok(trainKernels(tf.backend()) !== null, 'train-kernels.wasm did not instantiate on the WASM heap');
  });

  const cases: Array<[string, number[], number, number]> = [
    ['NHWC conv output', [8, 6, 5, 7], 1.0, 0.0],
    ['NHWC, one channel', [4, 9, 9, 1], 2.0, -1.0],
    ['NC dense output', [64, 33], 1.0, 3.0],
    ['NC, offset mean, small spread', [16, 5], 0.05, 20.0],
    ['NHWC, 16 channels (the SIMD passes)', [4, 7, 7, 16], 1.5, 0.5],
    ['NC, 8 channels, offset mean, small spread (the SIMD passes)', [300, 8], 0.05, 20.0],
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

  for (const shape of [[8, 6, 5, 8], [64, 64], [3, 7, 7, 16], [5, 12], [2, 9, 9, 4]]) {
    it(`on WASM SIMD (channels a multiple of 4) gives the plain loops' bits: [${shape}]`, () => {
      const seed = 900 + shape.reduce((a, b) => a * b, 1);
      const rng = new Rng(seed);
      const c = shape[shape.length - 1] as number;
      const size = shape.reduce((a, b) => a * b, 1);
      const m = size / c;
      const xa = Float32Array.from({ length: size }, (_, i) => 2 + (i % c) * 0.1 + rng.normal());
      const ga = Float32Array.from({ length: c }, () => 0.5 + rng.normal() * 0.3);
      const ba = Float32Array.from({ length: c }, () => rng.normal());
      const ra = Float32Array.from({ length: size }, () => rng.normal());
      const [x, gamma, beta, r] = [tf.tensor(xa, shape), tf.tensor1d(ga), tf.tensor1d(ba), tf.tensor(ra, shape)];
      const fused = run(batchNormTrainFused, x, gamma, beta, r);
      // the loops: forward, then the backward of sum(y * r) (dy = r) from the float32 mean and invstd it saved
      const s1 = new Float64Array(c);
      const s2 = new Float64Array(c);
      const shift = xa.slice(0, c);
      channelSumsLoops(xa, xa, shift, shift, c, s1, s2);
      const p = forwardParams(s1, s2, shift, m, ga, ba, 1e-5);
      const y = new Float32Array(size);
      applyLoops(xa, y, p.scale, p.shift);
      const mean = Float32Array.from(p.mean);
      const s = new Float64Array(c);
      const sx = new Float64Array(c);
      channelSumsLoops(ra, xa, null, mean, c, s, sx);
      const q = backwardParams(s, sx, m, ga, Float32Array.from(p.invstd));
      const dx = new Float32Array(size);
      gradApplyLoops(ra, xa, dx, mean, q);
      const loops = [y, mean, Float32Array.from(p.variance), dx, Float32Array.from(q.dgamma), Float32Array.from(s)];
      ['y', 'mean', 'variance', 'dx', 'dgamma', 'dbeta'].forEach((name, i) => {
        assert.deepEqual(Array.from(fused[i]!), Array.from(loops[i]!), `seed ${seed}: ${name}`);
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
