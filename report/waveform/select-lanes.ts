/**
 * Chooses the signals of the mismatch waveform: the ones report.json names, or by default the array's ports
 * (docs/ARCHITECTURE.md section 3) with multi-element buses cut down to the mismatching column or row, and the
 * registers of the mismatching PE (section 6) when the VCD has them.
 */
import type { MismatchInfo } from '../types.ts';
import type { VcdSignal, VcdWindow } from './read-vcd.ts';

export interface LaneSpec {
  label: string;
  signal: VcdSignal;
  /** Element `index` of a bus of equal elements `width` bits wide. */
  element?: { index: number; width: number };
  signed: boolean;
  /** The lane that holds the mismatching value. */
  target: boolean;
}

/** Buses of equal elements and the array dimension that counts them. */
const BUSES: Record<string, { count: 'rows' | 'cols'; signed: boolean }> = {
  a_data_i: { count: 'rows', signed: true },
  w_data_i: { count: 'cols', signed: true },
  o_data_o: { count: 'cols', signed: true },
  o_acc_o: { count: 'cols', signed: true },
};
const SIGNED = new Set(['a_q', 'psum_q', 'w0_q', 'w1_q', 'p_bias_i', 'p_shift_i', 'c_zp_i', 'c_min_i', 'c_max_i']);
const DEFAULT_PORTS = ['rst_ni', 'a_en_i', 'a_first_i', 'a_last_i', 'a_addr_i', 'a_data_i', 'o_valid_o', 'o_addr_o', 'o_data_o', 'o_acc_o'];
const PE_REGS = ['v_q', 'bank_q', 'a_q', 'w0_q', 'w1_q', 'psum_q'];  // section 6's order: the dataflow through the PE
const MAX_LANES = 18;

const depth = (s: VcdSignal): number => s.path.split('.').length;

function shallowest(win: VcdWindow, name: string): VcdSignal | undefined {
  return win.signals.filter((s) => s.name === name).sort((a, b) => depth(a) - depth(b))[0];
}

function peScope(r: number, c: number): RegExp {
  return new RegExp(`(^|\\.)g_row[[(]${r}[\\])]\\.g_col[[(]${c}[\\])]\\.`);
}

/** Row and column of the mismatch: the given ones, else read from `where` ("pe(1,2).psum_q", "o_data_o[3]"). */
export function mismatchPlace(m: MismatchInfo): { row?: number; col?: number } {
  const pe = /\((\d+)\s*,\s*(\d+)\)/.exec(m.where);
  const idx = /\[(\d+)\]/.exec(m.where);
  const row = m.row ?? (pe ? Number(pe[1]) : undefined);
  const col = m.col ?? (pe ? Number(pe[2]) : idx ? Number(idx[1]) : undefined);
  return { ...(row === undefined ? {} : { row }), ...(col === undefined ? {} : { col }) };
}

function busLane(sig: VcdSignal, array: { rows: number; cols: number }, place: { row?: number; col?: number }): LaneSpec | undefined {
  const bus = BUSES[sig.name];
  if (bus === undefined) return { label: sig.name, signal: sig, signed: SIGNED.has(sig.name), target: false };
  const count = array[bus.count];
  const index = bus.count === 'rows' ? place.row : place.col;
  if (index === undefined || sig.width % count !== 0 || index >= count) {
    // The whole bus in hex, only when it is narrow enough to read.
    return sig.width <= 32 ? { label: sig.name, signal: sig, signed: false, target: false } : undefined;
  }
  return { label: `${sig.name}[${index}]`, signal: sig, element: { index, width: sig.width / count }, signed: bus.signed, target: false };
}

/** A short lane name for a signal named by path: `pe(r,c).reg` for a PE register, else its last two levels. */
function shortName(sig: VcdSignal): string {
  const pe = /g_row[[(](\d+)[\])]\.g_col[[(](\d+)[\])]\.u_pe\.(\w+)$/.exec(sig.path);
  return pe ? `pe(${pe[1]},${pe[2]}).${pe[3]}` : sig.path.split('.').slice(-2).join('.');
}

function namedLanes(win: VcdWindow, names: string[], array: { rows: number; cols: number }, place: { row?: number; col?: number }): LaneSpec[] {
  const lanes: LaneSpec[] = [];
  for (const want of names) {
    const m = /^(.*?)(?:\[(\d+)\])?$/.exec(want) as RegExpExecArray;
    const base = m[1] as string;
    const sig = win.signals.find((s) => s.path === base) ?? win.signals.find((s) => s.path.endsWith(`.${base}`)) ?? shallowest(win, base);
    if (sig === undefined) continue;
    const at = m[2] === undefined ? place : BUSES[sig.name]?.count === 'rows' ? { row: Number(m[2]) } : { col: Number(m[2]) };
    const lane = busLane(sig, array, at);
    if (lane !== undefined) lanes.push({ ...lane, label: base.includes('.') ? `${shortName(sig)}${lane.label.slice(sig.name.length)}` : lane.label });
  }
  return lanes;
}

export function selectLanes(win: VcdWindow, m: MismatchInfo, array: { rows: number; cols: number }): LaneSpec[] {
  const place = mismatchPlace(m);
  let lanes: LaneSpec[];
  if (m.signals !== undefined && m.signals.length > 0) {
    lanes = namedLanes(win, m.signals, array, place);
  } else {
    lanes = [];
    for (const name of DEFAULT_PORTS) {
      const sig = shallowest(win, name);
      const lane = sig && busLane(sig, array, place);
      if (lane !== undefined) lanes.push(lane);
    }
    if (place.row !== undefined && place.col !== undefined) {
      const scope = peScope(place.row, place.col);
      for (const reg of PE_REGS) {
        const sig = win.signals.find((s) => s.name === reg && scope.test(s.path));
        if (sig !== undefined) lanes.push({ label: `pe(${place.row},${place.col}).${reg}`, signal: sig, signed: SIGNED.has(reg), target: false });
      }
    }
  }
  lanes = lanes.slice(0, MAX_LANES);
  markTarget(lanes, m.where);
  return lanes;
}

/** Marks the lane `where` names: a PE register by name, else a port by its name without index and suffix. */
function markTarget(lanes: LaneSpec[], where: string): void {
  const reg = PE_REGS.find((r) => where.endsWith(r));
  const base = where.replace(/\[.*$/, '').replace(/^.*\./, '');
  const hit = reg !== undefined
    ? lanes.find((l) => l.signal.name === reg)
    : lanes.find((l) => l.signal.name === base || l.signal.name.startsWith(`${base}_`));
  if (hit !== undefined) hit.target = true;
}
