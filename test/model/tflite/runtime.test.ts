import assert from 'node:assert/strict';
import { cutGraph, openTfliteRuntime } from '../../../model/tflite/runtime.ts';
import { readTflite } from '../../../model/tflite/read-tflite.ts';
import { writeTflite } from '../../../model/tflite/write-tflite.ts';
import { TfliteGraphBuilder, conv2dGraph } from '../../../model/tflite/build-graph.ts';
import { TfliteFormatError } from '../../../model/tflite/errors.ts';
import type { TfliteGraph } from '../../../model/tflite/graph.ts';
import { LifecycleError, ShapeError, UsageError } from '../../../quant/errors.ts';
import { lcg, mlperfBytes, mlperfPath, type MlperfName } from './helpers.ts';

function randomInt8(n: number, rnd: () => number): Int8Array {
  return Int8Array.from({ length: n }, () => Math.floor(rnd() * 256) - 128);
}

/** A one-op graph of operator k of g, with g's own tensors (renumbered): what the runtime computes for that op alone. */
function oneOp(g: TfliteGraph, k: number): TfliteGraph {
  const o = g.operators[k]!;
  const b = new TfliteGraphBuilder(`${g.source} op ${k}`);
  const index = new Map<number, number>();
  for (const t of o.inputs) {
    if (t < 0 || index.has(t)) continue;
    const src = g.tensors[t]!;
    const q = src.quant;
    const i = src.data ? b.tensor(src.name, src.type, src.shape, q) : b.input(src.name, src.type, src.shape, q);
    index.set(t, i);
  }
  const out = g.tensors[o.outputs[0]!]!;
  const y = b.tensor(out.name, out.type, out.shape, out.quant);
  b.op(o.opcode, o.inputs.map((t) => (t < 0 ? t : index.get(t)!)), [y], o.optionsType, o.options, o.version);
  b.output(y);
  const one = b.graph();
  for (const [t, i] of index) if (g.tensors[t]!.data) one.tensors[i]!.data = g.tensors[t]!.data!;
  return one;
}

describe('TFLite runtime (tfjs-tflite-node)', () => {
  it('runs a model from its path or its bytes, one image at a time, the same bytes in a batch', async () => {
    const seed = 3;
    const rnd = lcg(seed);
    const byPath = await openTfliteRuntime(mlperfPath('kws'));
    const byBytes = await openTfliteRuntime(mlperfBytes('kws'));
    assert.deepEqual([byPath.inputShape, byPath.outputShape], [[1, 49, 10, 1], [1, 12]]);
    const images = randomInt8(3 * 490, rnd);
    const batch = byPath.run(images, 3);
    assert.equal(batch.length, 36);
    for (let i = 0; i < 3; i++) {
      const one = byBytes.run(images.subarray(i * 490, (i + 1) * 490));
      assert.deepEqual(one, batch.subarray(i * 12, (i + 1) * 12), `seed ${seed}, image ${i}`);
    }
    assert.ok(new Set(batch).size > 1, 'the outputs are not all one value');
    byPath.close();
    byBytes.close();
  });

  for (const name of ['resnet8', 'kws', 'ad01'] as MlperfName[]) {
    it(`${name}: the model writeTflite writes back computes the same bytes as the original file`, async () => {
      const rnd = lcg(7);
      const original = await openTfliteRuntime(mlperfBytes(name));
      const rewritten = await openTfliteRuntime(writeTflite(readTflite(mlperfBytes(name))));
      const n = original.inputShape.reduce((a, b) => a * b, 1);
      const inputs = randomInt8(4 * n, rnd);
      assert.deepEqual(rewritten.run(inputs, 4), original.run(inputs, 4));
      original.close();
      rewritten.close();
    });
  }

  it('a built one-CONV_2D model runs: zero weights and bias give the output zero point everywhere', async () => {
    const g = conv2dGraph({
      input: { shape: [1, 4, 4, 2], scale: 0.5, zeroPoint: 3 },
      weights: new Int8Array(2 * 3 * 3 * 2),
      weightShape: [2, 3, 3, 2],
      weightScales: [0.25, 0.125],
      bias: new Int32Array(2),
      output: { shape: [1, 2, 2, 2], scale: 0.1, zeroPoint: -7 },
    });
    const rt = await openTfliteRuntime(writeTflite(g));
    const out = rt.run(randomInt8(32, lcg(1)));
    assert.deepEqual([...out], new Array(8).fill(-7));
    rt.close();
  });

  it('errors: wrong input size, run after close, a float model, a file that is not one', async () => {
    const rt = await openTfliteRuntime(mlperfBytes('ad01'));
    assert.throws(() => rt.run(new Int8Array(639)), (e: unknown) => e instanceof ShapeError && /expected 1 x \[1, 640\] = 640 int8 values, got 639/.test(e.message));
    rt.close();
    assert.throws(() => rt.run(new Int8Array(640)), LifecycleError);
    const b = new TfliteGraphBuilder('<float>');
    const x = b.input('x', 'FLOAT32', [1, 4]);
    const y = b.tensor('y', 'FLOAT32', [1, 4]);
    b.op('RELU', [x], [y]);
    b.output(y);
    await assert.rejects(openTfliteRuntime(writeTflite(b.graph())), (e: unknown) => e instanceof TfliteFormatError && /input 'x' is FLOAT32; the runtime wrapper runs int8 models/.test(e.message));
    await assert.rejects(openTfliteRuntime(new Uint8Array(100)), TfliteFormatError);
  });
});

describe('cutGraph', () => {
  const resnet = (): TfliteGraph => readTflite(mlperfBytes('resnet8'), 'resnet8');

  it('cut at the final tensor: the same graph, the same outputs as the full model', async () => {
    const g = resnet();
    const cut = cutGraph(g, g.outputs[0]!);
    assert.equal(cut.operators.length, g.operators.length);
    const full = await openTfliteRuntime(writeTflite(g));
    const rt = await openTfliteRuntime(writeTflite(cut));
    const inputs = randomInt8(5 * 3072, lcg(11));
    assert.deepEqual(rt.run(inputs, 5), full.run(inputs, 5));
    full.close();
    rt.close();
  });

  it('cut at the first CONV_2D: one operator, the tensor\'s shape, the bytes that CONV_2D alone computes', async () => {
    const g = resnet();
    const conv = g.operators[0]!;
    assert.equal(conv.opcode, 'CONV_2D');
    const cut = cutGraph(g, conv.outputs[0]!);
    assert.equal(cut.operators.length, 1);
    assert.equal(cut.tensors.length, 4); // input, weights, bias, output
    const rt = await openTfliteRuntime(writeTflite(cut));
    assert.deepEqual(rt.outputShape, g.tensors[conv.outputs[0]!]!.shape);
    assert.deepEqual(rt.outputShape, [1, 32, 32, 16]);
    const alone = await openTfliteRuntime(writeTflite(oneOp(g, 0)));
    const inputs = randomInt8(3 * 3072, lcg(5));
    const out = rt.run(inputs, 3);
    assert.deepEqual(out, alone.run(inputs, 3));
    assert.ok(new Set(out).size > 10);
    rt.close();
    alone.close();
  });

  it('layers compose: the cut at op 1 is op 1 alone run on the cut at op 0', async () => {
    const g = resnet();
    const at0 = await openTfliteRuntime(writeTflite(cutGraph(g, g.operators[0]!.outputs[0]!)));
    const at1 = await openTfliteRuntime(writeTflite(cutGraph(g, g.operators[1]!.outputs[0]!)));
    const op1 = await openTfliteRuntime(writeTflite(oneOp(g, 1)));
    const x = randomInt8(3072, lcg(9));
    assert.deepEqual(at1.run(x), op1.run(at0.run(x)));
    for (const r of [at0, at1, op1]) r.close();
  });

  it('keeps only what the tensor needs, renumbered; a tensor no operator writes is an error', () => {
    const g = readTflite(mlperfBytes('kws'), 'kws');
    const dw = g.operators.findIndex((o) => o.opcode === 'DEPTHWISE_CONV_2D');
    const cut = cutGraph(g, g.operators[dw]!.outputs[0]!);
    assert.deepEqual(cut.operators.map((o) => o.opcode), g.operators.slice(0, dw + 1).map((o) => o.opcode));
    cut.tensors.forEach((t, i) => assert.equal(t.index, i));
    assert.deepEqual(cut.tensors[cut.outputs[0]!]!.shape, g.tensors[g.operators[dw]!.outputs[0]!]!.shape);
    assert.deepEqual(readTflite(writeTflite(cut), 'kws'), cut);
    assert.throws(() => cutGraph(g, g.inputs[0]!), (e: unknown) => e instanceof UsageError && /cannot cut at tensor 0: no operator/.test(e.message));
  });
});
