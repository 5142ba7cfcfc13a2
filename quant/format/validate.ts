/**
 * Semantic validation of a QuantModel: everything a reader in any language must check before trusting a model
 * (docs/FORMAT.md section "Validation"). The reader calls it on what it read, the writer on what it is about to
 * write. Every failure is a FormatError naming the file, the field and what was expected.
 */
import { FormatError } from '../errors.ts';
import { BITS_MAX, BITS_MIN, INT32_MAX, INT32_MIN, M0_MAX, M0_MIN, ROUNDING_MODES, SHIFT_MAX, SHIFT_MIN, intRange } from '../spec/index.ts';
import { expectedOutputShape, sameShape } from './shapes.ts';
import { LAYER_TYPES, type MacLayerParams, type QuantLayer, type QuantModel, type TensorQuant } from './types.ts';

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

/** Throws a FormatError (naming `file`) unless the model is complete and consistent. */
export function validateModel(model: QuantModel, file: string): void {
  const c = new Checker(file);
  if (model === null || typeof model !== 'object') c.fail('(model)', 'an object', model);
  c.string('name', model.name);
  c.oneOf('roundingMode', model.roundingMode, ROUNDING_MODES);
  const input = model.input;
  if (input === null || typeof input !== 'object') c.fail('input', `an object {shape, scale, zeroPoint, bits, qmin, qmax}`, input);
  c.shape('input.shape', input.shape);
  checkTensorQuant(c, 'input', input);
  if (!Array.isArray(model.layers) || model.layers.length === 0) c.fail('layers', 'a non-empty array', model.layers);
  let shape = input.shape;
  let quant: TensorQuant = input;
  let from = 'the model input';
  const names = new Set<string>();
  model.layers.forEach((layer, i) => {
    const at = `layers[${i}]`;
    if (layer === null || typeof layer !== 'object') c.fail(at, 'an object', layer);
    c.oneOf(`${at}.type`, layer.type, LAYER_TYPES);
    const name = c.string(`${at}.name`, layer.name);
    if (names.has(name)) c.fail(`${at}.name`, 'a name no other layer has', name);
    names.add(name);
    const inShape = c.shape(`${at}.inputShape`, layer.inputShape);
    if (!sameShape(inShape, shape)) c.fail(`${at}.inputShape`, `${shapeText(shape)} (the output of ${from})`, inShape);
    c.shape(`${at}.outputShape`, layer.outputShape);
    if (layer.type === 'conv2d') {
      c.pair(`${at}.kernel`, layer.kernel, 64);
      c.pair(`${at}.strides`, layer.strides, 64);
      c.oneOf(`${at}.padding`, layer.padding, ['same', 'valid'] as const);
      if (inShape.length !== 3) c.fail(`${at}.inputShape`, 'an [H, W, C] input for conv2d', inShape);
    } else if (layer.type === 'maxpool2d') {
      c.pair(`${at}.pool`, layer.pool, 64);
      c.pair(`${at}.strides`, layer.strides, 64);
      c.oneOf(`${at}.padding`, layer.padding, ['valid'] as const);
      if (inShape.length !== 3) c.fail(`${at}.inputShape`, 'an [H, W, C] input for maxpool2d', inShape);
    } else if (layer.type === 'dense') {
      if (inShape.length !== 1) c.fail(`${at}.inputShape`, 'a [K] input for dense (flatten first)', inShape);
    }
    if (layer.type === 'dense' || layer.type === 'conv2d') {
      if (!(layer.bias instanceof Int32Array) || layer.bias.length === 0) c.fail(`${at}.bias`, 'int32 with one value per output channel', layer.bias);
      const n = layer.bias.length;
      const k = layer.type === 'dense' ? (inShape[0] as number) : layer.kernel[0] * layer.kernel[1] * (inShape[2] as number);
      checkMacParams(c, at, layer, k, n, quant);
      quant = layer.output;
    }
    let expected: number[];
    try {
      expected = expectedOutputShape(layer);
    } catch (err) {
      throw formatError(file, `${at}.outputShape`, `a window that fits its input ${shapeText(inShape)}`, layer.outputShape, err);
    }
    if (!sameShape(layer.outputShape, expected)) c.fail(`${at}.outputShape`, `${shapeText(expected)} (from its input ${shapeText(inShape)} and its parameters)`, layer.outputShape);
    shape = layer.outputShape;
    from = `layer ${i} '${name}'`;
  });
  if (shape.length !== 1) c.fail('layers', 'a last layer with a [classes] output (flatten or dense)', shapeText(shape));
  c.int('classes', model.classes, shape[0] as number, shape[0] as number);
  if (model.meta === null || typeof model.meta !== 'object' || Array.isArray(model.meta)) c.fail('meta', 'an object', model.meta);
}
