/**
 * TfliteGraphBuilder: a TfliteGraph assembled in code, for models the project writes itself (tests of the
 * importer and of the runtime on one-op models, and the exporter of a later issue). Constants are given as typed
 * arrays and stored as little-endian bytes; scales are rounded to float32 (what the file holds); options are
 * completed with the schema's defaults. So writeTflite then readTflite gives the built graph back, deep-equal.
 */
import { withDefaultOptions } from './builtin-options.ts';
import type { TfliteGraph, TfliteOptions, TfliteQuant, TfliteTensor } from './graph.ts';
import { TFLITE_SCHEMA_VERSION } from './read-tflite.ts';

/** Quantization as given to the builder (zeroPoint defaults to 0 for every scale, quantizedDimension to 0). */
export interface QuantSpec {
  scale: number[];
  zeroPoint?: number[];
  quantizedDimension?: number;
}

export type ConstantData = Int8Array | Uint8Array | Int16Array | Int32Array | Float32Array;

const TYPE_OF: [new (n: number) => ConstantData, string][] = [
  [Int8Array, 'INT8'],
  [Uint8Array, 'UINT8'],
  [Int16Array, 'INT16'],
  [Int32Array, 'INT32'],
  [Float32Array, 'FLOAT32'],
];

/** The bytes of a typed array, little-endian whatever the host. */
function littleEndian(data: ConstantData): Uint8Array {
  const out = new Uint8Array(data.length * data.BYTES_PER_ELEMENT);
  const view = new DataView(out.buffer);
  data.forEach((v, i) => {
    if (data instanceof Int8Array) view.setInt8(i, v);
    else if (data instanceof Uint8Array) view.setUint8(i, v);
    else if (data instanceof Int16Array) view.setInt16(2 * i, v, true);
    else if (data instanceof Int32Array) view.setInt32(4 * i, v, true);
    else view.setFloat32(4 * i, v, true);
  });
  return out;
}

function toQuant(q: QuantSpec): TfliteQuant {
  return { scale: q.scale.map(Math.fround), zeroPoint: q.zeroPoint ?? q.scale.map(() => 0), quantizedDimension: q.quantizedDimension ?? 0 };
}

export class TfliteGraphBuilder {
  private readonly g: TfliteGraph;

  constructor(source = '<built>', description = 'int8cosim') {
    this.g = { source, version: TFLITE_SCHEMA_VERSION, description, tensors: [], operators: [], inputs: [], outputs: [], subgraphName: 'main', metadata: [], signatureDefs: [] };
  }

  /** A tensor without data (an activation); returns its index. */
  tensor(name: string, type: string, shape: number[], quant?: QuantSpec): number {
    const t: TfliteTensor = { index: this.g.tensors.length, name, type, shape: [...shape], isVariable: false };
    if (quant) t.quant = toQuant(quant);
    this.g.tensors.push(t);
    return t.index;
  }

  /** A constant tensor; its type follows the typed array (Int8Array: INT8, Int32Array: INT32, ...). */
  constant(name: string, shape: number[], data: ConstantData, quant?: QuantSpec): number {
    const type = TYPE_OF.find(([c]) => data instanceof c)?.[1] ?? 'INT8';
    const n = shape.reduce((a, b) => a * b, 1);
    if (n !== data.length) throw new RangeError(`constant '${name}': shape [${shape.join(', ')}] holds ${n} values, got ${data.length}`);
    const i = this.tensor(name, type, shape, quant);
    (this.g.tensors[i] as TfliteTensor).data = littleEndian(data);
    return i;
  }

  /** An input tensor of the graph. */
  input(name: string, type: string, shape: number[], quant?: QuantSpec): number {
    const i = this.tensor(name, type, shape, quant);
    this.g.inputs.push(i);
    return i;
  }

  /** Marks tensors as the graph's outputs. */
  output(...tensors: number[]): this {
    this.g.outputs.push(...tensors);
    return this;
  }

  /** An operator (options completed with the schema's defaults); returns its index. */
  op(opcode: string, inputs: number[], outputs: number[], optionsType = 'NONE', options: TfliteOptions = {}, version = 1): number {
    const index = this.g.operators.length;
    this.g.operators.push({ index, opcode, version, inputs, outputs, optionsType, options: withDefaultOptions(optionsType, options, () => `${this.g.source}: operator ${index} (${opcode})`) });
    return index;
  }

  /** A metadata entry; the converter writes 'min_runtime_version' (e.g. '1.14.0'). */
  metadata(name: string, data?: Uint8Array | string): this {
    if (data === undefined) this.g.metadata.push({ name });
    else this.g.metadata.push({ name, data: typeof data === 'string' ? new TextEncoder().encode(data) : data });
    return this;
  }

  graph(): TfliteGraph {
    return structuredClone(this.g);
  }
}

/** A one-CONV_2D int8 model: input [1,H,W,C], weights [O,kh,kw,C] per output channel, int32 bias, output; NHWC as TFLite. */
export interface Conv2dModelSpec {
  input: { shape: [number, number, number, number]; scale: number; zeroPoint: number };
  weights: Int8Array;
  weightShape: [number, number, number, number];
  /** One scale per output channel (per-tensor: one). */
  weightScales: number[];
  bias: Int32Array;
  output: { shape: [number, number, number, number]; scale: number; zeroPoint: number };
  options?: TfliteOptions;
  version?: number;
}

/** The one-op CONV_2D graph of a spec (bias scale = input scale x weight scale, as TFLite requires). */
export function conv2dGraph(s: Conv2dModelSpec): TfliteGraph {
  const b = new TfliteGraphBuilder('<conv2d>');
  const x = b.input('input', 'INT8', s.input.shape, { scale: [s.input.scale], zeroPoint: [s.input.zeroPoint] });
  const perChannel = s.weightScales.length > 1;
  const w = b.constant('weights', s.weightShape, s.weights, { scale: s.weightScales, quantizedDimension: 0 });
  const biasScale = s.weightScales.map((ws) => Math.fround(s.input.scale) * Math.fround(ws));
  const bias = b.constant('bias', [s.weightShape[0]], s.bias, { scale: perChannel ? biasScale : [biasScale[0] ?? 0] });
  const y = b.tensor('output', 'INT8', s.output.shape, { scale: [s.output.scale], zeroPoint: [s.output.zeroPoint] });
  b.op('CONV_2D', [x, w, bias], [y], 'Conv2DOptions', { padding: 'VALID', strideW: 1, strideH: 1, ...s.options }, s.version ?? 3);
  b.output(y);
  b.metadata('min_runtime_version', '1.14.0');
  return b.graph();
}
