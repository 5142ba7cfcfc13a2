/**
 * The top of the page: what ran (dataset, network, bits, array, rounding), the verdict, and the key figures.
 */
import { el, text } from '../svg/svg.ts';
import type { ReportData } from '../types.ts';
import { int, pct, pp, seconds } from '../format.ts';
import { stats } from './html.ts';

/** PASS only when report.json lists its checks and every one passed; a failed or unrun check is named. */
function verdict(d: ReportData): { cls: string; text: string } {
  const checks = d.checks;
  if (checks === undefined || checks.length === 0) {
    return d.mismatch === undefined ? { cls: 'unknown', text: 'no checks in report.json' } : { cls: 'fail', text: 'FAIL \u2014 RTL and hw-sim differ' };
  }
  const bad = checks.filter((c) => c.status !== 'pass');
  if (bad.length === 0) return { cls: 'pass', text: `PASS \u2014 all ${checks.length} checks held` };
  return { cls: 'fail', text: `FAIL \u2014 ${bad.map((c) => `${c.name}${c.status === 'not-run' ? ' (not run)' : ''}`).join(', ')}` };
}

/** The checks, one row each: what was compared, how much, the outcome. */
export function checksTable(d: ReportData): string {
  const checks = d.checks ?? [];
  if (checks.length === 0) return '';
  const rows = checks.map((c) =>
    el('tr', { 'data-check': c.name, 'data-status': c.status },
      text('td', { class: c.status === 'pass' ? 'good' : 'bad' }, c.status === 'pass' ? 'PASS' : c.status === 'fail' ? 'FAIL' : 'NOT RUN'), text('td', {}, c.name),
      text('td', {}, `${c.what}${c.detail ? ` \u2014 ${c.detail}` : ''}`), text('td', { class: 'num' }, c.compared === undefined ? '\u2014' : `${int(c.compared)} ${c.unit ?? ''}`)));
  return el('table', { class: 'data checks' }, el('thead', {}, el('tr', {}, text('th', {}, 'verdict'), text('th', {}, 'check'), text('th', {}, 'what was compared'), text('th', {}, 'compared'))), el('tbody', {}, ...rows));
}

export function summaryHeader(d: ReportData, generatedAt: string): string {
  const v = verdict(d);
  const config = [d.dataset, d.network, `int${d.bits.weights} weights / int${d.bits.activations} activations`,
    `${d.array.rows}\u00d7${d.array.cols} array`, d.roundingMode === undefined ? '' : `${d.roundingMode} rounding`,
    d.check === 'transactions' ? 'transaction-level check' : ''].filter(Boolean).join(' \u00b7 ');
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
    checksTable(d),
    text('p', { class: 'generated' }, `Generated ${generatedAt}.`));
}
