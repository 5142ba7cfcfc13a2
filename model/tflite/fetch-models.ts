/**
 * The MLPerf Tiny int8 reference models (mlcommons/tiny at a pinned commit, Apache-2.0), as test suites fetch
 * their data: from $INT8COSIM_MODELS or ../shared/models/mlperf-tiny/ (beside the repository) when a file is there,
 * otherwise from the cache .cache/models/mlperf-tiny/, downloading it there first from the pinned commit on
 * raw.githubusercontent.com. Every file's sha256 is checked wherever it comes from: a wrong or partial file is a
 * ModelFetchError naming both hashes and is never used. A download goes to a temporary file that is renamed into
 * the cache only once its hash matches, so neither a failed nor a killed download leaves a cache entry.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../../quant/errors.ts';
import { repoRoot } from '../paths.ts';
import { ModelFetchError } from './errors.ts';

export const MLPERF_TINY_REPO = 'mlcommons/tiny';
export const MLPERF_TINY_COMMIT = '1afd2c9820f795965a6134facd0b4dfae41ef23f';
export const MLPERF_TINY_BASE_URL = 'https://raw.githubusercontent.com/mlcommons/tiny';

export interface MlperfTinyFile {
  file: string;
  /** The file's path in the repository at MLPERF_TINY_COMMIT. */
  path: string;
  sha256: string;
}

export const MLPERF_TINY_MODELS = {
  resnet8: {
    file: 'pretrainedResnet_quant.tflite',
    path: 'benchmark/training/image_classification/trained_models/pretrainedResnet_quant.tflite',
    sha256: '3c002613d1b2475eb51dd78dfb85a546c8ae658dee71cf6ade43b022fe205415',
  },
  kws: {
    file: 'kws_ref_model.tflite',
    path: 'benchmark/training/keyword_spotting/trained_models/kws_ref_model.tflite',
    sha256: 'aeea436800704fce17b17292e4412630ad856e9d777c044c64ef748a880bd0ae',
  },
  ad01: {
    file: 'ad01_int8.tflite',
    path: 'benchmark/training/anomaly_detection/trained_models/ad01_int8.tflite',
    sha256: '87cf24194ef93d1d9b11a591d805526b98008e351655d29883c825c9c106ba24',
  },
} as const satisfies Record<string, MlperfTinyFile>;

export type MlperfTinyName = keyof typeof MLPERF_TINY_MODELS;

export interface FetchOptions {
  /** Folders searched first, in order (default: $INT8COSIM_MODELS if set, then ../shared/models/mlperf-tiny). */
  localDirs?: string[];
  /** Where downloads are kept (default .cache/models/mlperf-tiny). */
  cacheDir?: string;
  /** The download base (default MLPERF_TINY_BASE_URL, or $INT8COSIM_MODELS_URL); the URL is <base>/<commit>/<path>. */
  baseUrl?: string;
  log?: (message: string) => void;
}

/** The entry for 'resnet8' | 'kws' | 'ad01' or one of their file names. */
export function mlperfTinyFile(name: string): MlperfTinyFile {
  const hit = Object.entries(MLPERF_TINY_MODELS).find(([key, m]) => key === name || m.file === name);
  if (hit === undefined) {
    const names = Object.entries(MLPERF_TINY_MODELS).map(([key, m]) => `${key} (${m.file})`);
    throw new UsageError(`unknown MLPerf Tiny model '${name}'; models: ${names.join(', ')}`);
  }
  return hit[1];
}

export function defaultLocalDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const dirs = env.INT8COSIM_MODELS ? [resolve(env.INT8COSIM_MODELS)] : [];
  return [...dirs, join(repoRoot, '..', 'shared', 'models', 'mlperf-tiny')];
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** The path, once its bytes have the pinned hash; otherwise an error naming the file and both hashes. */
function checked(path: string, m: MlperfTinyFile, where: string): string {
  const actual = sha256(readFileSync(path));
  if (actual !== m.sha256) {
    throw new ModelFetchError(`${path}: sha256 ${actual}, expected ${m.sha256} (${m.file} of ${MLPERF_TINY_REPO} ${MLPERF_TINY_COMMIT.slice(0, 7)}); ${where}`);
  }
  return path;
}

function provenance(m: MlperfTinyFile, url: string): string {
  return `${m.file}: ${url}\n  ${MLPERF_TINY_REPO} commit ${MLPERF_TINY_COMMIT}, path ${m.path}, sha256 ${m.sha256}\n  licence Apache-2.0: https://github.com/${MLPERF_TINY_REPO}/blob/${MLPERF_TINY_COMMIT}/LICENSE.md\n`;
}

async function download(url: string): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new ModelFetchError(`download of ${url} failed: ${(e as Error).message}`, { cause: e });
  }
  if (!res.ok) throw new ModelFetchError(`download of ${url} failed: HTTP ${res.status} ${res.statusText}`);
  try {
    return new Uint8Array(await res.arrayBuffer());
  } catch (e) {
    throw new ModelFetchError(`download of ${url} broke off: ${(e as Error).message}`, { cause: e });
  }
}

/** The path of an MLPerf Tiny model ('resnet8' | 'kws' | 'ad01' or its file name), hash-checked, downloaded when needed. */
export async function mlperfTinyModel(name: string, opts: FetchOptions = {}): Promise<string> {
  const m = mlperfTinyFile(name);
  const localDirs = opts.localDirs ?? defaultLocalDirs();
  for (const dir of localDirs) {
    const p = join(dir, m.file);
    if (existsSync(p)) return checked(p, m, 'replace the file with the original');
  }
  const cacheDir = opts.cacheDir ?? join(repoRoot, '.cache', 'models', 'mlperf-tiny');
  const cached = join(cacheDir, m.file);
  if (existsSync(cached)) return checked(cached, m, 'delete it to download it again');

  const url = `${opts.baseUrl ?? process.env.INT8COSIM_MODELS_URL ?? MLPERF_TINY_BASE_URL}/${MLPERF_TINY_COMMIT}/${m.path}`;
  opts.log?.(`downloading ${url}`);
  let bytes: Uint8Array;
  try {
    bytes = await download(url);
  } catch (e) {
    // offline, the user's way out is a local copy: say where it was looked for
    throw new ModelFetchError(
      `${(e as Error).message}; ${m.file} is not in ${[...localDirs, cacheDir].join(', ')} either: copy it into one of them, or set INT8COSIM_MODELS to a folder that holds it`,
      { cause: e },
    );
  }
  const actual = sha256(bytes);
  if (actual !== m.sha256) {
    throw new ModelFetchError(`download of ${url}: sha256 ${actual} (${bytes.length} bytes), expected ${m.sha256}; not used`);
  }
  mkdirSync(cacheDir, { recursive: true });
  const tmp = `${cached}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, bytes);
    checked(tmp, m, 'the file written differs from the download');
    renameSync(tmp, cached);
  } finally {
    rmSync(tmp, { force: true });
  }
  writeFileSync(join(cacheDir, `${m.file}.source.txt`), provenance(m, url));
  return cached;
}
