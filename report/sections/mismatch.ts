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
