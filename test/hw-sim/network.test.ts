import assert from 'node:assert/strict';
import { Rng } from '../../quant/random.ts';
import { randomModel } from '../../quant/format/random-model.ts';
import { runGolden } from '../../quant/golden/run.ts';
import { quantizeImage } from '../../quant/golden/image.ts';
import { ArraySim, arrayConfig, compileLayer, gatherOutputs, runNetwork, shapeSizeOf } from './helpers.ts';
import { loadDataset } from '../../model/data/dataset.ts';
import { ROUNDING_MODES } from '../../quant/spec/index.ts';

describe('hw-sim whole networks', () => {
  it('every layer of random models equals the golden model, over array shapes and every rounding mode', () => {
    const seed = 4242;
    const rng = new Rng(seed);
    for (let trial = 0; trial < 12; trial++) {
      const mode = ROUNDING_MODES[trial % 3]!;
      const model = randomModel(rng, { roundingMode: mode });
      // small random shapes, plus the extremes 32x32, 2x32 and 32x2
      const [rows, cols] = trial < 9 ? [rng.int(2, 9), rng.int(2, 9)] : ([[32, 32], [2, 32], [32, 2]][trial - 9] as [number, number]);
      const cfg = arrayConfig({ rows, cols, accDepth: rng.pick([8, 32, 1024]) });
      const images = 2;
      const input = Int8Array.from({ length: images * shapeSizeOf(model.input.shape) }, () => rng.int(model.input.qmin, model.input.qmax));
      const hw = runNetwork(model, cfg, input, { checkHazards: true });
      const golden = runGolden(model, input, { collect: true, batch: images });
      const what = `seed ${seed} trial ${trial}: ${model.layers.map((l) => l.type).join(',')} on ${cfg.rows}x${cfg.cols} D=${cfg.accDepth} ${mode}`;
      model.layers.forEach((l, i) => assert.deepEqual(hw.layers[i], golden.layers![i], `${what}: layer ${i} '${l.name}'`));
      assert.deepEqual(hw.output, golden.output, what);
      for (const s of hw.stats.layers) {
        assert.equal(s.cycles, s.formulaCycles, `${what}: ${s.layer} cycles vs formula`);
        if (s.onArray) assert.equal(s.fill + s.beats + s.stall + s.drain, s.cycles, `${what}: ${s.layer} cycle breakdown`);
      }
    }
  });

  it('runs a conv/pool/dense network on real MNIST test images bit-exactly, layer by layer through the harness API', () => {
    const data = loadDataset('mnist');
    const rng = new Rng(77);
    const model = randomModel(rng, { inputShape: [28, 28, 1], layers: ['conv2d', 'maxpool2d', 'conv2d', 'maxpool2d', 'dense'], classes: 10, roundingMode: 'double', maxChannels: 8 });
    const images = 3;
    const input = quantizeImage(model, data.test.images.subarray(0, images * 784));
    const cfg = arrayConfig({ rows: 8, cols: 8 });
    const golden = runGolden(model, input, { collect: true, batch: images });
    const hw = runNetwork(model, cfg, input, { checkHazards: true });
    assert.deepEqual(hw.output, golden.output);
    model.layers.forEach((_, i) => assert.deepEqual(hw.layers[i], golden.layers![i], `layer ${i}`));
    // the same through compileLayer/gatherOutputs, one layer at a time on one continuous simulator
    const sim = new ArraySim(cfg, { checkHazards: true });
    sim.reset();
    const first = model.layers[0]!;
    assert.equal(first.type, 'conv2d');
    if (first.type !== 'conv2d') return;
    const p = compileLayer(first, input.subarray(0, 784), cfg, 'double');
    const out = new Int32Array(p.nCycles * sim.outWords);
    sim.run(p.nCycles, p.beats, out);
    assert.deepEqual(gatherOutputs(p, out), golden.layers![0]!.subarray(0, p.m * p.n));
  });
});
