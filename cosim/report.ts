/**
 * report.json of a cosim run (docs/HARNESS.md lists the keys): the checks and the verdict first, then what ran,
 * the accuracies of every stage, the byte counts, the corner tier, cycles, the lockstep's mismatch, the build.
 */
import { relative } from 'node:path';
import { confusionMatrix, layerRowsFromStats, peUtilizationFromStats } from '../report/from-stats.ts';
import type { CosimReport } from '../report/schema/cosim-report.ts';
import type { Lockstep, NetworkTransactionResult, RtlBuild, RtlConfig, runNetworkLockstep, TransactionRunner } from '../harness/index.ts';
import { mismatchError } from '../harness/index.ts';
import type { LayerCheckResult } from '../harness/network/layerCheck.ts';
import type { WarningSummary } from '../harness/build/warnings.ts';
import { byteChecks, verdictOf, type CornerTierReport, type CosimCheck } from './checks.ts';
import type { ModelSource } from './model-source.ts';
import type { Feed } from './feed.ts';
import type { QuantModel } from '../quant/format/types.ts';
import type { CosimOptions } from './options.ts';

type NetworkResult = Awaited<ReturnType<typeof runNetworkLockstep>>;

/** How the network was checked (cosim --check), with what ran it and its result. */
export type NetworkCheck =
  | { mode: 'cycles'; lockstep: Lockstep; result: NetworkResult }
  | { mode: 'transactions'; runner: TransactionRunner; result: NetworkTransactionResult; failure: CosimReport['transactionFailure'] };

export interface ReportInput {
  o: CosimOptions;
  src: ModelSource;
  rtlConfig: RtlConfig;
  build: RtlBuild;
  verilatorLine: string;
  warnings: WarningSummary;
  corners: { check: CosimCheck; report: CornerTierReport | null };
  net: NetworkCheck;
  bytes: LayerCheckResult;
  /** The model as run (an imported one with its arithmetic). */
  model: QuantModel;
  feed: Feed;
  total: number;
  /** The golden model's accuracy over the whole feed (absent without labels). */
  integer?: number;
  /** TFLite's runtime against the golden model, when the run's arithmetic is the runtime's (cosim/runtime-check.ts). */
  tflite?: CosimCheck;
  first: CosimReport['mismatches']['first'];
  wall: Record<string, number>;
}

/** The network's own check: the lockstep's (every output word, deep: and PE register, of every cycle) or the transaction scoreboard's (every row). */
function networkCheck(x: ReportInput): CosimCheck {
  const n = x.net;
  if (n.mode === 'transactions') {
    const s = n.runner.totals.summary();
    const c: CosimCheck = {
      name: 'transactions',
      status: n.failure ? 'fail' : s.seen > 0 && s.seen === s.rows ? 'pass' : 'not-run',
      what: `RTL vs hw-sim, transaction level: every output row of every program exactly once, its address, o_acc_o and o_data_o, whatever its timing (${s.programs} programs, ${s.rows} rows)`,
      compared: s.seen,
      unit: 'rows',
    };
    if (n.failure) c.detail = n.failure.message;
    return c;
  }
  const c: CosimCheck = {
    name: 'lockstep',
    status: n.result.mismatch ? 'fail' : 'pass',
    what: `RTL vs hw-sim: every output word${x.o.deep ? ' and every PE register' : ''} of every cycle (${n.result.cycles} cycles)`,
    compared: n.lockstep.wordsCompared,
    unit: 'words',
  };
  if (n.result.mismatch) c.detail = mismatchError(n.result.mismatch.verdict.first).message;
  return c;
}

/** Transaction mode: the RTL's latency and throughput beside hw-sim's, summed over the run. */
function timingOf(n: NetworkCheck): CosimReport['timing'] {
  if (n.mode === 'cycles') return null;
  const s = n.runner.totals.summary();
  return {
    programs: s.programs, rows: s.rows, seen: s.seen,
    rtl: { latency: s.latency, cycles: s.cycles, rowsPerCycle: s.rowsPerCycle },
    hwsim: { latency: s.reference.latency, cycles: s.reference.cycles, rowsPerCycle: s.reference.rowsPerCycle },
  };
}

/** report.json, in the type of its schema (report/schema/cosim-report.ts), which the HTML report parses it with. */
export function buildCosimReport(x: ReportInput): CosimReport {
  const { o, src, bytes } = x;
  const result = x.net.result;
  const failed = x.net.mode === 'cycles' ? x.net.result.mismatch !== undefined : x.net.result.failure !== undefined;
  const labels = x.feed.labels;
  const images = x.feed.images;
  const stopped = !failed ? undefined : `the ${x.net.mode === 'cycles' ? 'lockstep stopped at its first mismatch' : 'transaction check stopped at its first error'}, after ${result.images} of ${images} images`;
  const checks = [x.corners.check, networkCheck(x), ...byteChecks(bytes, stopped), ...(x.tflite ? [x.tflite] : [])];
  const { verdict, failed: failedChecks } = verdictOf(checks);
  const correct = (p: Int32Array): number => (labels === undefined ? 0 : p.reduce((a, v, i) => a + (v === labels[i] ? 1 : 0), 0));
  const acc = (p: Int32Array): number | null => (failed || p.length === 0 ? null : correct(p) / p.length);
  const arithmetic = x.model.arithmetic;
  const stats = result.stats;
  const n = x.net;
  return {
    check: n.mode,
    verdict,
    failedChecks,
    checks,
    dataset: src.dataset,
    network: src.network,
    bits: src.bits,
    array: { rows: o.rows, cols: o.cols, roundingModes: [...x.build.roundingModes] },
    // a trained model runs in one rounding mode; an imported one in its TFLite arithmetic (each layer's rounding)
    ...(arithmetic === undefined ? { roundingMode: o.rounding, exportRoundingMode: src.model.roundingMode } : { arithmetic }),
    inputs: x.feed.source,
    images: result.images,
    testImages: x.total,
    // hw-sim and the RTL ran on the first `images` test images only: the golden model's accuracy on those images
    ...(images < x.total && labels !== undefined ? { lockstepSample: { images, integer: correct(bytes.predictions.golden) / Math.max(1, bytes.images) } } : {}),
    ...(x.integer === undefined ? {} : { accuracy: { ...(src.trained ?? {}), integer: x.integer, hwsim: acc(bytes.predictions.hwsim), rtl: acc(bytes.predictions.rtl) } }),
    bytes: { images: bytes.images, pairs: bytes.pairs, perLayer: bytes.layers, first: bytes.first ?? null },
    cornerTier: x.corners.report,
    cycles: { total: stats.total.cycles, perLayer: layerRowsFromStats(stats) },
    utilization: stats.total.utilization,
    // The lockstep stops at the end of the chunk that holds the first mismatch: the count is of that chunk only.
    timing: timingOf(n),
    transactionFailure: n.mode === 'transactions' ? n.failure : null,
    mismatches: n.mode === 'cycles'
      ? { differingWordsInChunk: n.result.mismatch ? n.result.mismatch.verdict.count : 0, chunkCycles: n.lockstep.chunk, wordsCompared: n.lockstep.wordsCompared, first: x.first }
      : { differingWordsInChunk: 0, chunkCycles: n.runner.chunk, wordsCompared: 0, first: null },
    verilator: { version: x.build.verilatorVersion, line: x.verilatorLine, warnings: x.warnings },
    wallSeconds: x.wall,
    modelDir: relative(process.cwd(), src.modelDir),
    rtl: { config: relative(process.cwd(), x.rtlConfig.source), top: x.rtlConfig.top, build: x.build.hash, deep: o.deep, batch: o.batch, parameters: x.build.parameters },
    peUtilization: peUtilizationFromStats(stats),
    confusion: failed || labels === undefined ? undefined : confusionMatrix(labels.subarray(0, result.images), bytes.predictions.rtl, Array.from({ length: src.model.classes }, (_, i) => String(i))),
  };
}

export type { CosimReport };
