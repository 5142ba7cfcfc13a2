/**
 * loadModel: the model a command is given, whatever its format: a .tflite file (imported, model/tflite) or an
 * exported model directory (quant/format readModel). A file that is neither says so.
 */
import { existsSync, statSync } from 'node:fs';
import { UsageError } from '../quant/errors.ts';
import { readModel } from '../quant/format/read.ts';
import type { QuantModel } from '../quant/format/types.ts';
import type { ArithmeticTarget } from '../quant/spec/index.ts';
import { importTflite } from './tflite/import-tflite.ts';

export interface LoadOptions {
  /** For a .tflite model: the TFLite arithmetic it is defined by (default tflite-runtime). */
  arithmetic?: ArithmeticTarget;
}

export function isTflitePath(path: string): boolean {
  return /\.tflite$/i.test(path);
}

export function loadModel(path: string, opts: LoadOptions = {}): QuantModel {
  if (!existsSync(path)) throw new UsageError(`${path}: no such file or model directory`);
  if (statSync(path).isDirectory()) {
    if (opts.arithmetic !== undefined) throw new UsageError(`--arithmetic is for .tflite models; ${path} is an exported model directory (its manifest says its rounding)`);
    return readModel(path);
  }
  if (isTflitePath(path)) return importTflite(path, opts);
  throw new UsageError(`${path}: expected a .tflite file or an exported model directory`);
}
