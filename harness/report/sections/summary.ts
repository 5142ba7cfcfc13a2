/**
 * The top of the page: what ran (dataset, network, bits, array, rounding), the verdict, and the key figures.
 */
import { el, text } from '../svg/svg.ts';
import type { ReportData } from '../types.ts';
import { int, pct, pp, seconds } from '../format.ts';
import { stats } from './html.ts';

function verdict(d: ReportData): { cls: string; text: string } {
  const n = d.mismatches?.count;
  if (n === undefined) return d.mismatch === undefined ? { cls: 'unknown', text: 'RTL not compared' } : { cls: 'fail', text: 'FAIL \u2014 RTL and hw-sim differ' };
  return n === 0 ? { cls: 'pass', text: 'PASS \u2014 RTL matches hw-sim bit for bit' } : { cls: 'fail', text: `FAIL \u2014 ${n} mismatch${n === 1 ? '' : 'es'}` };
}

export function summaryHeader(d: ReportData, generatedAt: string): string {
  const v = verdict(d);
  const config = [d.dataset, d.network, `int${d.bits.weights} weights / int${d.bits.activations} activations`,
    `${d.array.rows}\u00d7${d.array.cols} array`, d.roundingMode === undefined ? '' : `${d.roundingMode} rounding`].filter(Boolean).join(' \u00b7 ');
  const a = d.accuracy;
  const final = a.rtl ?? a.hwsim ?? a.integer;
  const finalName = a.rtl !== undefined || final === undefined ? 'RTL' : a.hwsim !== undefined ? 'hw-sim' : 'integer';
  const figures = stats([
    { label: `${finalName} accuracy`, value: pct(final) },
    { label: 'quantization cost', value: final !== undefined && a.float !== undefined ? pp(final, a.float) : '\u2014' },
    { label: 'images', value: int(d.images) },
    { label: 'total cycles', value: int(d.cycles?.total) },
    { label: 'utilization', value: d.utilization === undefined ? '\u2014' : pct(d.utilization, 1) },
    { label: 'wall time', value: seconds(d.wallSeconds) },
    { label: 'Verilator', value: d.verilator ?? '\u2014' },
  ]);
  return el('header', { class: 'top' },
    el('div', { class: 'title-row' },
      el('div', {}, text('h1', {}, 'int8cosim report'), text('p', { class: 'config' }, config)),
      text('div', { class: `verdict ${v.cls}`, 'data-verdict': v.cls }, v.text)),
    figures,
    text('p', { class: 'generated' }, `Generated ${generatedAt}.`));
}
