/** Shared by the model/tflite suites: the MLPerf Tiny files (through the project's fetcher) and a seeded generator. */
import { readFileSync } from 'node:fs';
import { MLPERF_TINY_MODELS, mlperfTinyModel, type MlperfTinyName } from '../../../model/tflite/fetch-models.ts';

export type MlperfName = MlperfTinyName;

// Fetched once when a suite that needs them is loaded (from ../shared/models/mlperf-tiny here; hash-checked).
const PATHS = Object.fromEntries(
  await Promise.all(Object.keys(MLPERF_TINY_MODELS).map(async (n) => [n, await mlperfTinyModel(n)] as const)),
) as Record<MlperfName, string>;

/** A model's path, as the fetcher gives it. */
export function mlperfPath(name: MlperfName): string {
  return PATHS[name];
}

export function mlperfBytes(name: MlperfName): Uint8Array {
  return new Uint8Array(readFileSync(mlperfPath(name)));
}

/** A small seeded generator (an LCG): tests print the seed on failure. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
}
