/**
 * A line chart as inline SVG: one path and one circle per point for each series, a legend, nice axes and
 * optional vertical markers (e.g. where QAT starts). Each point is a `.mark.point` carrying its data.
 */
import { el, r2, text, title, type Attrs } from './svg.ts';
import { baseline, chartSvg, valueFrame, valueGrid, valueTitle } from './frame.ts';
import { linear, niceDomain, tickLabel } from './scale.ts';

export interface Point { x: number; y: number }
export interface Series { name: string; color: string; points: Point[]; dashed?: boolean }

export interface LineChartSpec {
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  yFormat?: (v: number) => string;
  /** Clamp the y axis (e.g. [0, 1] for accuracy). */
  yClamp?: [number, number];
  vlines?: { x: number; label: string }[];
  width?: number;
  height?: number;
}

export function lineChart(s: LineChartSpec): string {
  const M = { l: 58, r: 18, t: 40, b: 44 };
  const pts = s.series.flatMap((x) => x.points);
  const xs = pts.map((p) => p.x);
  const ys = pts.map((p) => p.y);
  const xd = niceDomain(Math.min(...xs), Math.max(...xs), 8);
  const xTicks = xd.ticks.filter((t) => Number.isInteger(t) && t >= Math.min(...xs) && t <= Math.max(...xs));
  let yd = niceDomain(Math.min(...ys), Math.max(...ys), 5);
  if (s.yClamp) {
    const [lo, hi] = s.yClamp;
    yd = niceDomain(Math.max(lo, yd.lo), Math.min(hi, yd.hi), 5);
  }
  const f = valueFrame(s, M, yd);
  const { W, H, Y } = f;
  const X = linear(Math.min(...xs), Math.max(...xs), M.l + 10, W - M.r - 10);
  const fy = s.yFormat ?? tickLabel;
  const parts: string[] = [];
  parts.push(...valueGrid(f, yd.ticks, fy));
  for (const t of xTicks) parts.push(text('text', { class: 'tick', x: X(t), y: H - M.b + 16, 'text-anchor': 'middle' }, tickLabel(t)));
  parts.push(baseline(f));
  for (const v of s.vlines ?? []) {
    parts.push(el('line', { class: 'vline', x1: X(v.x), x2: X(v.x), y1: M.t - 4, y2: H - M.b }));
    parts.push(text('text', { class: 'vlabel', x: X(v.x) + 4, y: M.t + 8 }, v.label));
  }
  // Markers shrink when there are many points, so that the curve stays readable.
  const radius = pts.length > 120 ? 1.4 : pts.length > 50 ? 2.2 : 3.2;
  let lx = M.l;
  for (const ser of s.series) {
    if (ser.points.length === 0) continue;
    const d = ser.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${r2(X(p.x))},${r2(Y(p.y))}`).join('');
    const lineAttrs: Attrs = { class: 'series', d, stroke: ser.color, 'stroke-dasharray': ser.dashed ? '5 4' : undefined };
    parts.push(el('path', lineAttrs));
    for (const p of ser.points) {
      parts.push(el('circle', {
        class: 'mark point', cx: X(p.x), cy: Y(p.y), r: radius, fill: ser.dashed ? '#fff' : ser.color, stroke: ser.color,
        'data-series': ser.name, 'data-x': p.x, 'data-y': p.y,
      }, title(`${ser.name}, epoch ${p.x}: ${fy(p.y)}`)));
    }
    // Legend entry, about 6.5 px per character.
    parts.push(el('line', { x1: lx, x2: lx + 18, y1: 16, y2: 16, stroke: ser.color, 'stroke-width': 2.5, 'stroke-dasharray': ser.dashed ? '5 4' : undefined }));
    parts.push(text('text', { class: 'legend', x: lx + 24, y: 20 }, ser.name));
    lx += 24 + ser.name.length * 6.5 + 18;
  }
  parts.push(text('text', { class: 'axis-label', x: (M.l + W - M.r) / 2, y: H - 8, 'text-anchor': 'middle' }, s.xLabel));
  parts.push(valueTitle(f, s.yLabel));
  return chartSvg('line-chart', s, W, H, parts);
}
