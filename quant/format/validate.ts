/**
 * Semantic validation of a QuantModel: everything a reader in any language must check before trusting a model
 * (docs/FORMAT.md section "Validation"). The reader calls it on what it read, the writer on what it is about to
 * write. Every failure is a FormatError naming the file, the field and what was expected.
 */
import { FormatError } from '../errors.ts';
import { ARITHMETIC_TARGETS, BITS_MAX, BITS_MIN, INT32_MAX, INT32_MIN, M0_MAX, M0_MIN, ROUNDING_MODES, SHIFT_MAX, SHIFT_MIN, intRange, type AddParams } from '../spec/index.ts';
import { expectedOutputShape, sameShape, shapeSize } from './shapes.ts';
import { LAYER_TYPES, MODEL_INPUT, isMacLayer, type MacLayerParams, type QuantLayer, type QuantModel, type TensorQuant } from './types.ts';

export function formatError(file: string, field: string, expected: string, got: unknown, cause?: unknown): FormatError {
  return new FormatError(`${file}: ${field}: expected ${expected}, got ${describe(got)}`, cause === undefined ? undefined : { cause });
}

/** What was found, when it is a description rather than a value (printed without quotes). */
export class Found {
  constructor(readonly text: string) {}
}

/** A short, printable rendering of a bad value. */
export function describe(v: unknown): string {
  if (v instanceof Found) return v.text;
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}...` : v);
  if (Array.isArray(v)) return v.length > 8 ? `[${v.slice(0, 8).map(describe).join(', ')}, ...] (${v.length} items)` : `[${v.map(describe).join(', ')}]`;
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${(v as unknown as ArrayLike<number>).length})`;
  if (v === undefined) return 'nothing (field missing)';
  if (v !== null && typeof v === 'object') return 'an object';
  return String(v);
}

function shapeText(s: readonly number[]): string {
  return `[${s.join(', ')}]`;
}

export class Checker {
  constructor(readonly file: string) {}

  fail(field: string, expected: string, got: unknown): never {
    throw formatError(this.file, field, expected, got);
  }

  int(field: string, v: unknown, lo: number, hi: number): number {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) this.fail(field, `an integer in [${lo}, ${hi}]`, v);
    return v;
  }

  scale(field: string, v: unknown): number {
    if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) this.fail(field, 'a finite number > 0', v);
    return v;
  }

  shape(field: string, v: unknown): number[] {
    if (!Array.isArray(v) || v.length === 0 || v.length > 4 || !v.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 1 && d <= 1 << 24)) {
      this.fail(field, 'a shape: 1 to 4 positive integers', v);
    }
    return v as number[];
  }

  pair(field: string, v: unknown, hi: number): [number, number] {
    if (!Array.isArray(v) || v.length !== 2 || !v.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 1 && d <= hi)) {
      this.fail(field, `two integers in [1, ${hi}]`, v);
    }
    return v as [number, number];
  }

  oneOf<T extends string>(field: string, v: unknown, options: readonly T[]): T {
    if (typeof v !== 'string' || !options.includes(v as T)) this.fail(field, `one of ${options.map((o) => `'${o}'`).join(', ')}`, v);
    return v as T;
  }

  string(field: string, v: unknown): string {
    if (typeof v !== 'string' || v.length === 0) this.fail(field, 'a non-empty string', v);
    return v;
  }

  boolean(field: string, v: unknown): boolean {
    if (typeof v !== 'boolean') this.fail(field, 'true or false', v);
    return v;
  }
}

/** Activation quantization: full b-bit range, integer zero point inside it, finite positive scale. */
export function checkTensorQuant(c: Checker, field: string, q: TensorQuant): void {
  if (q === null || typeof q !== 'object') c.fail(field, 'an object {scale, zeroPoint, bits, qmin, qmax}', q);
  c.scale(`${field}.scale`, q.scale);
  const bits = c.int(`${field}.bits`, q.bits, BITS_MIN, BITS_MAX);
  const r = intRange(bits, false);
  c.int(`${field}.qmin`, q.qmin, r.qmin, r.qmin);
  c.int(`${field}.qmax`, q.qmax, r.qmax, r.qmax);
  c.int(`${field}.zeroPoint`, q.zeroPoint, r.qmin, r.qmax);
}

function sameQuant(a: TensorQuant, b: TensorQuant): boolean {
  return a.scale === b.scale && a.zeroPoint === b.zeroPoint && a.bits === b.bits && a.qmin === b.qmin && a.qmax === b.qmax;
}

function checkTypedArray(c: Checker, field: string, v: unknown, ctor: Function, length: number, dtype: string): void {
  if (!(v instanceof ctor) || (v as ArrayLike<number>).length !== length) c.fail(field, `${dtype} with ${length} values`, v);
}

function checkMacParams(c: Checker, at: string, layer: QuantLayer & MacLayerParams, k: number, n: number, input: TensorQuant): void {
  checkTypedArray(c, `${at}.weights`, layer.weights, Int8Array, k * n, 'int8');
  for (const [field, ctor, dtype] of [['bias', Int32Array, 'int32'], ['multiplier', Int32Array, 'int32'], ['shift', Int32Array, 'int32'], ['weightScales', Float32Array, 'float32']] as const) {
    checkTypedArray(c, `${at}.${field}`, layer[field], ctor, n, dtype);
  }
  const bits = c.int(`${at}.weightBits`, layer.weightBits, BITS_MIN, BITS_MAX);
  const w = intRange(bits, true);
  for (let i = 0; i < layer.weights.length; i++) {
    const v = layer.weights[i] as number;
    if (v < w.qmin || v > w.qmax) c.fail(`${at}.weights[${i}]`, `a ${bits}-bit narrow-range weight in [${w.qmin}, ${w.qmax}]`, v);
  }
  for (let i = 0; i < n; i++) {
    const m0 = layer.multiplier[i] as number;
    if (m0 !== 0 && (m0 < M0_MIN || m0 > M0_MAX)) c.fail(`${at}.multiplier[${i}]`, `0 or an integer in [2^30 = ${M0_MIN}, 2^31-1 = ${M0_MAX}]`, m0);
    c.int(`${at}.shift[${i}]`, layer.shift[i], SHIFT_MIN, SHIFT_MAX);
    c.scale(`${at}.weightScales[${i}]`, layer.weightScales[i]);
    c.int(`${at}.bias[${i}]`, layer.bias[i], INT32_MIN, INT32_MAX);
  }
  checkTensorQuant(c, `${at}.input`, layer.input);
  if (!sameQuant(layer.input, input)) {
    c.fail(`${at}.input`, `the quantization of the tensor it reads ${JSON.stringify(input)}`, JSON.stringify(layer.input));
  }
  checkTensorQuant(c, `${at}.output`, layer.output);
  const relu = c.boolean(`${at}.relu`, layer.relu);
  const { qmin, qmax, zeroPoint } = layer.output;
  if (relu) c.int(`${at}.actMin`, layer.actMin, zeroPoint, zeroPoint);
  else c.int(`${at}.actMin`, layer.actMin, qmin, qmax);
  c.int(`${at}.actMax`, layer.actMax, layer.actMin, qmax);
}

/** What a layer's input name refers to: the shape and quantization of that tensor, and who made it. */
interface Produced {
  shape: number[];
  quant: TensorQuant;
  from: string;
}

/** The int8 clamp of a layer whose output has quantization q: inside [q.qmin, q.qmax], actMin <= actMax. */
function checkClamp(c: Checker, at: string, actMin: unknown, actMax: unknown, q: TensorQuant): void {
  const lo = c.int(`${at}.actMin`, actMin, q.qmin, q.qmax);
  c.int(`${at}.actMax`, actMax, lo, q.qmax);
}

function checkAddParams(c: Checker, at: string, p: AddParams, q1: TensorQuant, q2: TensorQuant, out: TensorQuant): void {
  if (p === null || typeof p !== 'object') c.fail(`${at}.params`, 'an object of TFLite ADD parameters', p);
  c.int(`${at}.params.leftShift`, p.leftShift, 0, 30);
  c.int(`${at}.params.input1Offset`, p.input1Offset, -q1.zeroPoint, -q1.zeroPoint);
  c.int(`${at}.params.input2Offset`, p.input2Offset, -q2.zeroPoint, -q2.zeroPoint);
  c.int(`${at}.params.outputOffset`, p.outputOffset, out.zeroPoint, out.zeroPoint);
  for (const m of ['input1', 'input2', 'output'] as const) {
    const m0 = c.int(`${at}.params.${m}Multiplier`, p[`${m}Multiplier`], 0, M0_MAX);
    if (m0 !== 0 && m0 < M0_MIN) c.fail(`${at}.params.${m}Multiplier`, `0 or an integer in [2^30 = ${M0_MIN}, 2^31-1 = ${M0_MAX}]`, m0);
    c.int(`${at}.params.${m}Shift`, p[`${m}Shift`], SHIFT_MIN, SHIFT_MAX);
  }
  checkClamp(c, `${at}.params`, p.quantizedActivationMin, p.quantizedActivationMax, out);
}

/** The layer's inputs (names of earlier layers, or MODEL_INPUT), resolved; absent means the previous layer. */
function resolveInputs(c: Checker, at: string, layer: QuantLayer, previous: string, seen: Map<string, Produced>): Produced[] {
  const count = layer.type === 'add' ? 2 : 1;
  const names = layer.inputs ?? (count === 1 ? [previous] : undefined);
  if (!Array.isArray(names) || names.length !== count || !names.every((n) => typeof n === 'string')) {
    c.fail(`${at}.inputs`, `${count === 1 ? 'one name' : 'two names'} of earlier layers (or '${MODEL_INPUT}')`, names);
  }
  return names.map((n, j) => seen.get(n) ?? c.fail(`${at}.inputs[${j}]`, `the name of an earlier layer or '${MODEL_INPUT}'`, n));
}

/** Throws a FormatError (naming `file`) unless the model is complete and consistent. */
export function validateModel(model: QuantModel, file: string): void {
  const c = new Checker(file);
  if (model === null || typeof model !== 'object') c.fail('(model)', 'an object', model);
  c.string('name', model.name);
  c.oneOf('roundingMode', model.roundingMode, ROUNDING_MODES);
  if (model.arithmetic !== undefined) c.oneOf('arithmetic', model.arithmetic, ARITHMETIC_TARGETS);
  const input = model.input;
  if (input === null || typeof input !== 'object') c.fail('input', `an object {shape, scale, zeroPoint, bits, qmin, qmax}`, input);
  c.shape('input.shape', input.shape);
  checkTensorQuant(c, 'input', input);
  if (!Array.isArray(model.layers) || model.layers.length === 0) c.fail('layers', 'a non-empty array', model.layers);
  const seen = new Map<string, Produced>([[MODEL_INPUT, { shape: input.shape, quant: input, from: 'the model input' }]]);
  let previous = MODEL_INPUT;
  model.layers.forEach((layer, i) => {
    const at = `layers[${i}]`;
    if (layer === null || typeof layer !== 'object') c.fail(at, 'an object', layer);
    c.oneOf(`${at}.type`, layer.type, LAYER_TYPES);
    const name = c.string(`${at}.name`, layer.name);
    if (seen.has(name)) c.fail(`${at}.name`, `a name no other layer has (and not '${MODEL_INPUT}')`, name);
    const sources = resolveInputs(c, at, layer, previous, seen);
    const src = sources[0] as Produced;
    const inShape = c.shape(`${at}.inputShape`, layer.inputShape);
    sources.forEach((s, j) => {
      if (!sameShape(inShape, s.shape)) c.fail(sources.length > 1 ? `${at}.inputShape (operand ${j + 1})` : `${at}.inputShape`, `${shapeText(s.shape)} (the output of ${s.from})`, inShape);
    });
    c.shape(`${at}.outputShape`, layer.outputShape);
    let quant = src.quant;
    if (layer.type === 'conv2d' || layer.type === 'depthwise2d') {
      c.pair(`${at}.kernel`, layer.kernel, 64);
      c.pair(`${at}.strides`, layer.strides, 64);
      c.oneOf(`${at}.padding`, layer.padding, ['same', 'valid'] as const);
      if (inShape.length !== 3) c.fail(`${at}.inputShape`, `an [H, W, C] input for ${layer.type}`, inShape);
    } else if (layer.type === 'maxpool2d' || layer.type === 'avgpool2d') {
      c.pair(`${at}.pool`, layer.pool, 64);
      c.pair(`${at}.strides`, layer.strides, 64);
      c.oneOf(`${at}.padding`, layer.padding, ['same', 'valid'] as const);
      if (inShape.length !== 3) c.fail(`${at}.inputShape`, `an [H, W, C] input for ${layer.type}`, inShape);
      if (layer.type === 'avgpool2d' || layer.actMin !== undefined || layer.actMax !== undefined) checkClamp(c, at, layer.actMin, layer.actMax, quant);
    } else if (layer.type === 'dense') {
      if (inShape.length !== 1) c.fail(`${at}.inputShape`, 'a [K] input for dense (flatten first)', inShape);
    } else if (layer.type === 'add') {
      checkTensorQuant(c, `${at}.input1`, layer.input1);
      checkTensorQuant(c, `${at}.input2`, layer.input2);
      checkTensorQuant(c, `${at}.output`, layer.output);
      sources.forEach((s, j) => {
        const q = j === 0 ? layer.input1 : layer.input2;
        if (!sameQuant(q, s.quant)) c.fail(`${at}.input${j + 1}`, `the quantization of the tensor it reads ${JSON.stringify(s.quant)}`, JSON.stringify(q));
      });
      checkAddParams(c, at, layer.params, layer.input1, layer.input2, layer.output);
      quant = layer.output;
    } else if (layer.type === 'softmax') {
      if (typeof layer.beta !== 'number' || !Number.isFinite(layer.beta) || layer.beta <= 0) c.fail(`${at}.beta`, 'a finite number > 0', layer.beta);
      checkTensorQuant(c, `${at}.input`, layer.input);
      if (!sameQuant(layer.input, quant)) c.fail(`${at}.input`, `the quantization of the tensor it reads ${JSON.stringify(quant)}`, JSON.stringify(layer.input));
      checkTensorQuant(c, `${at}.output`, layer.output);
      if (layer.output.scale !== 1 / 256 || layer.output.zeroPoint !== -128 || layer.output.bits !== 8) {
        c.fail(`${at}.output`, 'scale 1/256, zero point -128, 8 bits (the int8 softmax output TFLite requires)', JSON.stringify(layer.output));
      }
      quant = layer.output;
    }
    if (isMacLayer(layer)) {
      if (!(layer.bias instanceof Int32Array) || layer.bias.length === 0) c.fail(`${at}.bias`, 'int32 with one value per output channel', layer.bias);
      const n = layer.bias.length;
      const k =
        layer.type === 'dense' ? (inShape[0] as number)
        : layer.type === 'conv2d' ? layer.kernel[0] * layer.kernel[1] * (inShape[2] as number)
        : layer.kernel[0] * layer.kernel[1];
      checkMacParams(c, at, layer, k, n, quant);
      quant = layer.output;
    }
    let expected: number[];
    try {
      expected = expectedOutputShape(layer);
    } catch (err) {
      throw formatError(file, `${at}.outputShape`, `an output shape that follows from its input ${shapeText(inShape)} and its parameters`, layer.outputShape, err);
    }
    if (!sameShape(layer.outputShape, expected)) c.fail(`${at}.outputShape`, `${shapeText(expected)} (from its input ${shapeText(inShape)} and its parameters)`, layer.outputShape);
    seen.set(name, { shape: layer.outputShape, quant, from: `layer ${i} '${name}'` });
    previous = name;
  });
  const outputs = shapeSize((seen.get(previous) as Produced).shape);
  c.int('classes', model.classes, outputs, outputs);
  if (model.meta === null || typeof model.meta !== 'object' || Array.isArray(model.meta)) c.fail('meta', 'an object', model.meta);
}
