/**
 * model/backend/fake-quantize-folded.ts: FQ(W * sf) as one taped op gives the op-by-op chain's bits (tf.mul, max |w|
 * per channel, weightChannelParamsFromMax, quant/fakequant's fakeQuantize): the fake-quantized weights, their
 * scales, and the gradients to W and to sf.
 */
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../model/backend/backend.ts';
import { channelMaxAbs } from '../../model/backend/channel-max-abs.ts';
import { fakeQuantizeFolded } from '../../model/backend/fake-quantize-folded.ts';
import { fakeQuantize, weightChannelParamsFromMax } from '../../quant/fakequant/index.ts';
import { Rng } from '../../quant/random.ts';

function chain(w: tf.Tensor, sf: tf.Tensor, bits: number): { wq: tf.Tensor; scales: Float64Array } {
  const wf = tf.mul(w, sf);
  const cq = weightChannelParamsFromMax(channelMaxAbs(wf) as Float32Array, bits);
  const p0 = cq.params[0]!;
  return { wq: fakeQuantize(wf, tf.tensor1d(Float32Array.from(cq.scales)), 0, p0.qmin, p0.qmax), scales: cq.scales };
}

describe('model/backend: the folded weight fake-quant', () => {
  before(async () => {
    await initBackend('wasm');
  });

  const cases: Array<[number[], number]> = [[[3, 3, 8, 16], 8], [[784, 64], 8], [[64, 12], 4], [[3, 3, 1, 8], 2]];
  for (const [shape, bits] of cases) {
    it(`equals the op-by-op chain bit for bit, values and gradients: W [${shape}], ${bits} bits`, () => {
      const seed = 700 + shape.reduce((a, b) => a * b, 1) + bits;
      const rng = new Rng(seed);
      const c = shape[shape.length - 1]!;
      const size = shape.reduce((a, b) => a * b, 1);
      const w = tf.tensor(Float32Array.from({ length: size }, () => 0.2 * rng.normal()), shape);
      const sf = tf.tensor1d(Float32Array.from({ length: c }, () => 0.5 + rng.next()));
      const r = tf.tensor(Float32Array.from({ length: size }, () => rng.normal()), shape);
      const run = (f: (a: tf.Tensor, b: tf.Tensor) => { wq: tf.Tensor; scales: ArrayLike<number> }): number[][] => tf.tidy(() => {
        let scales: ArrayLike<number> = [];
        const [dw, ds] = tf.grads((a: tf.Tensor, b: tf.Tensor) => {
          const o = f(a, b);
          scales = o.scales;
          return tf.sum(tf.mul(o.wq, r));
        })([w, sf]);
        return [f(w, sf).wq, dw!, ds!].map((t) => Array.from(t.dataSync())).concat([Array.from(scales)]);
      });
      const ours = run((a, b) => {
        const o = fakeQuantizeFolded(a, b, bits);
        assert.ok(o, 'the fused op runs here');
        return { wq: o.wq, scales: o.cq.scales };
      });
      const ref = run((a, b) => chain(a, b, bits));
      ['wq', 'dW', 'dsf', 'scales'].forEach((name, i) => assert.deepEqual(ours[i], ref[i], `seed ${seed}: ${name}`));
      tf.dispose([w, sf, r]);
    });
  }

  it('declines where its kernels cannot run (channels not a multiple of 4)', () => {
    const w = tf.ones([4, 10]);
    const sf = tf.ones([10]);
    assert.equal(fakeQuantizeFolded(w, sf, 8), null);
    tf.dispose([w, sf]);
  });
});
