/**
 * `int8cosim cosim` (make cosim): train or reuse the cached model (or take `--model <export dir>`), build the RTL,
 * run the quick corner tier on that build, then the network over the test set with golden -> hw-sim -> RTL: the RTL
 * in lockstep with hw-sim (every output word of every cycle) and every layer's output bytes of all three compared.
 * Writes out/cosim/report.json (atomically) and report.html; the verdict is PASS only when every check held. On a
 * lockstep mismatch also the VCD window under out/cosim/ and the key signals around it. Exit status 1 on any FAIL.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { writeHtmlReport } from '../report/html-report.ts';
import { confusionMatrix, peUtilizationFromStats } from '../report/from-stats.ts';
import { ensureTrainedModel, loadDataset, progressBar } from '../model/index.ts';
import { readSummary } from '../model/export/write-export.ts';
import { readModel } from '../quant/format/read.ts';
import type { QuantModel } from '../quant/format/types.ts';
import { evaluate } from '../quant/golden/evaluate.ts';
import { pixelTable, quantizeImage } from '../quant/golden/image.ts';
import { ROUNDING_MODES, type RoundingMode } from '../quant/spec/index.ts';
import { CosimError, UsageError } from '../quant/errors.ts';
import {
  buildRtl, captureWindow, defaultRtlConfigPath, ensureVerilator, formatWaveTable, keyColumns, loadRtlConfig, Lockstep,
  mismatchError, openRtlSim, readWaveTable, referenceTrace, runNetworkLockstep, type BuildRequest, type RtlBuild,
} from '../harness/index.ts';
import { LayerCheck, describeLayerDifference } from '../harness/network/layerCheck.ts';
import { formatWarningSummary, summarizeWarnings } from '../harness/build/warnings.ts';
import { CORNER_TIER_CASES, runCornerTier } from '../verify/corner-tier.ts';
import { parseCommandArgs } from './args.ts';
import { byteChecks, formatChecks, verdictOf, type CosimCheck } from './cosim-checks.ts';

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

function int(v: string | undefined, name: string, lo: number, hi: number, dflt: number): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n) || n < lo || n > hi) throw new UsageError(`--${name} must be an integer in [${lo}, ${hi}], got '${v}'`);
  return n;
}

function writeAtomic(path: string, data: unknown): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(data, null, 2)}\n`);
  renameSync(tmp, path);
}

type Stage = <T>(name: string, f: () => Promise<T> | T) => Promise<T>;

interface ModelSource {
  model: QuantModel;
  modelDir: string;
  cached: boolean;
  /** Float, PTQ and QAT accuracy from the training summary, when there is one. */
  trained?: { float: number; ptq: number; qat: number };
  dataset: string;
  network: string;
  bits: { weights: number; activations: number };
}

/** The model: an export folder (--model), or the cached (else freshly trained) one for the flags. */
async function modelSource(o: Record<string, string | boolean | undefined>, stage: Stage, log: (m: string) => void): Promise<ModelSource> {
  if (typeof o.model === 'string') {
    const dir = resolve(o.model);
    const model = await stage('export', () => readModel(dir));
    let trained: ModelSource['trained'];
    try {
      const s = readSummary(dir);
      trained = { float: s.accuracy.float, ptq: s.accuracy.ptq, qat: s.accuracy.qat };
    } catch {
      trained = undefined; // an export without a training summary (written by hand or by another tool)
    }
    const meta = model.meta as { dataset?: unknown; network?: unknown; weightBits?: unknown; activationBits?: unknown };
    const dataset = typeof o.dataset === 'string' ? o.dataset : typeof meta.dataset === 'string' ? meta.dataset : 'mnist';
    const network = typeof meta.network === 'string' ? meta.network : model.name;
    const bitsOf = (v: unknown): number => (typeof v === 'number' && Number.isInteger(v) ? v : 8);
    const bits = { weights: bitsOf(meta.weightBits), activations: bitsOf(meta.activationBits) };
    return { model, modelDir: dir, cached: true, ...(trained ? { trained } : {}), dataset, network, bits };
  }
  const dataset = (o.dataset as string | undefined) ?? 'mnist';
  const network = (o.network as string | undefined) ?? 'cnn';
  const wbits = int(o.wbits as string | undefined, 'wbits', 2, 8, 8);
  const abits = int(o.abits as string | undefined, 'abits', 2, 8, 8);
  // The exported integers do not depend on the requantizer's rounding (only its ties do): one cached model serves
  // every --rounding and every array size (model/ensure.ts).
  const t = await stage('train', () =>
    ensureTrainedModel({
      dataset, network, weightBits: wbits, activationBits: abits, floatEpochs: 3, qatEpochs: 2, seed: 1,
      onProgress: progressBar(), log,
    }),
  );
  const model = await stage('export', () => readModel(t.modelDir));
  const a = t.summary.accuracy;
  return { model, modelDir: t.modelDir, cached: t.cached, trained: { float: a.float, ptq: a.ptq, qat: a.qat }, dataset, network, bits: { weights: wbits, activations: abits } };
}

/** The quick corner tier on the cosim's own build: every corner of the contract, which a trained network never reaches. */
async function cornerCheck(req: BuildRequest, build: RtlBuild, cases: number, deep: boolean, log: (m: string) => void): Promise<{ check: CosimCheck; report: unknown }> {
  const g = build.geometry;
  const what = `quick corner tier on this build (${g.rows}x${g.cols} AccDepth ${g.accDepth} ${build.roundingMode}): golden vs hw-sim vs RTL${deep ? ', deep' : ''}`;
  if (cases === 0) return { check: { name: 'corner tier', status: 'not-run', what, compared: 0, unit: 'cases', detail: '--corner-cases 0' }, report: null };
  const r = await runCornerTier({
    rtl: { config: req.config, deep, ...(req.defines ? { defines: req.defines } : {}) },
    cfg: { rows: g.rows, cols: g.cols, accDepth: g.accDepth, roundingMode: build.roundingMode },
    cases,
    log: (l) => log(`corners: ${l}`),
  });
  const f = r.failures[0];
  const check: CosimCheck = { name: 'corner tier', status: r.failed === 0 && r.cases > 0 ? 'pass' : 'fail', what, compared: r.cases, unit: 'cases' };
  if (f !== undefined) check.detail = `${r.failed} of ${r.cases} cases failed; first seed ${f.seed} (${f.kind}, ${f.stage}): ${f.message}; replay: ${f.replay}`;
  return { check, report: { cases: r.cases, passed: r.passed, failed: r.failed, cycles: r.cycles, seconds: +r.seconds.toFixed(3), kinds: r.kinds, failures: r.failures.slice(0, 10) } };
}

function lockstepProgress(total: number, batch: number): (done: number, n: number) => void {
  const start = performance.now();
  const tty = process.stderr.isTTY === true;
  return (done, n) => {
    if (tty || done % 1024 < batch || done === n) {
      const s = (performance.now() - start) / 1000;
      const fill = Math.round((done / total) * 30);
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
  const o = parsed.values;
  if (o.model !== undefined && (o.network !== undefined || o.wbits !== undefined || o.abits !== undefined)) {
    throw new UsageError('--model takes an exported model as it is: --network, --wbits and --abits are for training one');
  }
  const t0 = performance.now();
  const wall: Record<string, number> = {};
  const stage: Stage = async (name, f) => {
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
  const window = int(o.window, 'window', 1, 1000, 16);
  const batch = int(o.batch, 'batch', 1, 4096, 32);
  const cornerCases = int(o['corner-cases'], 'corner-cases', 0, 100_000, CORNER_TIER_CASES);
  const deep = o.deep === true;
  const outDir = resolve(o.out ?? join('out', 'cosim'));
  const reportPath = join(outDir, 'report.json');
  const log = (m: string): void => console.error(m);

  // A run that dies half-way must not leave last run's report looking like this one's.
  mkdirSync(outDir, { recursive: true });
  for (const f of ['report.json', 'report.html', 'mismatch.vcd']) rmSync(join(outDir, f), { force: true });

  const verilator = await stage('tools', () => ensureVerilator(log));
  const rtlConfig = loadRtlConfig(o['rtl-config'] ?? defaultRtlConfigPath());
  const src = await modelSource(o, stage, log);
  log(`model: ${relative(process.cwd(), src.modelDir)}${src.cached ? ' (cached)' : ''}`);
  if (src.model.roundingMode !== rounding) {
    log(`model: exported with '${src.model.roundingMode}' rounding, run with '${rounding}' (the same integers; only the requantizer's ties differ)`);
  }
  const model: QuantModel = { ...src.model, roundingMode: rounding };

  const data = loadDataset(src.dataset);
  const inSize = data.shape[0] * data.shape[1] * data.shape[2];
  const total = data.test.labels.length;
  const images = int(o.images, 'images', 1, total, total);
  const pixels = data.test.images.subarray(0, images * inSize);
  const labels = data.test.labels.subarray(0, images);

  // AccDepth always given (the config's, else the contract's 1024), so that the corner tier's build is this one.
  const parameters: Record<string, number | string> = { Rows: rows, Cols: cols, AccDepth: rtlConfig.parameters.AccDepth ?? 1024, RoundingMode: rounding === 'single' ? 0 : 1 };
  const buildReq: BuildRequest = { config: rtlConfig, parameters, deep, log: (l) => log(`rtl: ${l}`) };
  const build = await stage('build', () => buildRtl(buildReq));
  const warnings = summarizeWarnings(build.warnings);
  log(`rtl: ${build.cached ? 'cached build' : `built in ${build.seconds.toFixed(1)} s`} ${build.dir}; ${formatWarningSummary(warnings)}`);
  for (const w of warnings.first) log(`rtl:   ${w}`);

  const corners = await stage('corners', () => cornerCheck(buildReq, build, cornerCases, deep, log));
  log(`corners: ${corners.check.status.toUpperCase()} ${corners.check.compared} cases${corners.check.detail ? `: ${corners.check.detail}` : ''}`);

  const rtl = openRtlSim(build);
  const lockstep = new Lockstep(rtl, { deep });
  const codes = quantizeImage(model, pixels, pixelTable(model));
  const layerCheck = new LayerCheck(model, rounding, images);
  const result = await stage('lockstep', () =>
    runNetworkLockstep(model, lockstep, codes, {
      batch,
      onImage: lockstepProgress(images, batch),
      onBatch: (b0, x, layers) => layerCheck.checkBatch(b0, x, layers.hwsim, layers.rtl),
    }),
  );
  const bytes = layerCheck.result();
  // The golden model's accuracy over the whole test set (float, PTQ and QAT are over the whole set too): from the
  // byte check's own golden run when that covered the whole set, otherwise a run of its own.
  const integerAccuracy = await stage('golden', () =>
    bytes.images === total
      ? bytes.predictions.golden.reduce((a, p, i) => a + (p === data.test.labels[i] ? 1 : 0), 0) / total
      : evaluate(model, data.test.images, data.test.labels).accuracy,
  );
  log(`golden (integer, ${rounding} rounding) accuracy ${(integerAccuracy * 100).toFixed(2)}% over all ${total} test images`);

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
  const wordsCompared = lockstep.wordsCompared;
  rtl.close();

  const stopped = result.mismatch ? `the lockstep stopped at its first mismatch, after ${result.images} of ${images} images` : undefined;
  const lockstepCheck: CosimCheck = {
    name: 'lockstep',
    status: result.mismatch ? 'fail' : 'pass',
    what: `RTL vs hw-sim: every output word${deep ? ' and every PE register' : ''} of every cycle (${result.cycles} cycles)`,
    compared: wordsCompared,
    unit: 'words',
  };
  if (result.mismatch) lockstepCheck.detail = mismatchError(result.mismatch.verdict.first).message;
  const checks = [corners.check, lockstepCheck, ...byteChecks(bytes, stopped)];
  const { verdict, failed } = verdictOf(checks);

  const correct = (p: Int32Array): number => p.reduce((a, v, i) => a + (v === labels[i] ? 1 : 0), 0);
  const acc = (p: Int32Array): number | null => (result.mismatch || p.length === 0 ? null : correct(p) / p.length);
  const stats = result.stats;
  const report = {
    verdict,
    failedChecks: failed,
    checks,
    dataset: src.dataset,
    network: src.network,
    bits: src.bits,
    array: { rows, cols },
    roundingMode: rounding,
    exportRoundingMode: src.model.roundingMode,
    images: result.images,
    testImages: total,
    // hw-sim and the RTL ran on the first `images` test images only: the golden model's accuracy on those images
    ...(images < total ? { lockstepSample: { images, integer: correct(bytes.predictions.golden) / Math.max(1, bytes.images) } } : {}),
    accuracy: {
      ...(src.trained ?? {}),
      integer: integerAccuracy,
      hwsim: acc(bytes.predictions.hwsim),
      rtl: acc(bytes.predictions.rtl),
    },
    bytes: {
      images: bytes.images,
      pairs: bytes.pairs,
      perLayer: bytes.layers,
      first: bytes.first ?? null,
    },
    cornerTier: corners.report,
    cycles: {
      total: stats.total.cycles,
      perLayer: stats.layers.filter((l) => l.onArray).map((l) => ({ name: l.layer, type: l.type, cycles: l.cycles, macs: l.macs, utilization: l.utilization, fillCycles: l.fill, drainCycles: l.drain, stallCycles: l.stall })),
    },
    utilization: stats.total.utilization,
    // The lockstep stops at the end of the chunk that holds the first mismatch: the count is of that chunk only.
    mismatches: {
      differingWordsInChunk: result.mismatch ? result.mismatch.verdict.count : 0,
      chunkCycles: lockstep.chunk,
      wordsCompared,
      first,
    },
    verilator: { version: build.verilatorVersion, line: verilator, warnings },
    wallSeconds: { ...wall, total: +((performance.now() - t0) / 1000).toFixed(3) },
    modelDir: relative(process.cwd(), src.modelDir),
    rtl: { config: relative(process.cwd(), rtlConfig.source), top: rtlConfig.top, build: build.hash, deep, batch, parameters: build.parameters },
    peUtilization: peUtilizationFromStats(stats),
    confusion: result.mismatch ? undefined : confusionMatrix(labels.subarray(0, result.images), bytes.predictions.rtl, Array.from({ length: model.classes }, (_, i) => String(i))),
  };
  writeAtomic(reportPath, report);
  const htmlPath = join(outDir, 'report.html');
  await writeHtmlReport(reportPath, htmlPath);

  const pct = (x: number | null | undefined): string => (x === null || x === undefined ? 'n/a' : `${(x * 100).toFixed(2)}%`);
  const a = report.accuracy;
  console.log(
    [
      `cosim ${src.dataset}/${src.network} W${src.bits.weights}A${src.bits.activations} ${rows}x${cols} ${rounding}: ${result.images} images, ${stats.total.cycles} cycles, utilization ${(stats.total.utilization * 100).toFixed(1)}%`,
      `accuracy float ${pct(src.trained?.float)}  ptq ${pct(src.trained?.ptq)}  qat ${pct(src.trained?.qat)}  integer ${pct(integerAccuracy)}${images < total ? ` (${pct(report.lockstepSample?.integer)} on the ${images} lockstep images)` : ''}  hw-sim ${pct(a.hwsim)}  rtl ${pct(a.rtl)}`,
      ...formatChecks(checks),
      `${verdict}${failed.length > 0 ? ` (failed or not run: ${failed.join(', ')})` : ': every check held'}; wall ${Object.entries(report.wallSeconds).map(([k, v]) => `${k} ${v}s`).join(', ')}`,
      `report: ${relative(process.cwd(), reportPath)}, ${relative(process.cwd(), htmlPath)}`,
    ].join('\n'),
  );
  if (result.mismatch) {
    console.log(windowText);
    throw mismatchError(result.mismatch.verdict.first);
  }
  if (bytes.first !== undefined) throw new CosimError(`layer outputs differ byte for byte: ${describeLayerDifference(bytes.first)}`);
  if (verdict !== 'PASS') throw new CosimError(`cosim FAIL: ${checks.filter((c) => c.status !== 'pass').map((c) => `${c.name} ${c.status}${c.detail ? ` (${c.detail})` : ''}`).join('; ')}`);
}
