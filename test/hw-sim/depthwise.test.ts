/**
 * Depthwise convolution on the array (hw-sim/compiler/compile-depthwise.ts: one block-diagonal GEMM per group of
 * Cols channels) and the new host layers: hw-sim's network walk gives the golden model's bytes on every layer, for
 * arrays narrower and wider than the channel count, and its statistics count the useful MACs only.
 */
import assert from 'node:assert/strict';
import { randomModel } from '../../quant/format/random-model.ts';
import type { DepthwiseConv2DLayer } from '../../quant/format/types.ts';
import { runGolden } from '../../quant/golden/run.ts';
import { Rng } from '../../quant/random.ts';
import { arrayConfig, runNetwork, shapeSizeOf } from './helpers.ts';

describe('hw-sim: depthwise2d on the array, pooling beside it', () => {
  for (const [rows, cols, channels] of [[4, 4, 6], [4, 8, 3], [8, 4, 8], [2, 3, 7]] as const) {
    it(`${rows}x${cols} array, ${channels} channels: every layer equals the golden model`, () => {
      const rng = new Rng(rows * 100 + cols * 10 + channels);
      const model = randomModel(rng, { inputShape: [7, 6, channels], layers: ['depthwise2d', 'avgpool2d', 'conv2d', 'depthwise2d', 'dense'], classes: 3, roundingMode: 'double' });
      const cfg = arrayConfig({ rows, cols, accDepth: 64 });
      const images = 3;
      const codes = Int8Array.from({ length: images * shapeSizeOf(model.input.shape) }, () => rng.int(model.input.qmin, model.input.qmax));
      const golden = runGolden(model, codes, { batch: images, collect: true });
      const run = runNetwork(model, cfg, codes, { collect: true });
      model.layers.forEach((l, i) => assert.deepEqual(run.layers[i], golden.layers![i], `layer ${i} (${l.type})`));
      const dw = model.layers[0] as DepthwiseConv2DLayer;
      const s = run.stats.layers[0]!;
      assert.equal(s.onArray, true);
      assert.equal(s.images, images);
      const [outH, outW] = dw.outputShape as [number, number, number];
      assert.equal(s.macs, images * outH * outW * dw.kernel[0] * dw.kernel[1] * channels, 'useful MACs: one kh*kw window per output element');
      assert.ok(s.peMacs >= s.macs);
      assert.equal(run.stats.layers[1]!.onArray, false, 'avgpool2d runs on the host');
    });
  }

  it("a depthwise layer whose rounding the array does not implement fails to compile, naming the layer, its mode and the array's modes", () => {
    const rng = new Rng(5);
    const model = randomModel(rng, { inputShape: [5, 5, 2], layers: ['depthwise2d', 'dense'], classes: 2, roundingMode: 'double' });
    const cfg = arrayConfig({ rows: 4, cols: 4, accDepth: 64, roundingModes: ['single', 'ruy'] });
    const codes = new Int8Array(shapeSizeOf(model.input.shape));
    const name = model.layers[0]!.name;
    assert.throws(() => runNetwork(model, cfg, codes), {
      name: 'RangeCheckError',
      message: `layer '${name} channels 0..1' needs 'double' rounding, which this array does not implement (roundingModes single, ruy)`,
    });
  });
});
