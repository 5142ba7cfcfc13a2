/**
 * The byte scoreboard of a network run: golden vs hw-sim vs RTL on every output byte of every layer. Its reason to
 * exist is a bug that hw-sim and the RTL share (a compiler or tiling bug: both execute the same wrong program), which
 * the cycle lockstep cannot see and an argmax comparison misses whenever the class does not move.
 */
import assert from 'node:assert/strict';
import { openRtlSim } from '../../harness/sim/verilatedSim.ts';
import { Lockstep } from '../../harness/lockstep/lockstep.ts';
import { runNetworkLockstep } from '../../harness/network/runNetworkLockstep.ts';
import { LayerCheck, describeLayerDifference } from '../../harness/network/layerCheck.ts';
import { loadDataset } from '../../model/index.ts';
import { randomModel } from '../../quant/format/random-model.ts';
import type { DenseLayer, QuantModel } from '../../quant/format/types.ts';
import { quantizeImage } from '../../quant/golden/image.ts';
import { runGolden } from '../../quant/golden/run.ts';
import { Rng } from '../../quant/random.ts';
import { buildArray } from './helpers.ts';

const model = randomModel(new Rng(21), {
  layers: ['conv2d', 'maxpool2d', 'conv2d', 'dense'],
  inputShape: [28, 28, 1], classes: 10, weightBits: 8, activationBits: 8, roundingMode: 'single', maxChannels: 8,
});

async function runChecked(programModel: QuantModel, images: number): Promise<{ check: ReturnType<LayerCheck['result']>; lockstepMismatch: boolean }> {
  const data = loadDataset('mnist');
  const codes = quantizeImage(model, data.test.images.subarray(0, images * 784));
  const rtl = openRtlSim(await buildArray(4, 4));
  try {
    const check = new LayerCheck(model, 'single', images);
    const r = await runNetworkLockstep(programModel, new Lockstep(rtl), codes, {
      batch: 4,
      onBatch: (b0, x, layers) => check.checkBatch(b0, x, layers.hwsim, layers.rtl),
    });
    return { check: check.result(), lockstepMismatch: r.mismatch !== undefined };
  } finally {
    rtl.close();
  }
}

describe('harness/network: every layer byte for byte against the golden model', function () {
  this.timeout(600_000);

  it('counts every byte of every layer and finds no difference on a correct run', async () => {
    const images = 6;
    const { check, lockstepMismatch } = await runChecked(model, images);
    assert.equal(lockstepMismatch, false);
    assert.equal(check.images, images);
    assert.equal(check.first, undefined);
    const perImage = check.layers.reduce((a, l) => a + l.bytesPerImage, 0);
    assert.equal(check.pairs['golden-rtl'].bytesCompared, images * perImage);
    assert.equal(check.pairs['golden-hwsim'].bytesCompared, images * perImage);
    const onArray = check.layers.filter((l) => l.where === 'array').reduce((a, l) => a + l.bytesPerImage, 0);
    assert.equal(check.pairs['hwsim-rtl'].bytesCompared, images * onArray);
    for (const p of ['golden-hwsim', 'golden-rtl', 'hwsim-rtl'] as const) assert.equal(check.pairs[p].bytesDiffering, 0, p);
    assert.deepEqual(check.predictions.rtl, check.predictions.golden);
  });

  it("catches a bug hw-sim and the RTL share (one channel's bias moved in the program both run), which the lockstep cannot", async () => {
    // The "compiler" hands both engines the last layer with one channel's bias raised: the lockstep
    // agrees cycle for cycle (same beats), the golden model, which runs the true model, does not.
    const li = model.layers.length - 1;
    const last = model.layers[li] as DenseLayer;
    const col = 3;
    const bias = Int32Array.from(last.bias);
    const real = (last.multiplier[col] as number) * 2 ** ((last.shift[col] as number) - 31);
    bias[col] = (bias[col] as number) + Math.ceil(5 / real); // moves that output by about 5 codes (unless clamped)
    const buggy: QuantModel = { ...model, layers: [...model.layers.slice(0, li), { ...last, bias }] };
    const { check, lockstepMismatch } = await runChecked(buggy, 6);
    assert.equal(lockstepMismatch, false, 'hw-sim and the RTL run the same (wrong) program: the lockstep holds');
    assert.equal(check.pairs['hwsim-rtl'].bytesDiffering, 0);
    assert.ok(check.pairs['golden-rtl'].bytesDiffering > 0, 'the golden model sees the moved codes');
    assert.equal(check.pairs['golden-rtl'].bytesDiffering, check.pairs['golden-hwsim'].bytesDiffering);
    const f = check.first;
    assert.ok(f !== undefined);
    assert.equal(f.layerIndex, li);
    assert.equal(f.layer, last.name);
    assert.deepEqual(f.element.slice(1), [col], `the differing element is channel ${col}: ${describeLayerDifference(f)}`);
    assert.equal(f.hwsim, f.rtl);
    assert.notEqual(f.golden, f.rtl);
    assert.deepEqual(f.pairs, ['golden-hwsim', 'golden-rtl']);
    assert.match(describeLayerDifference(f), new RegExp(`image ${f.image}, layer ${li} '${last.name}', element \\(${f.image}, ${col}\\): golden ${f.golden}, hw-sim ${f.hwsim}, RTL ${f.rtl}`));
  });

  it('names the element of a spatial layer as (n, h, w, c)', () => {
    const check = new LayerCheck(model, 'single', 1);
    const data = loadDataset('mnist');
    const codes = quantizeImage(model, data.test.images.subarray(0, 784));
    // The golden outputs themselves as hw-sim's, and a copy with one byte of the first conv layer changed as the RTL's.
    const golden = runGolden(model, codes, { batch: 1, collect: true }).layers as Int8Array[];
    const rtl = golden.map((g) => Int8Array.from(g));
    const [h, w, c] = model.layers[0]!.outputShape as [number, number, number];
    const at = ((1 * w) + 2) * c + (c - 1); // (h=1, w=2, c=last)
    assert.ok(h > 1 && w > 2);
    (rtl[0] as Int8Array)[at] = ((rtl[0] as Int8Array)[at] as number) === 127 ? 126 : ((rtl[0] as Int8Array)[at] as number) + 1;
    check.checkBatch(0, codes, golden, rtl);
    const r = check.result();
    assert.deepEqual(r.first?.element, [0, 1, 2, c - 1]);
    assert.deepEqual(r.first?.pairs, ['golden-rtl', 'hwsim-rtl']);
    assert.equal(r.pairs['golden-rtl'].bytesDiffering, 1);
    assert.match(describeLayerDifference(r.first!), /element \(n=0, h=1, w=2, c=\d+\)/);
  });
});
