/**
 * exportTflite: a model trained here (quant/format QuantModel: dense, conv2d, maxpool2d and flatten layers in a
 * chain) as an int8 TFLite graph that TFLite's runtime and TFLite Micro run with the model's integers; writeTflite
 * makes the file. Layer by layer (N output channels, K inputs):
 *
 *  conv2d    CONV_2D v3: filter [N, kh, kw, C] (OHWI, from the format's HWIO), int8 per channel along axis 0,
 *            zero points 0; bias int32 [N] at scale S_in * S_w[c] (metadata: TFLite does not re-derive the bias).
 *  dense     RESHAPE to [1, 1, 1, K], a 1x1 CONV_2D v3 (filter [N, 1, 1, K]), RESHAPE to [1, N]. Not a
 *            FULLY_CONNECTED: a trained dense layer has a weight scale per channel, and TF 2.9's runtime has no
 *            per-channel FULLY_CONNECTED (it reads the per-tensor scale, 0, and outputs the zero point; SPEC.md 7.7),
 *            while a per-tensor one derives its multiplier from a float32 product (GetQuantizedConvolutionMultipler)
 *            that the model's m0 does not follow. A 1x1 convolution over a 1x1 image is the same sum with the same
 *            weight bytes ([1, 1, K, N] = [K, N]), CONV_2D takes per-channel scales in every TFLite, derives
 *            the multipliers as the trainer does (a double product), and rounds as FULLY_CONNECTED does in both
 *            targets (ruy in tflite-runtime, double in tflite-reference; quant/spec macRounding).
 *  maxpool2d MAX_POOL_2D v2 (int8; input and output share their quantization).
 *  flatten   RESHAPE to [1, K] (row-major, the format's flatten order).
 *
 * The multipliers (hard part one): TFLite recomputes every (m0, shift) from the file's float32 scales; the
 * activation scales are written as float32 and each channel's weight scale is the float32 from which TFLite's
 * Prepare gives back the model's integers (export-scales.ts; a trained model's own scales do, since the trainer
 * derives its multipliers from float32 scales the same way).
 *
 * The clamps (hard part two): TFLite clamps a CONV_2D's or pool's int8 output to its fused activation's quantized
 * range (quant/spec activationRange) and nothing else. A clamp [actMin, actMax] that NONE, RELU, RELU6 or
 * RELU_N1_TO_1 gives exactly (with the same relu flag on import) is written as that fused activation; otherwise
 * the fused activation is RELU (relu layers: [zp, 127]) or NONE ([-128, 127]), followed by MAXIMUM and/or MINIMUM
 * v2 against a one-value int8 constant of the same quantization: TFLite's int8 MINIMUM/MAXIMUM compare raw codes,
 * so that is exactly the clamp. A model with activations below 8 bits therefore also uses MINIMUM (a b-bit ReLU
 * output ends at 2^(b-1) - 1) and, for a clamp above both -128 and the zero point, MAXIMUM.
 *
 * Metadata: 'min_runtime_version' (the largest of the operators' minimum runtimes, TFLite's table; 16 bytes,
 * NUL-padded, as the converter writes it) and the notes that let the importer give the model back field by field
 * ('int8cosim_model', export-notes.ts). The description names the model; the signature 'serving_default' names
 * the input and the output, as the converter's.
 */
import { activationRange, FUSED_ACTIVATIONS, type FusedActivation } from '../../quant/spec/index.ts';
import type { Conv2DLayer, DenseLayer, MacLayer, MaxPool2DLayer, QuantModel, TensorQuant } from '../../quant/format/types.ts';
import { MODEL_INPUT } from '../../quant/format/types.ts';
import { validateModel } from '../../quant/format/validate.ts';
import { TfliteGraphBuilder } from './build-graph.ts';
import type { TfliteGraph } from './graph.ts';
import { encodeExportNotes, EXPORT_NOTES_FORMAT, EXPORT_NOTES_METADATA, EXPORT_NOTES_VERSION, type ExportedLayerNote } from './export-notes.ts';
import { TfliteExportError } from './export-error.ts';
import { exportWeightScales } from './export-scales.ts';

/** The operator versions written (int8; CONV_2D v3: per-channel) and the runtime each needs (TFLite runtime_version.cc). */
export const EXPORT_OP_VERSIONS = {
  CONV_2D: { version: 3, minRuntime: '1.14.0' },
  MAX_POOL_2D: { version: 2, minRuntime: '1.14.0' },
  RESHAPE: { version: 1, minRuntime: '1.5.0' },
  MAXIMUM: { version: 2, minRuntime: '1.14.0' },
  MINIMUM: { version: 2, minRuntime: '1.14.0' },
} as const;
type ExportOp = keyof typeof EXPORT_OP_VERSIONS;

/** The length the converter pads min_runtime_version to (NUL bytes). */
const RUNTIME_VERSION_LENGTH = 16;

export interface ExportTfliteOptions {
  /** The model's description in the file (default: one line naming the model and its layers). */
  description?: string;
}

/** A tensor flowing between operators: its index, TFLite shape (batch first) and quantization. */
interface Flow {
  tensor: number;
  shape: number[];
  quant: TensorQuant;
}

/** How a clamp is written: a fused activation, and the bounds MAXIMUM / MINIMUM must add. */
export interface ClampEncoding {
  fused: FusedActivation;
  maximum?: number;
  minimum?: number;
}

function rangeOf(f: FusedActivation, q: TensorQuant): { actMin: number; actMax: number } | undefined {
  try {
    return activationRange(f, q.scale, q.zeroPoint);
  } catch {
    return undefined; // a bound that overflows int32 at this scale: TFLite refuses it, so it is no candidate
  }
}

/**
 * The exact encoding of the clamp [actMin, actMax] of an int8 output quantized by `q`. `relu` (MAC layers: the
 * flag the importer must derive again, fused !== NONE and actMin = zero point) or undefined (pools: no flag).
 */
export function clampEncoding(q: TensorQuant, actMin: number, actMax: number, relu: boolean | undefined): ClampEncoding {
  for (const fused of FUSED_ACTIVATIONS) {
    const r = rangeOf(fused, q);
    if (r === undefined || r.actMin !== actMin || r.actMax !== actMax) continue;
    if (relu === undefined || (fused !== 'NONE' && actMin === q.zeroPoint) === relu) return { fused };
  }
  const fused: FusedActivation = relu === true ? 'RELU' : 'NONE';
  const r = rangeOf(fused, q) as { actMin: number; actMax: number };
  if (actMin < r.actMin) throw new RangeError(`clampEncoding: clamp [${actMin}, ${actMax}] starts below the ${fused} range [${r.actMin}, ${r.actMax}]`);
  return { fused, ...(actMin > r.actMin ? { maximum: actMin } : {}), ...(actMax < r.actMax ? { minimum: actMax } : {}) };
}

class Exporter {
  readonly b: TfliteGraphBuilder;
  readonly notes: ExportedLayerNote[] = [];
  readonly used = new Set<ExportOp>();

  constructor(readonly model: QuantModel, description: string) {
    this.b = new TfliteGraphBuilder(`${model.name}.tflite`, description);
  }

  op(opcode: ExportOp, inputs: number[], output: number, optionsType = 'NONE', options = {}): void {
    this.used.add(opcode);
    this.b.op(opcode, inputs, [output], optionsType, options, EXPORT_OP_VERSIONS[opcode].version);
  }

  activation(name: string, shape: number[], q: TensorQuant): number {
    return this.b.tensor(name, 'INT8', shape, { scale: [q.scale], zeroPoint: [q.zeroPoint] });
  }

  reshape(x: Flow, name: string, shape: number[]): Flow {
    const target = this.b.constant(`${name}/shape`, [shape.length], Int32Array.from([-1, ...shape.slice(1)]));
    const y = this.activation(name, shape, x.quant);
    this.op('RESHAPE', [x.tensor, target], y);
    return { tensor: y, shape, quant: x.quant };
  }

  /** The MAXIMUM / MINIMUM ops of a clamp after tensor x (named `name` at the end). */
  clamp(x: Flow, name: string, enc: ClampEncoding): Flow {
    let cur = x;
    const steps = [...(enc.maximum !== undefined ? [['MAXIMUM', enc.maximum] as const] : []), ...(enc.minimum !== undefined ? [['MINIMUM', enc.minimum] as const] : [])];
    steps.forEach(([opcode, v], i) => {
      const q = { scale: [x.quant.scale], zeroPoint: [x.quant.zeroPoint] };
      const bound = this.b.constant(`${name}/${opcode.toLowerCase()}_bound`, [1], Int8Array.of(v), q);
      const y = this.activation(i === steps.length - 1 ? name : `${name}/${opcode.toLowerCase()}`, cur.shape, x.quant);
      this.op(opcode, [cur.tensor, bound], y);
      cur = { tensor: y, shape: cur.shape, quant: x.quant };
    });
    return cur;
  }

  /** A CONV_2D with its filter [N, kh, kw, C] (OHWI) and bias, then its clamp; the output is named `name`. */
  conv(x: Flow, layer: MacLayer, filter: Int8Array, filterShape: [number, number, number, number], outShape: number[], options: Record<string, number | string>, name: string): Flow {
    const scales = exportWeightScales(layer);
    const sIn = Math.fround(layer.input.scale);
    const w = this.b.constant(`${layer.name}/filter`, filterShape, filter, { scale: Array.from(scales), quantizedDimension: 0 });
    const bias = this.b.constant(`${layer.name}/bias`, [filterShape[0]], layer.bias, { scale: Array.from(scales, (s) => Math.fround(sIn * s)), quantizedDimension: 0 });
    const enc = clampEncoding(layer.output, layer.actMin, layer.actMax, layer.relu);
    const clamped = enc.maximum !== undefined || enc.minimum !== undefined;
    const y = this.activation(clamped ? `${name}/conv` : name, outShape, layer.output);
    this.op('CONV_2D', [x.tensor, w, bias], y, 'Conv2DOptions', { ...options, fusedActivationFunction: enc.fused, dilationWFactor: 1, dilationHFactor: 1 });
    return this.clamp({ tensor: y, shape: outShape, quant: layer.output }, name, enc);
  }

  conv2d(x: Flow, l: Conv2DLayer): Flow {
    const [kh, kw] = l.kernel;
    const cin = l.inputShape[2] as number;
    const n = l.outputShape[2] as number;
    const filter = new Int8Array(l.weights.length);
    const taps = kh * kw * cin;
    for (let c = 0; c < n; c++) for (let p = 0; p < taps; p++) filter[c * taps + p] = l.weights[p * n + c] as number;
    const options = { padding: l.padding === 'same' ? 'SAME' : 'VALID', strideH: l.strides[0], strideW: l.strides[1] };
    return this.conv(x, l, filter, [n, kh, kw, cin], [1, ...l.outputShape], options, l.name);
  }

  dense(x: Flow, l: DenseLayer): Flow {
    const k = l.inputShape[0] as number;
    const n = l.outputShape[0] as number;
    const filter = new Int8Array(k * n);
    for (let c = 0; c < n; c++) for (let j = 0; j < k; j++) filter[c * k + j] = l.weights[j * n + c] as number;
    const image = this.reshape(x, `${l.name}/as_image`, [1, 1, 1, k]);
    const y = this.conv(image, l, filter, [n, 1, 1, k], [1, 1, 1, n], { padding: 'VALID', strideH: 1, strideW: 1 }, `${l.name}/as_image_out`);
    return this.reshape(y, l.name, [1, n]);
  }

  maxpool2d(x: Flow, l: MaxPool2DLayer): Flow {
    const enc = clampEncoding(x.quant, l.actMin ?? -128, l.actMax ?? 127, undefined);
    const clamped = enc.maximum !== undefined || enc.minimum !== undefined;
    const shape = [1, ...l.outputShape];
    const y = this.activation(clamped ? `${l.name}/pool` : l.name, shape, x.quant);
    const options = { padding: l.padding === 'same' ? 'SAME' : 'VALID', strideH: l.strides[0], strideW: l.strides[1], filterHeight: l.pool[0], filterWidth: l.pool[1], fusedActivationFunction: enc.fused };
    this.op('MAX_POOL_2D', [x.tensor], y, 'Pool2DOptions', options);
    return this.clamp({ tensor: y, shape, quant: x.quant }, l.name, enc);
  }

  /** The largest minimum runtime of the operators used (what the converter writes). */
  minRuntimeVersion(): string {
    return [...this.used].map((op) => EXPORT_OP_VERSIONS[op].minRuntime).reduce((a, b) => (compareVersions(a, b) >= 0 ? a : b), '1.5.0');
  }
}

function compareVersions(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function defaultDescription(model: QuantModel): string {
  const m = model.meta;
  const widths = typeof m.weightBits === 'number' && typeof m.activationBits === 'number' ? `W${m.weightBits}A${m.activationBits}` : undefined;
  const what = [m.network, m.dataset, widths].filter((x) => typeof x === 'string').join(' ');
  return `int8cosim model '${model.name}'${what === '' ? '' : ` (${what})`}: ${model.layers.map((l) => l.type).join(', ')}; int8 in, int8 logits out`;
}

/** The TFLite graph of a model; a layer or wiring it cannot write exactly is a TfliteExportError naming it. */
export function exportTflite(model: QuantModel, opts: ExportTfliteOptions = {}): TfliteGraph {
  validateModel(model, model.name);
  const e = new Exporter(model, opts.description ?? defaultDescription(model));
  const inShape = [1, ...model.input.shape];
  const input = e.b.input('input', 'INT8', inShape, { scale: [model.input.scale], zeroPoint: [model.input.zeroPoint] });
  let x: Flow = { tensor: input, shape: inShape, quant: model.input };
  let previous = MODEL_INPUT;
  for (const l of model.layers) {
    if (l.inputs !== undefined && (l.inputs.length !== 1 || l.inputs[0] !== previous)) {
      throw new TfliteExportError(`${model.name}: layer '${l.name}' reads [${l.inputs.join(', ')}]; only a chain of layers (each reading the previous) is exported`);
    }
    const note: ExportedLayerNote = { name: l.name, type: 'conv2d', tensor: -1 };
    if (l.type === 'conv2d') x = e.conv2d(x, l);
    else if (l.type === 'dense') x = e.dense(x, l);
    else if (l.type === 'maxpool2d') x = e.maxpool2d(x, l);
    else if (l.type === 'flatten') x = e.reshape(x, l.name, [1, ...l.outputShape]);
    else throw new TfliteExportError(`${model.name}: layer '${l.name}' is a ${l.type}; the exporter writes dense, conv2d, maxpool2d and flatten layers (the trainer's)`);
    note.type = l.type;
    note.tensor = x.tensor;
    if (l.type === 'dense' || l.type === 'conv2d') Object.assign(note, { weightBits: l.weightBits, bits: l.output.bits });
    if (l.type === 'maxpool2d') note.clamp = l.actMin !== undefined || l.actMax !== undefined;
    e.notes.push(note);
    previous = l.name;
  }
  e.b.output(x.tensor);
  const runtime = e.minRuntimeVersion();
  const padded = new Uint8Array(RUNTIME_VERSION_LENGTH);
  padded.set(new TextEncoder().encode(runtime));
  e.b.metadata('min_runtime_version', padded);
  e.b.metadata(
    EXPORT_NOTES_METADATA,
    encodeExportNotes({ format: EXPORT_NOTES_FORMAT, version: EXPORT_NOTES_VERSION, name: model.name, roundingMode: model.roundingMode, inputBits: model.input.bits, layers: e.notes, meta: model.meta }),
  );
  const g = e.b.graph();
  for (const t of [input, x.tensor]) {
    const tensor = g.tensors[t];
    if (tensor !== undefined) tensor.shapeSignature = [-1, ...tensor.shape.slice(1)];
  }
  g.signatureDefs.push({ signatureKey: 'serving_default', subgraphIndex: 0, inputs: [{ name: 'input', tensorIndex: input }], outputs: [{ name: 'output', tensorIndex: x.tensor }] });
  return g;
}
