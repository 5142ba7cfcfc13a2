import assert from 'node:assert/strict';
import { initBackend, buildQuantModel, calibrate, loadDataset, Network, networkSpec, newQatState, trainPhase } from '../../../model/index.ts';
import { exportTflite, clampEncoding } from '../../../model/tflite/export-tflite.ts';
import { TfliteExportError } from '../../../model/tflite/export-error.ts';
import { float32WeightScale } from '../../../model/tflite/export-scales.ts';
import { EXPORT_NOTES_METADATA } from '../../../model/tflite/export-notes.ts';
import { importTfliteGraph } from '../../../model/tflite/import-tflite.ts';
import { readTflite } from '../../../model/tflite/read-tflite.ts';
import { openTfliteRuntime } from '../../../model/tflite/runtime.ts';
import { writeTflite } from '../../../model/tflite/write-tflite.ts';
import type { TfliteGraph } from '../../../model/tflite/graph.ts';
import { isMacLayer, type Conv2DLayer, type DenseLayer, type QuantModel } from '../../../quant/format/types.ts';
import { GoldenModel, quantizeImage } from '../../../quant/golden/index.ts';
import { activationRange, effectiveOutputScale, perChannelMultipliers, quantizeMultiplier } from '../../../quant/spec/index.ts';
import { exportableModel } from './exportable-model.ts';
import { lcg } from './helpers.ts';

/** Written and read back, as a file would be. */
function roundTrip(model: QuantModel): { graph: TfliteGraph; bytes: Uint8Array; back: QuantModel } {
  const bytes = writeTflite(exportTflite(model));
  const graph = readTflite(bytes, `${model.name}.tflite`);
  return { graph, bytes, back: importTfliteGraph(graph) };
}

/** The fields that differ by design: meta (the importer's provenance, the model's own under meta.exportedModel) and arithmetic (the TFLite target it is imported in). */
function withoutDesignedDifferences(m: QuantModel): Omit<QuantModel, 'meta' | 'arithmetic'> {
  const { meta: _m, arithmetic: _a, ...rest } = m;
  return rest;
}

function assertRoundTrip(model: QuantModel, what: string): { graph: TfliteGraph; bytes: Uint8Array; back: QuantModel } {
  const r = roundTrip(model);
  assert.deepEqual(withoutDesignedDifferences(r.back), withoutDesignedDifferences(model), what);
  assert.equal(r.back.arithmetic, 'tflite-runtime');
  assert.deepEqual(r.back.meta.exportedModel, model.meta);
  return r;
}

/** Golden model (tflite-runtime arithmetic) vs TFLite's runtime on seeded inputs in the model's input range. */
async function assertRuntimeEqual(model: QuantModel, bytes: Uint8Array, inputs: Int8Array[], what: string): Promise<number> {
  const rt = await openTfliteRuntime(bytes);
  const golden = new GoldenModel(model);
  let compared = 0;
  try {
    inputs.forEach((x, k) => {
      const want = golden.run(x, { arithmetic: 'tflite-runtime' }).output;
      const got = rt.run(x);
      assert.deepEqual(got, want, `${what}: input ${k}: runtime [${got.join(', ')}] vs golden [${want.join(', ')}]`);
      compared += got.length;
    });
  } finally {
    rt.close();
  }
  return compared;
}

function randomInputs(model: QuantModel, count: number, seed: number): Int8Array[] {
  const next = lcg(seed);
  const n = model.input.shape.reduce((a, b) => a * b, 1);
  const { qmin, qmax } = model.input;
  return Array.from({ length: count }, (_, k) => Int8Array.from({ length: n }, () => (k === 0 ? qmin : k === 1 ? qmax : qmin + Math.floor(next() * (qmax - qmin + 1)))));
}

describe('model/tflite/export: our models out as .tflite', function () {
  this.timeout(120000);

  describe('random models, every width (seeded)', () => {
    const stacks = [['conv2d', 'maxpool2d', 'conv2d', 'dense'], ['dense', 'dense', 'dense'], ['conv2d', 'dense'], undefined] as const;
    for (let bits = 2; bits <= 8; bits++) {
      it(`W${bits}A${bits}: import(export(m)) = m field by field, and the runtime = the golden model (tflite-runtime) on every output byte`, async () => {
        let compared = 0;
        for (const [i, layers] of stacks.entries()) {
          const seed = 100 * bits + i;
          const m = exportableModel(seed, { weightBits: bits, activationBits: bits, reluProbability: 0.7, ...(layers ? { layers: [...layers] } : {}) });
          const { bytes } = assertRoundTrip(m, `seed ${seed}`);
          compared += await assertRuntimeEqual(m, bytes, randomInputs(m, 40, seed), `seed ${seed}`);
        }
        assert.ok(compared > 0);
      });
    }
    it('mixed widths per layer (30 seeds)', async () => {
      for (let seed = 1; seed <= 30; seed++) {
        const m = exportableModel(seed);
        const { bytes } = assertRoundTrip(m, `seed ${seed}`);
        await assertRuntimeEqual(m, bytes, randomInputs(m, 10, seed), `seed ${seed}`);
      }
    });
  });

  describe('the multipliers: float32 scales from which TFLite derives the model\'s (m0, shift)', () => {
    it('keeps a weight scale that already gives them, and finds the float32 neighbour that does', () => {
      const m = exportableModel(7, { layers: ['conv2d', 'dense'], weightBits: 8, activationBits: 8 });
      const l = m.layers.find(isMacLayer) as Conv2DLayer;
      const sw = l.weightScales[0] as number;
      assert.equal(float32WeightScale(l.input.scale, sw, l.output.scale, l.multiplier[0]!, l.shift[0]!), sw);
      // a multiplier derived from the weight scale three float32 steps up: the export must write that scale
      const up = new Float32Array([sw]);
      new Uint32Array(up.buffer)[0]! += 3;
      const q = quantizeMultiplier(effectiveOutputScale(l.input.scale, up[0]!, l.output.scale));
      l.multiplier[0] = q.m0;
      l.shift[0] = q.shift;
      const found = float32WeightScale(l.input.scale, sw, l.output.scale, q.m0, q.shift) as number;
      assert.ok(found !== undefined && found !== sw, 'a neighbour is found');
      assert.deepEqual(quantizeMultiplier(effectiveOutputScale(l.input.scale, found, l.output.scale)), q);
      const back = roundTrip(m).back.layers.find(isMacLayer) as Conv2DLayer;
      assert.equal(back.multiplier[0], q.m0);
      assert.equal(back.shift[0], q.shift);
      assert.equal(back.weightScales[0], found, 'the weight scale is the one written (it may differ from the model\'s by design)');
    });

    it('a multiplier no float32 weight scale nearby gives is an error naming the layer and the channel', () => {
      const m = exportableModel(7, { layers: ['conv2d', 'dense'], weightBits: 8, activationBits: 8 });
      const l = m.layers.find((x): x is DenseLayer => x.type === 'dense') as DenseLayer;
      // the model's own m0 + 1: one float32 step of the weight scale moves m0 by 64..256, so no step gives it
      l.multiplier[1] = (l.multiplier[1] as number) + 1;
      assert.throws(() => exportTflite(m), (e: Error) => e instanceof TfliteExportError && /layer 'dense_1' channel 1: no float32 weight scale/.test(e.message));
    });

    it('a model whose multipliers came from a double scale does not export: TFLite derives other m0 from the float32 in the file', () => {
      const m = exportableModel(3, { layers: ['dense'], weightBits: 8, activationBits: 8 });
      const l = m.layers[0] as DenseLayer;
      l.output = { ...l.output, scale: l.output.scale * (1 + 2 ** -26) }; // m0 moves by ~20 units
      for (let c = 0; c < l.weightScales.length; c++) {
        const q = quantizeMultiplier((l.input.scale * (l.weightScales[c] as number)) / l.output.scale);
        l.multiplier[c] = q.m0;
        l.shift[c] = q.shift;
      }
      assert.throws(() => exportTflite(m), (e: Error) => e instanceof TfliteExportError && /layer 'dense_0' channel \d+: no float32 weight scale within 64 steps/.test(e.message));
    });
  });

  describe('the clamps: fused activations, else MAXIMUM / MINIMUM against a constant', () => {
    const q4 = { scale: 0.05, zeroPoint: -8, bits: 4, qmin: -8, qmax: 7 };
    it('a 4-bit ReLU output [zp, 7]: fused RELU (its range [zp, 127]) and MINIMUM 7', () => {
      assert.deepEqual(clampEncoding(q4, -8, 7, true), { fused: 'RELU', minimum: 7 });
      assert.deepEqual(activationRange('RELU', q4.scale, q4.zeroPoint), { actMin: -8, actMax: 127 });
    });
    it('a 4-bit output without ReLU [-8, 7]: NONE, MAXIMUM -8 and MINIMUM 7', () => {
      assert.deepEqual(clampEncoding(q4, -8, 7, false), { fused: 'NONE', maximum: -8, minimum: 7 });
    });
    it('an 8-bit ReLU: fused RELU alone; a clamp that RELU6 gives exactly: RELU6 alone', () => {
      const q8 = { scale: 0.05, zeroPoint: -128, bits: 8, qmin: -128, qmax: 127 };
      assert.deepEqual(clampEncoding(q8, -128, 127, true), { fused: 'RELU' });
      const r6 = activationRange('RELU6', 0.05, -128); // [-128, -8]
      assert.deepEqual(clampEncoding(q8, r6.actMin, r6.actMax, true), { fused: 'RELU6' });
      assert.deepEqual(clampEncoding(q8, -128, 127, false), { fused: 'NONE' });
    });
    it('the exported 4-bit model has exactly those ops, the MINIMUM folds back into the layer\'s clamp', () => {
      const m = exportableModel(11, { layers: ['dense', 'dense'], weightBits: 4, activationBits: 4, reluProbability: 1 });
      const { graph, back } = assertRoundTrip(m, 'seed 11');
      const hidden = m.layers[0] as DenseLayer;
      assert.equal(hidden.relu, true);
      const ops = graph.operators.map((o) => o.opcode);
      assert.deepEqual(ops.slice(0, 4), ['RESHAPE', 'CONV_2D', 'MINIMUM', 'RESHAPE']);
      assert.equal(graph.operators[1]?.options.fusedActivationFunction, 'RELU');
      assert.deepEqual([(back.layers[0] as DenseLayer).actMin, (back.layers[0] as DenseLayer).actMax], [hidden.actMin, 7]);
    });
  });

  describe('the file', () => {
    it('operator versions, min_runtime_version, description, signature and the int8 input (scale float32(1/255), zero point -128)', () => {
      const m = exportableModel(5, { layers: ['conv2d', 'maxpool2d', 'dense'], weightBits: 8, activationBits: 8 });
      m.input = { ...m.input, scale: Math.fround(1 / 255), zeroPoint: -128, bits: 8, qmin: -128, qmax: 127 };
      (m.layers[0] as Conv2DLayer).input = { scale: Math.fround(1 / 255), zeroPoint: -128, bits: 8, qmin: -128, qmax: 127 };
      const l0 = m.layers[0] as Conv2DLayer;
      Object.assign(l0, perChannelMultipliers(l0.input.scale, l0.weightScales, l0.output.scale));
      const { graph } = assertRoundTrip(m, 'seed 5');
      const versions = Object.fromEntries(graph.operators.map((o) => [o.opcode, o.version]));
      assert.deepEqual(versions, { CONV_2D: 3, MAX_POOL_2D: 2, RESHAPE: 1, ...(versions.MINIMUM ? { MINIMUM: 2 } : {}), ...(versions.MAXIMUM ? { MAXIMUM: 2 } : {}) });
      const runtime = graph.metadata.find((x) => x.name === 'min_runtime_version');
      assert.deepEqual(runtime?.data, Uint8Array.from([...new TextEncoder().encode('1.14.0'), ...new Array(10).fill(0)]));
      assert.match(graph.description, /int8cosim model 'random-5'/);
      const input = graph.tensors[graph.inputs[0]!]!;
      assert.deepEqual([input.type, input.shape, input.shapeSignature, input.quant?.scale, input.quant?.zeroPoint], ['INT8', [1, ...m.input.shape], [-1, ...m.input.shape], [Math.fround(1 / 255)], [-128]]);
      const output = graph.tensors[graph.outputs[0]!]!;
      assert.deepEqual([output.type, output.shape], ['INT8', [1, m.classes]]);
      assert.deepEqual(graph.signatureDefs.map((s) => s.signatureKey), ['serving_default']);
      const conv = graph.operators[0]!;
      const filter = graph.tensors[conv.inputs[1]!]!;
      assert.deepEqual([filter.shape, filter.quant?.quantizedDimension, filter.quant?.scale.length], [[l0.outputShape[2], l0.kernel[0], l0.kernel[1], l0.inputShape[2]], 0, l0.outputShape[2]]);
    });

    it('without its notes the file still imports, as conv2d and reshape layers computing the same bytes', async () => {
      const m = exportableModel(21, { layers: ['conv2d', 'dense', 'dense'], weightBits: 3, activationBits: 3 });
      const g = exportTflite(m);
      g.metadata = g.metadata.filter((x) => x.name !== EXPORT_NOTES_METADATA);
      const bare = importTfliteGraph(readTflite(writeTflite(g), 'bare.tflite'));
      assert.ok(bare.layers.some((l) => l.type === 'reshape'));
      assert.ok(!bare.layers.some((l) => l.type === 'dense'));
      for (const x of randomInputs(m, 20, 21)) {
        assert.deepEqual(new GoldenModel(bare).run(x).output, new GoldenModel(m).run(x, { arithmetic: 'tflite-runtime' }).output);
      }
    });

    it('layers it cannot write are refused by name', () => {
      const m = exportableModel(9, { layers: ['conv2d', 'avgpool2d', 'dense'] });
      assert.throws(() => exportTflite(m), /layer 'avgpool2d_1' is a avgpool2d; the exporter writes dense, conv2d, maxpool2d and flatten/);
    });
  });

  describe('the trainer\'s networks (TFC, CNN, with and without BatchNorm), trained a few steps', () => {
    const data = loadDataset('mnist');
    before(async () => {
      await initBackend('wasm');
    });
    // every weight and activation width 2..8 appears at least once, on both networks with and without BatchNorm
    const cases: Array<[string, boolean, number, number]> = [
      ['tfc', true, 8, 8], ['tfc', false, 2, 2], ['cnn', true, 4, 4], ['cnn', false, 8, 6],
      ['tfc', true, 3, 5], ['tfc', false, 6, 7], ['cnn', true, 5, 3], ['cnn', false, 7, 2],
    ];
    for (const [name, bn, wb, ab] of cases) {
      it(`${name}${bn ? '' : ' without BN'} W${wb}A${ab}: round trip, and the runtime = golden on real test images`, async () => {
        const net = new Network(networkSpec(name, { batchNorm: bn }), 3);
        try {
          trainPhase(net, data.train, { phase: 'float', epochs: 1, batchSize: 64, learningRate: 2e-3, seed: 3, maxStepsPerEpoch: 10 });
          const q = newQatState(net, wb, ab);
          calibrate(net, data.train, q, 256, 3);
          for (const o of q.observers) o.freeze();
          q.bnFrozen = true;
          const model = buildQuantModel(net, q, 'single', `${name}-w${wb}a${ab}`, { network: name, dataset: 'mnist' });
          const { bytes } = assertRoundTrip(model, name);
          const images = Array.from({ length: 30 }, (_, i) => quantizeImage(model, data.test.images.subarray(i * 784, (i + 1) * 784)));
          const compared = await assertRuntimeEqual(model, bytes, [...images, ...randomInputs(model, 10, 4)], name);
          assert.equal(compared, 40 * 10);
        } finally {
          net.dispose();
        }
      });
    }
  });
});
