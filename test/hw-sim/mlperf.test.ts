/**
 * hw-sim runs the imported MLPerf Tiny models end to end: residual ADDs, depthwise layers (block-diagonal GEMMs),
 * average pooling and softmax beside the array, every layer's bytes equal to the golden model's, at 8x8 and
 * 16x16, in the tflite-runtime arithmetic (ruy rounding for CONV_2D and FULLY_CONNECTED, double for
 * DEPTHWISE_CONV_2D: every program's configuration command carries its layer's mode, so the rounding switches
 * between layers on one array) and, at 8x8, the tflite-reference one (double everywhere). The statistics say where
 * each layer ran and how well the array was used.
 */
import assert from 'node:assert/strict';
import { importTflite } from '../../model/tflite/import-tflite.ts';
import { randomInputs } from '../../model/tflite/probe-inputs.ts';
import { GoldenModel } from '../../quant/golden/run.ts';
import { mlperfPath, type MlperfName } from '../model/tflite/helpers.ts';
import { arrayConfig, HwSimExecutor, runNetworkOn, shapeSizeOf } from './helpers.ts';

describe('hw-sim on the MLPerf Tiny models', () => {
  const runs = [['tflite-runtime', 8], ['tflite-runtime', 16], ['tflite-reference', 8]] as const;
  for (const name of ['resnet8', 'kws', 'ad01'] as MlperfName[]) {
    for (const [arithmetic, size] of runs) {
      it(`${name} at ${size}x${size}, ${arithmetic}: every layer of 2 images equals the golden model`, () => {
        const model = importTflite(mlperfPath(name), { arithmetic });
        const inSize = shapeSizeOf(model.input.shape);
        const codes = new Int8Array(2 * inSize);
        randomInputs(inSize, 2, size).forEach((p, i) => codes.set(p.codes, i * inSize));
        const cfg = arrayConfig({ rows: size, cols: size, accDepth: 1024 }); // every rounding mode
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
