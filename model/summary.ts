/**
 * The JSON summary of a training run (summary.json beside the export), as a zod schema that its writer
 * (model/export/write-export.ts writeExport) and its readers (readSummary, the HTML report) share. Accuracies are
 * fractions on the test set.
 */
import { z } from 'zod';
import { finite, fraction, int, text } from '../quant/json-fields.ts';

/** A diverged epoch's NaN loss is written as null by JSON.stringify; it reads back as NaN. */
const loss = z.union([finite, z.null().transform(() => Number.NaN)], 'a finite number, or null for a diverged loss');

/** One epoch of a training phase, as the trainer records it (model/train/trainer.ts). */
export const epochRecordSchema = z.strictObject({
  epoch: int(1),
  loss,
  accuracy: fraction,
  valLoss: loss.optional(),
  valAccuracy: fraction.optional(),
  seconds: finite,
  imagesPerSecond: finite,
});

export const trainSummarySchema = z.strictObject({
  version: z.literal(1, 'version 1'),
  dataset: text,
  network: text,
  /** Weight and activation widths; the logits (last layer's output) always keep `logits` bits. */
  bits: z.strictObject({ weight: int(1), activation: int(1), logits: int(1) }),
  seed: z.int('an integer'),
  roundingMode: text,
  epochs: z.strictObject({ float: int(), qat: int() }),
  hyperparameters: z.record(z.string(), z.unknown()),
  images: z.strictObject({ train: int(), test: int() }),
  curves: z.strictObject({ float: z.array(epochRecordSchema), qat: z.array(epochRecordSchema) }),
  accuracy: z.strictObject({ float: fraction, ptq: fraction, qat: fraction, integer: fraction }),
  /** Golden integer model vs fake-quant model on the test set. */
  agreement: z.strictObject({
    argmax: fraction,
    accuracyDelta: finite,
    target: z.strictObject({ maxAccuracyDelta: finite, minArgmaxAgreement: fraction }),
    passed: z.boolean('true or false'),
  }),
  observers: z.array(z.strictObject({ min: finite, max: finite, frozen: z.boolean('true or false') })),
  /** Learned activation steps per MAC layer (null where the observer's range is used), when QAT learned them. */
  learnedSteps: z.array(finite.nullable()).optional(),
  backend: text,
  wallSeconds: finite,
  /** Content hash of the inputs (set by ensureTrainedModel). */
  hash: text.optional(),
});
export type TrainSummary = z.output<typeof trainSummarySchema>;
