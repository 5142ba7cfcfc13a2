/**
 * How busy the array was: total cycles, per-layer cycles split into compute, fill, drain and stall, and a
 * heatmap of the fraction of cycles each PE did a useful MAC.
 */
import { gridChart } from '../svg/grid-chart.ts';
import { onViridis, viridis } from '../svg/color.ts';
import { stackedBars } from '../svg/stacked-bars.ts';
import type { LayerRow, PeUtilization, ReportData } from '../types.ts';
import { int, pct } from '../format.ts';
import { figure, notRun, section, stats, table } from './html.ts';

const SEGMENTS = [
  { key: 'compute', name: 'beats (compute)', color: '#4e79a7' },
  { key: 'fill', name: 'fill', color: '#f2b447' },
  { key: 'drain', name: 'drain', color: '#76b7b2' },
  { key: 'stall', name: 'stall', color: '#e15759' },
] as const;

function layerChart(all: LayerRow[]): string {
  const rows = all.filter((r) => r.onArray !== false);
  const hasParts = rows.some((r) => r.fillCycles !== undefined || r.drainCycles !== undefined || r.stallCycles !== undefined);
  const legend = hasParts ? SEGMENTS.map((s) => ({ name: s.name, color: s.color })) : [{ name: 'cycles', color: SEGMENTS[0].color }];
  return stackedBars({
    id: 'layer-cycles', title: 'Cycles per layer', xLabel: 'cycles', legend, width: 1080,
    rows: rows.map((r) => {
      const fill = r.fillCycles ?? 0;
      const drain = r.drainCycles ?? 0;
      const stall = r.stallCycles ?? 0;
      const v = { compute: r.cycles - fill - drain - stall, fill, drain, stall };
      return {
        label: r.name,
        note: r.utilization === undefined ? undefined : pct(r.utilization, 1),
        segments: (hasParts ? SEGMENTS : SEGMENTS.slice(0, 1)).map((s) => ({ name: s.name, value: hasParts ? v[s.key] : r.cycles, color: s.color })),
      };
    }),
  });
}

function layerTable(rows: LayerRow[], total: number): string {
  return table(['layer', 'type', 'cycles', 'share', 'MACs', 'utilization', 'fill', 'drain', 'stall'],
    rows.map((r) => [r.name, r.onArray === false ? `${r.type} (host)` : r.type, int(r.cycles), pct(total > 0 ? r.cycles / total : undefined, 1), int(r.macs),
      r.utilization === undefined ? '\u2014' : pct(r.utilization, 1), int(r.fillCycles), int(r.drainCycles), int(r.stallCycles)]),
    [2, 3, 4, 5, 6, 7, 8]);
}

function heatmap(u: PeUtilization): string {
  const at = (r: number, c: number): number => u.values[r * u.cols + c] as number;
  return gridChart({
    id: 'pe-heatmap', title: 'PE utilization', rows: u.rows, cols: u.cols, value: at,
    // Colour on an absolute 0..100% scale so that two reports compare by eye.
    shade: at, color: viridis, textColor: onViridis,
    label: (r, c) => `${Math.round(at(r, c) * 100)}`,
    tooltip: (r, c) => `PE (${r}, ${c}): busy ${pct(at(r, c), 1)} of cycles`,
    rowLabels: Array.from({ length: u.rows }, (_, i) => String(i)),
    colLabels: Array.from({ length: u.cols }, (_, i) => String(i)),
    rowTitle: 'PE row (K lane)', colTitle: 'PE column (output channel)',
    legend: { lo: '0% busy', hi: '100% busy' },
  });
}

/** Where the array idles: the least and most busy PEs, and the mean busy fraction of each row and column. */
function heatStats(u: PeUtilization): string {
  const at = (r: number, c: number): number => u.values[r * u.cols + c] as number;
  const mean = (xs: number[]): number => xs.reduce((a, x) => a + x, 0) / Math.max(1, xs.length);
  const argBy = (better: (a: number, b: number) => boolean): string => {
    let best = 0;
    u.values.forEach((v, i) => { if (better(v, u.values[best] as number)) best = i; });
    return `PE (${Math.floor(best / u.cols)}, ${best % u.cols}): ${pct(u.values[best], 1)}`;
  };
  const rows = Array.from({ length: u.rows }, (_, r) => mean(Array.from({ length: u.cols }, (_, c) => at(r, c))));
  const cols = Array.from({ length: u.cols }, (_, c) => mean(Array.from({ length: u.rows }, (_, r) => at(r, c))));
  const span = (xs: number[]): string => `${pct(Math.min(...xs), 1)} \u2013 ${pct(Math.max(...xs), 1)}`;
  return table(['', 'busy'], [
    ['mean over all PEs', pct(mean(u.values), 1)],
    ['least busy', argBy((a, b) => a < b)],
    ['most busy', argBy((a, b) => a > b)],
    ['row means (K lanes)', span(rows)],
    ['column means (output channels)', span(cols)],
    ['idle PEs (0%)', String(u.values.filter((v) => v === 0).length)],
  ], [1], 'compact');
}

export function performanceSection(d: ReportData): string {
  const sub = `Cycles of the ${d.array.rows}\u00d7${d.array.cols} weight-stationary array (hw-sim stats), and how busy each PE was.`;
  const total = d.cycles?.total ?? d.perLayer?.reduce((a, r) => a + r.cycles, 0);
  const arrayLayers = d.perLayer?.filter((r) => r.onArray !== false);
  const macs = arrayLayers?.every((r) => r.macs !== undefined) ? arrayLayers.reduce((a, r) => a + (r.macs ?? 0), 0) : undefined;
  const summary = stats([
    { label: 'total cycles', value: int(total) },
    { label: 'layers on the array', value: arrayLayers === undefined ? '\u2014' : String(arrayLayers.length) },
    { label: 'MACs', value: int(macs) },
    { label: 'array utilization', value: d.utilization === undefined ? '\u2014' : pct(d.utilization, 1) },
  ]);
  const layers = d.perLayer !== undefined && d.perLayer.length > 0
    ? `${figure('Cycles per layer; the label is the layer\u2019s utilization (useful MACs / PE-cycles).', layerChart(d.perLayer), 'wide')}${layerTable(d.perLayer, total ?? 0)}`
    : notRun('per-layer', d.notes?.performance);
  const heat = d.peUtilization !== undefined
    ? `<div class="row2">${figure('Fraction of cycles each PE did a useful MAC over the whole run (a cell\u2019s number or tooltip: % busy).', heatmap(d.peUtilization), 'heat')}<div>${heatStats(d.peUtilization)}</div></div>`
    : notRun('pe-heatmap', 'no per-PE utilization in report.json');
  return section('performance', 'Performance', sub, summary, '<h3>Per-layer cycles</h3>', layers, '<h3>PE utilization</h3>', heat);
}
