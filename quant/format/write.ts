/**
 * writeModel: validates a QuantModel and writes it as a model directory (docs/FORMAT.md), atomically. Everything
 * goes into a temporary sibling directory first (each file fsynced), which is then renamed into place: a crash
 * leaves either the old model or the new one, never a half-written one. An existing directory is replaced only
 * when it is empty or holds an int8cosim model.
 */
import { closeSync, existsSync, fsyncSync, statSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../errors.ts';
import { foldInputZeroPoint } from '../spec/index.ts';
import { MAC_TENSORS, MANIFEST_FILE, layerStem, type HexEntry, type Manifest, type ManifestLayer, type TensorEntry } from './manifest.ts';
import { dtypeOf, encodeTensor, hexText, sha256, type TypedTensor } from './tensor-file.ts';
import { FORMAT_NAME, FORMAT_VERSION, type QuantLayer, type QuantModel } from './types.ts';
import { validateModel } from './validate.ts';

function writeDurable(path: string, bytes: Uint8Array): void {
  const fd = openSync(path, 'w');
  try {
    let off = 0;
    while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function syncDir(path: string): void {
  try {
    const fd = openSync(path, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some file systems refuse to fsync a directory; the rename is still atomic there.
  }
}

/** The tensor shape stored for a MAC layer's weights: [K, N] for dense, [kh, kw, cin, cout] for conv2d. */
export function weightShape(layer: QuantLayer): number[] {
  if (layer.type === 'dense') return [layer.inputShape[0] as number, layer.bias.length];
  if (layer.type === 'conv2d') return [layer.kernel[0], layer.kernel[1], layer.inputShape[2] as number, layer.bias.length];
  if (layer.type === 'depthwise2d') return [layer.kernel[0], layer.kernel[1], layer.bias.length];
  throw new RangeError(`layer '${layer.name}' (${layer.type}) has no weights`);
}

class ModelWriter {
  constructor(readonly dir: string) {}

  tensor(relPath: string, t: TypedTensor, shape: number[]): TensorEntry {
    const bytes = encodeTensor(t);
    writeDurable(join(this.dir, relPath), bytes);
    return { file: relPath, dtype: dtypeOf(t), shape, sha256: sha256(bytes) };
  }

  hex(relPath: string, t: Int8Array | Int32Array, shape: number[]): HexEntry {
    const bytes = new TextEncoder().encode(hexText(t));
    writeDurable(join(this.dir, relPath), bytes);
    return { file: relPath, dtype: t instanceof Int8Array ? 'int8' : 'int32', shape, sha256: sha256(bytes) };
  }

  layer(layer: QuantLayer, index: number): ManifestLayer {
    const base = { type: layer.type, name: layer.name, ...(layer.inputs ? { inputs: [...layer.inputs] } : {}), inputShape: [...layer.inputShape], outputShape: [...layer.outputShape] };
    switch (layer.type) {
      case 'flatten':
      case 'reshape':
        return base;
      case 'maxpool2d':
        return { ...base, pool: [...layer.pool], strides: [...layer.strides], padding: layer.padding, ...(layer.actMin === undefined ? {} : { actMin: layer.actMin, actMax: layer.actMax }) };
      case 'avgpool2d':
        return { ...base, pool: [...layer.pool], strides: [...layer.strides], padding: layer.padding, actMin: layer.actMin, actMax: layer.actMax };
      case 'add':
        return { ...base, input1: { ...layer.input1 }, input2: { ...layer.input2 }, output: { ...layer.output }, params: { ...layer.params } };
      case 'softmax':
        return { ...base, beta: layer.beta, input: { ...layer.input }, output: { ...layer.output } };
      case 'dense':
      case 'conv2d':
      case 'depthwise2d': {
        const stem = layerStem(index, layer.name);
        const n = layer.bias.length;
        const wShape = weightShape(layer);
        const k = layer.weights.length / n;
        const tensors = {} as Record<(typeof MAC_TENSORS)[number], TensorEntry>;
        for (const field of MAC_TENSORS) tensors[field] = this.tensor(`tensors/${stem}.${field}.bin`, layer[field], field === 'weights' ? wShape : [n]);
        const folded = foldInputZeroPoint(layer.bias, layer.weights, k, n, layer.input.zeroPoint);
        const hex = {
          weights: this.hex(`hex/${stem}.weights.hex`, layer.weights, [k, n]),
          foldedBias: this.hex(`hex/${stem}.foldedBias.hex`, folded, [n]),
          multiplier: this.hex(`hex/${stem}.multiplier.hex`, layer.multiplier, [n]),
          shift: this.hex(`hex/${stem}.shift.hex`, layer.shift, [n]),
        };
        const mac = {
          weightBits: layer.weightBits,
          input: { ...layer.input },
          output: { ...layer.output },
          actMin: layer.actMin,
          actMax: layer.actMax,
          relu: layer.relu,
          tensors,
          hex,
        };
        if (layer.type === 'dense') return { ...base, ...mac };
        return { ...base, kernel: [...layer.kernel], strides: [...layer.strides], padding: layer.padding, ...mac };
      }
    }
  }
}

/** Pretty JSON with arrays of numbers (shapes, pairs) kept on one line. */
function manifestText(m: Manifest): string {
  return JSON.stringify(m, null, 2).replace(/\[\s+(-?[\d.e+-]+(?:,\s+-?[\d.e+-]+)*)\s+\]/g, (_all, inner: string) => `[${inner.split(/,\s+/).join(', ')}]`);
}

function isReplaceable(dir: string): boolean {
  if (!statSync(dir).isDirectory()) return false;
  const entries = readdirSync(dir);
  if (entries.length === 0) return true;
  try {
    const m = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as { format?: unknown };
    return m.format === FORMAT_NAME;
  } catch {
    return false;
  }
}

/** Writes the model into dir (created or replaced atomically). Throws FormatError if the model is invalid. */
export function writeModel(dir: string, model: QuantModel): void {
  const target = resolve(dir);
  validateModel(model, `writeModel(${target})`);
  if (existsSync(target) && !isReplaceable(target)) {
    throw new UsageError(`writeModel: ${target} exists and is neither empty nor an int8cosim model; refusing to replace it`);
  }
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  const stamp = `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const tmp = join(parent, `.${basename(target)}.tmp-${stamp}`);
  try {
    mkdirSync(join(tmp, 'tensors'), { recursive: true });
    mkdirSync(join(tmp, 'hex'), { recursive: true });
    const w = new ModelWriter(tmp);
    const manifest: Manifest = {
      format: FORMAT_NAME,
      version: FORMAT_VERSION,
      name: model.name,
      roundingMode: model.roundingMode,
      ...(model.arithmetic === undefined ? {} : { arithmetic: model.arithmetic }),
      classes: model.classes,
      input: { shape: [...model.input.shape], scale: model.input.scale, zeroPoint: model.input.zeroPoint, bits: model.input.bits, qmin: model.input.qmin, qmax: model.input.qmax },
      layers: model.layers.map((l, i) => w.layer(l, i)),
      meta: model.meta,
    };
    writeDurable(join(tmp, MANIFEST_FILE), new TextEncoder().encode(`${manifestText(manifest)}\n`));
    syncDir(join(tmp, 'tensors'));
    syncDir(join(tmp, 'hex'));
    syncDir(tmp);
    if (existsSync(target)) {
      const old = join(parent, `.${basename(target)}.old-${stamp}`);
      renameSync(target, old);
      renameSync(tmp, target);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(tmp, target);
    }
    syncDir(parent);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}
