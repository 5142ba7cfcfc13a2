/**
 * Chooses the signals of the mismatch waveform: the ones report.json names, or by default the array's ports
 * (docs/ARCHITECTURE.md section 3) with multi-element buses cut down to the mismatching column or row, and the
 * registers of the mismatching PE (section 6) when the VCD has them.
 */
import {
  REG_DATAFLOW_ORDER, REG_NAMES, findPort, findRegister, parseRegisterPath, parseSignalName, signalName, type PortName,
} from '../../hw-sim/contract/index.ts';
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

/** Shown by default: the activation ports, the outputs, and reset (section 3). */
const DEFAULT_PORTS: readonly PortName[] = ['rst_ni', 'a_en_i', 'a_first_i', 'a_last_i', 'a_addr_i', 'a_data_i', 'o_valid_o', 'o_addr_o', 'o_data_o', 'o_acc_o'];
const MAX_LANES = 18;

const depth = (s: VcdSignal): number => s.path.split('.').length;

function shallowest(win: VcdWindow, name: string): VcdSignal | undefined {
  return win.signals.filter((s) => s.name === name).sort((a, b) => depth(a) - depth(b))[0];
}

/** A bus port of the contract: its element width, the dimension that counts its elements and its sign. */
function busOf(name: string): { bits: number; count: 'rows' | 'cols'; signed: boolean } | undefined {
  const p = findPort(name);
  return p?.width.kind === 'bus' ? { bits: p.width.bits, count: p.width.count, signed: p.signed } : undefined;
}

/** Scalar ports and registers shown signed. */
function isSigned(name: string): boolean {
  return findPort(name)?.signed ?? findRegister(name)?.signed ?? false;
}

/** Row and column of the mismatch: the given ones, else read from `where` ("pe(1,2).psum_q", "o_data_o[3]"). */
export function mismatchPlace(m: MismatchInfo): { row?: number; col?: number } {
  const s = parseSignalName(m.where);
  const fromName = s === undefined ? {} : s.kind === 'register' ? { row: s.row, col: s.col } : s.index === undefined ? {} : busOf(s.port)?.count === 'rows' ? { row: s.index } : { col: s.index };
  const row = m.row ?? fromName.row;
  const col = m.col ?? fromName.col;
  return { ...(row === undefined ? {} : { row }), ...(col === undefined ? {} : { col }) };
}

function busLane(sig: VcdSignal, array: { rows: number; cols: number }, place: { row?: number; col?: number }): LaneSpec | undefined {
  const bus = busOf(sig.name);
  if (bus === undefined) return { label: sig.name, signal: sig, signed: isSigned(sig.name), target: false };
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
  const reg = parseRegisterPath(sig.path);
  return reg ? signalName(reg) : sig.path.split('.').slice(-2).join('.');
}

function namedLanes(win: VcdWindow, names: string[], array: { rows: number; cols: number }, place: { row?: number; col?: number }): LaneSpec[] {
  const lanes: LaneSpec[] = [];
  for (const want of names) {
    const m = /^(.*?)(?:\[(\d+)\])?$/.exec(want) as RegExpExecArray;
    const base = m[1] as string;
    const sig = win.signals.find((s) => s.path === base) ?? win.signals.find((s) => s.path.endsWith(`.${base}`)) ?? shallowest(win, base);
    if (sig === undefined) continue;
    const at = m[2] === undefined ? place : busOf(sig.name)?.count === 'rows' ? { row: Number(m[2]) } : { col: Number(m[2]) };
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
      const { row, col } = place;
      for (const reg of REG_DATAFLOW_ORDER) {
        const sig = win.signals.find((s) => {
          const r = s.name === reg ? parseRegisterPath(s.path) : undefined;
          return r !== undefined && r.row === row && r.col === col;
        });
        if (sig !== undefined) lanes.push({ label: signalName({ kind: 'register', row, col, reg }), signal: sig, signed: isSigned(reg), target: false });
      }
    }
  }
  lanes = lanes.slice(0, MAX_LANES);
  markTarget(lanes, m.where);
  return lanes;
}

/** Marks the lane `where` names: a PE register by name, else a port by its name without index and suffix. */
function markTarget(lanes: LaneSpec[], where: string): void {
  const s = parseSignalName(where);
  const reg = s?.kind === 'register' ? s.reg : REG_NAMES.find((r) => where.endsWith(r));
  const base = where.replace(/\[.*$/, '').replace(/^.*\./, '');
  const hit = reg !== undefined
    ? lanes.find((l) => l.signal.name === reg)
    : lanes.find((l) => l.signal.name === base || l.signal.name.startsWith(`${base}_`));
  if (hit !== undefined) hit.target = true;
}
