/**
 * A vertical grouped bar chart as inline SVG. A bar whose value is absent is not drawn: its slot says
 * "not run". Each drawn bar is a `.mark.bar` carrying its value.
 */
import { el, text, title } from './svg.ts';
import { baseline, chartSvg, swatchLegend, valueFrame, valueGrid, valueTitle } from './frame.ts';
import { niceDomain, tickLabel } from './scale.ts';

export interface Bar { name: string; value: number | undefined; color: string }
export interface BarGroup { label: string; bars: Bar[] }

export interface BarChartSpec {
  id: string;
  title: string;
  yLabel: string;
  groups: BarGroup[];
  yFormat?: (v: number) => string;
  /** Bars start at this value instead of 0 (a zoomed axis, stated on the chart). */
  yFrom?: number;
  yTo?: number;
  /** Show each bar's value above it. */
  valueLabels?: boolean;
  legend?: { name: string; color: string }[];
  width?: number;
  height?: number;
}

export function barChart(s: BarChartSpec): string {
  const M = { l: 58, r: 14, t: s.legend ? 40 : 24, b: 48 };
  const values = s.groups.flatMap((g) => g.bars.map((b) => b.value)).filter((v): v is number => v !== undefined);
  const yd = niceDomain(s.yFrom ?? Math.min(0, ...values), s.yTo ?? Math.max(...values, 0), 5);
  const f = valueFrame(s, M, yd);
  const { W, H, Y } = f;
  const fy = s.yFormat ?? tickLabel;
  const parts: string[] = [];
  parts.push(...valueGrid(f, yd.ticks, fy));
  const gw = (W - M.l - M.r) / Math.max(1, s.groups.length);
  s.groups.forEach((g, gi) => {
    const n = g.bars.length;
    const bw = Math.min(46, (gw * 0.78) / Math.max(1, n));
    const x0 = M.l + gi * gw + (gw - bw * n) / 2;
    g.bars.forEach((b, bi) => {
      const x = x0 + bi * bw;
      if (b.value === undefined) {
        parts.push(text('text', { class: 'not-run', x: x + bw / 2, y: H - M.b - 6, 'text-anchor': 'middle' }, bw >= 40 ? 'not run' : '\u2013'));
        return;
      }
      const y = Y(Math.max(yd.lo, b.value));
      parts.push(el('rect', {
        class: 'mark bar', x: x + 1, y, width: Math.max(1, bw - 2), height: Math.max(0, H - M.b - y), fill: b.color,
        'data-name': b.name, 'data-group': g.label, 'data-value': b.value,
      }, title(`${g.label} ${b.name}: ${fy(b.value)}`)));
      if (s.valueLabels) parts.push(text('text', { class: 'bar-value', x: x + bw / 2, y: y - 5, 'text-anchor': 'middle' }, fy(b.value)));
    });
    parts.push(text('text', { class: 'tick group-label', x: M.l + gi * gw + gw / 2, y: H - M.b + 17, 'text-anchor': 'middle' }, g.label));
  });
  parts.push(baseline(f));
  parts.push(...swatchLegend(s.legend ?? [], M.l));
  parts.push(valueTitle(f, s.yLabel));
  if (yd.lo !== 0) parts.push(text('text', { class: 'note', x: W - M.r, y: H - 8, 'text-anchor': 'end' }, `axis starts at ${fy(yd.lo)}`));
  return chartSvg('bar-chart', s, W, H, parts);
}
