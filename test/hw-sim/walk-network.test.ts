import assert from 'node:assert/strict';
import type { Program } from '../../hw-sim/compiler/program.ts';
import type { ProgramContext, ProgramResult, SyncProgramExecutor } from '../../hw-sim/network/executor.ts';
import { HwSimExecutor } from '../../hw-sim/network/hwsim-executor.ts';
import { runNetworkOn, runNetworkOnAsync } from '../../hw-sim/network/walk-network.ts';
import { randomModel } from '../../quant/format/random-model.ts';
import { runGolden } from '../../quant/golden/run.ts';
import { Rng } from '../../quant/random.ts';
import { arrayConfig, shapeSizeOf } from './helpers.ts';

/** hw-sim, recording what the walk asked for; fails (a stand-in for a mismatch) on the program it is told to. */
class Recording implements SyncProgramExecutor<string> {
  readonly inner: HwSimExecutor;
  readonly calls: string[] = [];
  constructor(cfg: ReturnType<typeof arrayConfig>, private readonly failAt = -1) {
    this.inner = new HwSimExecutor(cfg);
  }
  get cfg() {
    return this.inner.cfg;
  }
  get counters() {
    return this.inner.counters;
  }
  startBatch(first: number, n: number): void {
    this.calls.push(`batch ${first}+${n}`);
  }
  run(p: Program, ctx: ProgramContext): ProgramResult<string> {
    this.calls.push(`${ctx.label} layer ${ctx.layerIndex} m=${p.m}`);
    if (this.calls.length - 1 === this.failAt) return { failure: `failed at ${ctx.label}`, cycles: 5 };
    return this.inner.run(p, ctx);
  }
}

describe('hw-sim network walk: one walk over any executor', () => {
  const rng = new Rng(91);
  const model = randomModel(rng, { inputShape: [6, 6, 1], layers: ['conv2d', 'maxpool2d', 'dense', 'dense'], classes: 5, roundingMode: 'single', maxChannels: 4 });
  const cfg = arrayConfig({ rows: 4, cols: 4, accDepth: 64 });
  const images = 5;
  const codes = Int8Array.from({ length: images * shapeSizeOf(model.input.shape) }, () => rng.int(model.input.qmin, model.input.qmax));
  const golden = runGolden(model, codes, { collect: true, batch: images });

  it('batches of 2: conv per image, each dense layer one GEMM over the batch; every layer equals the golden model', () => {
    const exec = new Recording(cfg);
    const batches: Array<{ first: number; n: number }> = [];
    const run = runNetworkOn(model, exec, codes, {
      batch: 2, collect: true,
      onBatch: (first, x, l) => {
        batches.push({ first, n: x.length / shapeSizeOf(model.input.shape) });
        l.output.forEach((y, li) => assert.deepEqual(y, l.reference[li], `hw-sim alone: its reference is its output (layer ${li})`));
      },
    });
    assert.equal(run.failure, undefined);
    assert.equal(run.images, images);
    assert.deepEqual(run.output, golden.output);
    model.layers.forEach((_, i) => assert.deepEqual(run.layers[i], golden.layers![i], `layer ${i}`));
    assert.deepEqual(batches, [{ first: 0, n: 2 }, { first: 2, n: 2 }, { first: 4, n: 1 }]);
    assert.deepEqual(exec.calls.slice(0, 5), ['batch 0+2', 'image 0 layer 0 m=36', 'image 1 layer 0 m=36', 'images 0..1 layer 3 m=2', 'images 0..1 layer 4 m=2']);
    assert.deepEqual(exec.calls.slice(-4), ['batch 4+1', 'image 4 layer 0 m=36', 'image 4 layer 3 m=1', 'image 4 layer 4 m=1']);
    assert.equal(run.cycles, run.stats.total.cycles);
  });

  it('a failure stops the walk: the batches before it count, its cycles are added, the failing image is named', async () => {
    const exec = new Recording(cfg, 6); // calls: batch 0+2, 4 programs, batch 2+2, image 2 layer 0 <- fails
    const run = await runNetworkOnAsync(model, exec, codes, { batch: 2 });
    assert.deepEqual(run.failure, { failure: 'failed at image 2', image: 2 });
    assert.equal(run.images, 2);
    assert.deepEqual(run.output, golden.output.subarray(0, 2 * 5));
    const full = runNetworkOn(model, new Recording(cfg), codes.subarray(0, 2 * shapeSizeOf(model.input.shape)), { batch: 2 });
    assert.equal(run.cycles, full.cycles + 5);
  });
});
