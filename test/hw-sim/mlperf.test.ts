/**
 * hw-sim runs the imported MLPerf Tiny models end to end: residual ADDs, depthwise layers (block-diagonal GEMMs),
 * average pooling and softmax beside the array, every layer's bytes equal to the golden model's, at 8x8 and
 * 16x16, in the tflite-reference arithmetic (double rounding everywhere, which an array of one requantizer mode
 * runs). The statistics say where each layer ran and how well the array was used.
 */
import assert from 'node:assert/strict';
import { importTflite } from '../../model/tflite/import-tflite.ts';
import { randomInputs } from '../../model/tflite/probe-inputs.ts';
import { GoldenModel } from '../../quant/golden/run.ts';
import { mlperfPath, type MlperfName } from '../model/tflite/helpers.ts';
import { arrayConfig, HwSimExecutor, runNetworkOn, shapeSizeOf } from './helpers.ts';

describe('hw-sim on the MLPerf Tiny models', () => {
  for (const name of ['resnet8', 'kws', 'ad01'] as MlperfName[]) {
    for (const size of [8, 16]) {
      it(`${name} at ${size}x${size}: every layer of 2 images equals the golden model`, () => {
        const model = importTflite(mlperfPath(name), { arithmetic: 'tflite-reference' });
        const inSize = shapeSizeOf(model.input.shape);
        const codes = new Int8Array(2 * inSize);
        randomInputs(inSize, 2, size).forEach((p, i) => codes.set(p.codes, i * inSize));
        const cfg = arrayConfig({ rows: size, cols: size, accDepth: 1024, roundingMode: 'double' });
        const run = runNetworkOn(model, new HwSimExecutor(cfg), codes, { batch: 2, collect: true });
        const golden = new GoldenModel(model).run(codes, { batch: 2, collect: true });
        model.layers.forEach((l, i) => assert.deepEqual(run.layers[i], golden.layers![i], `layer ${i} '${l.name}' (${l.type})`));
        for (const s of run.stats.layers) {
          assert.equal(s.onArray, ['dense', 'conv2d', 'depthwise2d'].includes(s.type), `${s.layer} runs ${s.onArray ? 'on' : 'beside'} the array`);
          assert.equal(s.images, 2, s.layer);
          if (s.type === 'depthwise2d') assert.ok(s.utilization <= 1 / Math.min(size, 64) + 1e-9, `${s.layer}: a block-diagonal GEMM uses at most 1/Cols of the PEs, got ${s.utilization}`);
        }
        assert.equal(run.cycles, run.stats.total.cycles);
      });
    }
  }
});
