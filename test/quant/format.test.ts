/**
 * quant/format: round trips of random models, the atomic writer, and every bad-file case the reader must reject
 * with one FormatError naming the file, the field and what was expected.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FormatError, UsageError } from '../../quant/errors.ts';
import { Rng } from '../../quant/random.ts';
import { randomModel, readModel, sha256, validateModel, writeModel, hexText, type QuantModel } from '../../quant/format/index.ts';
import { runGolden } from '../../quant/golden/index.ts';

const SEED = process.env.SEED === undefined ? 11 : Number(process.env.SEED);

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let root: string;

let counter = 0;
/** A fresh model directory holding a conv -> pool -> flatten -> dense model. */
function fresh(): { dir: string; model: QuantModel } {
  const model = randomModel(new Rng(SEED), { layers: ['conv2d', 'maxpool2d', 'dense'], inputShape: [6, 6, 2], weightBits: 4, activationBits: 8 });
  const dir = join(root, `m${counter++}`);
  writeModel(dir, model);
  return { dir, model };
}

function manifestOf(dir: string): Json {
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Json;
}

function editManifest(dir: string, edit: (m: Json) => void): void {
  const m = manifestOf(dir);
  edit(m);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m, null, 2));
}

/** Rewrites a layer's tensor file through `edit` and fixes its sha256, so that only the content is wrong. */
function editTensor(dir: string, layer: number, field: string, edit: (bytes: Buffer) => Buffer): void {
  editManifest(dir, (m) => {
    const entry = m.layers[layer].tensors[field] as Json;
    const path = join(dir, entry.file as string);
    const bytes = edit(readFileSync(path));
    writeFileSync(path, bytes);
    entry.sha256 = sha256(bytes);
  });
}

/** Expects readModel(dir) to throw a FormatError whose message names `file` and matches every pattern. */
function rejects(dir: string, file: string, ...patterns: RegExp[]): void {
  assert.throws(
    () => readModel(dir),
    (err: unknown) => {
      assert.ok(err instanceof FormatError, `expected a FormatError, got ${String(err)}`);
      assert.ok(err.message.includes(file), `message names ${file}: ${err.message}`);
      for (const p of patterns) assert.match(err.message, p);
      return true;
    },
  );
}

describe('quant/format', () => {
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'int8cosim-format-'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  describe('round trip', () => {
    it('reads back exactly what it wrote, for random models of every kind', () => {
      const rng = new Rng(SEED);
      for (let i = 0; i < 12; i++) {
        const model = randomModel(rng, { roundingMode: i % 2 ? 'double' : 'single' });
        const dir = join(root, `rt${i}`);
        writeModel(dir, model);
        const back = readModel(dir);
        assert.deepEqual(back, model, `seed ${SEED}, model ${i}`);
        const x = Int8Array.from({ length: model.input.shape.reduce((a, b) => a * b, 1) }, () => rng.int(model.input.qmin, model.input.qmax));
        assert.deepEqual(runGolden(back, x).output, runGolden(model, x).output);
      }
    });
    it('writes little-endian tensors, $readmemh files and the manifest fields of docs/FORMAT.md', () => {
      const { dir, model } = fresh();
      const m = manifestOf(dir);
      assert.equal(m.format, 'int8cosim-model');
      assert.equal(m.version, 2);
      const conv = model.layers[0];
      assert.ok(conv?.type === 'conv2d');
      const bias = m.layers[0].tensors.bias as Json;
      assert.deepEqual(bias.shape, [conv.bias.length]);
      assert.equal(bias.dtype, 'int32');
      const bytes = readFileSync(join(dir, bias.file as string));
      assert.equal(bytes.readInt32LE(0), conv.bias[0]);
      assert.deepEqual(m.layers[0].tensors.weights.shape, [...conv.kernel, 2, conv.bias.length]);
      const hex = readFileSync(join(dir, m.layers[0].hex.weights.file as string), 'utf8').split('\n');
      assert.equal(hex.length, conv.weights.length + 1); // one value a line, then a final newline
      assert.equal(hex[0], ((conv.weights[0] as number) & 0xff).toString(16).padStart(2, '0'));
      assert.equal(hexText(Int32Array.from([-1, 5])), 'ffffffff\n00000005\n');
      assert.equal(hexText(Int8Array.from([-128, 127])), '80\n7f\n');
    });
  });

  describe('writer', () => {
    it('replaces an existing model atomically and leaves no temporary files', () => {
      const { dir } = fresh();
      const other = randomModel(new Rng(SEED + 1));
      writeModel(dir, other);
      assert.deepEqual(readModel(dir), other);
      assert.deepEqual(readdirSync(root).filter((f) => f.startsWith('.')), []);
    });
    it('a failure while writing leaves the old model intact and no temporary directory', () => {
      const { dir, model } = fresh();
      const broken = { ...randomModel(new Rng(SEED + 2)), meta: { big: 1n } }; // JSON.stringify throws on BigInt
      assert.throws(() => writeModel(dir, broken), TypeError);
      assert.deepEqual(readModel(dir), model);
      assert.deepEqual(readdirSync(root).filter((f) => f.startsWith('.')), []);
    });
    it('refuses to write an invalid model, naming the field', () => {
      const model = randomModel(new Rng(SEED));
      const layer = model.layers[0];
      assert.ok(layer?.type === 'dense' || layer?.type === 'conv2d');
      layer.shift[0] = 31;
      const dir = join(root, 'never');
      assert.throws(() => writeModel(dir, model), /writeModel\(.*never\): layers\[0\]\.shift\[0\]: expected an integer in \[-31, 30\], got 31/);
      assert.equal(existsSync(dir), false);
    });
    it('refuses to replace a directory that is not a model', () => {
      const dir = join(root, 'precious');
      mkdirSync(dir);
      writeFileSync(join(dir, 'notes.txt'), 'keep me');
      assert.throws(() => writeModel(dir, randomModel(new Rng(SEED))), UsageError);
      assert.equal(readFileSync(join(dir, 'notes.txt'), 'utf8'), 'keep me');
    });
  });

  describe('reader rejects', () => {
    it('a missing directory or manifest', () => {
      rejects(join(root, 'nope'), 'nope', /no such directory/);
      const { dir } = fresh();
      rmSync(join(dir, 'manifest.json'));
      rejects(dir, 'manifest.json', /no such file/);
    });
    it('a manifest that is not JSON', () => {
      const { dir } = fresh();
      writeFileSync(join(dir, 'manifest.json'), '{"format": "int8cosim-model", ');
      rejects(dir, 'manifest.json', /expected valid JSON/);
    });
    it('a wrong format name or version', () => {
      const { dir } = fresh();
      editManifest(dir, (m) => (m.version = 3));
      rejects(dir, 'manifest.json', /version: expected an integer in \[1, 2\], got 3/);
      editManifest(dir, (m) => ((m.version = 2), (m.format = 'tflite')));
      rejects(dir, 'manifest.json', /format: expected 'int8cosim-model', got "tflite"/);
    });
    it('an unknown layer type', () => {
      const { dir } = fresh();
      editManifest(dir, (m) => (m.layers[1].type = 'lstm'));
      rejects(dir, 'manifest.json', /layers\[1\]\.type: expected one of 'dense', 'conv2d', 'depthwise2d', 'maxpool2d', 'avgpool2d', 'add', 'softmax', 'flatten', 'reshape', got "lstm"/);
    });
    it('a version-1 manifest (no inputs, no arithmetic) is still read, as the same model', () => {
      const { dir, model } = fresh();
      editManifest(dir, (m) => (m.version = 1));
      assert.deepEqual(readModel(dir), model);
    });
    it('shapes that do not chain between layers', () => {
      const { dir } = fresh();
      editManifest(dir, (m) => (m.layers[2].inputShape = [1, 2, 3]));
      rejects(dir, 'manifest.json', /layers\[2\]\.inputShape: expected \[\d+, \d+, \d+\] \(the output of layer 1 'maxpool2d_1'\), got \[1, 2, 3\]/);
    });
    it('an output shape its parameters do not give', () => {
      const { dir } = fresh();
      editManifest(dir, (m) => {
        m.layers[1].outputShape = [1, 1, m.layers[1].outputShape[2]];
        m.layers[2].inputShape = m.layers[1].outputShape;
      });
      rejects(dir, 'manifest.json', /layers\[1\]\.outputShape: expected \[\d+, \d+, \d+\] \(from its input/);
    });
    it('a tensor whose checksum does not match', () => {
      const { dir } = fresh();
      const entry = manifestOf(dir).layers[0].tensors.weights as Json;
      const path = join(dir, entry.file as string);
      const bytes = readFileSync(path);
      bytes[0] = (bytes[0] as number) ^ 1;
      writeFileSync(path, bytes);
      rejects(dir, 'weights.bin', /layers\[0\]\.tensors\.weights\.sha256: expected sha256 [0-9a-f]{64} \(from the manifest\)/, /corrupt/);
    });
    it('a truncated or missing tensor file', () => {
      const { dir } = fresh();
      const entry = manifestOf(dir).layers[3].tensors.weights as Json;
      const path = join(dir, entry.file as string);
      const size = readFileSync(path).length;
      truncateSync(path, size - 3);
      rejects(dir, 'weights.bin', new RegExp(`layers\\[3\\]\\.tensors\\.weights: expected ${size} bytes .*truncated, got ${size - 3} bytes`));
      rmSync(path);
      rejects(dir, 'weights.bin', /no such file/);
    });
    it('a tensor shape that disagrees with the layer', () => {
      const { dir } = fresh();
      editManifest(dir, (m) => (m.layers[3].tensors.multiplier.shape = [99]));
      rejects(dir, 'manifest.json', /layers\[3\]\.tensors\.multiplier\.shape: expected \[\d+\], got \[99\]/);
    });
    it('int8 weights outside the narrow range of their bit width', () => {
      const { dir } = fresh(); // 4-bit weights: [-7, 7]
      editTensor(dir, 0, 'weights', (b) => ((b[2] = 8), b));
      rejects(dir, 'manifest.json', /layers\[0\]\.weights\[2\]: expected a 4-bit narrow-range weight in \[-7, 7\], got 8/);
      editManifest(dir, (m) => (m.layers[0].weightBits = 8));
      editTensor(dir, 0, 'weights', (b) => ((b[2] = 0x80), b)); // -128 is outside the narrow int8 range
      rejects(dir, 'manifest.json', /layers\[0\]\.weights\[2\]: expected a 8-bit narrow-range weight in \[-127, 127\], got -128/);
    });
    it('int32 and int8 scalars out of range', () => {
      const { dir } = fresh();
      editManifest(dir, (m) => (m.layers[0].output.zeroPoint = 200));
      rejects(dir, 'manifest.json', /layers\[0\]\.output\.zeroPoint: expected an integer in \[-128, 127\], got 200/);
      const d2 = fresh().dir;
      editManifest(d2, (m) => (m.layers[3].actMax = 1.5));
      rejects(d2, 'manifest.json', /layers\[3\]\.actMax: expected an integer in/);
      const d3 = fresh().dir;
      editManifest(d3, (m) => (m.input.shape = [6, 6, 2.5]));
      rejects(d3, 'manifest.json', /input\.shape: expected a shape/);
    });
    it('non-finite, zero or negative scales', () => {
      const { dir } = fresh();
      editManifest(dir, (m) => (m.layers[0].output.scale = -0.1));
      rejects(dir, 'manifest.json', /layers\[0\]\.output\.scale: expected a finite number > 0, got -0.1/);
      editManifest(dir, (m) => (m.layers[0].output.scale = null)); // JSON has no NaN: a writer's NaN becomes null
      rejects(dir, 'manifest.json', /layers\[0\]\.output\.scale: expected a finite number > 0, got null/);
      const d2 = fresh().dir;
      editTensor(d2, 3, 'weightScales', (b) => (b.writeFloatLE(Number.NaN, 0), b));
      rejects(d2, 'manifest.json', /layers\[3\]\.weightScales\[0\]: expected a finite number > 0, got NaN/);
      editTensor(d2, 3, 'weightScales', (b) => (b.writeFloatLE(Number.POSITIVE_INFINITY, 0), b));
      rejects(d2, 'manifest.json', /weightScales\[0\]: expected a finite number > 0, got Infinity/);
    });
    it('m0 and shift out of range', () => {
      const { dir } = fresh();
      editTensor(dir, 0, 'multiplier', (b) => (b.writeInt32LE(2 ** 30 - 1, 4), b));
      rejects(dir, 'manifest.json', /layers\[0\]\.multiplier\[1\]: expected 0 or an integer in \[2\^30 = 1073741824, 2\^31-1 = 2147483647\], got 1073741823/);
      editTensor(dir, 0, 'multiplier', (b) => (b.writeInt32LE(-(2 ** 30), 4), b));
      rejects(dir, 'manifest.json', /multiplier\[1\]: .*got -1073741824/);
      const d2 = fresh().dir;
      editTensor(d2, 3, 'shift', (b) => (b.writeInt32LE(-32, 0), b));
      rejects(d2, 'manifest.json', /layers\[3\]\.shift\[0\]: expected an integer in \[-31, 30\], got -32/);
    });
    it('a $readmemh file that is not the hex of its tensor', () => {
      const { dir } = fresh();
      editManifest(dir, (m) => {
        const e = m.layers[0].hex.foldedBias as Json;
        const path = join(dir, e.file as string);
        const lines = readFileSync(path, 'utf8').split('\n');
        lines[0] = '00000000' === lines[0] ? '00000001' : '00000000';
        const text = lines.join('\n');
        writeFileSync(path, text);
        e.sha256 = sha256(Buffer.from(text));
      });
      rejects(dir, 'foldedBias.hex', /layers\[0\]\.hex\.foldedBias line 1: expected "[0-9a-f]{8}" \(the hex of the binary tensor\)/);
    });
    it('inconsistent quantization, ReLU clamps, names, classes and paths', () => {
      let d = fresh().dir;
      editManifest(d, (m) => (m.layers[3].input.zeroPoint = m.layers[3].input.zeroPoint === 0 ? 1 : 0));
      rejects(d, 'manifest.json', /layers\[3\]\.input: expected the quantization of the tensor it reads/);
      d = fresh().dir;
      editManifest(d, (m) => ((m.layers[0].relu = true), (m.layers[0].actMin = m.layers[0].output.zeroPoint + 1)));
      rejects(d, 'manifest.json', /layers\[0\]\.actMin: expected an integer in \[(-?\d+), \1\]/); // ReLU: exactly the zero point
      d = fresh().dir;
      editManifest(d, (m) => (m.layers[1].name = m.layers[0].name));
      rejects(d, 'manifest.json', /layers\[1\]\.name: expected a name no other layer has/);
      d = fresh().dir;
      editManifest(d, (m) => (m.classes = 99));
      rejects(d, 'manifest.json', /classes: expected an integer in \[\d+, \d+\], got 99/);
      d = fresh().dir;
      editManifest(d, (m) => (m.layers[0].tensors.bias.file = '../../etc/passwd'));
      rejects(d, 'manifest.json', /layers\[0\]\.tensors\.bias\.file: expected a relative path inside the model directory/);
      d = fresh().dir;
      editManifest(d, (m) => (m.roundingMode = 'nearest'));
      rejects(d, 'manifest.json', /roundingMode: expected one of 'single', 'double', 'ruy', got "nearest"/);
    });
  });

  it('random models are valid for many seeds (what other suites rely on), extreme ones too', () => {
    for (let s = 1; s <= 200; s++) validateModel(randomModel(new Rng(s)), `randomModel seed ${s}`);
    const shifts = new Set<number>();
    for (let s = 1; s <= 100; s++) {
      const model = randomModel(new Rng(s), { extreme: true });
      validateModel(model, `randomModel seed ${s} extreme`);
      for (const l of model.layers) if (l.type === 'dense' || l.type === 'conv2d') l.shift.forEach((v) => shifts.add(v));
    }
    assert.ok(shifts.size > 30, `extreme models cover the shift range: ${[...shifts].sort((a, b) => a - b)}`);
  });
});
