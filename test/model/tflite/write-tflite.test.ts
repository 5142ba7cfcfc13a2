import assert from 'node:assert/strict';
import * as flatbuffers from 'flatbuffers';
import { readTflite } from '../../../model/tflite/read-tflite.ts';
import { writeTflite } from '../../../model/tflite/write-tflite.ts';
import { TfliteFormatError } from '../../../model/tflite/errors.ts';
import { TfliteGraphBuilder, conv2dGraph } from '../../../model/tflite/build-graph.ts';
import type { TfliteGraph, TfliteOptions } from '../../../model/tflite/graph.ts';
import { OPTION_FIELDS } from '../../../model/tflite/third_party/tflite-schema/option-fields.ts';
import * as S from '../../../model/tflite/third_party/tflite-schema/schema_generated.ts';
import { Model } from '../../../model/tflite/third_party/tflite-schema/tflite/model.ts';
import { mlperfBytes, mlperfPath, type MlperfName } from './helpers.ts';

const roundTrip = (g: TfliteGraph): TfliteGraph => readTflite(writeTflite(g), g.source);

/** A small graph with one operator per options table the importer needs, every option away from its default. */
function opsGraph(): TfliteGraph {
  const b = new TfliteGraphBuilder('<ops>', 'ops of the three MLPerf models');
  const q = { scale: [0.05], zeroPoint: [-3] };
  const x = b.input('x', 'INT8', [1, 8, 8, 4], q);
  b.tensor('absent-name-is-fine', 'INT8', [1], q);
  const w = b.constant('w', [4, 3, 3, 4], new Int8Array(144).map((_, i) => (i * 7) % 255 - 127), { scale: [0.1, 0.2, 0.3, 0.4], quantizedDimension: 0 });
  const bias = b.constant('b', [4], Int32Array.from([1, -2, 300000, -(2 ** 31)]), { scale: [0.005, 0.01, 0.015, 0.02] });
  const shape = b.constant('shape', [2], Int32Array.from([1, -1]));
  const y = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => b.tensor(`y${i}`, 'INT8', [1, 8, 8, 4], q));
  const ops: [string, number[], string, TfliteOptions][] = [
    ['CONV_2D', [x, w, bias], 'Conv2DOptions', { padding: 'SAME', strideW: 2, strideH: 2, fusedActivationFunction: 'RELU6', dilationWFactor: 1, dilationHFactor: 1 }],
    ['DEPTHWISE_CONV_2D', [x, w, -1], 'DepthwiseConv2DOptions', { padding: 'VALID', strideW: 1, strideH: 2, depthMultiplier: 1, fusedActivationFunction: 'RELU' }],
    ['FULLY_CONNECTED', [x, w, bias], 'FullyConnectedOptions', { fusedActivationFunction: 'RELU', keepNumDims: true }],
    ['ADD', [x, x], 'AddOptions', { fusedActivationFunction: 'RELU', potScaleInt16: false }],
    ['AVERAGE_POOL_2D', [x], 'Pool2DOptions', { padding: 'VALID', strideW: 2, strideH: 2, filterWidth: 8, filterHeight: 8 }],
    ['MAX_POOL_2D', [x], 'Pool2DOptions', { padding: 'SAME', strideW: 1, strideH: 1, filterWidth: 3, filterHeight: 3, fusedActivationFunction: 'RELU_N1_TO_1' }],
    ['RESHAPE', [x, shape], 'ReshapeOptions', { newShape: [1, -1] }],
    ['SOFTMAX', [x], 'SoftmaxOptions', { beta: 1 }],
  ];
  ops.forEach(([opcode, inputs, type, options], i) => b.op(opcode, inputs, [y[i]!], type, options, i % 3 + 1));
  b.output(y[7]!);
  b.metadata('min_runtime_version', '1.14.0').metadata('empty');
  return b.graph();
}

/** A value away from the schema's default for every field kind. */
function nonDefault(kind: string, vector: boolean, enumName?: string): number | boolean | string | number[] {
  if (vector) return kind === 'bool' ? [1, 0, 1] : kind === 'float' ? [0.5, -0.25] : [3, 1, 2];
  switch (kind) {
    case 'bool': return true;
    case 'int': return 7;
    case 'int64': return 2 ** 40 + 3;
    case 'float': return 0.375;
    case 'string': return 'x/y';
    default: {
      const e = (S as unknown as Record<string, Record<string, number | string>>)[enumName!]!;
      return (e[1] ?? e[0]) as string; // the name of value 1, not the default 0 (CustomOptionsFormat has only 0)
    }
  }
}

function codesOf(bytes: Uint8Array): [number, number, number][] {
  const m = Model.getRootAsModel(new flatbuffers.ByteBuffer(bytes));
  return Array.from({ length: m.operatorCodesLength() }, (_, i) => {
    const c = m.operatorCodes(i)!;
    return [c.builtinCode(), c.deprecatedBuiltinCode(), c.version()];
  });
}

describe('writeTflite', () => {
  for (const name of ['resnet8', 'kws', 'ad01'] as MlperfName[]) {
    it(`${name}: readTflite(writeTflite(g)) deep-equals g, and writing is deterministic`, () => {
      const g = readTflite(mlperfBytes(name), mlperfPath(name));
      const bytes = writeTflite(g);
      assert.deepStrictEqual(readTflite(bytes, g.source), g);
      assert.ok(Buffer.from(writeTflite(readTflite(bytes, g.source))).equals(Buffer.from(bytes)));
    });
  }

  it('a built graph with the options of CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED, ADD, both pools, RESHAPE, SOFTMAX', () => {
    const g = opsGraph();
    assert.deepStrictEqual(roundTrip(g), g);
    assert.equal(roundTrip(g).operators[0]!.options.fusedActivationFunction, 'RELU6');
  });

  it('every field of every options table of both unions, each away from its default', () => {
    const b = new TfliteGraphBuilder('<all options>');
    const x = b.input('x', 'INT8', [1]);
    let n = 0;
    for (const [table, fields] of Object.entries(OPTION_FIELDS)) {
      const options: TfliteOptions = {};
      for (const f of fields) options[f.name] = nonDefault(f.kind, f.vector === true, f.enum);
      b.op('ADD', [x], [x], table, options);
      n++;
    }
    const g = b.graph();
    const back = roundTrip(g);
    assert.deepStrictEqual(back, g);
    assert.ok(n > 140);
    assert.ok(back.operators.some((o) => o.optionsType.startsWith('Stablehlo')), 'BuiltinOptions2 members are written too');
  });

  it('custom operators, signature defs and shape signatures', () => {
    const b = new TfliteGraphBuilder('<custom>');
    const x = b.input('x', 'INT8', [1, 4], { scale: [0.5] });
    const y = b.tensor('y', 'INT8', [1, 4], { scale: [0.5] });
    b.op('CUSTOM', [x], [y]);
    b.output(y);
    const g = b.graph();
    g.operators[0]!.customCode = 'MyOp';
    g.operators[0]!.customOptions = Uint8Array.from([1, 2, 3]);
    g.tensors[0]!.shapeSignature = [-1, 4];
    g.signatureDefs = [{ signatureKey: 'serving_default', subgraphIndex: 0, inputs: [{ name: 'in', tensorIndex: 0 }], outputs: [{ name: 'out', tensorIndex: 1 }] }];
    assert.deepStrictEqual(roundTrip(g), g);
  });

  it('operator codes as the converter writes them: builtin_code, deprecated_builtin_code = min(code, 127), one per (opcode, version)', () => {
    const b = new TfliteGraphBuilder();
    const x = b.input('x', 'INT8', [1]);
    b.op('CONV_2D', [x], [x], 'NONE', {}, 3);
    b.op('GELU', [x], [x]);
    b.op('CONV_2D', [x], [x], 'NONE', {}, 3);
    b.op('CONV_2D', [x], [x], 'NONE', {}, 2);
    const bytes = writeTflite(b.graph());
    assert.deepEqual(codesOf(bytes), [[3, 3, 3], [150, 127, 1], [3, 3, 2]]);
    assert.deepEqual(readTflite(bytes).operators.map((o) => [o.opcode, o.version]), [['CONV_2D', 3], ['GELU', 1], ['CONV_2D', 3], ['CONV_2D', 2]]);
  });

  it('buffer 0 is empty, a tensor without data points at it, constant data is 16-byte aligned', () => {
    const bytes = writeTflite(opsGraph());
    const m = Model.getRootAsModel(new flatbuffers.ByteBuffer(bytes));
    assert.equal(m.buffers(0)!.dataLength(), 0);
    const sg = m.subgraphs(0)!;
    assert.equal(sg.tensors(0)!.buffer(), 0);
    const w = sg.tensors(2)!;
    assert.equal(w.name(), 'w');
    const data = m.buffers(w.buffer())!.dataArray()!;
    assert.equal(data.length, 144);
    assert.equal(data.byteOffset % 16, 0);
    assert.equal(bytes.subarray(4, 8).toString(), Uint8Array.from([0x54, 0x46, 0x4c, 0x33]).toString()); // 'TFL3'
  });

  describe('a graph no file could hold is an error naming what', () => {
    const bad = (mutate: (g: TfliteGraph) => void, message: RegExp): void => {
      const g = opsGraph();
      mutate(g);
      assert.throws(() => writeTflite(g), (e: unknown) => e instanceof TfliteFormatError && message.test(e.message));
    };
    it('an index out of range', () => bad((g) => { g.operators[1]!.inputs[0] = 99; }, /<ops>: cannot write: operator 1 \(DEPTHWISE_CONV_2D\) input 0 refers to tensor 99, but the graph has 13 tensors/));
    it('an output of -1', () => bad((g) => { g.outputs[0] = -1; }, /subgraph output 0 refers to tensor -1/));
    it('an unknown type', () => bad((g) => { g.tensors[0]!.type = 'INT3'; }, /tensor 0 'x': type 'INT3' is not a TensorType name/));
    it('an unknown opcode', () => bad((g) => { g.operators[0]!.opcode = 'CONV_9D'; }, /'CONV_9D' is not a BuiltinOperator name/));
    it('an unknown option', () => bad((g) => { g.operators[0]!.options.strideX = 1; }, /operator 0 \(CONV_2D\): Conv2DOptions has no field 'strideX'/));
    it('an option of the wrong kind', () => bad((g) => { g.operators[0]!.options.padding = 1; }, /Conv2DOptions\.padding: expected a name of the schema's Padding, got 1/));
    it('a tensor out of order', () => bad((g) => { g.tensors[3]!.index = 4; }, /tensor 3 'b' has index 4/));
    it('scales without as many zero points', () => bad((g) => { g.tensors[2]!.quant!.zeroPoint = [0]; }, /tensor 2 'w': 4 scales but 1 zero points/));
  });
});

describe('TfliteGraphBuilder', () => {
  it('stores constants little-endian with the typed array\'s type, scales as float32, options completed', () => {
    const b = new TfliteGraphBuilder();
    const c = b.constant('c', [2], Int32Array.from([1, -2]), { scale: [0.1] });
    const x = b.input('x', 'INT8', [1]);
    b.op('CONV_2D', [x], [x], 'Conv2DOptions', { padding: 'SAME' });
    const g = b.graph();
    assert.deepEqual(g.tensors[c]!.data, Uint8Array.from([1, 0, 0, 0, 0xfe, 0xff, 0xff, 0xff]));
    assert.equal(g.tensors[c]!.type, 'INT32');
    assert.deepEqual(g.tensors[c]!.quant, { scale: [Math.fround(0.1)], zeroPoint: [0], quantizedDimension: 0 });
    assert.deepEqual(g.operators[0]!.options, { padding: 'SAME', strideW: 0, strideH: 0, fusedActivationFunction: 'NONE', dilationWFactor: 1, dilationHFactor: 1, quantizedBiasType: 'FLOAT32' });
    assert.throws(() => b.constant('d', [3], new Int8Array(2)), /constant 'd': shape \[3\] holds 3 values, got 2/);
    assert.throws(() => b.op('ADD', [x], [x], 'AddOptions', { fused: 'RELU' }), /AddOptions has no field 'fused'/);
  });

  it('conv2dGraph: a one-CONV_2D int8 model that round-trips', () => {
    const g = conv2dGraph({
      input: { shape: [1, 5, 5, 2], scale: 0.5, zeroPoint: -1 },
      weights: new Int8Array(3 * 3 * 3 * 2).fill(1),
      weightShape: [3, 3, 3, 2],
      weightScales: [0.01, 0.02, 0.03],
      bias: Int32Array.from([0, 10, -10]),
      output: { shape: [1, 3, 3, 3], scale: 0.1, zeroPoint: 2 },
      options: { fusedActivationFunction: 'RELU' },
    });
    assert.deepStrictEqual(roundTrip(g), g);
    const [x, w, bias] = g.operators[0]!.inputs.map((i) => g.tensors[i]!);
    assert.deepEqual([x!.name, w!.quant!.scale.length, bias!.quant!.scale[1]], ['input', 3, Math.fround(Math.fround(0.5) * Math.fround(0.02))]);
    assert.equal(g.operators[0]!.options.padding, 'VALID');
  });
});
