/**
 * `int8cosim export`: an exported model directory (int8cosim train's) as an int8 .tflite file that TFLite's runtime
 * and TFLite Micro run (model/tflite/export-tflite.ts). Prints what was written and, for a model whose rounding mode
 * TFLite does not compute, one line about its ties with the golden model's accuracy in TFLite's arithmetic on the
 * model's test set. `int8cosim train --tflite` prints the same lines (tfliteLines).
 */
import { UsageError } from '../quant/errors.ts';
import { readModel } from '../quant/format/read.ts';
import type { QuantModel } from '../quant/format/types.ts';
import { evaluate } from '../quant/golden/evaluate.ts';
import type { ArithmeticTarget } from '../quant/spec/index.ts';
import { checkDatasetName, loadDataset, type Split } from '../model/data/dataset.ts';
import { operatorSummary, tiesNote, writeTfliteFile, type WrittenTflite } from '../model/tflite/export-file.ts';
import { HELP_OPTION, parseCommandArgs, stringOptions } from './args.ts';
import { intOption } from './options.ts';

const HELP = `usage: int8cosim export --model <export dir> --tflite <out.tflite> [--images <n>]

  Writes an exported model (int8cosim train's: dense, conv2d, maxpool2d, flatten layers) as an int8 TFLite file:
  CONV_2D v3 per channel (a dense layer as a 1x1 CONV_2D between RESHAPEs), MAX_POOL_2D, RESHAPE, MINIMUM/MAXIMUM
  for clamps no fused activation gives (activations below 8 bits). TFLite derives every multiplier from the file's
  float32 scales; the exporter writes scales from which it derives exactly the model's integers.
  --images: for a model whose rounding mode TFLite does not compute, the golden model's accuracy in TFLite's
  arithmetic over the first n test images of the model's dataset (default all; 0: not measured).
`;

function pct(x: number): string {
  return `${(x * 100).toFixed(2)}%`;
}

/** The model's own test images (meta.dataset), or undefined when it names none. */
export function modelTestSplit(model: QuantModel, limit?: number): { name: string; split: Split } | undefined {
  const name = model.meta.dataset;
  if (typeof name !== 'string') return undefined;
  const test = loadDataset(checkDatasetName(name)).test;
  const n = Math.min(limit ?? test.labels.length, test.labels.length);
  const size = model.input.shape.reduce((a, b) => a * b, 1);
  return { name, split: { images: test.images.subarray(0, n * size), labels: test.labels.subarray(0, n) } };
}

/** What `export` and `train --tflite` print about a written file: its operators and, if needed, the ties line. */
export function tfliteLines(model: QuantModel, written: WrittenTflite, test: { name: string; split: Split } | undefined): string[] {
  const lines = [`wrote ${written.path} (${written.bytes.length} bytes): ${operatorSummary(written.graph)}`];
  const note = tiesNote(model);
  if (note === undefined) return lines;
  if (test === undefined || test.split.labels.length === 0) {
    lines.push(`note: ${note}; the golden model's accuracy in TFLite's arithmetic needs the model's test images (it names no dataset, or --images 0): \`int8cosim runtime-check ${written.path}\` holds TFLite's runtime against the golden model in it`);
    return lines;
  }
  const acc = (arithmetic?: ArithmeticTarget): number => evaluate(arithmetic === undefined ? model : { ...model, arithmetic }, test.split.images, test.split.labels).accuracy;
  lines.push(
    `note: ${note}; golden accuracy on ${test.split.labels.length} ${test.name} test images: ${pct(acc())} (${model.roundingMode}), ` +
      `${pct(acc('tflite-runtime'))} (tflite-runtime), ${pct(acc('tflite-reference'))} (tflite-reference)`,
  );
  return lines;
}

export async function run(argv: string[]): Promise<void> {
  const parsed = parseCommandArgs('export', HELP, { args: argv, strict: true, allowPositionals: false, options: { ...stringOptions('model', 'tflite', 'images'), ...HELP_OPTION } });
  if (parsed === undefined) return;
  const v = parsed.values;
  if (v.model === undefined) throw new UsageError('--model <export dir> is required; see int8cosim export --help');
  if (v.tflite === undefined) throw new UsageError('--tflite <out.tflite> is required; see int8cosim export --help');
  const images = intOption('images', v.images, { min: 0 });
  const model = readModel(v.model);
  const written = writeTfliteFile(v.tflite, model);
  for (const line of tfliteLines(model, written, images === 0 ? undefined : modelTestSplit(model, images))) console.log(line);
}
