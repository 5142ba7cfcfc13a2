/**
 * A compact table of the key signals around a mismatch, read back from the VCD window that harness/waves/window.ts
 * replayed (read-vcd.ts; values sampled with sample-cycles.ts valueAt, the one VCD sampler). Time 2t is cycle t with the clock low (ports: inputs applied, outputs
 * showing edge t-1); time 2t+1 is just after rising edge t (registers: the values cycle t computed, as deep mode
 * compares them).
 */
import {
  REG_DATAFLOW_ORDER, findPort, findRegister, signalName, vcdPath, type PortName, type PortSpec, type RegisterSpec, type SignalRef,
} from '../../hw-sim/contract/index.ts';
import { readVcd, type VcdSignal, type VcdWindow } from './read-vcd.ts';
import { valueAt, type Sample } from './sample-cycles.ts';

export interface TableColumn {
  header: string;
  /** Full VCD path of the signal. */
  path: string;
  /** Element [lsb, width] of a bus; without a width, the whole signal (as wide as the VCD says). */
  lsb: number;
  width?: number;
  signed: boolean;
  /** 0: sample at 2t (ports), 1: at 2t+1 (registers after the edge). */
  phase: 0 | 1;
}

export interface WaveTable {
  columns: string[];
  rows: Array<{ cycle: number; values: string[] }>;
  /** Signals asked for but missing from the VCD. */
  missing: string[];
}

function field(v: Sample | undefined, lsb: number, width: number, signed: boolean): string {
  if (v === undefined) return '?';
  const m = (1n << BigInt(width)) - 1n;
  if (((v.mask >> BigInt(lsb)) & m) !== 0n) return 'x';
  let x = (v.value >> BigInt(lsb)) & m;
  if (signed && width > 1 && (x >> BigInt(width - 1)) === 1n) x -= 1n << BigInt(width);
  return x.toString();
}

export interface KeySignalsOptions {
  top: string;
  rows: number;
  /** The column of an output element or of a PE, when known. */
  col?: number;
  /** The PE row, when the mismatch is in a PE register. */
  row?: number;
}

/** The control and output ports of the table, then (for a known column) that column's elements and PE. */
const KEY_PORTS: readonly PortName[] = ['w_en_i', 'w_row_i', 'a_en_i', 'a_first_i', 'a_last_i', 'a_addr_i', 'o_valid_o', 'o_addr_o'];
const KEY_ELEMENTS: readonly PortName[] = ['o_data_o', 'o_acc_o'];

/** The columns for a mismatch: control ports, output ports (the failing column's elements), the PE's registers. */
export function keyColumns(o: KeySignalsOptions): TableColumn[] {
  const column = (s: SignalRef): TableColumn => {
    if (s.kind === 'register') {
      const reg = findRegister(s.reg) as RegisterSpec;
      return { header: signalName(s), path: vcdPath(s, o.top), lsb: 0, width: reg.bits, signed: reg.signed, phase: 1 };
    }
    const p = findPort(s.port) as PortSpec;
    const el = p.width.kind === 'bus' ? p.width.bits : undefined;
    return { header: signalName(s), path: vcdPath(s, o.top), lsb: el === undefined ? 0 : el * (s.index ?? 0), width: el, signed: p.signed, phase: 0 };
  };
  const cols = KEY_PORTS.map((port) => column({ kind: 'port', port }));
  if (o.col !== undefined) {
    const col = o.col;
    cols.push(...KEY_ELEMENTS.map((port) => column({ kind: 'port', port, index: col })));
    const row = o.row ?? o.rows - 1;
    cols.push(...REG_DATAFLOW_ORDER.map((reg) => column({ kind: 'register', row, col, reg })));
  }
  return cols;
}

export function waveTable(win: VcdWindow, columns: TableColumn[], firstCycle: number, lastCycle: number): WaveTable {
  const byPath = new Map(win.signals.map((s) => [s.path, s]));
  const present = columns.filter((c) => byPath.has(c.path));
  const missing = columns.filter((c) => !byPath.has(c.path)).map((c) => c.path);
  const rows: WaveTable['rows'] = [];
  for (let t = firstCycle; t <= lastCycle; t++) {
    rows.push({
      cycle: t,
      values: present.map((c) => {
        const sig = byPath.get(c.path) as VcdSignal;
        return field(valueAt(sig, 2 * t + c.phase), c.lsb, c.width ?? sig.width, c.signed);
      }),
    });
  }
  return { columns: present.map((c) => c.header), rows, missing };
}

export async function readWaveTable(vcdPath: string, columns: TableColumn[], firstCycle: number, lastCycle: number): Promise<WaveTable> {
  return waveTable(await readVcd(vcdPath), columns, firstCycle, lastCycle);
}

/** Fixed-width text; the row of `mark` gets an arrow. */
export function formatWaveTable(t: WaveTable, mark?: number): string {
  const headers = ['cycle', ...t.columns];
  const body = t.rows.map((r) => [String(r.cycle), ...r.values]);
  const widths = headers.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] as string).length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i] as number)).join(' ');
  const out = [line(headers)];
  body.forEach((b, i) => out.push(`${line(b)}${t.rows[i]?.cycle === mark ? '  <<' : ''}`));
  if (t.missing.length > 0) out.push(`(not in the VCD: ${t.missing.join(', ')})`);
  return out.join('\n');
}
