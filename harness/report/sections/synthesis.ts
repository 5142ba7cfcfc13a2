/**
 * The synthesis resource table (out/synth/report.json, written by `make synth`).
 */
import type { ReportData, SynthRow } from '../types.ts';
import { int, num } from '../format.ts';
import { notRun, section, table } from './html.ts';

export function synthesisSection(d: ReportData): string {
  const sub = 'Resources of the array as synthesized by `make synth`.';
  const rows = d.synthesis;
  if (rows === undefined || rows.length === 0) return section('synthesis', 'Synthesis', sub, notRun('synthesis', d.notes?.synthesis));
  const extras = [...new Set(rows.flatMap((r) => Object.keys(r.extra ?? {})))];
  const has = (k: keyof SynthRow): boolean => rows.some((r) => r[k] !== undefined);
  const cols: { head: string; get: (r: SynthRow) => string }[] = [
    { head: 'target', get: (r) => r.target },
    ...(has('rows') || has('cols') ? [{ head: 'array', get: (r: SynthRow) => (r.rows === undefined ? '\u2014' : `${r.rows}\u00d7${r.cols ?? '?'}`) }] : []),
    { head: 'LUTs', get: (r) => int(r.luts) },
    { head: 'FFs', get: (r) => int(r.ffs) },
    { head: 'DSPs', get: (r) => int(r.dsps) },
    { head: 'BRAMs', get: (r) => int(r.brams) },
    ...(has('fmaxMHz') ? [{ head: 'Fmax (MHz)', get: (r: SynthRow) => num(r.fmaxMHz, 4) }] : []),
    ...extras.map((k) => ({ head: k, get: (r: SynthRow) => num(r.extra?.[k], 6) })),
  ];
  const numeric = cols.map((_, i) => i).filter((i) => i >= (cols[1]?.head === 'array' ? 2 : 1));
  return section('synthesis', 'Synthesis', sub, table(cols.map((c) => c.head), rows.map((r) => cols.map((c) => c.get(r))), numeric));
}
