/**
 * A tiny .tflite flatbuffer written straight through flatc's generated builders (not through writeTflite), with
 * knobs that make it wrong in one chosen way: the reader's error paths are tested on files no writer of ours made.
 * The model: tensor 0 input [1,4] INT8, tensor 1 weights [2,4] INT8 (buffer 1), tensor 2 output [1,2] INT8, one
 * FULLY_CONNECTED (inputs 0, 1, -1) with FullyConnectedOptions {fusedActivationFunction: RELU}.
 */
import * as flatbuffers from 'flatbuffers';
import { ActivationFunctionType } from '../../../model/tflite/third_party/tflite-schema/tflite/activation-function-type.ts';
import { Buffer } from '../../../model/tflite/third_party/tflite-schema/tflite/buffer.ts';
import { BuiltinOptions } from '../../../model/tflite/third_party/tflite-schema/tflite/builtin-options.ts';
import { FullyConnectedOptions } from '../../../model/tflite/third_party/tflite-schema/tflite/fully-connected-options.ts';
import { Metadata } from '../../../model/tflite/third_party/tflite-schema/tflite/metadata.ts';
import { Model } from '../../../model/tflite/third_party/tflite-schema/tflite/model.ts';
import { Operator } from '../../../model/tflite/third_party/tflite-schema/tflite/operator.ts';
import { OperatorCode } from '../../../model/tflite/third_party/tflite-schema/tflite/operator-code.ts';
import { QuantizationParameters } from '../../../model/tflite/third_party/tflite-schema/tflite/quantization-parameters.ts';
import { SubGraph } from '../../../model/tflite/third_party/tflite-schema/tflite/sub-graph.ts';
import { Tensor } from '../../../model/tflite/third_party/tflite-schema/tflite/tensor.ts';
import { TensorType } from '../../../model/tflite/third_party/tflite-schema/tflite/tensor-type.ts';

export const RAW_WEIGHTS = Uint8Array.from([1, 2, 3, 4, 0xff, 0xfe, 0xfd, 0xfc]);

export interface RawKnobs {
  version?: number;
  subgraphs?: number;
  /** The operator's first input tensor index (default 0). */
  opInput?: number;
  /** The weight tensor's buffer index (default 1). */
  weightBuffer?: number;
  opcodeIndex?: number;
  /** The operator code's two fields (default: both 9, FULLY_CONNECTED). */
  builtinCode?: number;
  deprecatedBuiltinCode?: number;
  /** Store the weights outside the flatbuffer (Buffer.offset/size), appended after it; `size` overrides the length. */
  outside?: { size?: number };
  /** Give the weight tensor an external_buffer id. */
  externalBuffer?: number;
  /** The subgraph's output index (default 2). */
  output?: number;
  /** The metadata entry's buffer (default 2, the min_runtime_version string). */
  metadataBuffer?: number;
  /** The operator's intermediate tensors (LSTM's), which a TfliteGraph does not carry. */
  intermediates?: number[];
}

export function rawModel(k: RawKnobs = {}): Uint8Array {
  const b = new flatbuffers.Builder(1024);
  const tensor = (name: string, shape: number[], buffer: number, ext = 0): number => {
    const n = b.createString(name);
    const s = Tensor.createShapeVector(b, shape);
    const scale = QuantizationParameters.createScaleVector(b, [0.5]);
    const zp = QuantizationParameters.createZeroPointVector(b, [BigInt(-3)]);
    QuantizationParameters.startQuantizationParameters(b);
    QuantizationParameters.addScale(b, scale);
    QuantizationParameters.addZeroPoint(b, zp);
    const q = QuantizationParameters.endQuantizationParameters(b);
    Tensor.startTensor(b);
    Tensor.addShape(b, s);
    Tensor.addType(b, TensorType.INT8);
    Tensor.addBuffer(b, buffer);
    Tensor.addName(b, n);
    Tensor.addQuantization(b, q);
    if (ext !== 0) Tensor.addExternalBuffer(b, ext);
    return Tensor.endTensor(b);
  };
  const subgraph = (): number => {
    const tensors = SubGraph.createTensorsVector(b, [
      tensor('input', [1, 4], 0),
      tensor('weights', [2, 4], k.weightBuffer ?? 1, k.externalBuffer ?? 0),
      tensor('output', [1, 2], 0),
    ]);
    FullyConnectedOptions.startFullyConnectedOptions(b);
    FullyConnectedOptions.addFusedActivationFunction(b, ActivationFunctionType.RELU);
    const opts = FullyConnectedOptions.endFullyConnectedOptions(b);
    const ins = Operator.createInputsVector(b, [k.opInput ?? 0, 1, -1]);
    const outs = Operator.createOutputsVector(b, [2]);
    const intermediates = k.intermediates ? Operator.createIntermediatesVector(b, k.intermediates) : 0;
    Operator.startOperator(b);
    Operator.addOpcodeIndex(b, k.opcodeIndex ?? 0);
    Operator.addInputs(b, ins);
    Operator.addOutputs(b, outs);
    Operator.addBuiltinOptionsType(b, BuiltinOptions.FullyConnectedOptions);
    Operator.addBuiltinOptions(b, opts);
    if (intermediates !== 0) Operator.addIntermediates(b, intermediates);
    const op = Operator.endOperator(b);
    const ops = SubGraph.createOperatorsVector(b, [op]);
    const gin = SubGraph.createInputsVector(b, [0]);
    const gout = SubGraph.createOutputsVector(b, [k.output ?? 2]);
    const name = b.createString('main');
    return SubGraph.createSubGraph(b, tensors, gin, gout, ops, name, -1);
  };
  const subgraphs = Model.createSubgraphsVector(b, Array.from({ length: k.subgraphs ?? 1 }, subgraph));
  const code = OperatorCode.createOperatorCode(b, k.deprecatedBuiltinCode ?? 9, 0, 1, k.builtinCode ?? 9);
  const codes = Model.createOperatorCodesVector(b, [code]);
  const empty = Buffer.createBuffer(b, 0, BigInt(0), BigInt(0));
  // Outside the flatbuffer the offset is not known until the flatbuffer's size is: patched after finish.
  const outsideMarker = BigInt('0x0123456789abcdef');
  const weights = k.outside
    ? Buffer.createBuffer(b, 0, outsideMarker, BigInt(k.outside.size ?? RAW_WEIGHTS.length))
    : Buffer.createBuffer(b, Buffer.createDataVector(b, RAW_WEIGHTS), BigInt(0), BigInt(0));
  const runtime = Buffer.createBuffer(b, Buffer.createDataVector(b, new TextEncoder().encode('1.14.0')), BigInt(0), BigInt(0));
  const buffers = Model.createBuffersVector(b, [empty, weights, runtime]);
  const md = Metadata.createMetadata(b, b.createString('min_runtime_version'), k.metadataBuffer ?? 2);
  const metadata = Model.createMetadataVector(b, [md]);
  const desc = b.createString('raw test model');
  // No metadata_buffer, signature defs or external buffers: 0 leaves a field out.
  Model.finishModelBuffer(b, Model.createModel(b, k.version ?? 3, codes, subgraphs, desc, buffers, 0, metadata, 0, 0, 0));
  const fb = b.asUint8Array().slice();
  if (!k.outside) return fb;
  const out = new Uint8Array(fb.length + RAW_WEIGHTS.length);
  out.set(fb);
  out.set(RAW_WEIGHTS, fb.length);
  const view = new DataView(out.buffer);
  for (let i = 0; i + 8 <= fb.length; i++) {
    if (view.getBigUint64(i, true) === outsideMarker) view.setBigUint64(i, BigInt(fb.length), true);
  }
  return out;
}
