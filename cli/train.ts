/**
 * `int8cosim train`: float training, the PTQ baseline, QAT fine-tuning and the export of bit-exact integer
 * parameters (quant/format) with summary.json beside them. Same seed, same flags: bit-identical export.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../quant/errors.ts';
import type { RoundingMode } from '../quant/spec/index.ts';
import { checkExportDir, writeExport } from '../model/export/write-export.ts';
import { checkTrainFlags } from '../model/ensure.ts';
import { ACTIVATION_QUANTS, LSQ_MAX_BITS, trainModel, TRAIN_DEFAULTS, type ActivationQuant } from '../model/pipeline.ts';
import type { TrainSummary } from '../model/summary.ts';
import { parseCommandArgs } from './args.ts';
import { intOption, numberOption } from './options.ts';
import { trainingProgress } from './progress.ts';
import { modelTestSplit, tfliteLines } from './export.ts';
import { writeTfliteFile } from '../model/tflite/export-file.ts';

const HELP = `usage: int8cosim train [options]

  --dataset <mnist|fashion>   dataset (default mnist)
  --network <cnn|tfc>         network (default cnn)
  --wbits <2..8>              weight bit width (default 8)
  --abits <2..8>              activation bit width (default 8)
  --float-epochs <n>          float training epochs (default 3)
  --qat-epochs <n>            QAT fine-tuning epochs (default 2)
  --seed <n>                  seed of initialisation and shuffles (default 1)
  --rounding <single|double>  requantization rounding mode of the export (default single)
  --out <folder>              output folder (default out/train/<network>-<dataset>-w<W>a<A>)
  --batch-size <n>            mini-batch (default ${TRAIN_DEFAULTS.batchSize})
  --float-lr <x>, --qat-lr <x> peak Adam learning rates (default ${TRAIN_DEFAULTS.floatLearningRate}; QAT 5e-4 at >= 6 bits, 2e-3 below)
  --train-limit <n>, --test-limit <n>   use only the first n images (quick runs)
  --weight-clipping <max|mse> per-channel weight range: max |w| or MSE-optimal clipping (default: mse at 2-3 bits, max above)
  --act-quant <minmax|lsq>    QAT activation ranges: moving-average min/max observers or learned steps, LSQ
                              (default: lsq at <= ${LSQ_MAX_BITS} bits, minmax above)
  --no-bn                     networks without BatchNorm
  --tflite <file>             also write the model as an int8 .tflite file (as int8cosim export does)
`;

/** A --tflite path that can be written: its folder exists, and it is not a folder itself. */
function checkTfliteTarget(path: string): void {
  if (!path.endsWith('.tflite')) throw new UsageError(`--tflite expects a file name ending in .tflite, got '${path}'`);
  const dir = dirname(path);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--tflite ${path}: the folder '${dir}' does not exist`);
  if (existsSync(path) && statSync(path).isDirectory()) throw new UsageError(`--tflite ${path} is a folder`);
}

function pct(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}

export function resultTable(s: TrainSummary): string {
  const w = `W${s.bits.weight}A${s.bits.activation}`;
  const rows: Array<[string, number]> = [
    ['float', s.accuracy.float],
    [`PTQ ${w} (fake-quant)`, s.accuracy.ptq],
    [`QAT ${w} (fake-quant)`, s.accuracy.qat],
    [`QAT ${w} (integer, golden model)`, s.accuracy.integer],
  ];
  const a = s.agreement;
  return [
    `${s.network} on ${s.dataset}, ${s.images.test} test images, seed ${s.seed}, ${s.epochs.float} float + ${s.epochs.qat} QAT epochs, ${s.wallSeconds.toFixed(0)} s`,
    ...rows.map(([k, v]) => `  ${k.padEnd(34)} ${pct(v).padStart(7)}`),
    `  golden vs fake-quant: argmax agreement ${pct(a.argmax)} (need >= ${pct(a.target.minArgmaxAgreement)}), ` +
      `accuracy delta ${(a.accuracyDelta * 100).toFixed(2)} pp (need <= ${(a.target.maxAccuracyDelta * 100).toFixed(2)}): ${a.passed ? 'PASS' : 'FAIL'}`,
  ].join('\n');
}

export async function run(argv: string[]): Promise<void> {
  const parsed = parseCommandArgs('train', HELP, {
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      dataset: { type: 'string', default: 'mnist' },
      network: { type: 'string', default: 'cnn' },
      wbits: { type: 'string' },
      abits: { type: 'string' },
      'float-epochs': { type: 'string' },
      'qat-epochs': { type: 'string' },
      seed: { type: 'string' },
      rounding: { type: 'string', default: 'single' },
      out: { type: 'string' },
      'batch-size': { type: 'string' },
      'float-lr': { type: 'string' },
      'qat-lr': { type: 'string' },
      'train-limit': { type: 'string' },
      'test-limit': { type: 'string' },
      'no-bn': { type: 'boolean', default: false },
      'weight-clipping': { type: 'string' },
      'act-quant': { type: 'string' },
      tflite: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (parsed === undefined) return;
  const v = parsed.values;
  const flags = checkTrainFlags({
    dataset: v.dataset as string,
    network: v.network as string,
    weightBits: numberOption('wbits', v.wbits) ?? 8,
    activationBits: numberOption('abits', v.abits) ?? 8,
    floatEpochs: numberOption('float-epochs', v['float-epochs']) ?? 3,
    qatEpochs: numberOption('qat-epochs', v['qat-epochs']) ?? 2,
    seed: numberOption('seed', v.seed) ?? 1,
    roundingMode: v.rounding as RoundingMode,
  });
  const batchSize = intOption('batch-size', v['batch-size'], { min: 1 });
  const floatLearningRate = numberOption('float-lr', v['float-lr'], 0);
  const qatLearningRate = numberOption('qat-lr', v['qat-lr'], 0);
  const trainLimit = intOption('train-limit', v['train-limit'], { min: 1 });
  const testLimit = intOption('test-limit', v['test-limit'], { min: 1 });
  const clipping = v['weight-clipping'];
  if (clipping !== undefined && clipping !== 'max' && clipping !== 'mse') throw new UsageError(`--weight-clipping expects max or mse, got '${clipping}'`);
  const actQuant = v['act-quant'];
  if (actQuant !== undefined && !ACTIVATION_QUANTS.includes(actQuant as ActivationQuant)) {
    throw new UsageError(`--act-quant expects ${ACTIVATION_QUANTS.join(' or ')}, got '${actQuant}'`);
  }
  const out = v.out ?? join('out', 'train', `${flags.network}-${flags.dataset}-w${flags.weightBits}a${flags.activationBits}`);
  const target = checkExportDir(out); // before any training: a bad folder fails fast
  if (v.tflite !== undefined) checkTfliteTarget(v.tflite);
  const { model, summary } = await trainModel({
    ...flags, batchSize, floatLearningRate, qatLearningRate, trainLimit, testLimit, batchNorm: !v['no-bn'], weightClipping: clipping,
    activationQuant: actQuant as ActivationQuant | undefined,
    onProgress: trainingProgress(), log: (m) => console.error(m),
  });
  writeExport(target, model, summary);
  console.log(resultTable(summary));
  console.log(`exported to ${target} (manifest.json, tensors/, hex/, summary.json)`);
  if (v.tflite !== undefined) {
    const written = writeTfliteFile(v.tflite, model);
    for (const line of tfliteLines(model, written, modelTestSplit(model, testLimit))) console.log(line);
  }
  if (!summary.agreement.passed) process.exitCode = 1;
}
