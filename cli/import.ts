/**
 * `int8cosim import`: reads a .tflite int8 model (model/tflite), maps it onto the project's model format and writes
 * it as an exported model directory (docs/FORMAT.md), atomically; prints one line per layer. A file the importer
 * cannot take is one line naming the operator and what is supported, and nothing is written.
 */
import { join } from 'node:path';
import { UsageError } from '../quant/errors.ts';
import { writeModel } from '../quant/format/write.ts';
import { ARITHMETIC_TARGETS, type ArithmeticTarget } from '../quant/spec/index.ts';
import { importTflite } from '../model/tflite/import-tflite.ts';
import { HELP_OPTION, parseCommandArgs, stringOptions } from './args.ts';
import { printSummary } from './check.ts';

const HELP = `usage: int8cosim import <model.tflite> [--out <dir>] [--arithmetic ${ARITHMETIC_TARGETS.join('|')}] [--json]

  Imports an int8 TFLite model (CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED, ADD, AVERAGE_POOL_2D, MAX_POOL_2D,
  RESHAPE, SOFTMAX; MINIMUM and MAXIMUM against a constant as clamps) into an exported model directory (default out/models/<name>), and prints its layers.
  --arithmetic: the TFLite arithmetic the model is run in: tflite-runtime (TFLite's optimized x86 kernels, the
  default) or tflite-reference (TFLite Micro's reference kernels).
`;

export async function run(argv: string[]): Promise<void> {
  const parsed = parseCommandArgs('import', HELP, { args: argv, strict: true, allowPositionals: true, options: { ...stringOptions('out', 'arithmetic'), json: { type: 'boolean' }, ...HELP_OPTION } });
  if (parsed === undefined) return;
  if (parsed.positionals.length !== 1) throw new UsageError(`expected one .tflite file, got ${parsed.positionals.length}; see int8cosim import --help`);
  const file = parsed.positionals[0] as string;
  const arithmetic = parsed.values.arithmetic;
  if (arithmetic !== undefined && !(ARITHMETIC_TARGETS as readonly string[]).includes(arithmetic)) {
    throw new UsageError(`--arithmetic must be one of ${ARITHMETIC_TARGETS.join(', ')}, got '${arithmetic}'`);
  }
  const model = importTflite(file, arithmetic === undefined ? {} : { arithmetic: arithmetic as ArithmeticTarget });
  const out = parsed.values.out ?? join('out', 'models', model.name);
  writeModel(out, model);
  printSummary(model, `${file} -> ${out}`, parsed.values.json === true);
}
