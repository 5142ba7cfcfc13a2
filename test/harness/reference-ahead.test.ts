/**
 * hw-sim ahead of the RTL on worker threads (harness/network/referenceAhead.ts): the network lockstep gives the same
 * result whether hw-sim runs beside the RTL or on 1 or 2 workers (outputs, cycles, statistics, words compared, the
 * byte check), finds a planted RTL fault at the same cycle and word, and refuses a reference that is not the stream
 * the walk compiled.
 */
import assert from 'node:assert/strict';
import { loadRtlConfig } from '../../harness/config/rtlConfig.ts';
import { buildRtl } from '../../harness/build/buildRtl.ts';
import { openRtlSim } from '../../harness/sim/verilatedSim.ts';
import type { RtlBuild } from '../../harness/build/buildRtl.ts';
import { Lockstep } from '../../harness/lockstep/lockstep.ts';
import { LayerCheck } from '../../harness/network/layerCheck.ts';
import { LockstepExecutor } from '../../harness/network/lockstepExecutor.ts';
import { ReferenceAhead } from '../../harness/network/referenceAhead.ts';
import { runNetworkLockstep } from '../../harness/network/runNetworkLockstep.ts';
import { runNetworkOnRtl } from '../../harness/network/runNetworkOnRtl.ts';
import { loadDataset } from '../../model/index.ts';
import { randomModel } from '../../quant/format/random-model.ts';
import { quantizeImage } from '../../quant/golden/image.ts';
import { runGolden } from '../../quant/golden/run.ts';
import { Rng } from '../../quant/random.ts';
import { buildArray } from './helpers.ts';

const model = randomModel(new Rng(31), {
  layers: ['conv2d', 'maxpool2d', 'conv2d', 'dense'],
  inputShape: [28, 28, 1], classes: 10, weightBits: 8, activationBits: 8, roundingMode: 'single', maxChannels: 6,
});
const IMAGES = 7; // batches of 2: three full ones and a last one of 1
const codes = quantizeImage(model, loadDataset('mnist').test.images.subarray(0, IMAGES * 784));

async function run(build: RtlBuild, referenceWorkers: number) {
  const rtl = openRtlSim(build);
  try {
    const ls = new Lockstep(rtl);
    const check = new LayerCheck(model, 'single', IMAGES);
    const r = await runNetworkLockstep(model, ls, codes, { batch: 2, referenceWorkers, onBatch: (b0, x, l) => check.checkBatch(b0, x, l.hwsim, l.rtl) });
    return { r, words: ls.wordsCompared, check: check.result() };
  } finally {
    rtl.close();
  }
}

describe('harness/network: hw-sim ahead of the RTL on worker threads', function () {
  this.timeout(600_000);

  it('gives the same lockstep, statistics and byte check with 0, 1 and 2 workers', async () => {
    const build = await buildArray(4, 4);
    const [here, one, two] = [await run(build, 0), await run(build, 1), await run(build, 2)];
    assert.equal(here.r.mismatch, undefined);
    assert.deepEqual(here.r.outputs, runGolden(model, codes, { batch: IMAGES }).output);
    assert.ok(here.words > 0 && here.check.pairs['hwsim-rtl'].bytesCompared > 0);
    for (const [name, x] of [['1 worker', one], ['2 workers', two]] as const) {
      assert.equal(x.r.mismatch, undefined, name);
      assert.deepEqual(x.r.outputs, here.r.outputs, name);
      assert.deepEqual(x.r.predictions, here.r.predictions, name);
      assert.equal(x.r.cycles, here.r.cycles, name);
      assert.deepEqual(x.r.stats, here.r.stats, name);
      assert.equal(x.words, here.words, name);
      assert.deepEqual(x.check, here.check, name);
    }
  });

  it("runs the workers' later batches in the buffers given back: as many as 4 batches need, however many batches run", async () => {
    const images = 24; // 12 batches of 2
    const many = quantizeImage(model, loadDataset('mnist').test.images.subarray(0, images * 784));
    const rtl = openRtlSim(await buildArray(4, 4));
    const ls = new Lockstep(rtl);
    const ahead = new ReferenceAhead(model, ls.cfg, many, { batch: 2, workers: 1 });
    try {
      const r = await runNetworkOnRtl(model, new LockstepExecutor(ls, ahead), many, { batch: 2 });
      assert.equal(r.failure, undefined);
    } finally {
      await ahead.close();
      rtl.close();
    }
    const perBatch = ahead.programsReceived / (images / 2);
    assert.ok(Number.isInteger(perBatch) && perBatch > 0);
    // in flight at once: the batch the main thread compares, one queued, the worker's next two (credits 2)
    assert.ok(ahead.received <= 2 * perBatch * 4, `${ahead.received} buffers for ${images / 2} batches of ${perBatch} programs`);
    assert.ok(ahead.received >= 2 * perBatch);
  });

  it('finds a planted RTL fault at the same cycle, word and image as hw-sim beside the RTL does', async () => {
    const build = await buildRtl({
      config: loadRtlConfig(), parameters: { Rows: 4, Cols: 4 },
      defines: { INT8COSIM_FAULT: '', INT8COSIM_FAULT_ROW: '1', INT8COSIM_FAULT_COL: '2', INT8COSIM_FAULT_CYCLE: '57' },
    });
    const here = await run(build, 0);
    const two = await run(build, 2);
    assert.ok(here.r.mismatch, 'the planted fault went unnoticed');
    assert.deepEqual(two.r.mismatch, here.r.mismatch);
    assert.equal(two.r.images, here.r.images);
  });

  it("refuses a reference whose streams are not the walk's (another model's programs)", async () => {
    const other = randomModel(new Rng(32), {
      layers: ['conv2d', 'maxpool2d', 'conv2d', 'dense'],
      inputShape: [28, 28, 1], classes: 10, weightBits: 8, activationBits: 8, roundingMode: 'single', maxChannels: 6,
    });
    const rtl = openRtlSim(await buildArray(4, 4));
    const ls = new Lockstep(rtl);
    const ahead = new ReferenceAhead(other, ls.cfg, codes, { batch: 2, workers: 1 });
    try {
      await assert.rejects(runNetworkOnRtl(model, new LockstepExecutor(ls, ahead), codes, { batch: 2 }), /hw-sim reference: the worker's program 0 of the batch .* is not the stream of layer 0/);
    } finally {
      await ahead.close();
      rtl.close();
    }
  });
});
