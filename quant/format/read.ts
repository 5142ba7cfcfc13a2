/**
 * readModel: reads a model directory (docs/FORMAT.md) and validates all of it: the manifest's schema, every
 * tensor's dtype, shape, size and sha256, the $readmemh files, then the model's semantics (quant/format/validate.ts).
 * A bad model is rejected with one FormatError naming the file, the field and what was expected.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, normalize, resolve, sep } from 'node:path';
import { foldInputZeroPoint, type AddParams } from '../spec/index.ts';
import { MAC_HEX, MAC_TENSORS, MANIFEST_FILE, type MacHex, type MacTensor } from './manifest.ts';
import { DTYPE_BYTES, decodeTensor, hexText, sha256, type DType, type TypedTensor } from './tensor-file.ts';
import { shapeSize, sameShape } from './shapes.ts';
import { FORMAT_NAME, FORMAT_VERSIONS_READ, LAYER_TYPES, isMacLayer, type QuantLayer, type QuantModel, type TensorQuant } from './types.ts';
import { Checker, Found, describe, formatError, validateModel } from './validate.ts';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

class ModelReader {
  readonly manifestPath: string;
  readonly c: Checker;

  constructor(readonly dir: string) {
    this.manifestPath = join(dir, MANIFEST_FILE);
    this.c = new Checker(this.manifestPath);
  }

  object(field: string, v: unknown): Json {
    if (!isObject(v)) this.c.fail(field, 'an object', v);
    return v;
  }

  /** A path inside the model directory, from a manifest entry. */
  path(field: string, v: unknown): string {
    const rel = this.c.string(field, v);
    const norm = normalize(rel);
    if (isAbsolute(rel) || norm.startsWith('..') || norm.split(sep).includes('..')) this.c.fail(field, 'a relative path inside the model directory', rel);
    return join(this.dir, norm);
  }

  fileBytes(field: string, path: string): Uint8Array {
    if (!existsSync(path) || !statSync(path).isFile()) throw formatError(path, field, 'an existing file (referenced by the manifest)', new Found('no such file'));
    return readFileSync(path);
  }

  /** Loads one tensor entry; its shape must be `expectedShape` and its dtype `dtype`. */
  tensor(field: string, v: unknown, dtype: DType, expectedShape: number[]): TypedTensor {
    const e = this.object(field, v);
    this.c.oneOf(`${field}.dtype`, e.dtype, [dtype]);
    const shape = this.c.shape(`${field}.shape`, e.shape);
    if (!sameShape(shape, expectedShape)) this.c.fail(`${field}.shape`, `[${expectedShape.join(', ')}]`, shape);
    const hash = this.sha(`${field}.sha256`, e.sha256);
    const path = this.path(`${field}.file`, e.file);
    const bytes = this.fileBytes(field, path);
    const want = shapeSize(shape) * DTYPE_BYTES[dtype];
    if (bytes.length !== want) {
      throw formatError(path, field, `${want} bytes (${dtype} [${shape.join(', ')}])${bytes.length < want ? '; the file is truncated' : ''}`, new Found(`${bytes.length} bytes`));
    }
    const actual = sha256(bytes);
    if (actual !== hash) throw formatError(path, `${field}.sha256`, `sha256 ${hash} (from the manifest)`, new Found(`${actual}; the file is corrupt or was changed`));
    return decodeTensor(bytes, dtype);
  }

  sha(field: string, v: unknown): string {
    if (typeof v !== 'string' || !/^[0-9a-f]{64}$/.test(v)) this.c.fail(field, '64 lower-case hex digits', v);
    return v;
  }

  /** Checks a $readmemh file against its entry and against the text the tensor must give. */
  hex(field: string, v: unknown, values: Int8Array | Int32Array): void {
    const e = this.object(field, v);
    const dtype = values instanceof Int8Array ? 'int8' : 'int32';
    this.c.oneOf(`${field}.dtype`, e.dtype, [dtype]);
    this.c.shape(`${field}.shape`, e.shape);
    if (shapeSize(e.shape as number[]) !== values.length) this.c.fail(`${field}.shape`, `a shape of ${values.length} values`, e.shape);
    const hash = this.sha(`${field}.sha256`, e.sha256);
    const path = this.path(`${field}.file`, e.file);
    const bytes = this.fileBytes(field, path);
    const actual = sha256(bytes);
    if (actual !== hash) throw formatError(path, `${field}.sha256`, `sha256 ${hash} (from the manifest)`, new Found(`${actual}; the file is corrupt or was changed`));
    const text = new TextDecoder().decode(bytes);
    const expected = hexText(values);
    if (text !== expected) {
      const lines = text.split('\n');
      const want = expected.split('\n');
      const i = want.findIndex((l, j) => l !== lines[j]);
      throw formatError(path, `${field} line ${i + 1}`, `${describe(want[i])} (the hex of the binary tensor)`, lines[i]);
    }
  }

  quant(field: string, v: unknown): TensorQuant {
    const o = this.object(field, v);
    return { scale: o.scale as number, zeroPoint: o.zeroPoint as number, bits: o.bits as number, qmin: o.qmin as number, qmax: o.qmax as number };
  }

  /** The `inputs` field: absent, or a list of names (checked against the layers by validateModel). */
  inputs(field: string, v: unknown): { inputs?: string[] } {
    if (v === undefined) return {};
    if (!Array.isArray(v) || v.length === 0 || !v.every((n) => typeof n === 'string')) this.c.fail(field, 'a list of layer names', v);
    return { inputs: [...(v as string[])] };
  }

  /** An optional integer clamp of a pooling layer. */
  clamp(o: Json): { actMin?: number; actMax?: number } {
    return o.actMin === undefined && o.actMax === undefined ? {} : { actMin: o.actMin as number, actMax: o.actMax as number };
  }

  layer(v: unknown, i: number): QuantLayer {
    const at = `layers[${i}]`;
    const o = this.object(at, v);
    const type = this.c.oneOf(`${at}.type`, o.type, LAYER_TYPES);
    const name = this.c.string(`${at}.name`, o.name);
    const inputShape = this.c.shape(`${at}.inputShape`, o.inputShape);
    const outputShape = this.c.shape(`${at}.outputShape`, o.outputShape);
    const base = { name, ...this.inputs(`${at}.inputs`, o.inputs), inputShape, outputShape };
    const windowOf = (key: 'pool' | 'kernel') => ({
      strides: this.c.pair(`${at}.strides`, o.strides, 64),
      padding: this.c.oneOf(`${at}.padding`, o.padding, ['same', 'valid'] as const),
      [key]: this.c.pair(`${at}.${key}`, o[key], 64),
    });
    switch (type) {
      case 'flatten':
      case 'reshape':
        return { type, ...base };
      case 'maxpool2d': {
        const w = windowOf('pool') as { pool: [number, number]; strides: [number, number]; padding: 'same' | 'valid' };
        return { type, ...base, ...w, ...this.clamp(o) };
      }
      case 'avgpool2d': {
        const w = windowOf('pool') as { pool: [number, number]; strides: [number, number]; padding: 'same' | 'valid' };
        return { type, ...base, ...w, actMin: o.actMin as number, actMax: o.actMax as number };
      }
      case 'add': {
        const params = this.object(`${at}.params`, o.params) as unknown as AddParams;
        return { type, ...base, inputs: o.inputs as [string, string], input1: this.quant(`${at}.input1`, o.input1), input2: this.quant(`${at}.input2`, o.input2), output: this.quant(`${at}.output`, o.output), params: { ...params } };
      }
      case 'softmax':
        return { type, ...base, beta: o.beta as number, input: this.quant(`${at}.input`, o.input), output: this.quant(`${at}.output`, o.output) };
      case 'dense':
      case 'conv2d':
      case 'depthwise2d':
        return this.macLayer(at, o, type, base);
    }
  }

  macLayer(at: string, o: Json, type: 'dense' | 'conv2d' | 'depthwise2d', base: { name: string; inputs?: string[]; inputShape: number[]; outputShape: number[] }): QuantLayer {
    const { inputShape } = base;
    const kernel = type === 'dense' ? undefined : this.c.pair(`${at}.kernel`, o.kernel, 64);
    const tensors = this.object(`${at}.tensors`, o.tensors);
    const biasEntry = this.object(`${at}.tensors.bias`, tensors.bias);
    const biasShape = this.c.shape(`${at}.tensors.bias.shape`, biasEntry.shape);
    if (biasShape.length !== 1) this.c.fail(`${at}.tensors.bias.shape`, '[N] (one bias per output channel)', biasShape);
    const n = biasShape[0] as number;
    let wShape: number[];
    if (kernel) {
      if (inputShape.length !== 3) this.c.fail(`${at}.inputShape`, `an [H, W, C] input for ${type}`, inputShape);
      wShape = type === 'conv2d' ? [kernel[0], kernel[1], inputShape[2] as number, n] : [kernel[0], kernel[1], n];
    } else {
      if (inputShape.length !== 1) this.c.fail(`${at}.inputShape`, 'a [K] input for dense (flatten first)', inputShape);
      wShape = [inputShape[0] as number, n];
    }
    const dtypes: Record<MacTensor, DType> = { weights: 'int8', bias: 'int32', multiplier: 'int32', shift: 'int32', weightScales: 'float32' };
    const t = {} as Record<MacTensor, TypedTensor>;
    for (const field of MAC_TENSORS) t[field] = this.tensor(`${at}.tensors.${field}`, tensors[field], dtypes[field], field === 'weights' ? wShape : [n]);
    const mac = {
      ...base,
      weights: t.weights as Int8Array,
      bias: t.bias as Int32Array,
      multiplier: t.multiplier as Int32Array,
      shift: t.shift as Int32Array,
      weightScales: t.weightScales as Float32Array,
      weightBits: o.weightBits as number,
      input: this.quant(`${at}.input`, o.input),
      output: this.quant(`${at}.output`, o.output),
      actMin: o.actMin as number,
      actMax: o.actMax as number,
      relu: o.relu as boolean,
    };
    if (type === 'dense') return { type, ...mac };
    return {
      type,
      ...mac,
      kernel: kernel as [number, number],
      strides: this.c.pair(`${at}.strides`, o.strides, 64),
      padding: this.c.oneOf(`${at}.padding`, o.padding, ['same', 'valid'] as const),
    };
  }

  /** After semantic validation: the hex files must be the $readmemh text of the tensors. */
  hexFiles(raw: Json[], model: QuantModel): void {
    model.layers.forEach((layer, i) => {
      if (!isMacLayer(layer)) return;
      const at = `layers[${i}].hex`;
      const hex = this.object(at, (raw[i] as Json).hex);
      const n = layer.bias.length;
      const k = layer.weights.length / n;
      const values: Record<MacHex, Int8Array | Int32Array> = {
        weights: layer.weights,
        foldedBias: foldInputZeroPoint(layer.bias, layer.weights, k, n, layer.input.zeroPoint),
        multiplier: layer.multiplier,
        shift: layer.shift,
      };
      for (const field of MAC_HEX) this.hex(`${at}.${field}`, hex[field], values[field]);
    });
  }

  read(): QuantModel {
    const path = this.manifestPath;
    if (!existsSync(this.dir)) throw formatError(this.dir, '(directory)', 'a model directory', new Found('no such directory'));
    if (!existsSync(path)) throw formatError(path, '(file)', `the model manifest ${MANIFEST_FILE}`, new Found('no such file'));
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(path, 'utf8'));
    } catch (err) {
      throw formatError(path, '(whole file)', 'valid JSON', new Found((err as Error).message), err);
    }
    const m = this.object('(manifest)', json);
    if (m.format !== FORMAT_NAME) this.c.fail('format', `'${FORMAT_NAME}'`, m.format);
    this.c.int('version', m.version, Math.min(...FORMAT_VERSIONS_READ), Math.max(...FORMAT_VERSIONS_READ));
    const input = this.object('input', m.input);
    if (!Array.isArray(m.layers) || m.layers.length === 0) this.c.fail('layers', 'a non-empty array', m.layers);
    const rawLayers = m.layers as unknown[];
    const layers = rawLayers.map((l, i) => this.layer(l, i));
    const model: QuantModel = {
      name: m.name as string,
      input: { ...this.quant('input', input), shape: input.shape as number[] },
      roundingMode: m.roundingMode as QuantModel['roundingMode'],
      ...(m.arithmetic === undefined ? {} : { arithmetic: m.arithmetic as NonNullable<QuantModel['arithmetic']> }),
      layers,
      classes: m.classes as number,
      meta: (m.meta ?? {}) as Record<string, unknown>,
    };
    validateModel(model, path);
    this.hexFiles(rawLayers as Json[], model);
    return model;
  }
}

/** Reads and validates the model in dir. Throws FormatError on any defect. */
export function readModel(dir: string): QuantModel {
  return new ModelReader(resolve(dir)).read();
}
