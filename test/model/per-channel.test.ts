/**
 * model/backend/div-channels.ts and add-channels.ts: x / s and x + b per channel on the WASM kernels give tf.div's
 * and tf.add's bits, forward and both gradients (tfjs's RealDiv and Add gradients, their Sum included), over several
 * 64-row blocks and channel counts.
 */
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../model/backend/backend.ts';
import { addChannels } from '../../model/backend/add-channels.ts';
import { divChannels } from '../../model/backend/div-channels.ts';
import { Rng } from '../../quant/random.ts';

describe('model/backend: x / s and x + b per channel', () => {
  before(async () => {
    await initBackend('wasm');
  });

  const ops = [
    ['x / s', divChannels, (a: tf.Tensor, b: tf.Tensor) => tf.div(a, b)],
    ['x + b', addChannels, (a: tf.Tensor, b: tf.Tensor) => tf.add(a, b)],
  ] as const;
  for (const [name, fused, reference] of ops) {
    for (const shape of [[64, 64], [4, 7, 7, 8], [3, 5, 16], [6, 10]]) {
      it(`${name} equals its tf op and the op's gradients bit for bit: x [${shape}]`, () => {
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
        const ours = run(fused);
        const ref = run(reference);
        ['y', 'dx', 'ds'].forEach((out, i) => assert.deepEqual(ours[i], ref[i], `seed ${seed}: ${out}`));
        tf.dispose([x, s, r]);
      });
    }
  }

  it('x + b takes the kernel where the channels are a multiple of 4 (one kernel call, no broadcast Add)', async () => {
    const x = tf.ones([2, 3, 8]);
    const b = tf.ones([8]);
    const p = await tf.profile(() => {
      addChannels(x, b).dispose();
    });
    assert.deepEqual(p.kernels.map((k) => k.name).filter((n) => n !== ''), ['Int8cosimAddChannels'], 'the customGrad scope is the only other entry');
    tf.dispose([x, b]);
  });
});
