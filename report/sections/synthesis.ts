/**
 * The synthesis resource table (out/synth/report.json, written by `make synth`). A job that timed out or failed
 * shows its status and the first line of its message instead of figures.
 */
import { roundingModesLabel } from '../../synth/report-schema.ts';
import type { ReportData, SynthRow } from '../types.ts';
import { int, num, seconds } from '../format.ts';
import { notRun, section, table, type CellLike } from './html.ts';

/** Headings of the extra figures synth reports. */
const EXTRA_NAMES: Record<string, string> = { lutRams: 'LUT RAM/SRL', carries: 'carries' };

interface Column { head: string; numeric: boolean; get: (r: SynthRow) => CellLike }

function failed(r: SynthRow): boolean {
  return r.status !== undefined && r.status !== 'ok';
}

export function synthesisSection(d: ReportData): string {
  const sub = 'Resources of the array as synthesized by `make synth` (Yosys).';
  const rows = d.synthesis;
  if (rows === undefined || rows.length === 0) return section('synthesis', 'Synthesis', sub, notRun('synthesis', d.notes?.synthesis));
  const extras = [...new Set(rows.flatMap((r) => Object.keys(r.extra ?? {})))];
  const has = (k: keyof SynthRow): boolean => rows.some((r) => r[k] !== undefined);
  const figure = (f: (r: SynthRow) => string): ((r: SynthRow) => CellLike) => (r) => (failed(r) ? '' : f(r));
  const cols: Column[] = [
    { head: 'target', numeric: false, get: (r) => r.target },
    ...(has('rows') || has('cols') ? [{ head: 'array', numeric: false, get: (r: SynthRow) => (r.rows === undefined ? '\u2014' : `${r.rows}\u00d7${r.cols ?? '?'}`) }] : []),
    ...(has('roundingModes') ? [{ head: 'RoundingModes', numeric: false, get: (r: SynthRow) => (r.roundingModes === undefined ? '\u2014' : roundingModesLabel(r.roundingModes)) }] : []),
    ...(rows.some(failed) ? [{ head: 'status', numeric: false, get: (r: SynthRow) => (failed(r) ? { text: `${r.status}: ${(r.message ?? '').split('\n')[0]}`, cls: 'bad' } : 'ok') }] : []),
    { head: 'LUTs', numeric: true, get: figure((r) => int(r.luts)) },
    { head: 'FFs', numeric: true, get: figure((r) => int(r.ffs)) },
    { head: 'DSPs', numeric: true, get: figure((r) => int(r.dsps)) },
    { head: 'BRAMs', numeric: true, get: figure((r) => num(r.brams, 4)) },
    ...extras.map((k) => ({ head: EXTRA_NAMES[k] ?? k, numeric: true, get: figure((r) => num(r.extra?.[k], 6)) })),
    ...(has('seconds') ? [{ head: 'Yosys time', numeric: true, get: (r: SynthRow) => seconds(r.seconds) }] : []),
  ];
  const numeric = cols.flatMap((c, i) => (c.numeric ? [i] : []));
  return section('synthesis', 'Synthesis', sub, table(cols.map((c) => c.head), rows.map((r) => cols.map((c) => c.get(r))), numeric));
}
