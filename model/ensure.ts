/**
 * ensureTrainedModel: reuse a trained model whose inputs are unchanged, train it otherwise. The cache key is a
 * sha256 over the trainer's source files (model/ but model/tflite, quant/fakequant, quant/spec, quant/format), the
 * tfjs versions, the dataset files and the flags. The requantizer's rounding mode is not among them: the exported
 * integers (weights, biases, multipliers, shifts, zero points) do not depend on it, only the ties of the arithmetic
 * that runs them do, so one entry serves every mode (cosim and sim run it in the mode they are given); the export
 * names 'single' as its nominal mode and its summary's integer accuracy is taken in that mode. Entries live in .cache/models/<hash>/ (the quant/format model
 * directory plus summary.json); a run trains into a temporary folder renamed at the end, so a failed or killed run
 * never leaves a cache entry.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { readModel } from '../quant/format/index.ts';
import { UsageError } from '../quant/errors.ts';
import { ROUNDING_MODES, type RoundingMode } from '../quant/spec/index.ts';
import { checkDatasetName, datasetSourceFiles } from './data/dataset.ts';
import { checkNetworkName } from './net/spec.ts';
import { repoRoot } from './paths.ts';
import type { TrainOptions } from './pipeline.ts';
import { readSummary, writeExport } from './export/write-export.ts';
import type { TrainSummary } from './summary.ts';
import type { ProgressEvent } from './train/trainer.ts';

export interface EnsureOptions {
  dataset: string;
  network: string;
  weightBits: number;
  activationBits: number;
  floatEpochs: number;
  qatEpochs: number;
  seed: number;
  cacheDir?: string;
  /** Quick runs (tests): only the first N train / test images. Part of the cache key. */
  trainLimit?: number;
  testLimit?: number;
  onProgress?: (e: ProgressEvent) => void;
  log?: (message: string) => void;
}

export interface EnsureResult {
  modelDir: string;
  summary: TrainSummary;
  cached: boolean;
}

/** The rounding mode a cached export names (any other mode runs the same integers). */
export const NOMINAL_ROUNDING: RoundingMode = 'single';

/** The sources that decide the exported bits (quant/golden only checks them, so it is not part of the key). */
const SOURCE_DIRS = ['model', 'quant/fakequant', 'quant/spec', 'quant/format'];
/** Under SOURCE_DIRS but not the trainer's: the .tflite reader, writer, importer and exporter decide no trained bit. */
const NOT_TRAINER_DIRS = ['model/tflite'];

function listTs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listTs(p));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

function checkInt(name: string, v: number, lo: number, hi: number): number {
  if (!Number.isInteger(v) || v < lo || v > hi) throw new UsageError(`${name} must be an integer in [${lo}, ${hi}], got ${v}`);
  return v;
}

/** Checks every flag the trainer takes (the rounding mode the export names: NOMINAL_ROUNDING unless given); throws one UsageError naming the bad value. */
export function checkTrainFlags(o: Omit<EnsureOptions, 'cacheDir' | 'onProgress' | 'log'> & { roundingMode?: RoundingMode }): TrainOptions {
  if (o.trainLimit !== undefined) checkInt('train limit', o.trainLimit, 1, 1e9);
  if (o.testLimit !== undefined) checkInt('test limit', o.testLimit, 1, 1e9);
  const dataset = checkDatasetName(o.dataset);
  const network = checkNetworkName(o.network);
  checkInt('weight bits', o.weightBits, 2, 8);
  checkInt('activation bits', o.activationBits, 2, 8);
  checkInt('float epochs', o.floatEpochs, 1, 1000);
  checkInt('QAT epochs', o.qatEpochs, 0, 1000);
  checkInt('seed', o.seed, 0, 2 ** 32 - 1);
  const roundingMode = o.roundingMode ?? NOMINAL_ROUNDING;
  if (!ROUNDING_MODES.includes(roundingMode)) throw new UsageError(`rounding mode must be one of ${ROUNDING_MODES.join(', ')}, got '${roundingMode}'`);
  return { ...o, dataset, network, roundingMode };
}

/** The source files the cache key covers, sorted (absolute paths). */
export function trainerSourceFiles(): string[] {
  const skip = NOT_TRAINER_DIRS.map((d) => join(repoRoot, d));
  return SOURCE_DIRS.flatMap((d) => listTs(join(repoRoot, d)))
    .filter((f) => !skip.some((d) => f.startsWith(d + '/')))
    .sort();
}

/** The content hash of a training run's inputs. */
export function trainingHash(o: TrainOptions): string {
  const h = createHash('sha256');
  const files = trainerSourceFiles();
  for (const f of files) {
    h.update(relative(repoRoot, f)).update('\0').update(readFileSync(f)).update('\0');
  }
  const require = createRequire(import.meta.url);
  for (const pkg of ['@tensorflow/tfjs-core/package.json', '@tensorflow/tfjs-backend-wasm/package.json']) {
    h.update(pkg).update((require(pkg) as { version: string }).version);
  }
  for (const f of datasetSourceFiles(o.dataset)) h.update(readFileSync(f));
  const flags = {
    dataset: o.dataset, network: o.network, weightBits: o.weightBits, activationBits: o.activationBits,
    floatEpochs: o.floatEpochs, qatEpochs: o.qatEpochs, seed: o.seed,
    trainLimit: o.trainLimit ?? null, testLimit: o.testLimit ?? null,
  };
  h.update(JSON.stringify(flags));
  return h.digest('hex').slice(0, 24);
}

function cachedEntry(dir: string): TrainSummary | undefined {
  try {
    if (!statSync(dir).isDirectory()) return undefined;
    readModel(dir);
    return readSummary(dir);
  } catch {
    return undefined;
  }
}

export async function ensureTrainedModel(opts: EnsureOptions): Promise<EnsureResult> {
  const o = checkTrainFlags(opts);
  const hash = trainingHash(o);
  const cacheDir = opts.cacheDir ?? join(repoRoot, '.cache', 'models');
  const modelDir = join(cacheDir, hash);
  const hit = cachedEntry(modelDir);
  if (hit) return { modelDir, summary: hit, cached: true };
  mkdirSync(cacheDir, { recursive: true });
  const { trainModel } = await import('./pipeline.ts'); // the trainer (tfjs) loads only to train: a cache hit never loads it
  const { model, summary } = await trainModel({ ...o, onProgress: opts.onProgress, log: opts.log });
  summary.hash = hash;
  const tmp = join(cacheDir, `.${hash}.tmp-${process.pid}`);
  try {
    writeExport(tmp, model, summary);
    if (cachedEntry(modelDir)) {
      rmSync(tmp, { recursive: true, force: true }); // another process finished the same run first
    } else {
      rmSync(modelDir, { recursive: true, force: true });
      renameSync(tmp, modelDir);
    }
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  return { modelDir, summary, cached: false };
}
