/**
 * out/cosim/report.json, as written by `int8cosim cosim` (cosim/report.ts builds an object of type CosimReport)
 * and read by the HTML report (report/input/load.ts parses it with reportJsonSchema). One schema, one type: a key
 * the writer renames fails the typecheck of the writer, and a file of another shape fails at load with the key.
 */
import { z } from 'zod';
import { finite, fraction, int, text } from '../../quant/json-fields.ts';
import { ARITHMETIC_TARGETS, ROUNDING_MODES } from '../../quant/spec/index.ts';
import { caseFailureSchema } from '../../verify/regress-report.ts';
import { checkSchema, confusionSchema, firstMismatchSchema, layerRowSchema, peUtilizationSchema } from './sections.ts';

/** A requantizer rounding mode (quant/spec ROUNDING_MODES): the one a run's programs choose, or one the array implements. */
const roundingMode = z.enum(ROUNDING_MODES);
const pairCount = z.strictObject({ bytesCompared: int(), bytesDiffering: int() });
const pairCounts = z.strictObject({ 'golden-hwsim': pairCount, 'golden-rtl': pairCount, 'hwsim-rtl': pairCount });

/** The byte scoreboard of the layer outputs (harness/network/layerCheck.ts LayerCheckResult, less predictions). */
const bytesSchema = z.strictObject({
  images: int(),
  pairs: pairCounts,
  perLayer: z.array(z.strictObject({ layer: text, type: text, where: z.enum(['array', 'host']), bytesPerImage: int(), pairs: pairCounts })),
  first: z.strictObject({
    image: int(), layer: text, layerIndex: int(), element: z.array(int()), pairs: z.array(z.enum(['golden-hwsim', 'golden-rtl', 'hwsim-rtl'])),
    golden: z.int('an integer'), hwsim: z.int('an integer'), rtl: z.int('an integer'),
  }).nullable(),
});

/** The quick corner tier on the cosim's build (cosim/checks.ts), null when --corner-cases 0. */
const cornerTierSchema = z.strictObject({
  cases: int(),
  passed: int(),
  failed: int(),
  cycles: int(),
  seconds: finite,
  kinds: z.record(z.string(), int()),
  failures: z.array(caseFailureSchema),
}).nullable();

/** Accuracy of every stage on the test set; hw-sim and RTL are null after a lockstep mismatch. */
const accuracySchema = z.strictObject({
  float: fraction.optional(),
  ptq: fraction.optional(),
  qat: fraction.optional(),
  integer: fraction,
  hwsim: fraction.nullable(),
  rtl: fraction.nullable(),
});

/** Seconds per stage of the run (tools, train, build, corners, lockstep, ...) and their `total`. */
const wallSecondsSchema = z.record(z.string(), finite).check((ctx) => {
  if (ctx.value.total === undefined) ctx.issues.push({ code: 'custom', input: ctx.value, path: ['total'], message: 'a finite number (the whole run)' });
});

const latencySchema = z.strictObject({ min: int(), max: int(), mean: finite });

/**
 * Transaction mode (cosim --check transactions, harness/transaction/totals.ts): the RTL's measured latency (beat
 * taken to row, over every row) and throughput (rows per cycle, each program from its first cycle to its last row),
 * beside hw-sim's for the same programs (latency R + C + 1, outputRows / nCycles), summed over the run.
 */
const timingSchema = z.strictObject({
  programs: int(),
  /** Rows the programs produce, and rows the RTL delivered. */
  rows: int(),
  seen: int(),
  rtl: z.strictObject({ latency: latencySchema.nullable(), cycles: int(), rowsPerCycle: finite.nullable() }),
  hwsim: z.strictObject({ latency: int().nullable(), cycles: int(), rowsPerCycle: finite.nullable() }),
});

/**
 * The first breach of the transaction-level contract (harness/transaction/errors.ts): what (a wrong value, a row
 * missing, duplicated or unexpected), where (layer, image, output tile, the row's address and Y's row m, the
 * column), both values, the cycle the row appeared (or the run gave up) and its latency; the VCD window around it.
 */
const transactionFailureSchema = z.strictObject({
  error: z.enum(['mismatch', 'missing', 'duplicate', 'unexpected']),
  message: text,
  layer: text,
  /** What the program ran for, e.g. "image 3". */
  context: text,
  image: int(),
  tile: text,
  addr: int(),
  m: int(),
  cycle: int(),
  port: z.enum(['o_acc_o', 'o_data_o']).optional(),
  column: int().optional(),
  expected: z.int('an integer').optional(),
  actual: z.int('an integer').optional(),
  beatCycle: finite.optional(),
  latency: finite.optional(),
  outstanding: int().optional(),
  /** The VCD window around the cycle, relative to the working directory the run had, and whether the replay showed the same row. */
  vcdPath: text.optional(),
  vcdFirstCycle: int().optional(),
  vcdLastCycle: int().optional(),
  replayReproduced: z.boolean('true or false').optional(),
  /** hw-sim's trace lines around its own cycle of the row (the cycle contract's timing). */
  hwsimTrace: z.array(text).optional(),
});

export const cosimReportSchema = z.strictObject({
  /** What the RTL was held to: the cycle lockstep, or the transaction-level contract (cosim --check); absent in reports before it. */
  check: z.enum(['cycles', 'transactions']).optional(),
  /** PASS only when every check ran and held. */
  verdict: z.enum(['PASS', 'FAIL']),
  failedChecks: z.array(text),
  checks: z.array(checkSchema),
  dataset: text,
  network: text,
  bits: z.strictObject({ weights: int(1), activations: int(1) }),
  /** roundingModes: the modes the build's requantizer implements (its RoundingModes); each program chooses one. */
  array: z.strictObject({ rows: int(1), cols: int(1), roundingModes: z.array(roundingMode).min(1) }),
  /** The rounding the model ran in (every program's configuration command carried it), and the one its export names. */
  /** A trained model: the rounding every MAC layer ran in, and the one it was exported with. */
  roundingMode: roundingMode.optional(),
  exportRoundingMode: roundingMode.optional(),
  /** An imported model: the TFLite arithmetic it ran in (each layer's rounding follows from it). */
  arithmetic: z.enum(ARITHMETIC_TARGETS).optional(),
  /** Where the inputs came from: the dataset's test set, a folder or .npy of int8 inputs, or seeded random ones. */
  inputs: text.optional(),
  /** Images through hw-sim and the RTL, and the size of the test set behind float, PTQ, QAT and integer. */
  images: int(),
  testImages: int(),
  /** Present when hw-sim and the RTL ran on fewer images than the test set: the golden model's accuracy on those. */
  lockstepSample: z.strictObject({ images: int(1), integer: fraction }).optional(),
  /** Absent when the inputs have no labels (an imported model without --labels). */
  accuracy: accuracySchema.optional(),
  bytes: bytesSchema,
  cornerTier: cornerTierSchema,
  cycles: z.strictObject({ total: int(), perLayer: z.array(layerRowSchema) }),
  /** Whole-run utilization of the array. */
  utilization: fraction,
  /** Transaction mode only (null in cycle mode, where the lockstep holds the RTL to hw-sim's own timing). */
  timing: timingSchema.nullable().optional(),
  /** Transaction mode: the first breach of section 13, or null. */
  transactionFailure: transactionFailureSchema.nullable().optional(),
  /** The lockstep stops at the end of the chunk that holds the first mismatch: the count is of that chunk only. */
  mismatches: z.strictObject({ differingWordsInChunk: int(), chunkCycles: int(1), wordsCompared: int(), first: firstMismatchSchema.nullable() }),
  verilator: z.strictObject({
    version: text,
    line: text,
    warnings: z.strictObject({ count: int(), byCode: z.record(z.string(), int()), first: z.array(text) }),
  }),
  wallSeconds: wallSecondsSchema,
  /** The export folder of the model (its summary.json is the training summary), relative to the working directory. */
  modelDir: text,
  rtl: z.strictObject({
    config: text, top: text, build: text, deep: z.boolean('true or false'), batch: int(1),
    parameters: z.record(z.string(), z.union([finite, text], 'a number or a string')),
  }),
  peUtilization: peUtilizationSchema,
  /** Absent after a lockstep mismatch (the RTL's predictions stop there). */
  confusion: confusionSchema.optional(),
});

/** What `int8cosim cosim` writes: build it as this type, and the typecheck shows any drift from the reader. */
export type CosimReport = z.input<typeof cosimReportSchema>;

/**
 * What the HTML report reads: the same schema, where only what the page cannot be drawn without is required. A
 * section that is absent is shown as "not run" (a run that died half-way, a hand-made file, the tests' cases);
 * a key the schema does not know, or a value of the wrong kind, is a FormatError naming the key.
 */
export const reportJsonSchema = cosimReportSchema.partial().required({ dataset: true, network: true, bits: true, array: true });
export type ReportJson = z.output<typeof reportJsonSchema>;
