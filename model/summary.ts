/** The JSON summary of a training run (summary.json beside the export). Accuracies are fractions on the test set. */
import type { EpochRecord } from './train/trainer.ts';

export interface TrainSummary {
  version: 1;
  dataset: string;
  network: string;
  /** Weight and activation widths; the logits (last layer's output) always keep `logits` bits. */
  bits: { weight: number; activation: number; logits: number };
  seed: number;
  roundingMode: string;
  epochs: { float: number; qat: number };
  hyperparameters: Record<string, unknown>;
  images: { train: number; test: number };
  curves: { float: EpochRecord[]; qat: EpochRecord[] };
  accuracy: { float: number; ptq: number; qat: number; integer: number };
  /** Golden integer model vs fake-quant model on the test set. */
  agreement: {
    argmax: number;
    accuracyDelta: number;
    target: { maxAccuracyDelta: number; minArgmaxAgreement: number };
    passed: boolean;
  };
  observers: Array<{ min: number; max: number; frozen: boolean }>;
  /** Learned activation steps per MAC layer (null where the observer's range is used), when QAT learned them. */
  learnedSteps?: Array<number | null>;
  backend: string;
  wallSeconds: number;
  /** Content hash of the inputs (set by ensureTrainedModel). */
  hash?: string;
}
