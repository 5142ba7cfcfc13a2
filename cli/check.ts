/**
 * `int8cosim check`: reads an exported model with every check of docs/FORMAT.md section 3 and prints one line per
 * layer; a bad model is one line naming the file, the field and what was expected, and a non-zero exit. For
 * engineers who write models with their own exporter.
 */
import { UsageError } from '../quant/errors.ts';
import { readModel } from '../quant/format/read.ts';
import { shapeSize } from '../quant/format/shapes.ts';
import { isMacLayer, type QuantModel } from '../quant/format/types.ts';
import { dequantizeMultiplier } from '../quant/spec/index.ts';
import { parseCommandArgs } from './args.ts';

const HELP = `usage: int8cosim check <model-dir> [--json]

  Validates an exported model (manifest, tensor sizes and checksums, $readmemh files, shapes, integer ranges)
  and prints a summary. --json prints the summary as JSON.
`;

export interface LayerSummary {
  index: number;
  name: string;
  type: string;
  input: number[];
  output: number[];
  weightBits?: number;
  outputBits?: number;
  macs: number;
  multiplier?: [number, number];
  shift?: [number, number];
  relu?: boolean;
}

export function summarize(model: QuantModel): LayerSummary[] {
  return model.layers.map((l, index) => {
    const base = { index, name: l.name, type: l.type, input: l.inputShape, output: l.outputShape, macs: 0 };
    if (!isMacLayer(l)) return base;
    const reals = Array.from(l.multiplier, (m0, c) => dequantizeMultiplier(m0, l.shift[c] as number));
    return {
      ...base,
      weightBits: l.weightBits,
      outputBits: l.output.bits,
      macs: (shapeSize(l.outputShape) / l.bias.length) * l.weights.length,
      multiplier: [Math.min(...reals), Math.max(...reals)] as [number, number],
      shift: [Math.min(...l.shift), Math.max(...l.shift)] as [number, number],
      relu: l.relu,
    };
  });
}

export async function run(argv: string[]): Promise<void> {
  const parsed = parseCommandArgs('check', HELP, { args: argv, strict: true, allowPositionals: true, options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  if (parsed === undefined) return;
  if (parsed.positionals.length !== 1) throw new UsageError(`expected one model directory, got ${parsed.positionals.length}; see int8cosim check --help`);
  const dir = parsed.positionals[0] as string;
  printSummary(readModel(dir), dir, parsed.values.json === true);
}

/** Prints a model's summary: one line per layer (or JSON). `what` heads the text form. */
export function printSummary(model: QuantModel, what: string, json: boolean): void {
  const layers = summarize(model);
  const rounding = model.arithmetic ?? model.roundingMode;
  if (json) {
    console.log(JSON.stringify({ name: model.name, roundingMode: model.roundingMode, ...(model.arithmetic ? { arithmetic: model.arithmetic } : {}), classes: model.classes, input: model.input, layers }, null, 2));
    return;
  }
  const q = model.input;
  console.log(`${what}: OK, model '${model.name}', ${model.arithmetic ? 'arithmetic' : 'rounding'} ${rounding}, ${model.classes} classes, input [${q.shape.join(', ')}] ${q.bits}-bit (scale ${q.scale.toPrecision(4)}, zero point ${q.zeroPoint})`);
  for (const l of layers) {
    const bits = l.weightBits === undefined ? '' : `w${l.weightBits}/a${l.outputBits}`;
    const mult = l.multiplier === undefined ? '' : `M ${l.multiplier[0].toExponential(2)}..${l.multiplier[1].toExponential(2)} shift ${l.shift?.[0]}..${l.shift?.[1]}`;
    const head = `  ${String(l.index).padStart(2)} ${l.name.padEnd(16)} ${l.type.padEnd(11)} [${l.input.join(', ')}] -> [${l.output.join(', ')}]`;
    console.log(`${head.padEnd(68)} ${bits.padEnd(6)} ${l.macs ? `${l.macs} MACs` : ''} ${mult}${l.relu ? ' relu' : ''}`.trimEnd());
  }
  console.log(`  total ${layers.reduce((s, l) => s + l.macs, 0)} MACs per image`);
}
