/**
 * writeTflite: a TfliteGraph into a .tflite flatbuffer through flatc's generated builders, laid out as TFLite's
 * converter lays it out: buffer 0 empty (every tensor without data points at it), one buffer per constant tensor
 * and per metadata entry with data (16-byte aligned, the schema's force_align), one operator code per distinct
 * (opcode, custom code, version) with builtin_code = the code and deprecated_builtin_code = min(code, 127), file
 * identifier 'TFL3'. Every field readTflite reads is written, so readTflite(writeTflite(g)) deep-equals g (scales
 * are float32 in the file: a graph whose scales are not float32 values reads back rounded).
 */
import * as flatbuffers from 'flatbuffers';
import { writeBuiltinOptions } from './builtin-options.ts';
import { TfliteFormatError } from './errors.ts';
import type { TfliteGraph, TfliteOperator, TfliteTensor, TfliteTensorMap } from './graph.ts';
import { TFLITE_IDENTIFIER, TFLITE_SCHEMA_VERSION } from './read-tflite.ts';
import { Buffer } from './third_party/tflite-schema/tflite/buffer.ts';
import { BuiltinOperator } from './third_party/tflite-schema/tflite/builtin-operator.ts';
import { Metadata } from './third_party/tflite-schema/tflite/metadata.ts';
import { Model } from './third_party/tflite-schema/tflite/model.ts';
import { Operator } from './third_party/tflite-schema/tflite/operator.ts';
import { OperatorCode } from './third_party/tflite-schema/tflite/operator-code.ts';
import { QuantizationParameters } from './third_party/tflite-schema/tflite/quantization-parameters.ts';
import { SignatureDef } from './third_party/tflite-schema/tflite/signature-def.ts';
import { SubGraph } from './third_party/tflite-schema/tflite/sub-graph.ts';
import { Tensor } from './third_party/tflite-schema/tflite/tensor.ts';
import { TensorMap } from './third_party/tflite-schema/tflite/tensor-map.ts';
import { TensorType } from './third_party/tflite-schema/tflite/tensor-type.ts';

/** deprecated_builtin_code is a byte: codes above it are written there as 127 (the converter's placeholder). */
const PLACEHOLDER_FOR_GREATER_OP_CODES = 127;
const BUFFER_ALIGNMENT = 16;

function checkGraph(g: TfliteGraph): void {
  const fail = (what: string): never => {
    throw new TfliteFormatError(`${g.source}: cannot write: ${what}`);
  };
  const n = g.tensors.length;
  const index = (t: number, what: string, optional = false): void => {
    if (!Number.isInteger(t) || t >= n || t < (optional ? -1 : 0)) fail(`${what} refers to tensor ${t}, but the graph has ${n} tensors`);
  };
  g.tensors.forEach((t, i) => {
    if (t.index !== i) fail(`tensor ${i} '${t.name}' has index ${t.index}`);
    if (typeof TensorType[t.type as keyof typeof TensorType] !== 'number') fail(`tensor ${i} '${t.name}': type '${t.type}' is not a TensorType name`);
    if (t.quant && t.quant.zeroPoint.length !== t.quant.scale.length) {
      fail(`tensor ${i} '${t.name}': ${t.quant.scale.length} scales but ${t.quant.zeroPoint.length} zero points`);
    }
  });
  for (const o of g.operators) {
    const what = `operator ${o.index} (${o.opcode})`;
    if (typeof BuiltinOperator[o.opcode as keyof typeof BuiltinOperator] !== 'number') fail(`${what}: '${o.opcode}' is not a BuiltinOperator name`);
    if (o.opcode === 'CUSTOM' && !o.customCode) fail(`${what}: a CUSTOM operator needs its customCode`);
    o.inputs.forEach((t, i) => index(t, `${what} input ${i}`, true));
    o.outputs.forEach((t, i) => index(t, `${what} output ${i}`));
  }
  g.inputs.forEach((t, i) => index(t, `subgraph input ${i}`));
  g.outputs.forEach((t, i) => index(t, `subgraph output ${i}`));
  for (const s of g.signatureDefs) {
    if (s.subgraphIndex !== 0) fail(`signature '${s.signatureKey}' refers to subgraph ${s.subgraphIndex}; a graph is one subgraph`);
    [...s.inputs, ...s.outputs].forEach((m) => index(m.tensorIndex, `signature '${s.signatureKey}' tensor '${m.name}'`));
  }
}

/** The model's buffers: 0 empty, then one per constant tensor and per metadata entry with data, in that order. */
class Buffers {
  private readonly offsets: flatbuffers.Offset[];
  constructor(private readonly b: flatbuffers.Builder) {
    this.offsets = [Buffer.createBuffer(b, 0, 0n, 0n)];
  }

  /** The index of a new buffer holding `data`, or 0 (the empty buffer) for none. */
  add(data: Uint8Array | undefined): number {
    if (data === undefined || data.length === 0) return 0;
    this.b.startVector(1, data.length, BUFFER_ALIGNMENT);
    for (let i = data.length - 1; i >= 0; i--) this.b.addInt8(data[i]!);
    const vector = this.b.endVector();
    Buffer.startBuffer(this.b);
    Buffer.addData(this.b, vector);
    this.offsets.push(Buffer.endBuffer(this.b));
    return this.offsets.length - 1;
  }

  vector(): flatbuffers.Offset {
    return Model.createBuffersVector(this.b, this.offsets);
  }
}

function writeTensor(b: flatbuffers.Builder, t: TfliteTensor, buffer: number): flatbuffers.Offset {
  const name = b.createString(t.name);
  const shape = Tensor.createShapeVector(b, t.shape);
  const signature = t.shapeSignature ? Tensor.createShapeSignatureVector(b, t.shapeSignature) : 0;
  let quant = 0;
  if (t.quant) {
    const scale = QuantizationParameters.createScaleVector(b, t.quant.scale);
    const zeroPoint = QuantizationParameters.createZeroPointVector(b, t.quant.zeroPoint.map((z) => BigInt(z)));
    QuantizationParameters.startQuantizationParameters(b);
    QuantizationParameters.addScale(b, scale);
    QuantizationParameters.addZeroPoint(b, zeroPoint);
    QuantizationParameters.addQuantizedDimension(b, t.quant.quantizedDimension);
    quant = QuantizationParameters.endQuantizationParameters(b);
  }
  Tensor.startTensor(b);
  Tensor.addShape(b, shape);
  Tensor.addType(b, TensorType[t.type as keyof typeof TensorType]);
  Tensor.addBuffer(b, buffer);
  Tensor.addName(b, name);
  if (quant !== 0) Tensor.addQuantization(b, quant);
  Tensor.addIsVariable(b, t.isVariable);
  if (signature !== 0) Tensor.addShapeSignature(b, signature);
  return Tensor.endTensor(b);
}

function writeOperator(b: flatbuffers.Builder, g: TfliteGraph, o: TfliteOperator, opcodeIndex: number): flatbuffers.Offset {
  const inputs = Operator.createInputsVector(b, o.inputs);
  const outputs = Operator.createOutputsVector(b, o.outputs);
  const options = writeBuiltinOptions(b, o.optionsType, o.options, () => `${g.source}: cannot write operator ${o.index} (${o.opcode})`);
  const custom = o.customOptions && o.customOptions.length > 0 ? Operator.createCustomOptionsVector(b, o.customOptions) : 0;
  Operator.startOperator(b);
  Operator.addOpcodeIndex(b, opcodeIndex);
  Operator.addInputs(b, inputs);
  Operator.addOutputs(b, outputs);
  if (options?.union === 1) {
    Operator.addBuiltinOptionsType(b, options.type);
    Operator.addBuiltinOptions(b, options.offset);
  } else if (options?.union === 2) {
    Operator.addBuiltinOptions2Type(b, options.type);
    Operator.addBuiltinOptions2(b, options.offset);
  }
  if (custom !== 0) Operator.addCustomOptions(b, custom);
  return Operator.endOperator(b);
}

/** The operator codes, one per distinct (opcode, custom code, version) in order of first use, and each operator's index into them. */
function writeOperatorCodes(b: flatbuffers.Builder, ops: TfliteOperator[]): { vector: flatbuffers.Offset; indexOf: number[] } {
  const keys = new Map<string, number>();
  const codes: flatbuffers.Offset[] = [];
  const indexOf = ops.map((o) => {
    const key = JSON.stringify([o.opcode, o.customCode ?? '', o.version]);
    let i = keys.get(key);
    if (i === undefined) {
      const code = BuiltinOperator[o.opcode as keyof typeof BuiltinOperator];
      const custom = o.customCode !== undefined ? b.createString(o.customCode) : 0;
      codes.push(OperatorCode.createOperatorCode(b, Math.min(code, PLACEHOLDER_FOR_GREATER_OP_CODES), custom, o.version, code));
      i = codes.length - 1;
      keys.set(key, i);
    }
    return i;
  });
  return { vector: Model.createOperatorCodesVector(b, codes), indexOf };
}

function writeSignature(b: flatbuffers.Builder, s: TfliteGraph['signatureDefs'][number]): flatbuffers.Offset {
  const maps = (ms: TfliteTensorMap[]): flatbuffers.Offset[] => ms.map((m) => TensorMap.createTensorMap(b, b.createString(m.name), m.tensorIndex));
  const inputs = SignatureDef.createInputsVector(b, maps(s.inputs));
  const outputs = SignatureDef.createOutputsVector(b, maps(s.outputs));
  const key = b.createString(s.signatureKey);
  SignatureDef.startSignatureDef(b);
  SignatureDef.addInputs(b, inputs);
  SignatureDef.addOutputs(b, outputs);
  SignatureDef.addSignatureKey(b, key);
  SignatureDef.addSubgraphIndex(b, s.subgraphIndex);
  return SignatureDef.endSignatureDef(b);
}

/** Writes a graph as a .tflite file's bytes; a graph that no file could hold (an index out of range, an unknown type, opcode or option) is a TfliteFormatError. */
export function writeTflite(g: TfliteGraph): Uint8Array {
  checkGraph(g);
  const b = new flatbuffers.Builder(1024 + g.tensors.reduce((s, t) => s + (t.data?.length ?? 0), 0));
  const buffers = new Buffers(b);
  const tensorBuffers = g.tensors.map((t) => buffers.add(t.data));
  const metadataBuffers = g.metadata.map((m) => buffers.add(m.data));

  const tensors = SubGraph.createTensorsVector(b, g.tensors.map((t, i) => writeTensor(b, t, tensorBuffers[i]!)));
  const codes = writeOperatorCodes(b, g.operators);
  const operators = SubGraph.createOperatorsVector(b, g.operators.map((o, i) => writeOperator(b, g, o, codes.indexOf[i]!)));
  const subgraph = SubGraph.createSubGraph(b, tensors, SubGraph.createInputsVector(b, g.inputs), SubGraph.createOutputsVector(b, g.outputs), operators, b.createString(g.subgraphName), -1);

  const metadata = Model.createMetadataVector(b, g.metadata.map((m, i) => Metadata.createMetadata(b, b.createString(m.name), metadataBuffers[i]!)));
  const signatures = Model.createSignatureDefsVector(b, g.signatureDefs.map((s) => writeSignature(b, s)));
  const subgraphs = Model.createSubgraphsVector(b, [subgraph]);
  const description = b.createString(g.description);
  // No metadata_buffer (deprecated), external_buffer_groups or external_buffers: 0 leaves a field out.
  const model = Model.createModel(b, TFLITE_SCHEMA_VERSION, codes.vector, subgraphs, description, buffers.vector(), 0, metadata, signatures, 0, 0);
  b.finish(model, TFLITE_IDENTIFIER);
  return b.asUint8Array().slice();
}
