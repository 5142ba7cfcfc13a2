/** Shared by the model/tflite suites: the MLPerf Tiny files and a seeded generator. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const MLPERF_FILES = { resnet8: 'pretrainedResnet_quant.tflite', kws: 'kws_ref_model.tflite', ad01: 'ad01_int8.tflite' } as const;
export type MlperfName = keyof typeof MLPERF_FILES;

/** A model's path (the shared copy beside the repository). */
export function mlperfPath(name: MlperfName): string {
  return join(resolve(import.meta.dirname, '..', '..', '..', '..', 'shared', 'models', 'mlperf-tiny'), MLPERF_FILES[name]);
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
