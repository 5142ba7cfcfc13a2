/**
 * The page's input (ReportData) from the three files, each already checked by its writer's schema: report.json
 * (report/schema/cosim-report.ts), the training summary (model/summary.ts) and the synthesis report
 * (synth/report-schema.ts). Nothing is guessed here: a key either is in the schema or is not read.
 */
import type { TrainSummary } from '../../model/summary.ts';
import type { SynthReport } from '../../synth/report-schema.ts';
import type { ReportJson } from '../schema/cosim-report.ts';
import type { AccuracySet, EpochRow, MismatchInfo, ReportData, SynthRow, TrainingCurves } from '../types.ts';

/** The stages whose accuracy is known (null: not measured, after a lockstep mismatch). */
function accuracyOf(a: ReportJson['accuracy']): AccuracySet {
  const r: AccuracySet = {};
  if (a === undefined) return r;
  for (const k of ['float', 'ptq', 'qat', 'integer', 'hwsim', 'rtl'] as const) {
    const v = a[k];
    if (v !== undefined && v !== null) r[k] = v;
  }
  return r;
}

function mismatchOf(m: NonNullable<NonNullable<ReportJson['mismatches']>['first']>): MismatchInfo {
  const info: MismatchInfo = {
    layer: m.layer, tile: m.tile, cycle: m.cycle, where: m.where, expected: m.expected, actual: m.actual, vcdPath: m.vcdPath, vcdFirstCycle: m.vcdFirstCycle,
  };
  if (m.row !== undefined) info.row = m.row;
  if (m.col !== undefined) info.col = m.col;
  return info;
}

/** report.json's sections as the page's input; the training curves and the synthesis come from their own files. */
export function reportDataFrom(r: ReportJson): ReportData {
  const d: ReportData = { dataset: r.dataset, network: r.network, bits: r.bits, array: r.array, accuracy: accuracyOf(r.accuracy) };
  if (r.roundingMode !== undefined) d.roundingMode = r.roundingMode;
  if (r.images !== undefined) d.images = r.images;
  if (r.testImages !== undefined) d.testImages = r.testImages;
  if (r.lockstepSample !== undefined) d.lockstepSample = r.lockstepSample;
  if (r.cycles !== undefined) {
    d.cycles = { total: r.cycles.total };
    d.perLayer = r.cycles.perLayer;
  }
  if (r.utilization !== undefined) d.utilization = r.utilization;
  if (r.mismatches !== undefined) {
    d.mismatches = { differingWordsInChunk: r.mismatches.differingWordsInChunk, chunkCycles: r.mismatches.chunkCycles };
    if (r.mismatches.first !== null) d.mismatch = mismatchOf(r.mismatches.first);
  }
  if (r.checks !== undefined) d.checks = r.checks;
  if (r.check !== undefined) d.check = r.check;
  if (r.timing !== undefined && r.timing !== null) d.timing = r.timing;
  if (r.transactionFailure !== undefined && r.transactionFailure !== null) d.transactionFailure = r.transactionFailure;
  if (r.verilator !== undefined) d.verilator = r.verilator.version;
  if (r.wallSeconds !== undefined) d.wallSeconds = r.wallSeconds.total as number;
  if (r.peUtilization !== undefined) d.peUtilization = r.peUtilization;
  if (r.confusion !== undefined) d.confusion = r.confusion;
  return d;
}

function epochRows(records: TrainSummary['curves']['float']): EpochRow[] {
  return records.map((e) => ({ ...e }));
}

/** The training curves and the float, PTQ, QAT and integer accuracies of the trainer's summary. */
export function trainingFrom(s: TrainSummary): { training: TrainingCurves; accuracy: AccuracySet } {
  return { training: { float: epochRows(s.curves.float), qat: epochRows(s.curves.qat) }, accuracy: { ...s.accuracy } };
}

/** One row per synthesis job; the figures of a job that timed out or failed are absent. */
export function synthRowsFrom(r: SynthReport): SynthRow[] {
  return r.entries.map((e) => {
    const row: SynthRow = { target: e.target, rows: e.rows, cols: e.cols, roundingModes: e.roundingModes, status: e.status, seconds: e.seconds };
    if (e.message !== undefined) row.message = e.message;
    const res = e.resources;
    if (res !== undefined) Object.assign(row, { luts: res.luts, ffs: res.flipFlops, dsps: res.dsps, brams: res.brams, extra: { lutRams: res.lutRams, carries: res.carries } });
    return row;
  });
}
