/**
 * Reads out/cosim/report.json and the files it points to (the trainer's summary.json, out/synth/report.json)
 * into one ReportData. Optional files that do not exist leave their section absent, with a note saying which
 * file was looked for; a file that exists but is malformed is an error (FormatError naming the key).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { FormatError, UsageError } from '../../quant/errors.ts';
import { parseReportJson, parseSummaryJson, parseSweepJson, parseSynthJson } from './parse-report.ts';
import type { AccuracySet, ReportData } from '../types.ts';

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new FormatError(`${path}: not valid JSON: ${(err as Error).message}`, { cause: err });
  }
}

/**
 * A path written inside report.json: absolute, or relative to the working directory the harness ran in (the
 * repository root), or relative to report.json's folder. Returns the first that exists, else the cwd reading.
 */
export function resolveFrom(reportDir: string, p: string): string {
  if (isAbsolute(p)) return p;
  const fromCwd = resolve(p);
  if (existsSync(fromCwd)) return fromCwd;
  const fromReport = resolve(reportDir, p);
  return existsSync(fromReport) ? fromReport : fromCwd;
}

function mergeAccuracy(into: AccuracySet, from: AccuracySet): void {
  for (const [k, v] of Object.entries(from) as [keyof AccuracySet, number][]) if (into[k] === undefined) into[k] = v;
}

export async function loadReportData(reportJsonPath: string): Promise<ReportData> {
  const reportPath = resolve(reportJsonPath);
  if (!existsSync(reportPath)) throw new UsageError(`no report at ${reportJsonPath}; run 'make cosim' first`);
  const dir = dirname(reportPath);
  const { data, pointers } = parseReportJson(readJson(reportPath), reportJsonPath);
  data.sources = { report: reportPath };
  data.notes = {};

  if (pointers.summaryPath !== undefined) {
    const p = resolveFrom(dir, pointers.summaryPath);
    if (existsSync(p)) {
      const s = parseSummaryJson(readJson(p), pointers.summaryPath);
      if (data.training === undefined && s.training !== undefined) data.training = s.training;
      if (data.sweep === undefined && s.sweep !== undefined) data.sweep = s.sweep;
      mergeAccuracy(data.accuracy, s.accuracy);
      data.sources.summary = p;
    } else {
      data.notes.training = `the training summary ${pointers.summaryPath} named in report.json does not exist`;
    }
  } else if (data.training === undefined) {
    data.notes.training = 'report.json names no training summary (modelDir or summaryPath)';
  }

  if (pointers.sweepPath !== undefined && data.sweep === undefined) {
    const p = resolveFrom(dir, pointers.sweepPath);
    if (existsSync(p)) data.sweep = parseSweepJson(readJson(p), pointers.sweepPath);
    else data.notes.sweep = `the sweep results ${pointers.sweepPath} named in report.json do not exist`;
  }

  const synthPath = pointers.synthPath === undefined ? join(dir, '..', 'synth', 'report.json') : resolveFrom(dir, pointers.synthPath);
  if (data.synthesis === undefined) {
    if (existsSync(synthPath)) {
      data.synthesis = parseSynthJson(readJson(synthPath), synthPath);
      data.sources.synth = synthPath;
    } else {
      data.notes.synthesis = `no synthesis report at ${synthPath}; run 'make synth'`;
    }
  }

  if (data.mismatch?.vcdPath !== undefined) {
    const vcd = resolveFrom(dir, data.mismatch.vcdPath);
    if (existsSync(vcd)) data.sources.vcd = vcd;
    else data.notes.mismatch = `the VCD window ${data.mismatch.vcdPath} does not exist`;
  }
  return data;
}
