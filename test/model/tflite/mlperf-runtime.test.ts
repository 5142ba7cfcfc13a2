/**
 * The golden model in the 'tflite-runtime' arithmetic against TFLite's own runtime (tfjs-tflite-node, TFLite 2.9)
 * on the three MLPerf Tiny reference models: every output byte of 1,000 seeded random int8 inputs and the ten
 * extreme ones of probe-inputs.ts, zero differing bytes (what `make runtime-check` also runs). And the other
 * target, 'tflite-reference', does differ from the runtime where the issue says it must (ResNet-8 and the
 * autoencoder round their requantizer ties differently), so that the comparison is seen to be able to fail.
 */
import assert from 'node:assert/strict';
import { compareWithRuntime } from '../../../model/tflite/compare-runtime.ts';
import { mlperfPath, type MlperfName } from './helpers.ts';

describe('MLPerf Tiny models: golden model = TFLite runtime, byte for byte', () => {
  for (const name of ['resnet8', 'kws', 'ad01'] as MlperfName[]) {
    it(`${name}: 1,000 random and 10 extreme inputs, every output byte equal`, async function () {
      this.timeout(180_000);
      const r = await compareWithRuntime(mlperfPath(name), { count: 1000, seed: 14 });
      assert.equal(r.inputs, 1010);
      assert.equal(r.bytesDiffering, 0, `first difference: ${JSON.stringify(r.first)}; first layer: ${JSON.stringify(r.firstLayer)}`);
      assert.ok(r.bytesCompared >= 1010 * 10);
    });
  }

  it('the reference arithmetic differs from the runtime on ResNet-8, and the per-layer cut names a CONV_2D', async function () {
    this.timeout(60_000);
    const r = await compareWithRuntime(mlperfPath('resnet8'), { count: 60, seed: 14, arithmetic: 'tflite-reference' });
    assert.ok(r.bytesDiffering > 0);
    assert.match(r.firstLayer?.layer ?? '', /^conv2d_\d+$/);
  });
});
