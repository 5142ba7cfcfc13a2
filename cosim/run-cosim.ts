/**
 * The cosim flow as a library function (the CLI's `int8cosim cosim` calls it): the model (export folder or cached
 * training), the RTL build, the quick corner tier on that build, then the network over the test set with the RTL in
 * lockstep with hw-sim (check 'cycles': every output word of every cycle) or in transaction mode (check
 * 'transactions', docs/ARCHITECTURE.md section 13: every output row exactly once, whatever its timing, the corner
 * tier too), and every layer's bytes of golden, hw-sim and RTL compared. Writes report.json (atomically) and report.html into opts.outDir and returns them with the verdict:
 * PASS only when every check held. It never throws for a failed check (the result says what failed); it throws
 * for bad input or a broken tool.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { writeHtmlReport } from '../report/html-report.ts';
import type { QuantModel } from '../quant/format/types.ts';
import {
  buildRtl, defaultRtlConfigPath, ensureVerilator, formatTransactionSummary, loadRtlConfig, Lockstep, openRtlSim, runNetworkLockstep, runNetworkTransactions,
  TransactionRunner, type BuildRequest,
} from '../harness/index.ts';
import { UsageError } from '../quant/errors.ts';
import { goldenKernels } from '../quant/golden/index.ts';
import { LayerCheck } from '../harness/network/layerCheck.ts';
import { defaultReferenceWorkers } from '../harness/network/referenceAhead.ts';
import { formatWarningSummary, summarizeWarnings } from '../harness/build/warnings.ts';
import { cornerCheck } from './checks.ts';
import { cosimFeed } from './feed.ts';
import { runtimeApplies, runtimeCheck } from './runtime-check.ts';
import { modelSource, type Stage } from './model-source.ts';
import { mismatchWindow, type MismatchWindow } from './mismatch-window.ts';
import { buildCosimReport, type CosimReport, type NetworkCheck } from './report.ts';
import { transactionWindow, type TransactionWindow } from './transaction-window.ts';
import type { CosimOptions } from './options.ts';

export interface CosimResult {
  report: CosimReport;
  reportPath: string;
  htmlPath: string;
  /** Set after a lockstep mismatch: the trace, VCD window and signal table; after a transaction failure, its VCD window and table. */
  window?: MismatchWindow | TransactionWindow;
}

function writeAtomic(path: string, data: unknown): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(data, null, 2)}\n`);
  renameSync(tmp, path);
}

export async function runCosim(o: CosimOptions): Promise<CosimResult> {
  const t0 = performance.now();
  const mode = o.check ?? 'cycles';
  if (mode === 'transactions' && o.deep) {
    throw new UsageError('deep mode compares PE registers every cycle, which the transaction-level contract leaves free (docs/ARCHITECTURE.md section 13): use deep or check transactions, not both');
  }
  if ((o.referenceWorkers ?? 0) > 0 && (o.deep || mode === 'transactions')) {
    throw new UsageError(`reference workers run hw-sim's side of the cycle lockstep ahead; ${o.deep ? 'deep mode compares the PE registers here, cycle by cycle' : 'the transaction check has no cycle lockstep'}: use --reference-workers 0`);
  }
  const wall: Record<string, number> = {};
  const stage: Stage = async (name, f) => {
    const s = performance.now();
    try {
      return await f();
    } finally {
      wall[name] = +((performance.now() - s) / 1000).toFixed(3);
    }
  };
  const log = o.log;
  const reportPath = join(o.outDir, 'report.json');
  // A run that dies half-way must not leave last run's report looking like this one's.
  mkdirSync(o.outDir, { recursive: true });
  for (const f of ['report.json', 'report.html', 'mismatch.vcd']) rmSync(join(o.outDir, f), { force: true });

  const verilatorLine = await stage('tools', () => ensureVerilator(log));
  const rtlConfig = loadRtlConfig(o.rtlConfigPath ?? defaultRtlConfigPath());
  const src = await modelSource(o, stage);
  log(`model: ${relative(process.cwd(), src.modelDir)}${src.cached ? ' (cached)' : ''}`);
  // A trained model runs in o.rounding (every MAC layer); an imported one in its TFLite arithmetic, per layer.
  if (!src.imported && src.model.roundingMode !== o.rounding) {
    log(`model: exported with '${src.model.roundingMode}' rounding, run with '${o.rounding}' (the same integers; only the requantizer's ties differ)`);
  }
  const model: QuantModel = src.imported ? src.model : { ...src.model, roundingMode: o.rounding };
  if (src.imported) log(`model: imported, ${model.layers.length} layers, arithmetic ${model.arithmetic}`);
  const feed = cosimFeed(o, src, model);
  const images = feed.images;
  const total = feed.total;
  log(`inputs: ${images} of ${feed.source}${feed.labels ? ', labelled' : ', no labels (bit-exactness and cycles only)'}`);

  // AccDepth always given (the config's, else the contract's 1024), so that the corner tier's build is this one;
  // RoundingModes is the config's (default: every mode), since the rounding is each program's, not the build's.
  const parameters = { Rows: o.rows, Cols: o.cols, AccDepth: rtlConfig.parameters.AccDepth ?? 1024 };
  const buildReq: BuildRequest = { config: rtlConfig, parameters, deep: o.deep, log: (l) => log(`rtl: ${l}`) };
  const build = await stage('build', () => buildRtl(buildReq));
  const warnings = summarizeWarnings(build.warnings);
  log(`rtl: ${build.cached ? 'cached build' : `built in ${build.seconds.toFixed(1)} s`} ${build.dir}; ${formatWarningSummary(warnings)}`);
  for (const w of warnings.first) log(`rtl:   ${w}`);

  if (mode === 'transactions') log(`check: transactions (docs/ARCHITECTURE.md section 13)${build.flowControl ? '; the RTL has a_ready_o, the driver honours it' : '; the RTL has no a_ready_o (ready every cycle)'}`);
  const corners = await stage('corners', () => cornerCheck(buildReq, build, o.cornerCases, o.deep, log, mode));
  log(`corners: ${corners.check.status.toUpperCase()} ${corners.check.compared} cases${corners.check.detail ? `: ${corners.check.detail}` : ''}`);

  const rtl = openRtlSim(build);
  let window: MismatchWindow | TransactionWindow | undefined;
  let net: NetworkCheck;
  const layerCheck = new LayerCheck(model, src.imported ? {} : o.rounding, images);
  const networkOpts = {
    batch: o.batch,
    ...(o.onImages ? { onImage: o.onImages } : {}),
    onBatch: (b0: number, x: Int8Array, layers: { hwsim: Int8Array[]; rtl: Int8Array[] }) => layerCheck.checkBatch(b0, x, layers.hwsim, layers.rtl),
  };
  const vcdPath = join(o.outDir, 'mismatch.vcd');
  try {
    if (mode === 'cycles') {
      const ls = new Lockstep(rtl, { deep: o.deep });
      const referenceWorkers = o.deep ? 0 : (o.referenceWorkers ?? defaultReferenceWorkers(images));
      const result = await stage('lockstep', () => runNetworkLockstep(model, ls, feed.codes, { ...networkOpts, referenceWorkers }));
      net = { mode, lockstep: ls, result };
      const mm = result.mismatch;
      if (mm) window = await stage('window', () => mismatchWindow(buildReq, ls, mm, o.window, vcdPath, o.rows));
    } else {
      const runner = new TransactionRunner(rtl);
      const result = await stage('transactions', () => runNetworkTransactions(model, runner, feed.codes, networkOpts));
      log(`transactions: ${formatTransactionSummary(runner.totals.summary())}`);
      const f = result.failure;
      let tw: TransactionWindow | undefined;
      if (f) tw = await stage('window', () => transactionWindow(buildReq, runner, f, o.window, vcdPath, o.rows));
      window = tw;
      net = { mode, runner, result, failure: tw?.failure ?? null };
    }
  } finally {
    rtl.close();
  }
  const bytes = layerCheck.result();
  const runtime = runtimeApplies(src, model) ? await stage('tflite', () => runtimeCheck(src, model, feed)) : undefined;
  const tflite = runtime === undefined || 'skipped' in runtime ? undefined : runtime;
  if (runtime !== undefined && 'skipped' in runtime) log(`tflite: ${runtime.skipped}`);
  if (tflite !== undefined) log(`tflite: ${tflite.status.toUpperCase()} ${tflite.compared} bytes${tflite.detail ? `: ${tflite.detail}` : ''}`);
  // The golden model's accuracy over the whole test set (float, PTQ and QAT are over the whole set too): from the
  // byte check's own golden run when that covered the whole set, otherwise a run of its own.
  const integer = feed.labels === undefined ? undefined : await stage('golden', () => feed.goldenAccuracy(bytes.images === total ? bytes.predictions.golden : new Int32Array(0)));
  if (integer !== undefined) log(`golden (integer, ${src.imported ? model.arithmetic : `${o.rounding} rounding`}; kernels: ${goldenKernels()}) accuracy ${(integer * 100).toFixed(2)}% over all ${total} inputs`);

  wall.total = +((performance.now() - t0) / 1000).toFixed(3);
  const report = buildCosimReport({
    o, src, model, rtlConfig, build, verilatorLine, warnings, corners, net, bytes, feed, total, ...(integer === undefined ? {} : { integer }), ...(tflite ? { tflite } : {}),
    first: window !== undefined && 'first' in window ? window.first : null, wall,
  });
  writeAtomic(reportPath, report);
  const htmlPath = join(o.outDir, 'report.html');
  await writeHtmlReport(reportPath, htmlPath);
  return { report, reportPath, htmlPath, ...(window ? { window } : {}) };
}
