/**
 * The frame the report's charts share: the svg element itself (class, id, size, the title that screen readers and
 * tooltips show), the legend of colour swatches, and the value axis of a vertical chart (its scale, the grid
 * lines with their tick labels, the baseline and the rotated title).
 */
import { el, text, title, yGrid, yTitle } from './svg.ts';
import { linear, type Scale } from './scale.ts';

export interface Margins { l: number; r: number; t: number; b: number }

/** A chart of W x H pixels whose plot area lies inside the margins M, with the y scale of its value axis. */
export interface ValueFrame { W: number; H: number; M: Margins; Y: Scale }

/** The frame of a vertical chart: the spec's size (560 x 300 unless given), values lo..hi from bottom to top. */
export function valueFrame(size: { width?: number; height?: number }, M: Margins, y: { lo: number; hi: number }): ValueFrame {
  const W = size.width ?? 560;
  const H = size.height ?? 300;
  return { W, H, M, Y: linear(y.lo, y.hi, H - M.b, M.t) };
}

/** Grid lines across the plot area at the y ticks, each with its label left of it. */
export function valueGrid(f: ValueFrame, ticks: number[], label: (v: number) => string): string[] {
  return yGrid(ticks, f.Y, f.M.l, f.W - f.M.r, label);
}

/** The axis line along the bottom of the plot area. */
export function baseline(f: ValueFrame): string {
  return el('line', { class: 'axis', x1: f.M.l, x2: f.W - f.M.r, y1: f.H - f.M.b, y2: f.H - f.M.b });
}

/** The value axis title, centred on the plot area's height. */
export function valueTitle(f: ValueFrame, label: string): string {
  return yTitle(label, (f.M.t + f.H - f.M.b) / 2);
}

/** Colour swatches with their names, in a row along the top edge from x = left (about 6.5 px a character). */
export function swatchLegend(items: readonly { name: string; color: string }[], left: number): string[] {
  const parts: string[] = [];
  let x = left;
  for (const l of items) {
    parts.push(el('rect', { x, y: 9, width: 12, height: 12, fill: l.color, rx: 2 }));
    parts.push(text('text', { class: 'legend', x: x + 17, y: 20 }, l.name));
    x += 17 + l.name.length * 6.5 + 18;
  }
  return parts;
}

/** The chart's svg element, class `chart <kind>` and data-chart = id, W x H, titled; the parts are its content. */
export function chartSvg(kind: string, s: { id: string; title: string }, W: number, H: number, parts: string[]): string {
  const a = { class: `chart ${kind}`, 'data-chart': s.id, viewBox: `0 0 ${W} ${H}`, style: `max-width:${W}px`, role: 'img', 'aria-label': s.title };
  return el('svg', a, title(s.title), ...parts);
}
