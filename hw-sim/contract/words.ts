/**
 * The word layouts of docs/ARCHITECTURE.md sections 6 and 7, derived from the port and register tables: one
 * cycle's inputs are `inWords` int32 words (the scalar input ports in section 3's order, then w_data[c], then
 * a_data[r]), its outputs `outWords` (o_valid, o_addr, then o_data[c], then o_acc[c]), one register readout
 * `regWords` (PE-major, row-major, REG_WORDS_PER_PE words a PE). int8 and signed fields are sign-extended.
 */
import type { ArrayConfig } from './array-config.ts';
import { PORTS, type Dim, type PortSpec } from './ports.ts';
import { REG_WORDS_PER_PE } from './registers.ts';

type Dims = Pick<ArrayConfig, Dim>;
type BeatPort = Extract<(typeof PORTS)[number], { beat: true }>;
type Camel<S extends string> = S extends `${infer H}_${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S;
/** `w_en_i` -> `wEn`, `o_valid_o` -> `oValid`: the key of a port's word in IN / OUT. */
type WordKey<N extends string> = N extends `${infer B}_i` ? Camel<B> : N extends `${infer B}_o` ? Camel<B> : never;
type ScalarName<D> = Exclude<Extract<BeatPort, { dir: D }>, { width: { kind: 'bus' } }>['name'];
type FirstBus<D> = D extends 'in' ? 'w_data_i' : 'o_data_o';

/** Where one port's words sit in a beat: `base + rows * perRow + cols * perCol`, `count` words from there. */
interface Placement {
  readonly port: PortSpec;
  readonly base: number;
  readonly perRow: number;
  readonly perCol: number;
}

function placements(dir: 'in' | 'out'): Placement[] {
  const ports = PORTS.filter((p) => p.beat && p.dir === dir);
  const scalars = ports.filter((p) => p.width.kind !== 'bus');
  const buses = ports.filter((p) => p.width.kind === 'bus');
  const out: Placement[] = scalars.map((port, i) => ({ port, base: i, perRow: 0, perCol: 0 }));
  let perRow = 0;
  let perCol = 0;
  for (const port of buses) {
    out.push({ port, base: scalars.length, perRow, perCol });
    if (port.width.kind === 'bus' && port.width.count === 'rows') perRow++;
    else perCol++;
  }
  return out;
}

const PLACED = { in: placements('in'), out: placements('out') } as const;
const wordKey = (name: string): string => name.replace(/_[io]$/, '').replace(/_(\w)/g, (_, ch: string) => ch.toUpperCase());

function offsetsOf<D extends 'in' | 'out'>(dir: D): { readonly [K in WordKey<ScalarName<D> | FirstBus<D>>]: number } {
  const firstBus = PLACED[dir].find((p) => p.port.width.kind === 'bus') as Placement;
  const entries = PLACED[dir].filter((p) => p.port.width.kind !== 'bus' || p === firstBus).map((p) => [wordKey(p.port.name), p.base]);
  return Object.fromEntries(entries) as never;
}

/** Word offsets of one cycle's inputs (section 7). w_data[c] is at `IN.wData + c`, a_data[r] at `aDataOffset(cfg) + r`. */
export const IN = offsetsOf('in');
/** Word offsets of one cycle's outputs (section 7). o_data[c] is at `OUT.oData + c`, o_acc[c] at `oAccOffset(cfg) + c`. */
export const OUT = offsetsOf('out');

/** Number of scalar input words before the vectors. */
export const IN_SCALAR_WORDS = PLACED.in.filter((p) => p.port.width.kind !== 'bus').length;
/** Number of scalar output words before the vectors. */
export const OUT_SCALAR_WORDS = PLACED.out.filter((p) => p.port.width.kind !== 'bus').length;

/** One port's place in a beat of a given geometry: words offset .. offset + count - 1. */
export interface BeatField {
  readonly port: PortSpec;
  readonly offset: number;
  /** 1 for a scalar port, Rows or Cols for a bus. */
  readonly count: number;
}

/** The fields of an input or output beat in word order. */
export function beatFields(dir: 'in' | 'out', g: Dims): BeatField[] {
  return PLACED[dir].map((p) => ({
    port: p.port,
    offset: p.base + g.rows * p.perRow + g.cols * p.perCol,
    count: p.port.width.kind === 'bus' ? g[p.port.width.count] : 1,
  }));
}

/** The field of the port called `name` in a beat, or undefined when it is not a beat word. */
export function beatField(name: string, g: Dims): BeatField | undefined {
  const dir = name.endsWith('_o') ? 'out' : 'in';
  return beatFields(dir, g).find((f) => f.port.name === name);
}

const busOffset = (p: Placement | undefined, g: Dims): number => (p as Placement).base + g.rows * (p as Placement).perRow + g.cols * (p as Placement).perCol;
const A_DATA = PLACED.in.find((p) => p.port.name === 'a_data_i');
const O_ACC = PLACED.out.find((p) => p.port.name === 'o_acc_o');

/** Words of a whole beat: the scalars and every bus's elements. */
function totalWords(dir: 'in' | 'out', g: Dims): number {
  return PLACED[dir].reduce((n, p) => n + (p.port.width.kind === 'bus' ? g[p.port.width.count] : 1), 0);
}

/** Words of one cycle's inputs: 18 + C + R. */
export function inWords(cfg: Dims): number {
  return totalWords('in', cfg);
}

/** Words of one cycle's outputs: 2 + 2C. */
export function outWords(cfg: Pick<ArrayConfig, 'cols'>): number {
  return totalWords('out', { rows: 0, cols: cfg.cols });
}

/** Offset of a_data[0] in an input beat. */
export function aDataOffset(cfg: Pick<ArrayConfig, 'cols'>): number {
  return busOffset(A_DATA, { rows: 0, cols: cfg.cols });
}

/** Offset of o_acc[0] in an output beat. */
export function oAccOffset(cfg: Pick<ArrayConfig, 'cols'>): number {
  return busOffset(O_ACC, { rows: 0, cols: cfg.cols });
}

/** Words of one register readout (section 6). */
export function regWords(cfg: Dims): number {
  return REG_WORDS_PER_PE * cfg.rows * cfg.cols;
}

/** Readout word of register `reg` (its index in PE_REGISTERS) of PE (row, col): REG_WORDS_PER_PE * (row * C + col) + reg. */
export function regWordIndex(cols: number, row: number, col: number, reg: number): number {
  return REG_WORDS_PER_PE * (row * cols + col) + reg;
}

/** PE row, column and register index of readout word i. */
export function regWordPlace(cols: number, i: number): { row: number; col: number; reg: number } {
  const pe = Math.floor(i / REG_WORDS_PER_PE);
  return { row: Math.floor(pe / cols), col: pe % cols, reg: i % REG_WORDS_PER_PE };
}
