import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend, loadDataset, Network, networkSpec, forward, foldedWeights } from '../../model/index.ts';
import { batchImages } from '../../model/train/batches.ts';
import { Rng } from '../../quant/random.ts';

/** Gives every BatchNorm layer random (but plausible) gamma, beta and running statistics. */
function randomizeBatchNorm(net: Network, rng: Rng): void {
  for (const l of net.macLayers()) {
    if (!l.bn) continue;
    const n = l.channels;
    const r = (f: () => number): tf.Tensor1D => tf.tensor1d(Float32Array.from({ length: n }, f));
    l.bn.gamma.assign(r(() => 0.5 + rng.next()));
    l.bn.beta.assign(r(() => rng.normal() * 0.2));
    l.bn.mean.assign(r(() => rng.normal() * 0.3));
    l.bn.variance.assign(r(() => 0.2 + rng.next() * 2));
  }
}

describe('model/net: BatchNorm folding', () => {
  before(async () => {
    await initBackend('wasm');
  });

  for (const name of ['cnn', 'tfc']) {
    it(`${name}: folded weights and bias give the unfolded network's evaluation output`, () => {
      const seed = 21;
      const net = new Network(networkSpec(name), seed);
      randomizeBatchNorm(net, new Rng(seed));
      const data = loadDataset('mnist');
      tf.tidy(() => {
        const x = batchImages(data.test.images, Array.from({ length: 32 }, (_, i) => i));
        const unfolded = forward(net, x, { kind: 'float', training: false }).logits;
        // the same network with BatchNorm removed and the folded parameters in its kernel and bias
        const plain = new Network(networkSpec(name, { batchNorm: false }), seed);
        net.macLayers().forEach((l, i) => {
          const { w, b } = foldedWeights(l);
          const p = plain.macLayers()[i]!;
          p.kernel.assign(w);
          p.bias!.assign(b);
        });
        const folded = forward(plain, x, { kind: 'float', training: false }).logits;
        const diff = tf.max(tf.abs(tf.sub(unfolded, folded))).dataSync()[0]!;
        const scale = tf.max(tf.abs(unfolded)).dataSync()[0]!;
        assert.ok(diff <= 1e-5 * scale, `seed ${seed}: max |unfolded - folded| = ${diff} (logits up to ${scale})`);
        // and folding is not a no-op: the raw kernel gives something else
        const raw = new Network(networkSpec(name, { batchNorm: false }), seed);
        const other = forward(raw, x, { kind: 'float', training: false }).logits;
        assert.ok(tf.max(tf.abs(tf.sub(unfolded, other))).dataSync()[0]! > 1e-2 * scale);
        plain.dispose();
        raw.dispose();
      });
      net.dispose();
    });
  }
});
