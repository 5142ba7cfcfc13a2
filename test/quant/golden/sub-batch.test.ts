/**
 * GoldenModel.run on a batch larger than its sub-batch (32 images): the same outputs and collected layers as
 * image by image, on seeded random conv2d / maxpool2d / dense models, in every rounding mode. And the model's
 * reused buffers for the layers between (runs that do not collect): a run's output stays what it was after the
 * next runs, and equals what a collecting run (new arrays throughout) gives.
 */
import assert from 'node:assert/strict';
import { Rng } from '../../../quant/random.ts';
import { ROUNDING_MODES } from '../../../quant/spec/index.ts';
import { randomModel, shapeSize } from '../../../quant/format/index.ts';
import { compileGolden } from '../../../quant/golden/index.ts';

const SEED = process.env.SEED === undefined ? 23 : Number(process.env.SEED);

describe('quant/golden GoldenModel.run in sub-batches', () => {
  for (const mode of ROUNDING_MODES) {
    it(`a batch of 70 (${mode}) equals 70 runs of one image, output and every layer`, () => {
      const rng = new Rng(SEED + ROUNDING_MODES.indexOf(mode));
      const model = randomModel(rng, { layers: ['conv2d', 'maxpool2d', 'conv2d', 'dense'], inputShape: [8, 8, 2], roundingMode: mode });
      const golden = compileGolden(model);
      const size = shapeSize(model.input.shape);
      const batch = 70;
      const input = Int8Array.from({ length: batch * size }, () => rng.int(-128, 127));
      const all = golden.run(input, { batch, collect: true });
      const layers = all.layers as Int8Array[];
      assert.equal(layers.length, model.layers.length);
      for (let b = 0; b < batch; b++) {
        const one = golden.run(input.subarray(b * size, (b + 1) * size), { collect: true });
        const perImage = one.output.length;
        assert.deepEqual(all.output.subarray(b * perImage, (b + 1) * perImage), one.output, `seed ${SEED}: image ${b} output`);
        (one.layers as Int8Array[]).forEach((l, i) => {
          assert.deepEqual((layers[i] as Int8Array).subarray(b * l.length, (b + 1) * l.length), l, `seed ${SEED}: image ${b}, layer ${i}`);
        });
      }
    });
  }

  it('runs that reuse the buffers between layers give what collecting runs give, and leave earlier outputs alone', () => {
    const rng = new Rng(SEED + 5);
    const model = randomModel(rng, { layers: ['conv2d', 'conv2d', 'dense', 'dense'], inputShape: [6, 6, 3], roundingMode: 'double' });
    const golden = compileGolden(model);
    const size = shapeSize(model.input.shape);
    const runs = [70, 5, 33, 1].map((batch) => ({ batch, input: Int8Array.from({ length: batch * size }, () => rng.int(-128, 127)) }));
    const outputs = runs.map(({ batch, input }) => golden.run(input, { batch }).output);
    const kept = outputs.map((o) => o.slice());
    runs.forEach(({ batch, input }, r) => {
      assert.deepEqual(outputs[r], kept[r], `seed ${SEED}: run ${r}'s output after the runs that followed it`);
      assert.deepEqual(outputs[r], golden.run(input, { batch, collect: true }).output, `seed ${SEED}: run ${r} (batch ${batch}) against a collecting run`);
    });
  });
});
