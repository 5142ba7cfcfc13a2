/**
 * importTflite: the graph of a .tflite file into the project's model format. On graphs the project writes itself
 * (op-graphs.ts: every op kind), the golden model in the 'tflite-runtime' arithmetic gives TFLite's runtime's bytes
 * exactly; every unsupported or malformed input is one error naming the file, the operator and what is supported.
 * The MLPerf Tiny models (fetched, hash-checked) import to the layers their ops say.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importTflite, importTfliteGraph } from '../../../model/tflite/import-tflite.ts';
import { TfliteImportError } from '../../../model/tflite/import-error.ts';
import { openTfliteRuntime, writeTflite, type TfliteGraph } from '../../../model/tflite/index.ts';
import { randomInputs, extremeInputs } from '../../../model/tflite/probe-inputs.ts';
import { readModel } from '../../../quant/format/read.ts';
import { writeModel } from '../../../quant/format/write.ts';
import { GoldenModel } from '../../../quant/golden/run.ts';
import { Rng } from '../../../quant/random.ts';
import { getQuantizedConvolutionMultiplier, perChannelMultipliers, quantizeMultiplier } from '../../../quant/spec/index.ts';
import { allOpsGraph, OpGraph } from './op-graphs.ts';
import { mlperfPath } from './helpers.ts';

async function goldenVsRuntime(graph: TfliteGraph, inputs: number, seed: number): Promise<{ compared: number; first?: string }> {
  const model = importTfliteGraph(graph);
  const golden = new GoldenModel(model);
  const runtime = await openTfliteRuntime(writeTflite(graph));
  const size = model.input.shape.reduce((a, b) => a * b, 1);
  let compared = 0;
  try {
    for (const probe of [...extremeInputs(size, model.input.zeroPoint, seed), ...randomInputs(size, inputs, seed)]) {
      const want = runtime.run(probe.codes, 1);
      const got = golden.run(probe.codes).output;
      compared += want.length;
      const i = want.findIndex((v, j) => v !== got[j]);
      if (i >= 0) return { compared, first: `${graph.source}, input ${probe.label}, output ${i}: golden ${got[i]}, runtime ${want[i]}` };
    }
  } finally {
    runtime.close();
  }
  return { compared };
}

function expectImportError(graph: TfliteGraph, pattern: RegExp): void {
  assert.throws(() => importTfliteGraph(graph), (e: unknown) => e instanceof TfliteImportError && pattern.test(e.message), `expected ${pattern}`);
}

describe('model/tflite importTflite', () => {
  it('maps every op of a graph with all of them onto its layer kind, residual inputs named', () => {
    const m = importTfliteGraph(allOpsGraph(1));
    assert.deepEqual(m.layers.map((l) => l.type), ['conv2d', 'depthwise2d', 'conv2d', 'add', 'maxpool2d', 'avgpool2d', 'reshape', 'dense', 'softmax']);
    assert.deepEqual(m.layers[2]?.inputs, ['conv2d_0'], 'the side branch reads the first conv, not the depthwise');
    assert.deepEqual(m.layers[3]?.inputs, ['depthwise2d_1', 'conv2d_2']);
    assert.equal(m.arithmetic, 'tflite-runtime');
    assert.deepEqual(m.input.shape, [8, 8, 3]);
    assert.equal(m.classes, 5);
  });

  it('golden = TFLite runtime, byte for byte, on 12 seeded all-op graphs x 40 random and 10 extreme inputs', async function () {
    this.timeout(60_000);
    let compared = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const r = await goldenVsRuntime(allOpsGraph(seed), 40, seed);
      assert.equal(r.first, undefined, r.first);
      compared += r.compared;
    }
    assert.equal(compared, 12 * 50 * 5);
  });

  it('golden = runtime on single-op graphs of each kind and option (strides, paddings, activations, per-tensor, kernel sizes)', async function () {
    this.timeout(60_000);
    const builds: [string, (g: OpGraph) => ReturnType<OpGraph['input']>][] = [
      ['conv 5x5 stride 2 SAME RELU6', (g) => g.conv2d(g.input([9, 7, 2]), 4, 5, 5, 2, 'SAME', 'RELU6')],
      ['conv 2x3 VALID NONE per-tensor', (g) => g.conv2d(g.input([6, 6, 3]), 3, 2, 3, 1, 'VALID', 'NONE', false)],
      ['depthwise 3x3 stride 1 VALID RELU', (g) => g.depthwise(g.input([7, 6, 5]), 3, 3, 1, 'VALID', 'RELU')],
      ['depthwise 3x3 stride 2 SAME NONE', (g) => g.depthwise(g.input([9, 9, 4]), 3, 3, 2, 'SAME', 'NONE')],
      ['fc RELU', (g) => g.fullyConnected(g.input([33]), 7, 'RELU')],
      ['fc from [3,3,2] (flatten)', (g) => g.fullyConnected(g.input([3, 3, 2]), 4)],
      ['avgpool 2x2 SAME stride 2 RELU', (g) => g.pool('AVERAGE_POOL_2D', g.input([5, 5, 3]), 2, 2, 'SAME', 'RELU')],
      ['maxpool 3x3 SAME stride 2', (g) => g.pool('MAX_POOL_2D', g.input([7, 5, 2]), 3, 2, 'SAME')],
      ['add NONE', (g) => { const x = g.input([4, 4, 3]); return g.add(x, g.conv2d(x, 3, 1, 1, 1, 'SAME', 'NONE'), 'NONE'); }],
      ['softmax beta 0.5', (g) => g.softmax(g.fullyConnected(g.input([12]), 10), 0.5)],
    ];
    for (const [what, build] of builds) {
      for (let seed = 1; seed <= 3; seed++) {
        const g = new OpGraph(new Rng(seed * 31 + what.length), `<${what}, seed ${seed}>`);
        const r = await goldenVsRuntime(g.finish(build(g)), 30, seed);
        assert.equal(r.first, undefined, r.first);
      }
    }
  });

  it('the MLPerf Tiny models import to the layers of their ops, and survive the model directory round trip', () => {
    const resnet = importTflite(mlperfPath('resnet8'));
    assert.deepEqual(resnet.layers.map((l) => l.type).join(' '), 'conv2d conv2d conv2d add conv2d conv2d conv2d add conv2d conv2d conv2d add avgpool2d reshape dense softmax');
    assert.deepEqual(resnet.layers[6]?.inputs, ['add_3'], 'the shortcut 1x1 conv reads the first block\'s sum');
    const kws = importTflite(mlperfPath('kws'));
    assert.equal(kws.layers.filter((l) => l.type === 'depthwise2d').length, 4);
    const ad = importTflite(mlperfPath('ad01'));
    assert.equal(ad.layers.length, 10);
    assert.equal(ad.classes, 640);
    // a per-tensor FULLY_CONNECTED rounds S_in * S_w to float32 before dividing (GetQuantizedConvolutionMultipler),
    // a convolution does not: on these files the two give other multipliers for 11 of the 12 dense layers
    for (const m of [resnet, kws, ad]) {
      for (const l of m.layers) {
        if (l.type !== 'dense') continue;
        const q = quantizeMultiplier(getQuantizedConvolutionMultiplier(l.input.scale, l.weightScales[0] as number, l.output.scale));
        assert.deepEqual([l.multiplier[0], l.shift[0]], [q.m0, q.shift], `${m.name} ${l.name}`);
      }
    }
    assert.notEqual(ad.layers[0]?.type === 'dense' && ad.layers[0].multiplier[0], perChannelMultipliers((ad.layers[0] as { input: { scale: number } }).input.scale, [(ad.layers[0] as { weightScales: Float32Array }).weightScales[0] as number], (ad.layers[0] as { output: { scale: number } }).output.scale).multiplier[0]);
    const dir = mkdtempSync(join(tmpdir(), 'int8cosim-import-'));
    try {
      for (const m of [resnet, kws, ad]) {
        writeModel(join(dir, m.name), m);
        assert.deepEqual(readModel(join(dir, m.name)), m, m.name);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('refuses, naming the file, the operator and what is supported', () => {
    function oneConv(mutate: (g: TfliteGraph) => void): TfliteGraph {
      const g = new OpGraph(new Rng(3), '<bad.tflite>');
      const graph = g.finish(g.conv2d(g.input([5, 5, 2]), 3, 3, 3, 1, 'SAME'));
      mutate(graph);
      return graph;
    }
    it('an unsupported op', () => {
      expectImportError(oneConv((g) => (g.operators[0]!.opcode = 'LSTM')), /^<bad\.tflite>: operator 0 \(LSTM v3\): is not supported; supported: CONV_2D \(v1-3\), DEPTHWISE_CONV_2D/);
    });
    it('an unsupported op version', () => {
      expectImportError(oneConv((g) => (g.operators[0]!.version = 5)), /operator 0 \(CONV_2D v5\): version 5 is not supported; CONV_2D is supported up to version 3/);
    });
    it('a float model', () => {
      expectImportError(oneConv((g) => { g.tensors[g.inputs[0]!]!.type = 'FLOAT32'; }), /graph input 'input' is FLOAT32; only int8 activations are supported \(is this a float or a uint8 model\?\)/);
    });
    it('float weights', () => {
      expectImportError(oneConv((g) => { const w = g.tensors[g.operators[0]!.inputs[1]!]!; w.type = 'FLOAT32'; }), /operator 0 \(CONV_2D v3\): its filter 'w\d+' is FLOAT32; expected INT8 \(a float model/);
    });
    it('dilation, a bad padding, a fused TANH', () => {
      expectImportError(oneConv((g) => (g.operators[0]!.options.dilationHFactor = 2)), /its dilationHFactor is 2; only dilation 1 is supported/);
      expectImportError(oneConv((g) => (g.operators[0]!.options.fusedActivationFunction = 'TANH')), /its fused activation TANH is not supported; supported: NONE, RELU, RELU6, RELU_N1_TO_1/);
    });
    it('per-channel scales that do not match the channels, a -128 weight, a weight zero point', () => {
      expectImportError(oneConv((g) => { g.tensors[g.operators[0]!.inputs[1]!]!.quant!.scale.pop(); }), /its filter 'w\d+' has 2 scales along axis 0; expected one per output channel \(3\)/);
      expectImportError(oneConv((g) => { g.tensors[g.operators[0]!.inputs[1]!]!.data![4] = 0x80; }), /holds -128 at 4; TFLite's int8 weights are in \[-127, 127\]/);
      expectImportError(oneConv((g) => { g.tensors[g.operators[0]!.inputs[1]!]!.quant!.zeroPoint[1] = 3; }), /a zero point other than 0/);
    });
    it('a per-channel FULLY_CONNECTED in the runtime arithmetic (TFLite 2.9 outputs its zero point); taken in the reference arithmetic', async () => {
      const g = new OpGraph(new Rng(8), '<fc.tflite>');
      const graph = g.finish(g.fullyConnected(g.input([33]), 7, 'RELU', true));
      expectImportError(graph, /operator 0 \(FULLY_CONNECTED v4\): its filter 'w\d+' is quantized per channel, which TFLite 2\.9's runtime does not implement .* --arithmetic tflite-reference/);
      // the runtime's output is the zero point for every input, whatever the weights: what the error says
      const runtime = await openTfliteRuntime(writeTflite(graph));
      const zp = graph.tensors[graph.outputs[0]!]!.quant!.zeroPoint[0]!;
      for (const probe of randomInputs(33, 5, 8)) assert.deepEqual([...runtime.run(probe.codes, 1)], Array(7).fill(zp));
      runtime.close();
      const m = importTfliteGraph(graph, { arithmetic: 'tflite-reference' });
      const fc = m.layers[0]!;
      assert.ok(fc.type === 'dense' && new Set(fc.multiplier).size > 1, 'one multiplier per channel');
    });
    it('a depth multiplier other than 1', () => {
      const g = new OpGraph(new Rng(4), '<dw2.tflite>');
      const graph = g.finish(g.depthwise(g.input([5, 5, 2]), 3, 3, 1, 'SAME'));
      graph.operators[0]!.options.depthMultiplier = 2;
      expectImportError(graph, /only depth multiplier 1 \(\[1, kh, kw, 2\]\) is supported/);
    });
    it('two inputs, a batch of 2, an ADD that broadcasts, a softmax output that is not 1/256', () => {
      expectImportError(oneConv((g) => g.inputs.push(g.inputs[0]!)), /the graph has 2 inputs and 1 outputs; only one input and one output are supported/);
      expectImportError(oneConv((g) => { g.tensors[g.inputs[0]!]!.shape[0] = 2; }), /has shape \[2, 5, 5, 2\]; expected \[1, \.\.\.\] \(batch 1/);
      const a = new OpGraph(new Rng(5), '<add.tflite>');
      const x = a.input([4, 4, 2]);
      const y = a.pool('MAX_POOL_2D', x, 2, 2, 'VALID');
      expectImportError(a.finish(a.add(x, y)), /its operands have shapes \[1, 4, 4, 2\] and \[1, 2, 2, 2\]; broadcasting is not supported/);
      const s = new OpGraph(new Rng(6), '<softmax.tflite>');
      const sm = s.softmax(s.input([10]));
      const graph = s.finish(sm);
      graph.tensors[sm.t]!.quant!.scale[0] = 0.5;
      expectImportError(graph, /TFLite's int8 softmax requires 1\/256 and -128/);
    });
    it('a truncated file, through the reader, before anything is imported', () => {
      const bytes = writeTflite(allOpsGraph(2));
      const dir = mkdtempSync(join(tmpdir(), 'int8cosim-import-'));
      try {
        const path = join(dir, 'cut.tflite');
        writeFileSync(path, bytes.subarray(0, bytes.length >> 1));
        assert.throws(() => importTflite(path), /truncated or corrupt/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});

