/** Shared by the model/tflite suites: the MLPerf Tiny files (through the project's fetcher) and a seeded generator. */
import { readFileSync } from 'node:fs';
import { MLPERF_TINY_MODELS, mlperfTinyModel, type MlperfTinyName } from '../../../model/tflite/fetch-models.ts';

export type MlperfName = MlperfTinyName;

// Fetched once when a suite that needs them is loaded (from ../shared/models/mlperf-tiny here; hash-checked). A
// fetch that fails is kept and thrown by each use: rejected here, it would fail the module's load, and mocha would
// report its retry as CommonJS ("Top-level await is currently not supported") instead of the fetcher's error.
const PATHS: Record<MlperfName, string> | Error = await Promise.all(
  Object.keys(MLPERF_TINY_MODELS).map(async (n) => [n, await mlperfTinyModel(n)] as const),
).then(
  (entries) => Object.fromEntries(entries) as Record<MlperfName, string>,
  (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
);

/** A model's path, as the fetcher gives it (the fetcher's error when it could not). */
export function mlperfPath(name: MlperfName): string {
  if (PATHS instanceof Error) throw PATHS;
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
