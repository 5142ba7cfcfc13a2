/**
 * model/backend/div-channels.ts: x / s per channel on the WASM kernels gives tf.div's bits, forward and both
 * gradients (tfjs's RealDiv gradient, its Sum included), over several 64-row blocks and channel counts.
 */
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../model/backend/backend.ts';
import { divChannels } from '../../model/backend/div-channels.ts';
import { Rng } from '../../quant/random.ts';

describe('model/backend: x / s per channel', () => {
  before(async () => {
    await initBackend('wasm');
  });

  for (const shape of [[64, 64], [4, 7, 7, 8], [3, 5, 16], [6, 10]]) {
    it(`equals tf.div and its gradients bit for bit: x [${shape}]`, () => {
      const seed = 600 + shape.reduce((a, b) => a * b, 1);
      const rng = new Rng(seed);
      const c = shape[shape.length - 1]!;
      const size = shape.reduce((a, b) => a * b, 1);
      const x = tf.tensor(Float32Array.from({ length: size }, () => rng.normal()), shape);
      const s = tf.tensor1d(Float32Array.from({ length: c }, () => 0.3 + rng.next()));
      const r = tf.tensor(Float32Array.from({ length: size }, () => rng.normal()), shape);
      const run = (op: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor): number[][] => tf.tidy(() => {
        const [dx, ds] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(op(a, b), r)))([x, s]);
        return [op(x, s), dx!, ds!].map((t) => Array.from(t.dataSync()));
      });
      const ours = run(divChannels);
      const ref = run((a, b) => tf.div(a, b));
      ['y', 'dx', 'ds'].forEach((name, i) => assert.deepEqual(ours[i], ref[i], `seed ${seed}: ${name}`));
      tf.dispose([x, s, r]);
    });
  }
});
