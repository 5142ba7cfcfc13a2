/**
 * The one naming of every beat word and PE register (docs/ARCHITECTURE.md sections 3, 6, 7). A signal is named
 * by a typed reference; from it come the name a user reads in messages, tables and reports (`o_data_o[3]`,
 * `o_valid_o`, `pe(1,2).psum_q`), its RTL hierarchical path below the top (`u_array.g_row[1].g_col[2].u_pe.psum_q`,
 * what deep mode looks up) and its VCD path in a Verilated trace. The names parse back to references.
 */
import type { ArrayConfig } from './array-config.ts';
import { findPort, type PortName } from './ports.ts';
import { PE_REGISTERS, REG_NAMES, type RegisterName } from './registers.ts';
import { beatFields, regWordIndex, regWordPlace } from './words.ts';

/** A port (element `index` of a bus), or register `reg` of PE (row, col). */
export type SignalRef =
  | { readonly kind: 'port'; readonly port: PortName; readonly index?: number }
  | { readonly kind: 'register'; readonly row: number; readonly col: number; readonly reg: RegisterName };

/** The name users see: `o_data_o[3]`, `o_valid_o`, `pe(1,2).psum_q`. */
export function signalName(s: SignalRef): string {
  if (s.kind === 'register') return `pe(${s.row},${s.col}).${s.reg}`;
  return s.index === undefined ? s.port : `${s.port}[${s.index}]`;
}

/** The instance of PE (row, col) below the top (section 6): `u_array.g_row[1].g_col[2].u_pe`. */
export function peInstancePath(row: number | string, col: number | string): string {
  return `u_array.g_row[${row}].g_col[${col}].u_pe`;
}

/** The RTL signal below the top: a port's name (a bus element is part of it), a register's hierarchical path. */
export function rtlPath(s: SignalRef): string {
  return s.kind === 'register' ? `${peInstancePath(s.row, s.col)}.${s.reg}` : s.port;
}

/** Verilator's VCD path: ports at `TOP.<port>`, registers at `TOP.<top>.<rtlPath>`. */
export function vcdPath(s: SignalRef, top: string): string {
  return s.kind === 'register' ? `TOP.${top}.${rtlPath(s)}` : `TOP.${s.port}`;
}

const REGISTER_NAME = /^pe\(\s*(\d+)\s*,\s*(\d+)\s*\)\.(\w+)$/;
const PORT_NAME = /^(\w+)(?:\[(\d+)\])?$/;

/** The reference a user-visible name stands for, or undefined when it names no port or register of the contract. */
export function parseSignalName(name: string): SignalRef | undefined {
  const r = REGISTER_NAME.exec(name);
  if (r) {
    const reg = REG_NAMES.find((n) => n === r[3]);
    return reg === undefined ? undefined : { kind: 'register', row: Number(r[1]), col: Number(r[2]), reg };
  }
  const p = PORT_NAME.exec(name);
  const port = p ? findPort(p[1] as string) : undefined;
  if (p === null || port === undefined) return undefined;
  const ref = { kind: 'port', port: port.name as PortName } as const;
  return p[2] === undefined ? ref : { ...ref, index: Number(p[2]) };
}

const PE_PATH = /(?:^|\.)g_row[[(](\d+)[\])]\.g_col[[(](\d+)[\])]\.u_pe\.(\w+)$/;

/**
 * The register a hierarchical path (RTL or VCD; Icarus writes `g_row(1)`) ends in, or undefined. The inverse of
 * rtlPath and vcdPath for registers.
 */
export function parseRegisterPath(path: string): Extract<SignalRef, { kind: 'register' }> | undefined {
  const m = PE_PATH.exec(path);
  const reg = m ? REG_NAMES.find((n) => n === m[3]) : undefined;
  return m && reg !== undefined ? { kind: 'register', row: Number(m[1]), col: Number(m[2]), reg } : undefined;
}

/** The signal of word i of an input or output beat. */
export function beatWordSignal(dir: 'in' | 'out', cfg: Pick<ArrayConfig, 'rows' | 'cols'>, i: number): Extract<SignalRef, { kind: 'port' }> {
  const f = beatFields(dir, cfg).find((x) => i >= x.offset && i < x.offset + x.count);
  if (f === undefined) throw new RangeError(`${dir}put beat word ${i} is outside a beat of ${cfg.rows}x${cfg.cols}`);
  const port = f.port.name as PortName;
  return f.port.width.kind === 'bus' ? { kind: 'port', port, index: i - f.offset } : { kind: 'port', port };
}

/** The signal of readout word i (section 6). */
export function regWordSignal(cols: number, i: number): Extract<SignalRef, { kind: 'register' }> {
  const { row, col, reg } = regWordPlace(cols, i);
  return { kind: 'register', row, col, reg: (PE_REGISTERS[reg] as { name: RegisterName }).name };
}

/**
 * The word a signal occupies: its output (or input) beat word for a port, its readout word for a register;
 * undefined for a port that is not a beat word or an element outside the bus.
 */
export function signalWord(s: SignalRef, cfg: Pick<ArrayConfig, 'rows' | 'cols'>): number | undefined {
  if (s.kind === 'register') return regWordIndex(cfg.cols, s.row, s.col, REG_NAMES.indexOf(s.reg));
  const dir = s.port.endsWith('_o') ? 'out' : 'in';
  const f = beatFields(dir, cfg).find((x) => x.port.name === s.port);
  const k = s.index ?? 0;
  return f === undefined || k >= f.count ? undefined : f.offset + k;
}

/** Names of the input words of a beat, in order (for traces and mismatch messages). */
export function inWordNames(cfg: Pick<ArrayConfig, 'rows' | 'cols'>): string[] {
  return wordNames('in', cfg);
}

/** Names of the output words of a beat, in order. */
export function outWordNames(cfg: Pick<ArrayConfig, 'rows' | 'cols'> | Pick<ArrayConfig, 'cols'>): string[] {
  return wordNames('out', { rows: 0, ...cfg });
}

function wordNames(dir: 'in' | 'out', cfg: Pick<ArrayConfig, 'rows' | 'cols'>): string[] {
  const words = beatFields(dir, cfg).reduce((n, f) => n + f.count, 0);
  return Array.from({ length: words }, (_, i) => signalName(beatWordSignal(dir, cfg, i)));
}

/** The name of readout word i, e.g. `pe(2,5).psum_q`. */
export function regWordName(cfg: Pick<ArrayConfig, 'cols'>, i: number): string {
  return signalName(regWordSignal(cfg.cols, i));
}
