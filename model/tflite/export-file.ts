/**
 * writeTfliteFile: a model as a .tflite file (exportTflite, then writeTflite), written atomically: a temporary
 * sibling renamed into place, so a failed export leaves no file and never a half-written one. And the one line a
 * command prints about the ties of a model whose rounding mode is not what TFLite computes.
 */
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { QuantModel } from '../../quant/format/types.ts';
import { exportTflite, type ExportTfliteOptions } from './export-tflite.ts';
import type { TfliteGraph } from './graph.ts';
import { writeTflite } from './write-tflite.ts';

export interface WrittenTflite {
  path: string;
  graph: TfliteGraph;
  bytes: Uint8Array;
}

export function writeTfliteFile(path: string, model: QuantModel, opts: ExportTfliteOptions = {}): WrittenTflite {
  const graph = exportTflite(model, opts);
  const bytes = writeTflite(graph);
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${Date.now()}`);
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
  }
  return { path, graph, bytes };
}

/** The operators of a graph as 'CONV_2D x3, RESHAPE x2, ...' in order of first use. */
export function operatorSummary(graph: TfliteGraph): string {
  const counts = new Map<string, number>();
  for (const o of graph.operators) counts.set(`${o.opcode} v${o.version}`, (counts.get(`${o.opcode} v${o.version}`) ?? 0) + 1);
  return [...counts].map(([op, n]) => `${op} x${n}`).join(', ');
}

/**
 * What TFLite computes for this model's ties, when that is not the model's own rounding: undefined for a model
 * defined by a TFLite arithmetic (an imported one) or whose rounding one of the two TFLite targets computes on
 * the exported operators (CONV_2D: 'ruy' in TF 2.9's x86 runtime, 'double' in TFLite Micro).
 */
export function tiesNote(model: QuantModel): string | undefined {
  if (model.arithmetic !== undefined) return undefined;
  switch (model.roundingMode) {
    case 'ruy':
      return `the model rounds requantizer ties as TF 2.9's x86 runtime (ruy, toward +infinity); TFLite Micro's reference kernels round them away from zero (double)`;
    case 'double':
      return `the model rounds requantizer ties as TFLite Micro (double); TF 2.9's x86 runtime rounds CONV_2D ties toward +infinity after the high multiply (ruy)`;
    default:
      return `the model rounds requantizer ties '${model.roundingMode}' (one rounding of the exact product), which neither TFLite computes: TF 2.9's x86 runtime rounds them as ruy, TFLite Micro as double, so their logits can differ at ties`;
  }
}
