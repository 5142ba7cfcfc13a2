import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  buildQuantModel, calibrate, evaluateSplit, forward, initBackend, loadDataset, Network, networkSpec, newQatState, trainPhase,
} from '../../model/index.ts';
import { head } from '../../model/train/batches.ts';
import { readModel, writeModel } from '../../quant/format/index.ts';
import type { QuantModel } from '../../quant/format/types.ts';
import { evaluate, GoldenModel, quantizeImage } from '../../quant/golden/index.ts';
import { effectiveScale, intRange, perChannelMultipliers, quantizeBias, quantizeMultiplier } from '../../quant/spec/index.ts';

describe('model/export: QuantModel from a trained network', function () {
  this.timeout(120000);
  const data = loadDataset('mnist');
  const cases: Array<[string, number, number]> = [['cnn', 8, 8], ['tfc', 4, 4], ['tfc', 3, 2]];
  let dir: string;

  before(async () => {
    await initBackend('wasm');
    dir = mkdtempSync(join(tmpdir(), 'int8cosim-export-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const [name, wb, ab] of cases) {
    describe(`${name} W${wb}A${ab}`, () => {
      const test = head(data.test, name === 'cnn' ? 400 : 1000); // the golden CNN is slow: keep the suite fast
      let net: Network;
      let model: QuantModel;
      let fq: Uint8Array;
      let fqLogits: Float32Array;
      const q = { state: undefined as unknown as ReturnType<typeof newQatState> };

      before(() => {
        net = new Network(networkSpec(name), 3);
        trainPhase(net, data.train, { phase: 'float', epochs: 1, batchSize: 64, learningRate: 2e-3, seed: 3, maxStepsPerEpoch: 40 });
        q.state = newQatState(net, wb, ab);
        calibrate(net, data.train, q.state, 512, 3);
        trainPhase(net, data.train, { phase: 'qat', epochs: 1, batchSize: 64, learningRate: 5e-4, seed: 3, maxStepsPerEpoch: 20, qat: q.state, bnFreeze: 0.5, observerFreeze: 0.75 });
        for (const o of q.state.observers) o.freeze();
        q.state.bnFrozen = true;
        model = buildQuantModel(net, q.state, 'single', `${name}-test`);
        const mode = { kind: 'qat', training: false, qat: q.state } as const;
        fq = evaluateSplit(test, (x) => forward(net, x, mode).logits).predictions;
        fqLogits = tf.tidy(() => {
          const x = tf.tensor4d(Float32Array.from(test.images.subarray(0, 200 * 784), (p) => p / 255), [200, 28, 28, 1]);
          return forward(net, x, mode).logits.dataSync() as Float32Array;
        });
      });
      after(() => net.dispose());

      it('every integer is the quant/spec function of the float parameters and ranges', () => {
        let inQ = model.input;
        assert.deepEqual([inQ.scale, inQ.zeroPoint, inQ.bits], [Math.fround(1 / 255), -128, 8]);
        for (const l of model.layers) {
          if (l.type !== 'dense' && l.type !== 'conv2d') continue;
          assert.deepEqual(l.input, { scale: inQ.scale, zeroPoint: inQ.zeroPoint, bits: inQ.bits, qmin: inQ.qmin, qmax: inQ.qmax });
          const w = intRange(wb, true);
          assert.equal(l.weightBits, wb);
          for (const v of l.weights) assert.ok(v >= w.qmin && v <= w.qmax, `${l.name}: weight ${v} outside ${wb} bits`);
          // every scale is a float32, so TFLite's Prepare (double products of the file's float32 scales) derives
          // exactly the exported multipliers from a .tflite file
          assert.equal(Math.fround(l.output.scale), l.output.scale, `${l.name}: output scale ${l.output.scale} is not a float32`);
          assert.deepEqual(perChannelMultipliers(l.input.scale, l.weightScales, l.output.scale), { multiplier: l.multiplier, shift: l.shift }, l.name);
          for (let c = 0; c < l.bias.length; c++) {
            const m = quantizeMultiplier(effectiveScale(l.input.scale, l.weightScales[c]!, l.output.scale));
            assert.equal(l.multiplier[c], m.m0, `${l.name} channel ${c}`);
            assert.equal(l.shift[c], m.shift, `${l.name} channel ${c}`);
          }
          const last = l === model.layers[model.layers.length - 1];
          assert.equal(l.output.bits, last ? 8 : ab);
          assert.equal(l.actMin, l.relu ? l.output.zeroPoint : l.output.qmin);
          assert.equal(l.relu, !last);
          // the bias can be recomputed from a float bias on the S_in * S_w grid
          for (let c = 0; c < l.bias.length; c++) {
            const real: number = l.bias[c]! * l.input.scale * l.weightScales[c]!;
            assert.equal(quantizeBias(real, l.input.scale, l.weightScales[c]!), l.bias[c]);
          }
          inQ = { ...l.output, shape: [] };
        }
      });

      it('survives writeModel -> readModel unchanged', () => {
        const d = join(dir, `${name}-w${wb}a${ab}`);
        writeModel(d, model);
        assert.deepEqual(readModel(d), model);
      });

      it('the golden integer model reproduces the fake-quant model (argmax >= 99.5%, output codes within 1)', () => {
        const golden = evaluate(model, test.images, test.labels);
        let agree = 0;
        for (let i = 0; i < test.labels.length; i++) if (golden.predictions[i] === fq[i]) agree++;
        assert.ok(agree / test.labels.length >= 0.995, `argmax agreement ${agree}/${test.labels.length}`);
        const g = evaluate(model, test.images.subarray(0, 200 * 784), test.labels.subarray(0, 200));
        assert.equal(g.count, 200);
        // logits: fake-quant values are (code - zp) * scale; compare codes
        const out = model.layers[model.layers.length - 1]!;
        assert.ok(out.type === 'dense');
        let exact = 0;
        const goldenCodes = runCodes(model, test.images.subarray(0, 200 * 784), 200);
        for (let i = 0; i < fqLogits.length; i++) {
          const code = Math.round(fqLogits[i]! / out.output.scale) + out.output.zeroPoint;
          const d = Math.abs(code - goldenCodes[i]!);
          assert.ok(d <= 1, `logit ${i}: fake-quant code ${code}, golden ${goldenCodes[i]}`);
          if (d === 0) exact++;
        }
        assert.ok(exact / fqLogits.length >= 0.99, `only ${exact} of ${fqLogits.length} logit codes equal`);
      });
    });
  }
});

function runCodes(model: QuantModel, images: Uint8Array, batch: number): Int8Array {
  return new GoldenModel(model).run(quantizeImage(model, images), { batch }).output as Int8Array;
}
