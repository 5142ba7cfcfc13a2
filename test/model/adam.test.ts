/**
 * model/train/adam.ts: the fused Adam step (one WASM kernel a variable) gives tf.train.adam's bits, over steps with
 * a changing learning rate, on variables of several sizes (four lanes and a tail), and its plain loops do too.
 */
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../model/backend/backend.ts';
import { ADAM_KERNEL, adamLoops } from '../../model/backend/adam-kernel.ts';
import { adam } from '../../model/train/adam.ts';
import { Rng } from '../../quant/random.ts';

describe('model/train: fused Adam', () => {
  before(async () => {
    await initBackend('wasm');
  });

  it("equals tf.train.adam bit for bit over 6 steps with a changing learning rate, and leaves no tensor behind", () => {
    const seed = 17;
    const rng = new Rng(seed);
    const shapes = [[784, 64], [3, 3, 1, 8], [10], [7], [1]];
    const init = shapes.map((s) => Float32Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => rng.normal()));
    const grads = Array.from({ length: 6 }, () => init.map((w) => Float32Array.from(w, () => rng.normal() * 0.1)));
    const run = (fused: boolean): number[][] => {
      const vars = shapes.map((s, i) => tf.variable(tf.tensor(init[i]!, s), true, `adam-test-${fused}-${i}`));
      const opt = adam(1e-3, fused);
      const before = tf.memory().numTensors;
      grads.forEach((gs, step) => {
        opt.learningRate = 1e-3 * (1 + Math.cos((Math.PI * step) / 6)) / 2;
        const map: tf.NamedTensorMap = {};
        vars.forEach((v, i) => (map[v.name] = tf.tensor(gs[i]!, shapes[i])));
        opt.applyGradients(map);
        tf.dispose(Object.values(map));
      });
      const out = vars.map((v) => Array.from(v.dataSync()));
      opt.dispose();
      if (fused) assert.ok(tf.memory().numTensors <= before, `${tf.memory().numTensors - before} tensors left`);
      tf.dispose(vars);
      return out;
    };
    const ours = run(true);
    const tfs = run(false);
    ours.forEach((w, i) => assert.deepEqual(w, tfs[i], `seed ${seed}: variable [${shapes[i]}]`));
    assert.notDeepEqual(ours[0], Array.from(init[0]!), 'the step moved the weights');
  });

  it('the plain loops give the WASM kernel bits', () => {
    const seed = 19;
    const rng = new Rng(seed);
    const n = 1031;
    const [w, m, v, g] = [0, 1, 2, 3].map((k) => Float32Array.from({ length: n }, () => (k === 2 ? Math.abs(rng.normal()) * 0.01 : rng.normal())));
    const attrs = { b1: 0.9, c1: 1 - 0.9, b2: 0.999, c2: 1 - 0.999, d1: 1 - 0.9 ** 3, d2: 1 - 0.999 ** 3, eps: 1e-7, nlr: -1e-3 };
    const outs = tf.engine().runKernel(ADAM_KERNEL, { w: tf.tensor1d(w!), m: tf.tensor1d(m!), v: tf.tensor1d(v!), g: tf.tensor1d(g!) }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
    const ow = new Float32Array(n);
    const om = new Float32Array(n);
    const ov = new Float32Array(n);
    adamLoops(w!, m!, v!, g!, ow, om, ov, attrs);
    [ow, om, ov].forEach((a, i) => assert.deepEqual(Array.from(outs[i]!.dataSync()), Array.from(a), `seed ${seed}: output ${i}`));
    tf.dispose(outs);
  });
});
