import assert from 'node:assert/strict';
import { readTflite } from '../../../model/tflite/read-tflite.ts';
import { TfliteFormatError } from '../../../model/tflite/errors.ts';
import { FormatError } from '../../../quant/errors.ts';
import type { TfliteGraph } from '../../../model/tflite/graph.ts';
import { lcg, mlperfBytes, mlperfPath, type MlperfName } from './helpers.ts';
import { RAW_WEIGHTS, rawModel, type RawKnobs } from './raw-model.ts';

const TYPE_BYTES: Record<string, number> = { INT8: 1, UINT8: 1, INT16: 2, INT32: 4, FLOAT32: 4, INT64: 8 };

function histogram(g: TfliteGraph): Record<string, number> {
  const h: Record<string, number> = {};
  for (const o of g.operators) h[o.opcode] = (h[o.opcode] ?? 0) + 1;
  return h;
}

function rejects(bytes: Uint8Array, message: RegExp): void {
  assert.throws(() => readTflite(bytes, 'bad.tflite'), (e: unknown) => {
    assert.ok(e instanceof TfliteFormatError && e instanceof FormatError, `not a TfliteFormatError: ${String(e)}`);
    assert.match(e.message, /^bad\.tflite: /);
    assert.doesNotMatch(e.message, /\n/);
    assert.match(e.message, message);
    return true;
  });
}

describe('readTflite', () => {
  describe('the MLPerf Tiny models', () => {
    const expected: Record<MlperfName, { ops: Record<string, number>; input: number[] }> = {
      resnet8: { ops: { CONV_2D: 9, ADD: 3, AVERAGE_POOL_2D: 1, RESHAPE: 1, FULLY_CONNECTED: 1, SOFTMAX: 1 }, input: [1, 32, 32, 3] },
      kws: { ops: { CONV_2D: 5, DEPTHWISE_CONV_2D: 4, AVERAGE_POOL_2D: 1, RESHAPE: 1, FULLY_CONNECTED: 1, SOFTMAX: 1 }, input: [1, 49, 10, 1] },
      ad01: { ops: { FULLY_CONNECTED: 10 }, input: [1, 640] },
    };
    for (const name of Object.keys(expected) as MlperfName[]) {
      it(`${name}: ops, input, every index in range, every constant's bytes its shape's size`, () => {
        const g = readTflite(mlperfBytes(name), mlperfPath(name));
        const e = expected[name];
        assert.equal(g.source, mlperfPath(name));
        assert.equal(g.version, 3);
        assert.deepEqual(histogram(g), e.ops);
        assert.equal(g.inputs.length, 1);
        const input = g.tensors[g.inputs[0]!]!;
        assert.deepEqual([input.type, input.shape], ['INT8', e.input]);
        assert.equal(input.quant?.scale.length, 1);
        assert.equal(g.tensors[g.outputs[0]!]!.type, 'INT8');
        g.tensors.forEach((t, i) => assert.equal(t.index, i));
        for (const o of g.operators) {
          for (const t of [...o.inputs, ...o.outputs]) assert.ok(t >= -1 && t < g.tensors.length);
          assert.ok(o.version >= 1);
        }
        for (const t of g.tensors) {
          if (t.data === undefined) continue;
          assert.equal(t.data.length, t.shape.reduce((a, b) => a * b, 1) * TYPE_BYTES[t.type]!, `tensor ${t.index} ${t.name}`);
        }
        assert.deepEqual(g.metadata.map((m) => m.name), ['min_runtime_version']);
      });
    }

    it('resnet8: the first CONV_2D, its per-channel weights and options as the converter wrote them', () => {
      const g = readTflite(mlperfBytes('resnet8'));
      const conv = g.operators[0]!;
      assert.equal(conv.opcode, 'CONV_2D');
      assert.equal(conv.optionsType, 'Conv2DOptions');
      assert.deepEqual(conv.options, { padding: 'SAME', strideW: 1, strideH: 1, fusedActivationFunction: 'RELU', dilationWFactor: 1, dilationHFactor: 1, quantizedBiasType: 'FLOAT32' });
      const [x, w, b] = conv.inputs.map((i) => g.tensors[i]!);
      assert.deepEqual([x!.name, x!.quant], ['input_1_int8', { scale: [1], zeroPoint: [-128], quantizedDimension: 0 }]);
      assert.deepEqual([w!.type, w!.shape, w!.quant?.scale.length, w!.quant?.quantizedDimension], ['INT8', [16, 3, 3, 3], 16, 0]);
      assert.ok(w!.quant!.zeroPoint.every((z) => z === 0));
      assert.deepEqual([b!.type, b!.shape, b!.data?.length], ['INT32', [16], 64]);
      const reshape = g.operators.find((o) => o.opcode === 'RESHAPE')!;
      assert.deepEqual([reshape.optionsType, reshape.options, reshape.inputs.length], ['NONE', {}, 2]); // the new shape is a tensor
    });

    it('kws: depthwise options and weights quantized along dimension 3', () => {
      const g = readTflite(mlperfBytes('kws'));
      const dw = g.operators.find((o) => o.opcode === 'DEPTHWISE_CONV_2D')!;
      assert.equal(dw.options.depthMultiplier, 1);
      assert.equal(dw.options.padding, 'SAME');
      const w = g.tensors[dw.inputs[1]!]!;
      assert.equal(w.quant?.quantizedDimension, 3);
      assert.equal(w.quant?.scale.length, w.shape[3]);
    });

    it('data does not alias the bytes it was read from', () => {
      const bytes = mlperfBytes('ad01');
      const g = readTflite(bytes);
      const w = g.tensors.find((t) => t.data !== undefined)!;
      const before = w.data![0];
      bytes.fill(0);
      assert.equal(w.data![0], before);
    });
  });

  describe('a small file written by flatc\'s builders', () => {
    it('reads every field', () => {
      const g = readTflite(rawModel());
      assert.deepEqual(g.tensors.map((t) => [t.name, t.type, t.shape, t.quant]), [
        ['input', 'INT8', [1, 4], { scale: [0.5], zeroPoint: [-3], quantizedDimension: 0 }],
        ['weights', 'INT8', [2, 4], { scale: [0.5], zeroPoint: [-3], quantizedDimension: 0 }],
        ['output', 'INT8', [1, 2], { scale: [0.5], zeroPoint: [-3], quantizedDimension: 0 }],
      ]);
      assert.deepEqual(g.tensors[1]!.data, RAW_WEIGHTS);
      assert.equal(g.tensors[0]!.data, undefined);
      const op = g.operators[0]!;
      assert.deepEqual([op.opcode, op.version, op.inputs, op.outputs, op.optionsType, op.options.fusedActivationFunction], ['FULLY_CONNECTED', 1, [0, 1, -1], [2], 'FullyConnectedOptions', 'RELU']);
      assert.deepEqual([g.inputs, g.outputs, g.subgraphName, g.description], [[0], [2], 'main', 'raw test model']);
      assert.deepEqual(g.metadata, [{ name: 'min_runtime_version', data: new TextEncoder().encode('1.14.0') }]);
    });

    it('the opcode is the larger of builtin_code and deprecated_builtin_code, as TFLite\'s GetBuiltinCode', () => {
      const opcode = (k: RawKnobs): string => readTflite(rawModel(k)).operators[0]!.opcode;
      assert.equal(opcode({ builtinCode: 0, deprecatedBuiltinCode: 9 }), 'FULLY_CONNECTED'); // a v3 file: only the deprecated field
      assert.equal(opcode({ builtinCode: 9, deprecatedBuiltinCode: 0 }), 'FULLY_CONNECTED');
      assert.equal(opcode({ builtinCode: 150, deprecatedBuiltinCode: 127 }), 'GELU'); // above 127: builtin_code only
    });

    it('reads buffer data stored after the flatbuffer (Buffer.offset and size)', () => {
      assert.deepEqual(readTflite(rawModel({ outside: {} })).tensors[1]!.data, RAW_WEIGHTS);
    });
  });

  describe('errors: one line naming the file and what is wrong', () => {
    const cases: [string, RawKnobs, RegExp][] = [
      ['schema version 2', { version: 2 }, /schema version 2; only version 3 is supported/],
      ['two subgraphs', { subgraphs: 2 }, /2 subgraphs; only single-subgraph models are supported/],
      ['no subgraph', { subgraphs: 0 }, /0 subgraphs; only single-subgraph models/],
      ['an operator input out of range', { opInput: 3 }, /operator 0 \(FULLY_CONNECTED\) input 0 refers to tensor 3, but the subgraph has 3 tensors/],
      ['an operator input below -1', { opInput: -2 }, /input 0 refers to tensor -2/],
      ['a subgraph output of -1', { output: -1 }, /subgraph output 0 refers to tensor -1/],
      ['a buffer out of range', { weightBuffer: 5 }, /tensor 1 'weights' refers to buffer 5, but the file has 3 buffers/],
      ['a metadata buffer out of range', { metadataBuffer: 9 }, /metadata 'min_runtime_version' refers to buffer 9/],
      ['an operator code out of range', { opcodeIndex: 1 }, /operator 0 refers to operator code 1, but the file has 1/],
      ['a builtin code the schema does not have', { builtinCode: 250, deprecatedBuiltinCode: 0 }, /builtin code 250 is not in the schema/],
      ['outside data beyond the end of the file', { outside: { size: 100 } }, /buffer 1 is stored at bytes \d+\.\.\d+, beyond the file's \d+ bytes: truncated or corrupt/],
      ['an external weight file', { externalBuffer: 1 }, /tensor 1 'weights' keeps its data in an external file/],
      ['intermediate tensors, which the graph cannot carry', { intermediates: [1] }, /operator 0 \(FULLY_CONNECTED\) has 1 intermediate tensors; not supported/],
    ];
    for (const [what, knobs, message] of cases) it(what, () => rejects(rawModel(knobs), message));

    it('not a flatbuffer, or not a .tflite one', () => {
      rejects(new Uint8Array(5), /not a flatbuffer \(5 bytes\)/);
      const b = rawModel();
      b.set(new TextEncoder().encode('ONNX'), 4);
      rejects(b, /not a \.tflite file: file identifier "ONNX", expected 'TFL3'/);
    });

    it('every truncation of a model is "truncated or corrupt", never a graph', () => {
      const full = mlperfBytes('kws');
      for (let n = 8; n < full.length; n += 997) rejects(full.subarray(0, n), new RegExp(`truncated or corrupt \\.tflite file \\(${n} bytes\\)`));
    });

    it('corrupt bytes give a whole graph or a TfliteFormatError, nothing else (seeded)', () => {
      const seed = 14;
      const rnd = lcg(seed);
      const full = mlperfBytes('kws');
      let errors = 0;
      for (let i = 0; i < 300; i++) {
        const b = full.slice();
        for (let j = 0; j < 4; j++) b[Math.floor(rnd() * 4000)] = Math.floor(rnd() * 256);
        try {
          readTflite(b);
        } catch (e) {
          assert.ok(e instanceof TfliteFormatError, `seed ${seed}, case ${i}: ${String(e)}`);
          errors++;
        }
      }
      assert.ok(errors > 20, `only ${errors} of 300 corruptions detected`);
    });
  });
});
