/**
 * What every op importer needs: the graph, the layer that produced each tensor, and checked access to tensors,
 * their quantization and their constant data, with errors that name the file, the operator and the tensor.
 */
import { BITS_MAX, type ArithmeticTarget } from '../../../quant/spec/index.ts';
import { MODEL_INPUT, type QuantLayer, type TensorQuant } from '../../../quant/format/types.ts';
import type { TfliteGraph, TfliteOperator, TfliteTensor } from '../graph.ts';
import { TfliteImportError } from '../import-error.ts';

/** A tensor's producer: the layer whose output it is (MODEL_INPUT for the graph's input), and its shape. */
export interface Produced {
  layer: string;
  shape: number[];
  quant: TensorQuant;
}

export class ImportContext {
  /** Tensor index -> the layer that produced it. */
  readonly produced = new Map<number, Produced>();
  readonly layers: QuantLayer[] = [];
  /** Layer name -> the TFLite tensor its output is (for cutting the runtime's graph at a layer). */
  readonly layerTensors: Record<string, number> = {};

  constructor(readonly graph: TfliteGraph, readonly arithmetic: ArithmeticTarget) {}

  fail(op: TfliteOperator | undefined, what: string): never {
    const at = op === undefined ? '' : ` operator ${op.index} (${op.opcode} v${op.version}):`;
    throw new TfliteImportError(`${this.graph.source}:${at} ${what}`);
  }

  tensor(op: TfliteOperator | undefined, index: number | undefined, role: string): TfliteTensor {
    const t = index === undefined || index < 0 ? undefined : this.graph.tensors[index];
    if (t === undefined) this.fail(op, `its ${role} is missing (tensor index ${index ?? 'none'})`);
    return t;
  }

  /** A tensor's shape without the batch axis, which must be 1. */
  unbatched(op: TfliteOperator | undefined, t: TfliteTensor, role: string): number[] {
    if (t.shape.length < 2 || t.shape[0] !== 1) this.fail(op, `its ${role} '${t.name}' has shape [${t.shape.join(', ')}]; expected [1, ...] (batch 1, then at least one axis)`);
    return t.shape.slice(1);
  }

  /** Per-tensor int8 quantization of an activation tensor. */
  activationQuant(op: TfliteOperator | undefined, t: TfliteTensor, role: string): TensorQuant {
    if (t.type !== 'INT8') this.fail(op, `its ${role} '${t.name}' is ${t.type}; only int8 activations are supported (is this a float or a uint8 model?)`);
    const q = t.quant;
    if (q === undefined || q.scale.length !== 1 || q.zeroPoint.length !== 1) {
      this.fail(op, `its ${role} '${t.name}' needs one scale and one zero point (per-tensor quantization), got ${q === undefined ? 'none' : `${q.scale.length} scales`}`);
    }
    const scale = q.scale[0] as number;
    const zeroPoint = q.zeroPoint[0] as number;
    if (!(scale > 0) || !Number.isFinite(scale)) this.fail(op, `its ${role} '${t.name}' has scale ${scale}; expected a finite scale > 0`);
    if (!Number.isInteger(zeroPoint) || zeroPoint < -128 || zeroPoint > 127) this.fail(op, `its ${role} '${t.name}' has zero point ${zeroPoint}; expected an integer in [-128, 127]`);
    return { scale, zeroPoint, bits: BITS_MAX, qmin: -128, qmax: 127 };
  }

  /** The layer that made tensor `index`; the op's input must have been produced by an earlier op or be the input. */
  producer(op: TfliteOperator, index: number | undefined, role: string): Produced {
    const t = this.tensor(op, index, role);
    const p = this.produced.get(t.index);
    if (p === undefined) {
      this.fail(op, `its ${role} '${t.name}' is ${t.data !== undefined ? 'a constant tensor' : 'not produced by an earlier operator'}; only the graph input and earlier operators' outputs can feed it`);
    }
    return p;
  }

  /** The constant data of a tensor, as the typed array of its type. */
  constant(op: TfliteOperator, index: number | undefined, role: string, type: 'INT8' | 'INT32'): { tensor: TfliteTensor; values: Int8Array | Int32Array } {
    const t = this.tensor(op, index, role);
    if (t.type !== type) this.fail(op, `its ${role} '${t.name}' is ${t.type}; expected ${type}${type === 'INT8' && t.type === 'FLOAT32' ? ' (a float model: quantize it to int8 first)' : ''}`);
    const size = t.shape.reduce((a, b) => a * b, 1);
    const bytes = type === 'INT8' ? 1 : 4;
    if (t.data === undefined || t.data.length !== size * bytes) {
      this.fail(op, `its ${role} '${t.name}' must be a constant of ${size} values (${size * bytes} bytes); got ${t.data === undefined ? 'no data' : `${t.data.length} bytes`}`);
    }
    const copy = t.data.slice();
    return { tensor: t, values: type === 'INT8' ? new Int8Array(copy.buffer, copy.byteOffset, size) : new Int32Array(copy.buffer, copy.byteOffset, size) };
  }

  /** Records a layer whose output is tensor `outIndex`. */
  add(op: TfliteOperator, layer: QuantLayer, quant: TensorQuant): void {
    const out = this.tensor(op, op.outputs[0], 'output');
    this.layers.push(layer);
    this.layerTensors[layer.name] = out.index;
    this.produced.set(out.index, { layer: layer.name, shape: layer.outputShape, quant });
  }

  /** The `inputs` field of a layer reading these producers: omitted when it is just the previous layer. */
  inputsOf(sources: Produced[]): { inputs?: string[] } {
    const previous = this.layers.length === 0 ? MODEL_INPUT : (this.layers[this.layers.length - 1] as QuantLayer).name;
    return sources.length === 1 && sources[0]?.layer === previous ? {} : { inputs: sources.map((s) => s.layer) };
  }

  /** A fresh layer name for an op: its kind and operator index ('conv2d_3'). */
  name(op: TfliteOperator, kind: string): string {
    return `${kind}_${op.index}`;
  }
}

/** An option of an op, checked to be of the expected type. */
export function option<T extends number | boolean | string>(ctx: ImportContext, op: TfliteOperator, key: string, type: 'number' | 'boolean' | 'string'): T {
  const v = op.options[key];
  if (typeof v !== type) ctx.fail(op, `its option ${key} is ${v === undefined ? 'missing' : JSON.stringify(v)}; expected a ${type} (options type ${op.optionsType})`);
  return v as T;
}
