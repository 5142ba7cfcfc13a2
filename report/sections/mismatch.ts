/**
 * The first mismatch between the RTL and hw-sim: where and when, and the signals around it as a WaveDrom
 * waveform with the mismatch cycle marked.
 */
import { arrayMap } from '../svg/array-map.ts';
import { el, text } from '../svg/svg.ts';
import type { ReportData } from '../types.ts';
import type { MismatchWaveform } from '../waveform/mismatch-waveform.ts';
import { mismatchPlace } from '../waveform/select-lanes.ts';
import { int } from '../format.ts';
import { notRun, section, table } from './html.ts';

export interface WaveformResult { waveform?: MismatchWaveform; error?: string }

export function mismatchSection(d: ReportData, w: WaveformResult): string {
  if (d.check === 'transactions') return transactionSection(d);
  const sub = 'The harness compares every output port of the RTL with hw-sim every cycle.';
  const count = d.mismatches?.differingWordsInChunk;
  const m = d.mismatch;
  if (m === undefined) {
    if (count === 0) {
      return section('mismatch', 'Mismatches', sub, el('div', { class: 'pass-box', 'data-pass': 'true' },
        text('strong', {}, 'No mismatch.'), ` RTL and hw-sim agreed bit for bit on every compared signal of every cycle${d.cycles ? ` (${int(d.cycles.total)} cycles)` : ''}.`));
    }
    const why = count === undefined ? 'report.json has no RTL comparison' : `${count} differing words, but report.json does not describe the first`;
    return section('mismatch', 'Mismatches', sub, notRun('mismatch', d.notes?.mismatch ?? why));
  }
  const place = mismatchPlace(m);
  const pe = place.row !== undefined && place.col !== undefined ? `(${place.row}, ${place.col})` : place.col !== undefined ? `column ${place.col}` : '\u2014';
  const facts = table(['layer', 'tile', 'cycle', 'signal', 'PE', 'expected (hw-sim)', 'actual (RTL)'],
    [[m.layer || '\u2014', m.tile || '\u2014', m.cycle, m.where || '\u2014', pe, m.expected, { text: String(m.actual), cls: 'bad' }]], [2, 5, 6]);
  let wave: string;
  if (w.waveform !== undefined) {
    const f = w.waveform;
    const cap = `Cycles ${f.firstCycle}\u2013${f.firstCycle + f.cycles - 1} of ${m.vcdPath ?? 'the VCD window'}. ` +
      (f.marked ? `Red band: cycle ${m.cycle}${f.targetLane ? `; red: the RTL's ${f.targetLane}, green under it: what hw-sim expected` : ''}.` : `Cycle ${m.cycle} is outside the VCD window.`) +
      ' A value is the one the signal holds during the cycle (just before its rising edge).';
    wave = el('figure', { class: 'wide' }, el('div', { class: 'wave', 'data-chart': 'waveform', 'data-lanes': f.lanes, 'data-first-cycle': f.firstCycle }, f.svg), text('figcaption', {}, cap));
  } else {
    wave = notRun('waveform', w.error ?? d.notes?.mismatch ?? 'report.json names no VCD window for the mismatch');
  }
  const chunk = d.mismatches?.chunkCycles;
  const counted = count === undefined ? 'RTL and hw-sim differ.' : `${count} differing word${count === 1 ? '' : 's'} in the ${chunk === undefined ? '' : `${chunk}-cycle `}chunk that held the first mismatch (the run stops there).`;
  const head = el('div', { class: 'fail-box', 'data-pass': 'false' }, text('strong', {}, counted),
    ` First at cycle ${m.cycle}: ${m.where || 'a compared signal'} is ${m.actual}, hw-sim says ${m.expected}.`);
  const where = place.col === undefined ? facts : `<div class="mismatch-top"><div>${facts}</div>${arrayMap(d.array.rows, d.array.cols, place)}</div>`;
  return section('mismatch', 'First mismatch', sub, head, where, wave);
}

/**
 * Transaction mode (cosim --check transactions, docs/ARCHITECTURE.md section 13): no cycle was compared, so the
 * section says what was (every row, whatever its timing), the RTL's latency and throughput beside hw-sim's, and
 * the first breach: the row, column, both values, the cycle it appeared and its latency, and the VCD window.
 */
function transactionSection(d: ReportData): string {
  const sub = 'Transaction mode: every output row of every program must come out exactly once with hw-sim\'s address and values, whatever its latency.';
  const t = d.timing;
  const lat = (l: { min: number; max: number; mean: number } | null): string => (l === null ? '\u2014' : l.min === l.max ? String(l.min) : `${l.min}\u2013${l.max} (mean ${l.mean.toFixed(2)})`);
  const rpc = (x: number | null): string => (x === null ? '\u2014' : x.toFixed(3));
  const timing = t === undefined
    ? notRun('timing', 'report.json has no timing')
    : table(['', 'latency (cycles)', 'rows per cycle', 'cycles', 'rows'], [
      ['RTL (measured)', lat(t.rtl.latency), rpc(t.rtl.rowsPerCycle), t.rtl.cycles, t.seen],
      ['hw-sim (cycle contract)', t.hwsim.latency === null ? '\u2014' : String(t.hwsim.latency), rpc(t.hwsim.rowsPerCycle), t.hwsim.cycles, t.rows],
    ], [2, 3, 4]);
  const f = d.transactionFailure;
  if (f === undefined) {
    const ok = t !== undefined && t.seen === t.rows && t.rows > 0;
    return section('mismatch', 'Transactions', sub,
      ok ? el('div', { class: 'pass-box', 'data-pass': 'true' }, text('strong', {}, 'Every row held.'), ` ${int(t.rows)} rows of ${int(t.programs)} programs, each exactly once with hw-sim's address, o_acc_o and o_data_o.`)
        : notRun('transactions', d.notes?.mismatch ?? 'report.json describes no complete transaction check'),
      timing);
  }
  const row = f.m === f.addr ? `${f.m}` : `${f.m} (address ${f.addr})`;
  const facts = table(['error', 'layer', 'image', 'tile', 'row', 'column', 'expected (hw-sim)', 'actual (RTL)', 'cycle', 'latency'],
    [[f.error, f.layer, f.image, f.tile, row, f.column === undefined ? '\u2014' : `${f.port ?? ''}[${f.column}]`, f.expected ?? '\u2014', { text: f.actual === undefined ? '\u2014' : String(f.actual), cls: 'bad' }, f.cycle, f.latency ?? '\u2014']],
    [2, 6, 7, 8, 9]);
  const vcd = f.vcdPath === undefined ? '' : text('p', {}, `VCD window: ${f.vcdPath}, cycles ${f.vcdFirstCycle}\u2013${f.vcdLastCycle}; ${f.replayReproduced ? 'the replay from reset under flow control shows the same row' : 'the replay did NOT show the same row'}.`);
  return section('mismatch', 'Transactions', sub, text('p', { class: 'bad' }, f.message), facts, vcd, timing);
}
