/**
 * The whole job of `make cosim`'s last step and of `int8cosim report --report-only`: load report.json and the
 * files it names, draw the mismatch waveform when there is one, render, write atomically.
 */
import { CosimError } from '../quant/errors.ts';
import { loadReportData } from './input/load.ts';
import { renderReport } from './render.ts';
import type { WaveformResult } from './sections/mismatch.ts';
import type { ReportData } from './types.ts';
import { mismatchWaveform } from './waveform/mismatch-waveform.ts';
import { writeReport } from './write.ts';

/** The waveform of the first mismatch; a VCD that cannot be drawn becomes a message on the page, not a failure. */
export async function waveformFor(data: ReportData): Promise<WaveformResult> {
  const m = data.mismatch;
  const vcd = data.sources?.vcd;
  if (m === undefined || vcd === undefined) return {};
  try {
    return { waveform: await mismatchWaveform(m, vcd, data.array) };
  } catch (err) {
    if (err instanceof CosimError) return { error: err.message };
    throw err;
  }
}

export async function writeHtmlReport(reportJsonPath: string, htmlPath: string): Promise<void> {
  const data = await loadReportData(reportJsonPath);
  const html = renderReport(data, await waveformFor(data));
  writeReport(htmlPath, html);
}
