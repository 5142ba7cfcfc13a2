/**
 * A compact table of the key signals around a mismatch, read back from the VCD window (vcd-stream, through
 * report/waveform/read-vcd.ts). Time 2t is cycle t with the clock low (ports: inputs applied, outputs
 * showing edge t-1); time 2t+1 is just after rising edge t (registers: the values cycle t computed, as deep mode
 * compares them).
 */
import { readVcd, type VcdSignal, type VcdWindow } from '../../report/waveform/read-vcd.ts';

export interface TableColumn {
  header: string;
  /** Full VCD path of the signal. */
  path: string;
  /** Element [lsb, width] of a bus, or the whole signal. */
  lsb: number;
  width: number;
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

function valueAt(sig: VcdSignal, time: number): { value: bigint; mask: bigint } | undefined {
  let lo = 0;
  let hi = sig.changes.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((sig.changes[mid] as { time: number }).time <= time) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best < 0 ? undefined : (sig.changes[best] as { value: bigint; mask: bigint });
}

function field(v: { value: bigint; mask: bigint } | undefined, col: TableColumn): string {
  if (v === undefined) return '?';
  const m = (1n << BigInt(col.width)) - 1n;
  if (((v.mask >> BigInt(col.lsb)) & m) !== 0n) return 'x';
  let x = (v.value >> BigInt(col.lsb)) & m;
  if (col.signed && col.width > 1 && (x >> BigInt(col.width - 1)) === 1n) x -= 1n << BigInt(col.width);
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

/** The columns for a mismatch: control ports, output ports (the failing column's elements), the PE. */
export function keyColumns(o: KeySignalsOptions): TableColumn[] {
  const port = (name: string, width: number, signed = false, lsb = 0, header = name): TableColumn => ({
    header, path: `TOP.${name}`, lsb, width, signed, phase: 0,
  });
  const cols: TableColumn[] = [
    port('w_en_i', 1), port('w_row_i', 16), port('a_en_i', 1), port('a_first_i', 1), port('a_last_i', 1), port('a_addr_i', 16),
    port('o_valid_o', 1), port('o_addr_o', 16),
  ];
  if (o.col !== undefined) {
    const c = o.col;
    cols.push(port('o_data_o', 8, true, 8 * c, `o_data_o[${c}]`), port('o_acc_o', 32, true, 32 * c, `o_acc_o[${c}]`));
    const r = o.row ?? o.rows - 1;
    const pe = `TOP.${o.top}.u_array.g_row[${r}].g_col[${c}].u_pe`;
    const reg = (name: string, width: number, signed: boolean): TableColumn => ({
      header: `pe(${r},${c}).${name}`, path: `${pe}.${name}`, lsb: 0, width, signed, phase: 1,
    });
    cols.push(reg('v_q', 1, false), reg('bank_q', 1, false), reg('a_q', 8, true), reg('w0_q', 8, true), reg('w1_q', 8, true), reg('psum_q', 32, true));
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
        // a bus narrower than the requested field (w_row_i, addresses): take the whole signal
        const col = c.lsb === 0 && c.width > sig.width ? { ...c, width: sig.width } : c;
        return field(valueAt(sig, 2 * t + c.phase), col);
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
