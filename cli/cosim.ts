/**
 * `int8cosim cosim` (make cosim): the flags into CosimOptions, cosim/runCosim, the summary on stdout. Exit status 1
 * when any check failed or did not run (the verdict is FAIL), with the first failure as the one-line error.
 */
import { join, relative, resolve } from 'node:path';
import { progressBar } from '../model/index.ts';
import { ROUNDING_MODES, type RoundingMode } from '../quant/spec/index.ts';
import { CosimError, UsageError } from '../quant/errors.ts';
import { describeLayerDifference } from '../harness/network/layerCheck.ts';
import { CORNER_TIER_CASES } from '../verify/corner-tier.ts';
import { formatChecks, runCosim, type CosimOptions } from '../cosim/index.ts';
import { parseCommandArgs } from './args.ts';

const HELP = `usage: int8cosim cosim [options]
  --dataset mnist|fashion   (mnist; with --model: the model's)   --network cnn|tfc   (cnn)
  --wbits N --abits N       (8, 8)         --rounding single|double (single; the trained model is the same)
  --model DIR               an exported model folder (int8cosim train --out) instead of training one
  --rows R --cols C         (8, 8)         --images N          (the whole test set)
  --deep                    compare every PE register every cycle (slower)
  --rtl-config FILE         your RTL: {top, files, includeDirs, parameters, defines} (rtl/cosim.json)
  --corner-cases N          cases of the corner tier run on the same build before the network (${CORNER_TIER_CASES}; 0: none)
  --batch B                 images per reset; dense layers run as one GEMM per batch (32)
  --window W                half-width of the VCD window around a mismatch (16)
  --out DIR                 (out/cosim)`;

function int(v: string | undefined, name: string, lo: number, hi: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n) || n < lo || n > hi) throw new UsageError(`--${name} must be an integer in [${lo}, ${hi}], got '${v}'`);
  return n;
}

function lockstepProgress(batch: number): (done: number, n: number) => void {
  const start = performance.now();
  const tty = process.stderr.isTTY === true;
  return (done, n) => {
    if (tty || done % 1024 < batch || done === n) {
      const s = (performance.now() - start) / 1000;
      const fill = Math.round((done / n) * 30);
      const line = `lockstep [${'#'.repeat(fill)}${'.'.repeat(30 - fill)}] ${done}/${n} images, ${(s > 0 ? done / s : 0).toFixed(0)} img/s, ${s.toFixed(0)} s`;
      process.stderr.write(tty ? `\r${line}${done === n ? '\n' : ''}` : `${line}\n`);
    }
  };
}

export async function run(argv: string[]): Promise<void> {
  const parsed = parseCommandArgs('cosim', HELP, {
    args: argv,
    options: {
      dataset: { type: 'string' }, network: { type: 'string' }, wbits: { type: 'string' }, abits: { type: 'string' },
      rounding: { type: 'string' }, rows: { type: 'string' }, cols: { type: 'string' }, images: { type: 'string' },
      model: { type: 'string' }, 'corner-cases': { type: 'string' },
      batch: { type: 'string' }, deep: { type: 'boolean' }, 'rtl-config': { type: 'string' }, window: { type: 'string' }, out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (parsed === undefined) return;
  const v = parsed.values;
  const rounding = (v.rounding ?? 'single') as RoundingMode;
  if (!ROUNDING_MODES.includes(rounding)) throw new UsageError(`--rounding must be one of ${ROUNDING_MODES.join(', ')}, got '${v.rounding}'`);
  const batch = int(v.batch, 'batch', 1, 4096) ?? 32;
  const opts: CosimOptions = {
    rounding,
    rows: int(v.rows, 'rows', 2, 32) ?? 8,
    cols: int(v.cols, 'cols', 2, 32) ?? 8,
    deep: v.deep === true,
    cornerCases: int(v['corner-cases'], 'corner-cases', 0, 100_000) ?? CORNER_TIER_CASES,
    batch,
    window: int(v.window, 'window', 1, 1000) ?? 16,
    outDir: resolve(v.out ?? join('out', 'cosim')),
    log: (m) => console.error(m),
    onImages: lockstepProgress(batch),
    onTrainProgress: progressBar(),
  };
  const images = int(v.images, 'images', 1, Number.MAX_SAFE_INTEGER);
  const weightBits = int(v.wbits, 'wbits', 2, 8);
  const activationBits = int(v.abits, 'abits', 2, 8);
  if (images !== undefined) opts.images = images;
  if (weightBits !== undefined) opts.weightBits = weightBits;
  if (activationBits !== undefined) opts.activationBits = activationBits;
  if (v.model !== undefined) opts.modelDir = resolve(v.model);
  if (v.dataset !== undefined) opts.dataset = v.dataset;
  if (v.network !== undefined) opts.network = v.network;
  if (v['rtl-config'] !== undefined) opts.rtlConfigPath = v['rtl-config'];

  const { report: r, reportPath, htmlPath, window } = await runCosim(opts);
  const pct = (x: number | null | undefined): string => (x === null || x === undefined ? 'n/a' : `${(x * 100).toFixed(2)}%`);
  const a = r.accuracy as { float?: number; ptq?: number; qat?: number; integer: number; hwsim: number | null; rtl: number | null };
  const sample = r.lockstepSample;
  console.log(
    [
      `cosim ${r.dataset}/${r.network} W${r.bits.weights}A${r.bits.activations} ${r.array.rows}x${r.array.cols} ${r.roundingMode}: ${r.images} images, ${r.cycles.total} cycles, utilization ${(r.utilization * 100).toFixed(1)}%`,
      `accuracy float ${pct(a.float)}  ptq ${pct(a.ptq)}  qat ${pct(a.qat)}  integer ${pct(a.integer)}${sample ? ` (${pct(sample.integer)} on the ${sample.images} lockstep images)` : ''}  hw-sim ${pct(a.hwsim)}  rtl ${pct(a.rtl)}`,
      ...formatChecks(r.checks),
      `${r.verdict}${r.failedChecks.length > 0 ? ` (failed or not run: ${r.failedChecks.join(', ')})` : ': every check held'}; wall ${Object.entries(r.wallSeconds).map(([k, s]) => `${k} ${s}s`).join(', ')}`,
      `report: ${relative(process.cwd(), reportPath)}, ${relative(process.cwd(), htmlPath)}`,
    ].join('\n'),
  );
  if (window !== undefined) console.log(window.text);
  const lock = r.checks.find((c) => c.name === 'lockstep');
  if (lock?.status === 'fail') throw new CosimError(lock.detail ?? 'RTL and hw-sim differ');
  if (r.bytes.first !== null) throw new CosimError(`layer outputs differ byte for byte: ${describeLayerDifference(r.bytes.first)}`);
  if (r.verdict !== 'PASS') throw new CosimError(`cosim FAIL: ${r.checks.filter((c) => c.status !== 'pass').map((c) => `${c.name} ${c.status}${c.detail ? ` (${c.detail})` : ''}`).join('; ')}`);
}
