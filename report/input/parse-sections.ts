/**
 * Parsers of the report's optional sections, shared by report.json, the training summary and the synthesis
 * report. Each checks types and ranges and names the bad key; a few spellings other tools commonly use are
 * accepted as aliases (`val_loss`, `hwSim`, `LUTs`) so that a renamed key does not silently hide a section.
 */
import { At, arr, fraction, int, isObject, num, obj, opt, optAny, req, str, type Json } from './check.ts';
import type {
  AccuracySet, BitWidths, Confusion, EpochRow, LayerRow, MismatchInfo, PeUtilization, SweepRow, SynthRow, TrainingCurves,
} from '../types.ts';

export function parseBits(v: unknown, at: At): BitWidths {
  if (typeof v === 'number') {
    const b = int(v, at, 1);
    return { weights: b, activations: b };
  }
  const o = obj(v, at);
  return { weights: req(o, 'weights', at, (x, a) => int(x, a, 1)), activations: req(o, 'activations', at, (x, a) => int(x, a, 1)) };
}

export function parseAccuracy(v: unknown, at: At): AccuracySet {
  const o = obj(v, at);
  const r: AccuracySet = {};
  const set = (k: keyof AccuracySet, keys: string[]): void => {
    const x = optAny(o, keys, at, fraction);
    if (x !== undefined) r[k] = x;
  };
  set('float', ['float']);
  set('ptq', ['ptq']);
  set('qat', ['qat']);
  set('integer', ['integer', 'int8', 'golden']);
  set('hwsim', ['hwsim', 'hwSim', 'hw-sim']);
  set('rtl', ['rtl']);
  return r;
}

function parseEpoch(v: unknown, at: At): EpochRow {
  const o = obj(v, at);
  if (!('loss' in o)) at.key('loss').fail('a number', undefined);
  const row: EpochRow = {
    epoch: req(o, 'epoch', at, num),
    // A diverged epoch's NaN loss arrives as null from JSON: kept as NaN, drawn as a gap.
    loss: opt(o, 'loss', at, num) ?? Number.NaN,
    accuracy: optAny(o, ['accuracy', 'acc'], at, fraction) ?? at.key('accuracy').fail('a number in [0, 1]', undefined),
  };
  const valLoss = optAny(o, ['valLoss', 'val_loss', 'validationLoss'], at, num);
  const valAccuracy = optAny(o, ['valAccuracy', 'val_accuracy', 'val_acc', 'validationAccuracy', 'testAccuracy'], at, fraction);
  const seconds = opt(o, 'seconds', at, num);
  const ips = opt(o, 'imagesPerSecond', at, num);
  if (valLoss !== undefined) row.valLoss = valLoss;
  if (valAccuracy !== undefined) row.valAccuracy = valAccuracy;
  if (seconds !== undefined) row.seconds = seconds;
  if (ips !== undefined) row.imagesPerSecond = ips;
  return row;
}

export function parseEpochs(v: unknown, at: At): EpochRow[] {
  return arr(v, at).map((e, i) => parseEpoch(e, at.key(i)));
}

/** A phase's epochs: an array, or an object holding one under `epochs`, `history` or `curves`. */
function parsePhase(v: unknown, at: At): EpochRow[] | undefined {
  if (Array.isArray(v)) return parseEpochs(v, at);
  const o = obj(v, at);
  for (const k of ['epochs', 'history', 'curves']) if (Array.isArray(o[k])) return parseEpochs(o[k], at.key(k));
  return undefined;
}

/** Training curves from an object holding `float` and `qat` phases (either may be absent: that phase did not run). */
export function parseTraining(v: unknown, at: At): TrainingCurves | undefined {
  const o = obj(v, at);
  const float = optAny(o, ['float', 'fp32'], at, parsePhase);
  const qat = opt(o, 'qat', at, parsePhase);
  if (float === undefined && qat === undefined) return undefined;
  return { float: float ?? [], qat: qat ?? [] };
}

export function parseSweep(v: unknown, at: At): SweepRow[] {
  return arr(v, at).map((e, i) => {
    const a = at.key(i);
    const o = obj(e, a);
    return { dataset: req(o, 'dataset', a, str), network: req(o, 'network', a, str), bits: req(o, 'bits', a, parseBits), ...parseAccuracy(o, a) };
  });
}

export function parseLayer(v: unknown, at: At): LayerRow {
  const o = obj(v, at);
  // hw-sim's LayerStats spells the name `layer`; layers the host runs (onArray false) take no array cycles.
  if (o.onArray === false) return { name: optAny(o, ['name', 'layer'], at, str) ?? '', type: opt(o, 'type', at, str) ?? '', cycles: 0, onArray: false };
  const row: LayerRow = {
    name: optAny(o, ['name', 'layer'], at, str) ?? at.key('name').fail('a string', undefined), type: opt(o, 'type', at, str) ?? '', cycles: req(o, 'cycles', at, int),
  };
  const macs = opt(o, 'macs', at, int);
  const util = opt(o, 'utilization', at, fraction);
  const fill = optAny(o, ['fillCycles', 'fill'], at, int);
  const drain = optAny(o, ['drainCycles', 'drain'], at, int);
  const stall = optAny(o, ['stallCycles', 'stall'], at, int);
  if (macs !== undefined) row.macs = macs;
  if (util !== undefined) row.utilization = util;
  if (fill !== undefined) row.fillCycles = fill;
  if (drain !== undefined) row.drainCycles = drain;
  if (stall !== undefined) row.stallCycles = stall;
  const parts = (fill ?? 0) + (drain ?? 0) + (stall ?? 0);
  if (parts > row.cycles) at.fail(`fill + drain + stall cycles <= cycles (${row.cycles})`, parts);
  return row;
}

/** Per-layer rows from an array of rows or from a map of layer name to cycles (or to a row without its name). */
export function parseLayers(v: unknown, at: At): LayerRow[] {
  if (Array.isArray(v)) return v.map((e, i) => parseLayer(e, at.key(i)));
  return Object.entries(obj(v, at)).map(([name, x]) =>
    isObject(x) ? parseLayer({ name, ...x }, at.key(name)) : { name, type: '', cycles: int(x, at.key(name)) });
}

export function parsePeUtilization(v: unknown, at: At): PeUtilization {
  const o = obj(v, at);
  const rows = req(o, 'rows', at, (x, a) => int(x, a, 1));
  const cols = req(o, 'cols', at, (x, a) => int(x, a, 1));
  const raw = req(o, 'values', at, arr);
  const flat = raw.every(Array.isArray) ? (raw as unknown[][]).flat() : raw;
  if (flat.length !== rows * cols) at.key('values').fail(`${rows * cols} values (rows ${rows} x cols ${cols})`, `${flat.length} values`);
  return { rows, cols, values: flat.map((x, i) => fraction(x, at.key('values').key(i))) };
}

export function parseConfusion(v: unknown, at: At): Confusion {
  const o = obj(v, at);
  const ma = at.key('matrix');
  const matrix = req(o, 'matrix', at, arr).map((r, i) => arr(r, ma.key(i)).map((x, j) => int(x, ma.key(i).key(j))));
  const n = matrix.length;
  matrix.forEach((r, i) => { if (r.length !== n) ma.key(i).fail(`${n} counts (a square matrix)`, `${r.length}`); });
  const labels = opt(o, 'labels', at, (x, a) => arr(x, a).map((l, i) => typeof l === 'number' ? String(l) : str(l, a.key(i))))
    ?? matrix.map((_, i) => String(i));
  if (labels.length !== n) at.key('labels').fail(`${n} labels (one per matrix row)`, `${labels.length}`);
  return { labels, matrix };
}

export function parseMismatch(v: unknown, at: At): MismatchInfo {
  const o = obj(v, at);
  const m: MismatchInfo = {
    layer: opt(o, 'layer', at, str) ?? '',
    tile: opt(o, 'tile', at, (x, a) => typeof x === 'number' ? String(x) : str(x, a)) ?? '',
    cycle: req(o, 'cycle', at, int),
    where: opt(o, 'where', at, str) ?? '',
    expected: req(o, 'expected', at, num),
    actual: req(o, 'actual', at, num),
  };
  const row = opt(o, 'row', at, int);
  const col = opt(o, 'col', at, int);
  const vcd = optAny(o, ['vcdPath', 'vcd', 'vcdWindow'], at, str);
  const signals = opt(o, 'signals', at, (x, a) => arr(x, a).map((s, i) => str(s, a.key(i))));
  const first = opt(o, 'vcdFirstCycle', at, int);
  if (row !== undefined) m.row = row;
  if (col !== undefined) m.col = col;
  if (vcd !== undefined) m.vcdPath = vcd;
  if (signals !== undefined) m.signals = signals;
  if (first !== undefined) m.vcdFirstCycle = first;
  return m;
}

const SYNTH_KEYS: Record<'luts' | 'ffs' | 'dsps' | 'brams' | 'fmaxMHz' | 'seconds', string[]> = {
  luts: ['luts', 'lut', 'LUTs', 'LUT', 'lcs'],
  ffs: ['ffs', 'ff', 'FFs', 'flipFlops', 'dffs'],
  dsps: ['dsps', 'dsp', 'DSPs', 'DSP'],
  brams: ['brams', 'bram', 'BRAMs', 'BRAM', 'ebrs'],
  fmaxMHz: ['fmaxMHz', 'fmax', 'FmaxMHz'],
  seconds: ['seconds'],
};
/** Numbers of a synthesis entry that describe the job, not the result. */
const SYNTH_CONFIG = ['accDepth', 'roundingMode', 'timeoutSeconds'];

function parseSynthRow(v: unknown, at: At): SynthRow {
  const outer = obj(v, at);
  // synth writes the figures under `resources` (absent when the job timed out or failed).
  const o: Json = isObject(outer.resources) ? { ...outer, ...outer.resources } : outer;
  const row: SynthRow = { target: optAny(o, ['target', 'device', 'arch', 'name'], at, str) ?? at.key('target').fail('a string', undefined) };
  const status = opt(o, 'status', at, str);
  const message = opt(o, 'message', at, str);
  if (status !== undefined) row.status = status;
  if (message !== undefined) row.message = message;
  const used = new Set(['target', 'device', 'arch', 'name', 'rows', 'cols', 'size', 'status', 'message', ...SYNTH_CONFIG]);
  const rows = opt(o, 'rows', at, int);
  const cols = opt(o, 'cols', at, int);
  const size = opt(o, 'size', at, str)?.match(/^(\d+)\s*[x×]\s*(\d+)$/);
  if (rows !== undefined || size) row.rows = rows ?? Number(size?.[1]);
  if (cols !== undefined || size) row.cols = cols ?? Number(size?.[2]);
  for (const [k, aliases] of Object.entries(SYNTH_KEYS) as [keyof typeof SYNTH_KEYS, string[]][]) {
    const x = optAny(o, aliases, at, num);
    if (x !== undefined) row[k] = x;
    aliases.forEach((a) => used.add(a));
  }
  const extra: Record<string, number> = {};
  for (const [k, x] of Object.entries(o)) if (!used.has(k) && typeof x === 'number' && Number.isFinite(x)) extra[k] = x;
  if (Object.keys(extra).length > 0) row.extra = extra;
  return row;
}

/** Synthesis rows from an array or from an object holding one under `entries` (synth), `rows` or `results`. */
export function parseSynthesis(v: unknown, at: At): SynthRow[] {
  if (Array.isArray(v)) return v.map((e, i) => parseSynthRow(e, at.key(i)));
  const o: Json = obj(v, at);
  for (const k of ['entries', 'rows', 'results', 'targets', 'runs']) if (Array.isArray(o[k])) return parseSynthesis(o[k], at.key(k));
  return [parseSynthRow(o, at)];
}
