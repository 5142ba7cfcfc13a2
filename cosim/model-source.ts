/**
 * The model a cosim run uses: an export folder as it is, or the cached (else freshly trained) model of the training
 * flags. The training cache key has no rounding mode and no array size (model/ensure.ts): one trained model serves
 * every --rounding and every array.
 */
import { ensureTrainedModel } from '../model/ensure.ts';
import { readSummary } from '../model/export/write-export.ts';
import { readModel } from '../quant/format/read.ts';
import { isTflitePath } from '../model/load-model.ts';
import { importTflite } from '../model/tflite/import-tflite.ts';
import type { QuantModel } from '../quant/format/types.ts';
import { UsageError } from '../quant/errors.ts';
import type { CosimOptions } from './options.ts';

export type Stage = <T>(name: string, f: () => Promise<T> | T) => Promise<T>;

export interface ModelSource {
  model: QuantModel;
  modelDir: string;
  cached: boolean;
  /** Float, PTQ and QAT accuracy from the training summary, when there is one. */
  trained?: { float: number; ptq: number; qat: number };
  dataset: string;
  network: string;
  bits: { weights: number; activations: number };
  /** An imported .tflite model: no dataset, no training; its inputs come with the run (CosimOptions.inputs). */
  imported?: boolean;
}

function fromExport(dir: string, model: QuantModel, datasetFlag: string | undefined): ModelSource {
  let trained: ModelSource['trained'];
  try {
    const s = readSummary(dir);
    trained = { float: s.accuracy.float, ptq: s.accuracy.ptq, qat: s.accuracy.qat };
  } catch {
    trained = undefined; // an export without a training summary (written by hand or by another tool)
  }
  const meta = model.meta as { dataset?: unknown; network?: unknown; weightBits?: unknown; activationBits?: unknown };
  const bitsOf = (v: unknown): number => (typeof v === 'number' && Number.isInteger(v) ? v : 8);
  return {
    model, modelDir: dir, cached: true, ...(trained ? { trained } : {}),
    dataset: datasetFlag ?? (typeof meta.dataset === 'string' ? meta.dataset : 'mnist'),
    network: typeof meta.network === 'string' ? meta.network : model.name,
    bits: { weights: bitsOf(meta.weightBits), activations: bitsOf(meta.activationBits) },
  };
}

export async function modelSource(o: CosimOptions, stage: Stage): Promise<ModelSource> {
  if (o.modelDir !== undefined) {
    if (o.network !== undefined || o.weightBits !== undefined || o.activationBits !== undefined) {
      throw new UsageError('--model takes an exported model as it is: --network, --wbits and --abits are for training one');
    }
    const dir = o.modelDir;
    if (isTflitePath(dir)) {
      if (o.dataset !== undefined) throw new UsageError('--dataset is for exported models; a .tflite model takes --inputs (and --labels)');
      const model = await stage('import', () => importTflite(dir, o.arithmetic === undefined ? {} : { arithmetic: o.arithmetic }));
      return { model, modelDir: dir, cached: false, dataset: o.inputs === undefined ? 'random inputs' : 'inputs', network: model.name, bits: { weights: 8, activations: 8 }, imported: true };
    }
    if (o.inputs !== undefined || o.labels !== undefined || o.arithmetic !== undefined) {
      throw new UsageError('--inputs, --labels and --arithmetic are for .tflite models; an exported model runs on its dataset\'s test set');
    }
    return fromExport(dir, await stage('export', () => readModel(dir)), o.dataset);
  }
  const dataset = o.dataset ?? 'mnist';
  const network = o.network ?? 'cnn';
  const bits = { weights: o.weightBits ?? 8, activations: o.activationBits ?? 8 };
  const t = await stage('train', () =>
    ensureTrainedModel({
      dataset, network, weightBits: bits.weights, activationBits: bits.activations, floatEpochs: 3, qatEpochs: 2, seed: 1,
      ...(o.onTrainProgress ? { onProgress: o.onTrainProgress } : {}), log: o.log,
    }),
  );
  const model = await stage('export', () => readModel(t.modelDir));
  const a = t.summary.accuracy;
  return { model, modelDir: t.modelDir, cached: t.cached, trained: { float: a.float, ptq: a.ptq, qat: a.qat }, dataset, network, bits };
}
