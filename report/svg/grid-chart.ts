/**
 * A grid of coloured cells (a heatmap or a confusion matrix) as inline SVG, with row and column labels, an
 * optional value in each cell and a colour legend. Each cell is a `.mark.cell` carrying its row, column and
 * value.
 */
import { el, text, title, yTitle } from './svg.ts';

export interface GridSpec {
  id: string;
  title: string;
  rows: number;
  cols: number;
  value: (r: number, c: number) => number;
  /** Colour position in [0, 1] of a cell. */
  shade: (r: number, c: number) => number;
  color: (t: number) => string;
  textColor: (t: number) => string;
  /** Text in the cell; undefined for none. */
  label?: (r: number, c: number) => string | undefined;
  tooltip: (r: number, c: number) => string;
  rowLabels: string[];
  colLabels: string[];
  rowTitle: string;
  colTitle: string;
  legend: { lo: string; hi: string };
  /** Outline these cells (e.g. the diagonal of a confusion matrix). */
  outline?: (r: number, c: number) => boolean;
  maxWidth?: number;
}

export function gridChart(s: GridSpec): string {
  const maxW = s.maxWidth ?? 520;
  const M = { l: 64, t: 44, r: 16, b: 52 };
  const cell = Math.max(8, Math.min(56, Math.floor((maxW - M.l - M.r) / s.cols)));
  const W = M.l + Math.max(s.cols * cell, 200) + M.r;
  const H = M.t + s.rows * cell + M.b;
  const font = Math.max(7, Math.min(12, cell * 0.34));
  const parts: string[] = [];
  const everyLabel = (n: number): number => (cell >= 16 ? 1 : Math.ceil(16 / cell) * (n > 16 ? 2 : 1));
  for (let r = 0; r < s.rows; r++) {
    for (let c = 0; c < s.cols; c++) {
      const t = s.shade(r, c);
      const x = M.l + c * cell;
      const y = M.t + r * cell;
      parts.push(el('rect', {
        class: 'mark cell', x, y, width: cell - 1, height: cell - 1, fill: s.color(t), rx: cell > 14 ? 2 : 0,
        'data-row': r, 'data-col': c, 'data-value': s.value(r, c), stroke: s.outline?.(r, c) ? '#1b1b1b' : undefined,
        'stroke-width': s.outline?.(r, c) ? 1.2 : undefined,
      }, title(s.tooltip(r, c))));
      const l = s.label?.(r, c);
      if (l !== undefined && cell >= 20) {
        parts.push(text('text', { class: 'cell-label', x: x + (cell - 1) / 2, y: y + (cell - 1) / 2 + font * 0.36, 'text-anchor': 'middle', fill: s.textColor(t), 'font-size': font }, l));
      }
    }
  }
  const er = everyLabel(s.rows);
  const ec = everyLabel(s.cols);
  s.rowLabels.forEach((l, r) => { if (r % er === 0) parts.push(text('text', { class: 'tick', x: M.l - 6, y: M.t + r * cell + cell / 2 + 4, 'text-anchor': 'end' }, l)); });
  s.colLabels.forEach((l, c) => { if (c % ec === 0) parts.push(text('text', { class: 'tick', x: M.l + c * cell + cell / 2, y: M.t - 6, 'text-anchor': 'middle' }, l)); });
  parts.push(text('text', { class: 'axis-label', x: M.l + (s.cols * cell) / 2, y: 14, 'text-anchor': 'middle' }, s.colTitle));
  parts.push(yTitle(s.rowTitle, M.t + (s.rows * cell) / 2));
  // Colour legend: a gradient bar under the grid.
  const gid = `grad-${s.id}`;
  const stops = [0, 0.25, 0.5, 0.75, 1].map((t) => el('stop', { offset: t, 'stop-color': s.color(t) })).join('');
  const lw = 200;
  const ly = M.t + s.rows * cell + 18;
  parts.push(el('defs', {}, el('linearGradient', { id: gid }, stops)));
  parts.push(el('rect', { x: M.l, y: ly, width: lw, height: 10, fill: `url(#${gid})`, rx: 2 }));
  parts.push(text('text', { class: 'tick', x: M.l, y: ly + 24, 'text-anchor': 'start' }, s.legend.lo));
  parts.push(text('text', { class: 'tick', x: M.l + lw, y: ly + 24, 'text-anchor': 'end' }, s.legend.hi));
  return el('svg', { class: 'chart grid-chart', 'data-chart': s.id, viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': s.title, style: `max-width:${W}px` }, title(s.title), ...parts);
}
