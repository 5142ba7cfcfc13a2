/**
 * `int8cosim cosim` (make cosim): the flags into CosimOptions, cosim/runCosim, the summary on stdout. Exit status 1
 * when any check failed or did not run (the verdict is FAIL), with the first failure as the one-line error.
 */
import { join, relative, resolve } from 'node:path';
import { ARITHMETIC_TARGETS, ROUNDING_MODES, type ArithmeticTarget, type RoundingMode } from '../quant/spec/index.ts';
import { CosimError, UsageError } from '../quant/errors.ts';
import { describeLayerDifference } from '../harness/network/layerCheck.ts';
import { CORNER_TIER_CASES } from '../verify/corner-tier.ts';
import { formatChecks, runCosim, type CosimOptions, type CosimReport } from '../cosim/index.ts';
import { parseCommandArgs } from './args.ts';
import { checkOption, intOption } from './options.ts';
import { lockstepProgress, trainingProgress } from './progress.ts';

const HELP = `usage: int8cosim cosim [options]
  --dataset mnist|fashion   (mnist; with --model: the model's)   --network cnn|tfc   (cnn)
  --wbits N --abits N       (8, 8)         --rounding single|double|ruy (single): the mode the trained model runs in
                            (every program's configuration carries it; the same integers; the array has every mode)
  --model DIR|FILE.tflite   an exported model folder (int8cosim train --out), or an int8 .tflite model (imported), instead
                            of training one
  --inputs DIR|FILE.npy     a .tflite model's inputs: raw int8 .bin tensors, or an int8 .npy of [N, ...]; without it,
                            --images (100) seeded random inputs (--seed S, 1)
  --labels FILE.csv         labels of those inputs (file,label lines): the report then gives accuracies
  --arithmetic T            a .tflite model's TFLite arithmetic: tflite-runtime (default) or tflite-reference
  --rows R --cols C         (8, 8)         --images N          (the whole test set)
  --check cycles|transactions  what the RTL is held to (cycles): cycles, hw-sim's every output word of every cycle
                            (the cycle contract); transactions, every output row exactly once with hw-sim's address and
                            values whatever its latency, a_ready_o honoured (docs/ARCHITECTURE.md section 13: an RTL
                            pipelined or stalling otherwise); the report gives its latency and throughput beside hw-sim's
  --deep                    compare every PE register every cycle (slower; cycles only)
  --rtl-config FILE         your RTL: {top, files, includeDirs, parameters, defines} (rtl/cosim.json)
  --corner-cases N          cases of the corner tier run on the same build before the network (${CORNER_TIER_CASES}; 0: none)
  --batch B                 images per reset; dense layers run as one GEMM per batch (32)
  --reference-workers N     threads that run hw-sim ahead of the RTL, batch by batch (cycles check, not --deep;
                            default: the cores beyond two; on 2 cores 1 from 10,000 images, else 0)
  --window W                half-width of the VCD window around a mismatch (16)
  --out DIR                 (out/cosim)`;

export async function run(argv: string[]): Promise<void> {
  const parsed = parseCommandArgs('cosim', HELP, {
    args: argv,
    options: {
      dataset: { type: 'string' }, network: { type: 'string' }, wbits: { type: 'string' }, abits: { type: 'string' },
      rounding: { type: 'string' }, rows: { type: 'string' }, cols: { type: 'string' }, images: { type: 'string' },
      model: { type: 'string' }, 'corner-cases': { type: 'string' }, 'reference-workers': { type: 'string' },
      inputs: { type: 'string' }, labels: { type: 'string' }, arithmetic: { type: 'string' }, seed: { type: 'string' },
      batch: { type: 'string' }, deep: { type: 'boolean' }, check: { type: 'string' }, 'rtl-config': { type: 'string' }, window: { type: 'string' }, out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (parsed === undefined) return;
  const v = parsed.values;
  const rounding = (v.rounding ?? 'single') as RoundingMode;
  if (!ROUNDING_MODES.includes(rounding)) throw new UsageError(`--rounding expects ${ROUNDING_MODES.join(', ')}, got '${rounding}'`);
  const batch = intOption('batch', v.batch, { min: 1, max: 4096 }) ?? 32;
  const check = checkOption(v.check, v.deep === true);
  const opts: CosimOptions = {
    check,
    rounding,
    rows: intOption('rows', v.rows, { min: 2, max: 32 }) ?? 8,
    cols: intOption('cols', v.cols, { min: 2, max: 32 }) ?? 8,
    deep: v.deep === true,
    cornerCases: intOption('corner-cases', v['corner-cases'], { min: 0, max: 100_000 }) ?? CORNER_TIER_CASES,
    batch,
    window: intOption('window', v.window, { min: 1, max: 1000 }) ?? 16,
    outDir: resolve(v.out ?? join('out', 'cosim')),
    log: (m) => console.error(m),
    onImages: lockstepProgress(batch, undefined, check === 'transactions' ? 'transactions' : 'lockstep'),
    onTrainProgress: trainingProgress(),
  };
  const images = intOption('images', v.images, { min: 1 });
  const weightBits = intOption('wbits', v.wbits, { min: 2, max: 8 });
  const activationBits = intOption('abits', v.abits, { min: 2, max: 8 });
  const referenceWorkers = intOption('reference-workers', v['reference-workers'], { min: 0, max: 64 });
  if (referenceWorkers !== undefined) opts.referenceWorkers = referenceWorkers;
  if (images !== undefined) opts.images = images;
  if (weightBits !== undefined) opts.weightBits = weightBits;
  if (activationBits !== undefined) opts.activationBits = activationBits;
  if (v.model !== undefined) opts.modelDir = resolve(v.model);
  if (v.dataset !== undefined) opts.dataset = v.dataset;
  if (v.network !== undefined) opts.network = v.network;
  if (v['rtl-config'] !== undefined) opts.rtlConfigPath = v['rtl-config'];
  if (v.inputs !== undefined) opts.inputs = resolve(v.inputs);
  if (v.labels !== undefined) opts.labels = resolve(v.labels);
  if (v.arithmetic !== undefined) {
    if (!(ARITHMETIC_TARGETS as readonly string[]).includes(v.arithmetic)) throw new UsageError(`--arithmetic expects ${ARITHMETIC_TARGETS.join(', ')}, got '${v.arithmetic}'`);
    opts.arithmetic = v.arithmetic as ArithmeticTarget;
  }
  const seed = intOption('seed', v.seed, { min: 0, max: 2 ** 32 - 1 });
  if (seed !== undefined) opts.seed = seed;
  if (v.rounding !== undefined && opts.modelDir !== undefined && /\.tflite$/i.test(opts.modelDir)) {
    throw new UsageError('--rounding is for trained models; a .tflite model runs in its TFLite arithmetic (--arithmetic)');
  }

  const { report: r, reportPath, htmlPath, window } = await runCosim(opts);
  const pct = (x: number | null | undefined): string => (x === null || x === undefined ? 'n/a' : `${(x * 100).toFixed(2)}%`);
  const a = r.accuracy;
  const sample = r.lockstepSample;
  console.log(
    [
      `cosim ${r.dataset}/${r.network} W${r.bits.weights}A${r.bits.activations} ${r.array.rows}x${r.array.cols} ${r.roundingMode ?? r.arithmetic}: ${r.images} images, ${r.cycles.total} cycles, utilization ${(r.utilization * 100).toFixed(1)}%`,
      a === undefined
        ? `accuracy: not measured (the inputs have no labels; --labels file.csv gives them)`
        : `accuracy float ${pct(a.float)}  ptq ${pct(a.ptq)}  qat ${pct(a.qat)}  integer ${pct(a.integer)}${sample ? ` (${pct(sample.integer)} on the ${sample.images} lockstep images)` : ''}  hw-sim ${pct(a.hwsim)}  rtl ${pct(a.rtl)}`,
      `check: ${r.check ?? 'cycles'}${r.check === 'transactions' ? ' (docs/ARCHITECTURE.md section 13: every row exactly once, whatever its timing)' : ' (every output word of every cycle)'}`,
      ...(r.timing ? [timingLine(r.timing)] : []),
      ...formatChecks(r.checks),
      ...(r.verdict === 'PASS' && r.checks.some((c) => c.name === 'bytes tflite-golden') ? ['TFLite runtime = golden = hw-sim = RTL, byte for byte'] : []),
      `${r.verdict}${r.failedChecks.length > 0 ? ` (failed or not run: ${r.failedChecks.join(', ')})` : ': every check held'}; wall ${Object.entries(r.wallSeconds).map(([k, s]) => `${k} ${s}s`).join(', ')}`,
      `report: ${relative(process.cwd(), reportPath)}, ${relative(process.cwd(), htmlPath)}`,
    ].join('\n'),
  );
  if (window !== undefined) console.log(window.text);
  const lock = r.checks.find((c) => c.name === 'lockstep' || c.name === 'transactions');
  if (lock?.status === 'fail') throw new CosimError(lock.detail ?? 'RTL and hw-sim differ');
  if (r.bytes.first !== null) throw new CosimError(`layer outputs differ byte for byte: ${describeLayerDifference(r.bytes.first)}`);
  if (r.verdict !== 'PASS') throw new CosimError(`cosim FAIL: ${r.checks.filter((c) => c.status !== 'pass').map((c) => `${c.name} ${c.status}${c.detail ? ` (${c.detail})` : ''}`).join('; ')}`);
}

/** "timing: RTL latency 12..31 (mean 14.20) cycles, 0.713 rows/cycle; hw-sim latency 9, 0.842 rows/cycle (1,234 rows of 56 programs)" */
function timingLine(t: NonNullable<CosimReport['timing']>): string {
  const l = t.rtl.latency;
  const lat = l === null ? 'no rows' : l.min === l.max ? `${l.min}` : `${l.min}..${l.max} (mean ${l.mean.toFixed(2)})`;
  const rpc = (x: number | null): string => (x === null ? 'n/a' : x.toFixed(3));
  return `timing: RTL latency ${lat} cycles, ${rpc(t.rtl.rowsPerCycle)} rows/cycle; hw-sim latency ${t.hwsim.latency ?? 'n/a'}, ${rpc(t.hwsim.rowsPerCycle)} rows/cycle (${t.seen.toLocaleString('en-US')} of ${t.rows.toLocaleString('en-US')} rows, ${t.programs} programs)`;
}
