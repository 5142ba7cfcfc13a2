/**
 * The whole run: float training -> PTQ baseline (calibrated on training images) -> QAT fine-tuning -> export ->
 * golden check. Returns the exported QuantModel and the run's TrainSummary; writing them is the caller's job.
 */
import * as tf from '@tensorflow/tfjs';
import { evaluate as goldenEvaluate } from '../quant/golden/index.ts';
import type { QuantModel } from '../quant/format/types.ts';
import type { RoundingMode } from '../quant/spec/index.ts';
import type { WeightClipping } from '../quant/fakequant/index.ts';
import { initBackend } from './backend/backend.ts';
import { loadDataset, type DatasetName, type Split } from './data/dataset.ts';
import { buildQuantModel } from './export/build.ts';
import { forward, type Mode, type QatState } from './net/forward.ts';
import { Network } from './net/network.ts';
import { networkSpec, type NetworkName } from './net/spec.ts';
import { head } from './train/batches.ts';
import { calibrate, freezeCopy, initLearnedSteps, newQatState } from './train/calibrate.ts';
import { evaluateSplit, type EvalResult } from './train/evaluate.ts';
import { trainPhase, type EpochRecord, type PhaseOptions, type ProgressEvent } from './train/trainer.ts';
import type { TrainSummary } from './summary.ts';

export interface TrainOptions {
  dataset: DatasetName;
  network: NetworkName;
  weightBits: number;
  activationBits: number;
  floatEpochs: number;
  qatEpochs: number;
  seed: number;
  roundingMode: RoundingMode;
  batchSize?: number;
  floatLearningRate?: number;
  qatLearningRate?: number;
  /** Fractions of the QAT phase at which BatchNorm statistics and then the observers freeze. */
  bnFreeze?: number;
  observerFreeze?: number;
  calibrationImages?: number;
  /** Per-channel weight range: 'max' or 'mse' (MSE-optimal clipping); default by width, `defaultWeightClipping`. */
  weightClipping?: WeightClipping;
  batchNorm?: boolean;
  /**
   * How ReLU activations get their range during QAT: 'minmax' (moving-average min/max observers, frozen late) or
   * 'lsq' (learned step sizes, initialised MSE-optimally from the calibration images); default by width,
   * `defaultActivationQuant`.
   */
  activationQuant?: ActivationQuant;
  /** Subsets for tests: the first N train / test images, and a cap on steps per epoch. */
  trainLimit?: number;
  testLimit?: number;
  maxStepsPerEpoch?: number;
  /** Evaluate on the test set after every epoch (valLoss / valAccuracy in the curves). Default true. */
  validateEachEpoch?: boolean;
  onProgress?: (e: ProgressEvent) => void;
  log?: (message: string) => void;
}

/**
 * Peak QAT learning rate: 5e-4 when both widths are >= 6 bits (QAT only polishes), 2e-3 below (the weights must
 * move further to fit a coarse grid).
 */
export function defaultQatLearningRate(weightBits: number, activationBits: number): number {
  return Math.min(weightBits, activationBits) >= 6 ? 5e-4 : 2e-3;
}

export type ActivationQuant = 'minmax' | 'lsq';
export const ACTIVATION_QUANTS: readonly ActivationQuant[] = ['minmax', 'lsq'];

/**
 * Activation ranges by width: learned steps (LSQ) at LSQ_MAX_BITS bits and below, where a min/max range wastes the
 * few levels on outliers (TFC on MNIST, seed 1: W2A2 95.66% with min/max observers, 97.41% with learned steps, both
 * with MSE weight clipping; W4A4 97.91% and 98.04%); moving-average min/max observers above (docs/TRAINING.md).
 */
export const LSQ_MAX_BITS = 4;
export function defaultActivationQuant(activationBits: number): ActivationQuant {
  return activationBits <= LSQ_MAX_BITS ? 'lsq' : 'minmax';
}

/**
 * Weight ranges by width: MSE-optimal clipping at 2 and 3 bits (narrow-range 2-bit weights are ternary, and max |w|
 * scaling rounds most of them to zero), max |w| above.
 */
export function defaultWeightClipping(weightBits: number): WeightClipping {
  return weightBits <= 3 ? 'mse' : 'max';
}

export const TRAIN_DEFAULTS = {
  batchSize: 64,
  floatLearningRate: 2e-3,
  bnFreeze: 0.5,
  observerFreeze: 0.75,
  calibrationImages: 2048,
} as const;

/** The agreement the run must show between the golden integer model and the fake-quant model. */
export const AGREEMENT_TARGET = { maxAccuracyDelta: 0.001, minArgmaxAgreement: 0.995 } as const;

export interface TrainResult {
  model: QuantModel;
  ptqModel: QuantModel;
  summary: TrainSummary;
}

function accuracyOf(net: Network, split: Split, mode: Mode): { accuracy: number; predictions: Uint8Array } {
  return evaluateSplit(split, (x) => forward(net, x, mode).logits);
}

/**
 * Trains one phase and evaluates its final weights on `test` in evaluation mode: the evaluation of the phase's last
 * epoch when it made one (validation on `test`; the same weights, mode, split and batches, so the same figures),
 * otherwise a fresh one. The freezes that follow a QAT phase (BatchNorm, observers) act in training mode only.
 */
function trainAndEvaluate(net: Network, train: Split, test: Split, o: PhaseOptions, mode: Mode): { curve: EpochRecord[]; result: { accuracy: number; predictions: Uint8Array } } {
  let last: EvalResult | undefined;
  const reusable = o.validation === test;
  const curve = trainPhase(net, train, { ...o, onValidation: reusable ? (epoch, v) => { last = epoch === o.epochs ? v : undefined; } : undefined });
  return { curve, result: last ?? accuracyOf(net, test, mode) };
}

export async function trainModel(o: TrainOptions): Promise<TrainResult> {
  const t0 = performance.now();
  const log = o.log ?? (() => {});
  const backend = await initBackend();
  const data = loadDataset(o.dataset);
  const train = head(data.train, o.trainLimit);
  const test = head(data.test, o.testLimit);
  const cfg = {
    ...TRAIN_DEFAULTS,
    qatLearningRate: defaultQatLearningRate(o.weightBits, o.activationBits),
    activationQuant: defaultActivationQuant(o.activationBits),
    weightClipping: defaultWeightClipping(o.weightBits),
    ...Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)),
  } as TrainOptions & typeof TRAIN_DEFAULTS & { qatLearningRate: number; activationQuant: ActivationQuant; weightClipping: WeightClipping };
  const spec = networkSpec(o.network, { batchNorm: o.batchNorm ?? true });
  const net = new Network(spec, o.seed);
  const q: QatState = newQatState(net, o.weightBits, o.activationBits, cfg.weightClipping);
  const validation = o.validateEachEpoch === false ? undefined : test;
  const common = { batchSize: cfg.batchSize, seed: o.seed, validation, onProgress: o.onProgress, maxStepsPerEpoch: o.maxStepsPerEpoch };
  try {
    const floatRun = trainAndEvaluate(net, train, test, { ...common, phase: 'float', epochs: o.floatEpochs, learningRate: cfg.floatLearningRate }, { kind: 'float', training: false });
    const floatCurve: EpochRecord[] = floatRun.curve;
    const floatAcc = floatRun.result.accuracy;
    log(`float test accuracy ${(floatAcc * 100).toFixed(2)}%`);

    calibrate(net, train, q, cfg.calibrationImages, o.seed);
    const ptq = freezeCopy(q);
    const ptqAcc = accuracyOf(net, test, { kind: 'qat', training: false, qat: ptq }).accuracy;
    const name = `${o.network}-${o.dataset}-w${o.weightBits}a${o.activationBits}`;
    const ptqModel = buildQuantModel(net, ptq, o.roundingMode, `${name}-ptq`, { dataset: o.dataset, network: o.network, method: 'ptq' });
    log(`PTQ (W${o.weightBits}A${o.activationBits}) fake-quant test accuracy ${(ptqAcc * 100).toFixed(2)}%`);

    if (cfg.activationQuant === 'lsq') initLearnedSteps(net, train, q, cfg.calibrationImages, o.seed);
    const qatRun = trainAndEvaluate(net, train, test, {
      ...common, phase: 'qat', epochs: o.qatEpochs, learningRate: cfg.qatLearningRate, qat: q,
      bnFreeze: cfg.bnFreeze, observerFreeze: cfg.observerFreeze,
    }, { kind: 'qat', training: false, qat: q });
    const qatCurve: EpochRecord[] = qatRun.curve;
    q.bnFrozen = true;
    for (const ob of q.observers) ob.freeze();
    const fq = qatRun.result;
    log(`QAT fake-quant test accuracy ${(fq.accuracy * 100).toFixed(2)}%`);

    const meta = {
      dataset: o.dataset, network: o.network, weightBits: o.weightBits, activationBits: o.activationBits, seed: o.seed,
      floatEpochs: o.floatEpochs, qatEpochs: o.qatEpochs, method: 'qat',
    };
    const model = buildQuantModel(net, q, o.roundingMode, name, meta);
    const golden = goldenEvaluate(model, test.images, test.labels);
    let agree = 0;
    for (let i = 0; i < test.labels.length; i++) if (golden.predictions[i] === fq.predictions[i]) agree++;
    const agreement = agree / test.labels.length;
    const delta = Math.abs(golden.accuracy - fq.accuracy);
    const passed = delta <= AGREEMENT_TARGET.maxAccuracyDelta + 1e-12 && agreement >= AGREEMENT_TARGET.minArgmaxAgreement;
    log(`integer (golden) test accuracy ${(golden.accuracy * 100).toFixed(2)}%, argmax agreement with fake-quant ${(agreement * 100).toFixed(2)}%`);

    const summary: TrainSummary = {
      version: 1,
      dataset: o.dataset,
      network: o.network,
      bits: { weight: o.weightBits, activation: o.activationBits, logits: q.outBits[q.outBits.length - 1] as number },
      seed: o.seed,
      roundingMode: o.roundingMode,
      epochs: { float: o.floatEpochs, qat: o.qatEpochs },
      hyperparameters: {
        batchSize: cfg.batchSize, floatLearningRate: cfg.floatLearningRate, qatLearningRate: cfg.qatLearningRate,
        bnFreeze: cfg.bnFreeze, observerFreeze: cfg.observerFreeze, calibrationImages: cfg.calibrationImages,
        optimizer: 'adam, cosine decay per phase', batchNorm: o.batchNorm ?? true, weightClipping: cfg.weightClipping,
        activationQuant: cfg.activationQuant,
      },
      images: { train: train.labels.length, test: test.labels.length },
      curves: { float: floatCurve, qat: qatCurve },
      accuracy: { float: floatAcc, ptq: ptqAcc, qat: fq.accuracy, integer: golden.accuracy },
      agreement: {
        argmax: agreement,
        accuracyDelta: delta,
        target: { maxAccuracyDelta: AGREEMENT_TARGET.maxAccuracyDelta, minArgmaxAgreement: AGREEMENT_TARGET.minArgmaxAgreement },
        passed,
      },
      observers: q.observers.map((ob) => ob.toJSON()),
      ...(q.learnedSteps ? { learnedSteps: q.learnedSteps.map((l) => (l ? l.value() : null)) } : {}),
      backend,
      wallSeconds: (performance.now() - t0) / 1000,
    };
    model.meta = { ...model.meta, accuracy: summary.accuracy, argmaxAgreement: agreement };
    return { model, ptqModel, summary };
  } finally {
    net.dispose();
    for (const lsq of q.learnedSteps ?? []) lsq?.dispose();
    void tf;
  }
}
