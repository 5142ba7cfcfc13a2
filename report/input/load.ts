/**
 * Reads out/cosim/report.json and the files it points to (the training summary in the model folder it names,
 * out/synth/report.json beside out/cosim) into one ReportData, each with its writer's schema. Optional files that
 * do not exist leave their section absent, with a note saying which file was looked for; a file that exists but is
 * malformed is an error (a FormatError naming the file, the key and what was expected).
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { UsageError } from '../../quant/errors.ts';
import { readJsonFile } from '../../quant/parse-json.ts';
import { trainSummarySchema } from '../../model/summary.ts';
import { synthReportSchema } from '../../synth/report-schema.ts';
import { reportJsonSchema } from '../schema/cosim-report.ts';
import { reportDataFrom, synthRowsFrom, trainingFrom } from './report-data.ts';
import type { AccuracySet, ReportData } from '../types.ts';

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
  const json = readJsonFile(reportJsonSchema, reportPath, reportJsonPath);
  const data = reportDataFrom(json);
  data.sources = { report: reportPath };
  data.notes = {};

  if (json.modelDir !== undefined) {
    const summaryPath = `${json.modelDir.replace(/\/+$/, '')}/summary.json`;
    const p = resolveFrom(dir, summaryPath);
    if (existsSync(p)) {
      const s = trainingFrom(readJsonFile(trainSummarySchema, p, summaryPath));
      data.training = s.training;
      mergeAccuracy(data.accuracy, s.accuracy);
      data.sources.summary = p;
    } else {
      data.notes.training = `the training summary ${summaryPath} named in report.json does not exist`;
    }
  } else {
    data.notes.training = 'report.json names no model folder (modelDir), so no training summary';
  }

  const synthPath = join(dir, '..', 'synth', 'report.json');
  if (existsSync(synthPath)) {
    data.synthesis = synthRowsFrom(readJsonFile(synthReportSchema, synthPath));
    data.sources.synth = synthPath;
  } else {
    data.notes.synthesis = `no synthesis report at ${synthPath}; run 'make synth'`;
  }

  if (data.mismatch?.vcdPath !== undefined) {
    const vcd = resolveFrom(dir, data.mismatch.vcdPath);
    if (existsSync(vcd)) data.sources.vcd = vcd;
    else data.notes.mismatch = `the VCD window ${data.mismatch.vcdPath} does not exist`;
  }
  return data;
}
