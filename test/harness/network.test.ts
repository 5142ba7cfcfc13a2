import assert from 'node:assert/strict';
import { openRtlSim } from '../../harness/sim/verilatedSim.ts';
import { Lockstep } from '../../harness/lockstep/lockstep.ts';
import { runNetworkLockstep } from '../../harness/network/runNetworkLockstep.ts';
import { loadDataset } from '../../model/index.ts';
import { randomModel } from '../../quant/format/random-model.ts';
import { quantizeImage } from '../../quant/golden/image.ts';
import { runGolden } from '../../quant/golden/run.ts';
import { Rng } from '../../quant/random.ts';
import { importTflite } from '../../model/tflite/import-tflite.ts';
import { randomInputs } from '../../model/tflite/probe-inputs.ts';
import { mlperfPath } from '../model/tflite/helpers.ts';
import { buildArray } from './helpers.ts';

describe('harness: a whole network in lockstep on real images', function () {
  this.timeout(600_000);

  for (const mode of ['single', 'ruy'] as const) {
    it(`conv-pool-conv-pool-dense on MNIST test images, 8x8, the model in ${mode} rounding: RTL = hw-sim every cycle, outputs = golden`, async function () {
      const seed = mode === 'single' ? 11 : 12;
      const model = randomModel(new Rng(seed), {
        layers: ['conv2d', 'maxpool2d', 'conv2d', 'maxpool2d', 'dense'],
        inputShape: [28, 28, 1], classes: 10, weightBits: 8, activationBits: 8, roundingMode: mode, maxChannels: 12,
      });
      const data = loadDataset('mnist');
      const images = 3;
      const codes = quantizeImage(model, data.test.images.subarray(0, images * 784));
      const rtl = openRtlSim(await buildArray(8, 8)); // every rounding mode; each program's configuration chooses
      try {
        const ls = new Lockstep(rtl);
        const r = await runNetworkLockstep(model, ls, codes, { batch: mode === 'single' ? 2 : 32 }); // 2: a batch of 2 and one of 1
        assert.equal(r.mismatch, undefined, `seed ${seed}: ${JSON.stringify(r.mismatch?.verdict.first)}`);
        assert.equal(r.images, images);
        assert.deepEqual(r.outputs, runGolden(model, codes, { batch: images }).output, `seed ${seed}`);
        assert.ok(r.stats.total.cycles > 0 && r.stats.total.cycles === r.cycles);
      } finally {
        rtl.close();
      }
    });
  }

  it("DS-CNN (kws_ref_model.tflite) in the tflite-runtime arithmetic, 8x8: the rounding switches between layers (ruy for CONV_2D and FULLY_CONNECTED, double for DEPTHWISE_CONV_2D), RTL = hw-sim every cycle, outputs = golden", async function () {
    const model = importTflite(mlperfPath('kws'), { arithmetic: 'tflite-runtime' });
    const size = model.input.shape.reduce((a, b) => a * b, 1);
    const codes = (randomInputs(size, 1, 8)[0] as { codes: Int8Array }).codes;
    const rtl = openRtlSim(await buildArray(8, 8));
    try {
      const r = await runNetworkLockstep(model, new Lockstep(rtl), codes, { batch: 1 });
      assert.equal(r.mismatch, undefined, JSON.stringify(r.mismatch?.verdict.first));
      assert.deepEqual(r.outputs, runGolden(model, codes).output);
      assert.equal(model.arithmetic, 'tflite-runtime');
      assert.ok(r.cycles > 10_000 && r.cycles === r.stats.total.cycles, `${r.cycles} cycles in lockstep`);
      const kinds = new Set(model.layers.filter((l) => l.type === 'depthwise2d' || l.type === 'conv2d').map((l) => l.type));
      assert.deepEqual([...kinds].sort(), ['conv2d', 'depthwise2d'], 'both kinds, so both roundings, ran on the array');
    } finally {
      rtl.close();
    }
  });
});
