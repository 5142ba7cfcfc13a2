/**
 * `int8cosim cosim` (make cosim): train or reuse the cached model, export, golden -> hw-sim -> RTL in lockstep over
 * the test set, summary, out/cosim/report.json (written atomically). On a mismatch: the report with
 * mismatches.first, the VCD window under out/cosim/, the key signals around it, exit status 1.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { writeHtmlReport } from '../harness/report/html-report.ts';
import { confusionMatrix, peUtilizationFromStats } from '../harness/report/from-stats.ts';
import { join, relative, resolve } from 'node:path';
import { ensureTrainedModel, loadDataset, progressBar } from '../model/index.ts';
import { readModel } from '../quant/format/read.ts';
import { evaluate } from '../quant/golden/evaluate.ts';
import { pixelTable, quantizeImage } from '../quant/golden/image.ts';
import { ROUNDING_MODES, type RoundingMode } from '../quant/spec/index.ts';
import { UsageError } from '../quant/errors.ts';
import {
  buildRtl, captureWindow, defaultRtlConfigPath, ensureVerilator, formatWaveTable, keyColumns, loadRtlConfig, Lockstep,
  mismatchError, openRtlSim, readWaveTable, referenceTrace, runNetworkLockstep, type BuildRequest,
} from '../harness/index.ts';
import { parseCommandArgs } from './args.ts';

const HELP = `usage: int8cosim cosim [options]
  --dataset mnist|fashion   (mnist)        --network cnn|tfc   (cnn)
  --wbits N --abits N       (8, 8)         --rounding single|double (single)
  --rows R --cols C         (8, 8)         --images N          (the whole test set)
  --deep                    compare every PE register every cycle (slower)
  --rtl-config FILE         your RTL: {top, files, includeDirs, parameters, defines} (rtl/cosim.json)
  --batch B                 images per reset; dense layers run as one GEMM per batch (32)
  --window W                half-width of the VCD window around a mismatch (16)
  --out DIR                 (out/cosim)`;

function int(v: string | undefined, name: string, lo: number, hi: number, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < lo || n > hi) throw new UsageError(`--${name} must be an integer in [${lo}, ${hi}], got '${v}'`);
  return n;
}

function writeAtomic(path: string, data: unknown): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(data, null, 2)}\n`);
  renameSync(tmp, path);
}

export async function run(argv: string[]): Promise<void> {
  const parsed = parseCommandArgs('cosim', HELP, {
    args: argv,
    options: {
      dataset: { type: 'string' }, network: { type: 'string' }, wbits: { type: 'string' }, abits: { type: 'string' },
      rounding: { type: 'string' }, rows: { type: 'string' }, cols: { type: 'string' }, images: { type: 'string' },
      batch: { type: 'string' }, deep: { type: 'boolean' }, 'rtl-config': { type: 'string' }, window: { type: 'string' }, out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (parsed === undefined) return;
  const o = parsed.values;
  const t0 = performance.now();
  const wall: Record<string, number> = {};
  const stage = async <T>(name: string, f: () => Promise<T> | T): Promise<T> => {
    const s = performance.now();
    try {
      return await f();
    } finally {
      wall[name] = +((performance.now() - s) / 1000).toFixed(3);
    }
  };
  const rounding = (o.rounding ?? 'single') as RoundingMode;
  if (!ROUNDING_MODES.includes(rounding)) throw new UsageError(`--rounding must be one of ${ROUNDING_MODES.join(', ')}, got '${o.rounding}'`);
  const rows = int(o.rows, 'rows', 2, 32, 8);
  const cols = int(o.cols, 'cols', 2, 32, 8);
  const wbits = int(o.wbits, 'wbits', 2, 8, 8);
  const abits = int(o.abits, 'abits', 2, 8, 8);
  const window = int(o.window, 'window', 1, 1000, 16);
  const batch = int(o.batch, 'batch', 1, 4096, 32);
  const dataset = o.dataset ?? 'mnist';
  const network = o.network ?? 'cnn';
  const deep = o.deep === true;
  const outDir = resolve(o.out ?? join('out', 'cosim'));
  const reportPath = join(outDir, 'report.json');
  const log = (m: string): void => console.error(m);

  // A run that dies half-way must not leave last run's report looking like this one's.
  mkdirSync(outDir, { recursive: true });
  rmSync(reportPath, { force: true });
  rmSync(join(outDir, 'report.html'), { force: true });

  const verilator = await stage('tools', () => ensureVerilator(log));
  const rtlConfig = loadRtlConfig(o['rtl-config'] ?? defaultRtlConfigPath());

  const trained = await stage('train', () =>
    ensureTrainedModel({
      dataset, network, weightBits: wbits, activationBits: abits, floatEpochs: 3, qatEpochs: 2, seed: 1, roundingMode: rounding,
      onProgress: progressBar(), log,
    }),
  );
  log(`model: ${trained.modelDir}${trained.cached ? ' (cached)' : ''}`);
  const model = await stage('export', () => readModel(trained.modelDir));
  if (model.roundingMode !== rounding) throw new UsageError(`the model was exported for '${model.roundingMode}' rounding, --rounding says '${rounding}'`);

  const data = loadDataset(dataset);
  const inSize = data.shape[0] * data.shape[1] * data.shape[2];
  const total = data.test.labels.length;
  const images = int(o.images, 'images', 1, total, total);
  const pixels = data.test.images.subarray(0, images * inSize);
  const labels = data.test.labels.subarray(0, images);

  // The golden model runs on the lockstep images (hw-sim and RTL are compared with it there) and, when those are
  // fewer than the test set, on the whole test set too: float, PTQ and QAT come from the whole set, so the report
  // compares the integer model with them over the same images.
  const { golden, goldenAll } = await stage('golden', () => {
    const g = evaluate(model, pixels, labels);
    return { golden: g, goldenAll: images < total ? evaluate(model, data.test.images, data.test.labels) : g };
  });
  log(`golden (integer) accuracy ${(golden.accuracy * 100).toFixed(2)}% over ${images} images` +
    (images < total ? `, ${(goldenAll.accuracy * 100).toFixed(2)}% over all ${total}` : ''));

  const buildReq: BuildRequest = {
    config: rtlConfig,
    parameters: { Rows: rows, Cols: cols, RoundingMode: rounding === 'single' ? 0 : 1 },
    deep,
    log: (l) => log(`rtl: ${l}`),
  };
  const build = await stage('build', () => buildRtl(buildReq));
  log(`rtl: ${build.cached ? 'cached build' : `built in ${build.seconds.toFixed(1)} s`} ${build.dir}`);

  const rtl = openRtlSim(build);
  const lockstep = new Lockstep(rtl, { deep });
  const codes = quantizeImage(model, pixels, pixelTable(model));
  const barStart = performance.now();
  const tty = process.stderr.isTTY === true;
  const result = await stage('lockstep', () =>
    runNetworkLockstep(model, lockstep, codes, {
      batch,
      onImage: (done, n) => {
        if (tty || done % 1024 < batch || done === n) {
          const s = (performance.now() - barStart) / 1000;
          const fill = Math.round((done / n) * 30);
          const line = `lockstep [${'#'.repeat(fill)}${'.'.repeat(30 - fill)}] ${done}/${n} images, ${(s > 0 ? done / s : 0).toFixed(0)} img/s, ${s.toFixed(0)} s`;
          process.stderr.write(tty ? `\r${line}` : `${line}\n`);
        }
      },
    }),
  );
  if (tty) process.stderr.write('\n');

  let correctRtl = 0;
  for (let i = 0; i < result.images; i++) if (result.predictions[i] === labels[i]) correctRtl++;
  const agree = result.predictions.every((p, i) => p === golden.predictions[i]);

  let first: Record<string, unknown> | null = null;
  let windowText = '';
  if (result.mismatch) {
    const m = result.mismatch.verdict.first;
    const vcdPath = join(outDir, 'mismatch.vcd');
    const trace = referenceTrace(lockstep.cfg, lockstep.history, m.cycle - 4, m.cycle + 4);
    const win = await stage('window', () => captureWindow({ build: buildReq, history: lockstep.history, mismatch: m, window, vcdPath }));
    const table = await readWaveTable(vcdPath, keyColumns({ top: rtlConfig.top, rows, row: m.row, col: m.col }), win.firstCycle, win.lastCycle);
    windowText = [
      `hw-sim trace around cycle ${m.cycle}:`,
      ...trace.map((l) => `${l.cycle === m.cycle ? '>' : ' '} ${l.text}`),
      `VCD window [${win.firstCycle}, ${win.lastCycle}] (${win.reproduced ? 'replay reproduces the mismatch' : `REPLAY DOES NOT REPRODUCE IT (got ${win.replayed})`}): ${relative(process.cwd(), vcdPath)}`,
      formatWaveTable(table, m.cycle),
    ].join('\n');
    first = {
      layer: m.layer, tile: m.tile, cycle: m.cycle, where: m.where, kind: m.kind, ...(m.row !== undefined ? { row: m.row } : {}),
      ...(m.col !== undefined ? { col: m.col } : {}), expected: m.expected, actual: m.actual, image: result.mismatch.image,
      programCycle: m.programCycle, vcdPath: relative(process.cwd(), vcdPath), vcdFirstCycle: win.firstCycle, replayReproduced: win.reproduced,
      hwsimTrace: trace.map((l) => l.text),
    };
  }
  rtl.close();

  const stats = result.stats;
  const report = {
    dataset,
    network,
    bits: { weights: wbits, activations: abits },
    array: { rows, cols },
    roundingMode: rounding,
    images: result.images,
    testImages: total,
    // hw-sim and RTL ran on the first `images` test images only (fewer after a mismatch, when they have no accuracy):
    // the golden model's accuracy on those same images
    ...(images < total ? { lockstepSample: { images, integer: golden.accuracy } } : {}),
    accuracy: {
      float: trained.summary.accuracy.float,
      ptq: trained.summary.accuracy.ptq,
      qat: trained.summary.accuracy.qat,
      integer: goldenAll.accuracy,
      hwsim: result.mismatch ? null : correctRtl / Math.max(1, result.images),
      rtl: result.mismatch ? null : correctRtl / Math.max(1, result.images),
    },
    cycles: {
      total: stats.total.cycles,
      perLayer: stats.layers.filter((l) => l.onArray).map((l) => ({ name: l.layer, type: l.type, cycles: l.cycles, macs: l.macs, utilization: l.utilization, fillCycles: l.fill, drainCycles: l.drain, stallCycles: l.stall })),
    },
    utilization: stats.total.utilization,
    mismatches: { count: result.mismatch ? result.mismatch.verdict.count : 0, first },
    verilator: { version: build.verilatorVersion, line: verilator },
    wallSeconds: { ...wall, total: +((performance.now() - t0) / 1000).toFixed(3) },
    modelDir: relative(process.cwd(), trained.modelDir),
    rtl: { config: relative(process.cwd(), rtlConfig.source), top: rtlConfig.top, build: build.hash, deep, batch },
    goldenAgreesWithRtl: result.mismatch ? null : agree,
    peUtilization: peUtilizationFromStats(stats),
    confusion: result.mismatch ? undefined : confusionMatrix(labels.subarray(0, result.images), result.predictions, Array.from({ length: model.classes }, (_, i) => String(i))),
  };
  writeAtomic(reportPath, report);
  const htmlPath = join(outDir, 'report.html');
  await writeHtmlReport(reportPath, htmlPath);
  log(`html report: ${relative(process.cwd(), htmlPath)}`);

  const pct = (x: number | null): string => (x === null ? 'n/a' : `${(x * 100).toFixed(2)}%`);
  console.log(
    [
      `cosim ${dataset}/${network} W${wbits}A${abits} ${rows}x${cols} ${rounding}: ${result.images} images, ${stats.total.cycles} cycles, utilization ${(stats.total.utilization * 100).toFixed(1)}%`,
      `accuracy float ${pct(report.accuracy.float)}  ptq ${pct(report.accuracy.ptq)}  qat ${pct(report.accuracy.qat)}  integer ${pct(goldenAll.accuracy)}${images < total ? ` (${pct(golden.accuracy)} on the ${images} lockstep images)` : ''}  hw-sim ${pct(report.accuracy.hwsim)}  rtl ${pct(report.accuracy.rtl)}`,
      `mismatches ${report.mismatches.count}; wall ${Object.entries(report.wallSeconds).map(([k, v]) => `${k} ${v}s`).join(', ')}`,
      `report: ${relative(process.cwd(), reportPath)}`,
    ].join('\n'),
  );
  if (result.mismatch) {
    console.log(windowText);
    throw mismatchError(result.mismatch.verdict.first);
  }
  if (!agree) {
    throw new UsageError('RTL and hw-sim agree, but their predictions differ from the golden model (see report.json)');
  }
}
