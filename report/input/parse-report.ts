/**
 * Parses the top level of out/cosim/report.json (written by `int8cosim cosim`) and of the trainer's
 * summary.json into ReportData and the pointers to the other files the loader reads.
 */
import { arr, At, int, isObject, num, obj, opt, optAny, req, str, fraction, type Json } from './check.ts';
import {
  parseAccuracy, parseBits, parseConfusion, parseLayers, parseMismatch, parsePeUtilization, parseSweep, parseSynthesis,
  parseTraining,
} from './parse-sections.ts';
import type { AccuracySet, CheckRow, ReportData, TrainingCurves } from '../types.ts';

export interface ReportPointers {
  /** The training summary: `summaryPath`, or `<modelDir>/summary.json`. */
  summaryPath?: string;
  /** The synthesis report, when report.json names it (default: out/synth/report.json beside out/cosim). */
  synthPath?: string;
  /** A bit-width sweep's results: an array of sweep rows or an object holding them under `sweep` or `rows`. */
  sweepPath?: string;
}

function parseRounding(v: unknown, at: At): string {
  if (v === 0 || v === 1) return v === 0 ? 'single' : 'double';
  return str(v, at);
}

function parseVerilator(v: unknown, at: At): string {
  if (isObject(v)) return optAny(v, ['version', 'name'], at, str) ?? JSON.stringify(v);
  return typeof v === 'boolean' ? (v ? 'yes' : 'no') : str(v, at);
}

const CHECK_STATUS = ['pass', 'fail', 'not-run'] as const;

function parseChecks(v: unknown, at: At): CheckRow[] {
  return arr(v, at).map((x, i) => {
    const a = at.key(i);
    const c = obj(x, a);
    const status = req(c, 'status', a, str);
    if (!(CHECK_STATUS as readonly string[]).includes(status)) a.key('status').fail(CHECK_STATUS.join(' | '), status);
    const row: CheckRow = { name: req(c, 'name', a, str), status: status as CheckRow['status'], what: req(c, 'what', a, str) };
    const compared = opt(c, 'compared', a, int);
    if (compared !== undefined) row.compared = compared;
    const unit = opt(c, 'unit', a, str);
    if (unit !== undefined) row.unit = unit;
    const detail = opt(c, 'detail', a, str);
    if (detail !== undefined) row.detail = detail;
    return row;
  });
}

export function parseReportJson(v: unknown, file: string): { data: ReportData; pointers: ReportPointers } {
  const at = new At(file);
  const o = obj(v, at);
  const data: ReportData = {
    dataset: req(o, 'dataset', at, str),
    network: req(o, 'network', at, str),
    bits: req(o, 'bits', at, parseBits),
    array: req(o, 'array', at, (x, a) => {
      const ao = obj(x, a);
      return { rows: req(ao, 'rows', a, (y, b) => int(y, b, 1)), cols: req(ao, 'cols', a, (y, b) => int(y, b, 1)) };
    }),
    accuracy: opt(o, 'accuracy', at, parseAccuracy) ?? {},
  };
  const put = <K extends keyof ReportData>(k: K, x: ReportData[K] | undefined): void => {
    if (x !== undefined) data[k] = x;
  };
  put('roundingMode', opt(o, 'roundingMode', at, parseRounding));
  put('images', opt(o, 'images', at, int));
  put('testImages', opt(o, 'testImages', at, int));
  put('lockstepSample', opt(o, 'lockstepSample', at, (x, b) => {
    const v = obj(x, b);
    return { images: int(v.images, b.key('images')), integer: fraction(v.integer, b.key('integer')) };
  }));
  put('utilization', opt(o, 'utilization', at, fraction));
  put('verilator', opt(o, 'verilator', at, parseVerilator));
  // wallSeconds is either one number or seconds per stage ({tools, train, ..., total}); the page shows the total.
  put('wallSeconds', opt(o, 'wallSeconds', at, (x, b) => {
    if (typeof x === 'number') return num(x, b);
    const stages = obj(x, b);
    return num(stages.total ?? Object.values(stages).reduce((a: number, v) => a + (typeof v === 'number' ? v : 0), 0), b.key('total'));
  }));

  const cycles = opt(o, 'cycles', at, obj);
  if (cycles !== undefined) {
    const total = opt(cycles, 'total', at.key('cycles'), int);
    if (total !== undefined) data.cycles = { total };
    put('perLayer', opt(cycles, 'perLayer', at.key('cycles'), parseLayers));
  }
  put('perLayer', opt(o, 'perLayer', at, parseLayers) ?? data.perLayer);

  const mismatches = opt(o, 'mismatches', at, obj);
  if (mismatches !== undefined) {
    const words = req(mismatches, 'differingWordsInChunk', at.key('mismatches'), int);
    const chunk = opt(mismatches, 'chunkCycles', at.key('mismatches'), int);
    data.mismatches = chunk === undefined ? { differingWordsInChunk: words } : { differingWordsInChunk: words, chunkCycles: chunk };
    put('mismatch', opt(mismatches, 'first', at.key('mismatches'), parseMismatch));
  }
  put('mismatch', opt(o, 'mismatch', at, parseMismatch) ?? data.mismatch);
  if (data.mismatch !== undefined && data.mismatch.vcdPath === undefined) {
    const vcd = optAny(o, ['vcdPath', 'vcd'], at, str) ?? (mismatches && optAny(mismatches, ['vcdPath', 'vcd'], at.key('mismatches'), str));
    if (vcd !== undefined) data.mismatch.vcdPath = vcd;
  }

  put('checks', opt(o, 'checks', at, parseChecks));
  put('training', opt(o, 'training', at, parseTraining));
  put('sweep', opt(o, 'sweep', at, parseSweep));
  put('peUtilization', opt(o, 'peUtilization', at, parsePeUtilization));
  put('confusion', opt(o, 'confusion', at, parseConfusion));
  put('synthesis', opt(o, 'synthesis', at, parseSynthesis));

  const pointers: ReportPointers = {};
  const modelDir = opt(o, 'modelDir', at, str);
  const summaryPath = opt(o, 'summaryPath', at, str) ?? (modelDir === undefined ? undefined : `${modelDir.replace(/\/+$/, '')}/summary.json`);
  if (summaryPath !== undefined) pointers.summaryPath = summaryPath;
  const synthPath = opt(o, 'synthPath', at, str);
  if (synthPath !== undefined) pointers.synthPath = synthPath;
  const sweepPath = opt(o, 'sweepPath', at, str);
  if (sweepPath !== undefined) pointers.sweepPath = sweepPath;
  return { data, pointers };
}

/** The trainer's summary.json: curves under `curves`, `training`, `history` or the top level; accuracies. */
export function parseSummaryJson(v: unknown, file: string): { training?: TrainingCurves; accuracy: AccuracySet; sweep?: ReportData['sweep'] } {
  const at = new At(file);
  const o: Json = obj(v, at);
  let training: TrainingCurves | undefined;
  for (const k of ['curves', 'training', 'history', 'phases']) {
    training = opt(o, k, at, parseTraining);
    if (training !== undefined) break;
  }
  training ??= parseTraining(o, at);
  const r: { training?: TrainingCurves; accuracy: AccuracySet; sweep?: ReportData['sweep'] } = {
    accuracy: opt(o, 'accuracy', at, parseAccuracy) ?? {},
  };
  if (training !== undefined) r.training = training;
  const sweep = opt(o, 'sweep', at, parseSweep);
  if (sweep !== undefined) r.sweep = sweep;
  return r;
}

export function parseSweepJson(v: unknown, file: string): ReportData['sweep'] {
  const at = new At(file);
  if (Array.isArray(v)) return parseSweep(v, at);
  const o = obj(v, at);
  return req(o, Array.isArray(o.sweep) ? 'sweep' : 'rows', at, parseSweep);
}

export function parseSynthJson(v: unknown, file: string): ReportData['synthesis'] {
  return parseSynthesis(v, new At(file));
}
