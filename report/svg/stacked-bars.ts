/**
 * Horizontal stacked bars, one row per item (e.g. per-layer cycles split into compute, fill, drain, stall).
 * Each row is one `.mark.bar` group holding its segments.
 */
import { el, text, title } from './svg.ts';
import { chartSvg, swatchLegend } from './frame.ts';
import { linear, niceDomain, tickLabel } from './scale.ts';

export interface Segment { name: string; value: number; color: string }
export interface StackRow { label: string; segments: Segment[]; note?: string }

export interface StackedBarsSpec {
  id: string;
  title: string;
  xLabel: string;
  rows: StackRow[];
  legend: { name: string; color: string }[];
  width?: number;
}

export function stackedBars(s: StackedBarsSpec): string {
  const W = s.width ?? 560;
  const rowH = 26;
  const labelW = Math.min(170, 16 + Math.max(4, ...s.rows.map((r) => r.label.length)) * 7);
  const M = { l: labelW, r: 70, t: 34, b: 40 };
  const H = M.t + M.b + rowH * s.rows.length;
  const total = Math.max(1, ...s.rows.map((r) => r.segments.reduce((a, g) => a + g.value, 0)));
  const xd = niceDomain(0, total, 5);
  const X = linear(0, xd.hi, M.l, W - M.r);
  const parts: string[] = [];
  for (const t of xd.ticks) {
    parts.push(el('line', { class: 'grid', x1: X(t), x2: X(t), y1: M.t - 4, y2: H - M.b }));
    parts.push(text('text', { class: 'tick', x: X(t), y: H - M.b + 16, 'text-anchor': 'middle' }, tickLabel(t)));
  }
  s.rows.forEach((row, i) => {
    const y = M.t + i * rowH + 4;
    let x = 0;
    const segs: string[] = [];
    for (const g of row.segments) {
      if (g.value <= 0) continue;
      segs.push(el('rect', { class: 'seg', x: X(x), y, width: Math.max(0.5, X(x + g.value) - X(x)), height: rowH - 8, fill: g.color, 'data-name': g.name, 'data-value': g.value },
        title(`${row.label} ${g.name}: ${g.value} cycles`)));
      x += g.value;
    }
    parts.push(el('g', { class: 'mark bar', 'data-label': row.label, 'data-value': x }, ...segs));
    parts.push(text('text', { class: 'tick row-label', x: M.l - 8, y: y + rowH / 2, 'text-anchor': 'end' }, row.label));
    if (row.note) parts.push(text('text', { class: 'bar-value', x: X(x) + 5, y: y + rowH / 2, 'text-anchor': 'start' }, row.note));
  });
  parts.push(...swatchLegend(s.legend, M.l));
  parts.push(text('text', { class: 'axis-label', x: (M.l + W - M.r) / 2, y: H - 6, 'text-anchor': 'middle' }, s.xLabel));
  return chartSvg('stacked-bars', s, W, H, parts);
}
