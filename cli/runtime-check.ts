/**
 * `int8cosim runtime-check`: the golden model against TFLite's own runtime (tfjs-tflite-node) on every output byte
 * of .tflite models (model/tflite/compare-runtime.ts), over seeded random and extreme int8 inputs. Without a file,
 * the three MLPerf Tiny reference models (fetched and hash-checked). A difference names the model, the input, the
 * output index and both values, and the first layer that differs; the exit status is 1 unless every byte agrees.
 */
import { UsageError } from '../quant/errors.ts';
import { ARITHMETIC_TARGETS, type ArithmeticTarget } from '../quant/spec/index.ts';
import { compareWithRuntime, type RuntimeComparison } from '../model/tflite/compare-runtime.ts';
import { MLPERF_TINY_MODELS, mlperfTinyModel } from '../model/tflite/fetch-models.ts';
import { HELP_OPTION, parseCommandArgs, stringOptions } from './args.ts';
import { intOption } from './options.ts';
import { progressBar } from './progress.ts';

const HELP = `usage: int8cosim runtime-check [model.tflite ...] [--count N] [--seed S] [--arithmetic ${ARITHMETIC_TARGETS.join('|')}] [--json]

  Runs the golden model and TFLite's runtime (tfjs-tflite-node, TFLite 2.9) on the same int8 inputs and compares
  every output byte: --count seeded random inputs (default 1000) and ten extreme ones (all -128, all 127, the zero
  point, alternating and random extremes). Without a model: the MLPerf Tiny models (${Object.keys(MLPERF_TINY_MODELS).join(', ')}).
  --arithmetic: the golden model's (default tflite-runtime, the runtime's own; tflite-reference shows where TFLite
  Micro's reference kernels would differ). Exit status 1 if any byte differs.
`;

export function describeComparison(file: string, r: RuntimeComparison): string {
  const head = `${file}: ${r.arithmetic}, ${r.inputs} inputs, ${r.bytesCompared} output bytes compared, ${r.bytesDiffering} differ`;
  const speed = `golden ${r.goldenMs.toFixed(2)} ms, runtime ${r.runtimeMs.toFixed(2)} ms an inference`;
  if (r.first === undefined) return `${head}: golden = TFLite runtime (${speed})`;
  const f = r.first;
  const layer = r.firstLayer === undefined ? '' : `; first differing layer ${r.firstLayer.layerIndex} '${r.firstLayer.layer}' (tensor ${r.firstLayer.tensor}), element ${r.firstLayer.index}: golden ${r.firstLayer.golden}, runtime ${r.firstLayer.runtime}`;
  return `${head} in ${r.inputsDiffering} inputs; first: input ${f.input}, output ${f.index}: golden ${f.golden}, runtime ${f.runtime}${layer}`;
}

export async function run(argv: string[]): Promise<void> {
  const parsed = parseCommandArgs('runtime-check', HELP, { args: argv, strict: true, allowPositionals: true, options: { ...stringOptions('count', 'seed', 'arithmetic'), json: { type: 'boolean' }, ...HELP_OPTION } });
  if (parsed === undefined) return;
  const v = parsed.values;
  const arithmetic = v.arithmetic;
  if (arithmetic !== undefined && !(ARITHMETIC_TARGETS as readonly string[]).includes(arithmetic)) {
    throw new UsageError(`--arithmetic must be one of ${ARITHMETIC_TARGETS.join(', ')}, got '${arithmetic}'`);
  }
  const count = intOption('count', v.count, { min: 0, max: 1_000_000 }) ?? 1000;
  const seed = intOption('seed', v.seed, { min: 0, max: 2 ** 32 - 1 }) ?? 1;
  const files = parsed.positionals.length > 0 ? parsed.positionals : await Promise.all(Object.keys(MLPERF_TINY_MODELS).map((n) => mlperfTinyModel(n)));
  const bar = progressBar();
  const results: { file: string; result: RuntimeComparison }[] = [];
  for (const file of files) {
    const result = await compareWithRuntime(file, {
      count, seed, ...(arithmetic === undefined ? {} : { arithmetic: arithmetic as ArithmeticTarget }),
      onProgress: (done, total) => bar({ label: 'runtime-check', done, total, text: `${file.split('/').pop()} ${done}/${total}`, final: done === total, milestone: done % 250 === 0 }),
    });
    results.push({ file, result });
    if (v.json !== true) console.log(describeComparison(file, result));
  }
  if (v.json === true) console.log(JSON.stringify(results, null, 2));
  if (results.some((r) => r.result.bytesDiffering > 0)) process.exitCode = 1;
}
