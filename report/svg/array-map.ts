/**
 * A small map of the R x C array with the place of a mismatch marked: the PE (red) when its row and column are
 * known, else the column (an output port's element) outlined from top to bottom.
 */
import { el, text, title } from './svg.ts';

export function arrayMap(rows: number, cols: number, place: { row?: number; col?: number }): string {
  const cell = Math.max(5, Math.min(28, Math.floor(220 / Math.max(rows, cols))));
  const M = { l: 34, t: 24, r: 8, b: 26 };
  const W = Math.max(M.l + cols * cell + M.r, 200);
  const H = M.t + rows * cell + M.b;
  const parts: string[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const hit = place.row === r && place.col === c;
      parts.push(el('rect', {
        class: hit ? 'mark pe' : undefined, x: M.l + c * cell, y: M.t + r * cell, width: cell - 1, height: cell - 1, rx: 1,
        fill: hit ? '#e03131' : '#e6ebf1', 'data-row': hit ? r : undefined, 'data-col': hit ? c : undefined,
      }, title(`PE (${r}, ${c})`)));
    }
  }
  if (place.col !== undefined && place.row === undefined && place.col < cols) {
    parts.push(el('rect', { class: 'mark column', x: M.l + place.col * cell - 1.5, y: M.t - 1.5, width: cell + 2, height: rows * cell + 2, fill: 'none', stroke: '#e03131', 'stroke-width': 2, rx: 2, 'data-col': place.col }));
  }
  parts.push(text('text', { class: 'tick', x: M.l, y: 14 }, 'columns (N) \u2192'));
  parts.push(text('text', { class: 'tick', x: 12, y: M.t + (rows * cell) / 2, transform: `rotate(90 12 ${M.t + (rows * cell) / 2})`, 'text-anchor': 'middle' }, 'rows (K) \u2192'));
  parts.push(text('text', { class: 'tick', x: M.l, y: H - 8 }, `${rows}\u00d7${cols} array${place.row !== undefined && place.col !== undefined ? `, PE (${place.row}, ${place.col})` : place.col !== undefined ? `, column ${place.col}` : ''}`));
  return el('svg', { class: 'chart array-map', 'data-chart': 'array-map', viewBox: `0 0 ${W} ${H}`, style: `max-width:${W}px`, role: 'img', 'aria-label': 'where in the array' }, ...parts);
}
