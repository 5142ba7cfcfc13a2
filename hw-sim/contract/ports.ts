/**
 * The ports of the array (docs/ARCHITECTURE.md section 3): names, directions and widths as functions of the
 * geometry. Every other statement of a port (the harness's port check, the C ABI's drive and sample code, the
 * testbenches' unpacking, the waveform lanes) is derived from PORTS.
 */

/** ceil(log2(x)), at least 1: the width of an index bus over x entries (section 3). */
export function clog2(x: number): number {
  let w = 0;
  while (2 ** w < x) w++;
  return Math.max(w, 1);
}

/** What the widths depend on: Rows, Cols and the width of an accumulator address (AccDepth = 2^addrBits). */
export interface PortGeometry {
  rows: number;
  cols: number;
  addrBits: number;
}

export type Dim = 'rows' | 'cols';
export const DIM_PARAM = { rows: 'Rows', cols: 'Cols' } as const;

/**
 * A port's width: `fixed` bits; `bus` of `count` elements of `bits` each (element j in bits [bits*j +: bits]);
 * `index` over Rows or Cols entries (clog2); `addr`, an accumulator address (clog2(AccDepth)).
 */
export type PortWidth =
  | { readonly kind: 'fixed'; readonly bits: number }
  | { readonly kind: 'bus'; readonly bits: 8 | 32; readonly count: Dim }
  | { readonly kind: 'index'; readonly over: Dim }
  | { readonly kind: 'addr' };

export interface PortSpec {
  readonly name: string;
  readonly dir: 'in' | 'out';
  readonly width: PortWidth;
  /** Values (or elements) are two's complement: sign-extended into beat words and shown signed. */
  readonly signed: boolean;
  /** false for clk_i and rst_ni, which the harness drives itself: every other port is a field of the beat. */
  readonly beat: boolean;
  /** Section 3's meaning. */
  readonly meaning: string;
}

const fixed = (bits: number) => ({ kind: 'fixed', bits }) as const;
const bus = (bits: 8 | 32, count: Dim) => ({ kind: 'bus', bits, count }) as const;
const index = (over: Dim) => ({ kind: 'index', over }) as const;
const addr = { kind: 'addr' } as const;

function port<N extends string, D extends 'in' | 'out', W extends PortWidth, B extends boolean = true>(
  name: N,
  dir: D,
  width: W,
  signed: boolean,
  meaning: string,
  beat: B = true as B,
): PortSpec & { readonly name: N; readonly dir: D; readonly width: W; readonly beat: B } {
  return { name, dir, width, signed, beat, meaning };
}

/** Section 3's ports, in its order (the beat's scalar words follow this order, section 7). */
export const PORTS = [
  port('clk_i', 'in', fixed(1), false, 'clock (rising edge)', false),
  port('rst_ni', 'in', fixed(1), false, 'reset, active low', false),
  port('w_en_i', 'in', fixed(1), false, 'write one row of weights into a bank'),
  port('w_bank_i', 'in', fixed(1), false, 'the bank written'),
  port('w_row_i', 'in', index('rows'), false, 'the PE row written'),
  port('w_data_i', 'in', bus(8, 'cols'), true, 'int8 weights for columns 0..C-1 of that row'),
  port('a_en_i', 'in', fixed(1), false, 'an activation vector enters this cycle'),
  port('a_bank_i', 'in', fixed(1), false, 'the weight bank this vector multiplies with'),
  port('a_first_i', 'in', fixed(1), false, 'first K-tile: the accumulator is overwritten'),
  port('a_last_i', 'in', fixed(1), false, 'last K-tile: the result is requantized and output'),
  port('a_addr_i', 'in', addr, false, 'accumulator address (the row m)'),
  port('a_data_i', 'in', bus(8, 'rows'), true, 'int8 activations for rows 0..R-1'),
  port('p_en_i', 'in', fixed(1), false, "write one column's requantization parameters"),
  port('p_col_i', 'in', index('cols'), false, 'the column written'),
  port('p_bias_i', 'in', fixed(32), true, 'int32 bias (input zero point folded in)'),
  port('p_m0_i', 'in', fixed(32), false, 'int32 multiplier m0 in [0, 2^31-1]'),
  port('p_shift_i', 'in', fixed(8), true, 'signed shift in [-31, 30]'),
  port('c_en_i', 'in', fixed(1), false, 'write the per-tensor output configuration'),
  port('c_zp_i', 'in', fixed(8), true, 'int8 output zero point'),
  port('c_min_i', 'in', fixed(8), true, 'int8 clamp low'),
  port('c_max_i', 'in', fixed(8), true, 'int8 clamp high'),
  port('c_round_i', 'in', fixed(2), false, 'requantizer rounding: 0 single, 1 double, 2 ruy (3 reserved)'),
  port('o_valid_o', 'out', fixed(1), false, 'an output row is valid this cycle'),
  port('o_addr_o', 'out', addr, false, 'its row m'),
  port('o_data_o', 'out', bus(8, 'cols'), true, 'int8 outputs for columns 0..C-1'),
  port('o_acc_o', 'out', bus(32, 'cols'), true, 'the int32 value that entered the requantizer'),
] as const;

export type PortName = (typeof PORTS)[number]['name'];

/**
 * Ports an RTL may have beyond section 3's (section 13, flow control): `a_ready_o = 1` in cycle t, the array takes
 * cycle t's inputs; 0, the driver presents an idle word and holds the program. Not a field of the beat: the harness
 * reads it itself, as it drives clk_i and rst_ni.
 */
export const OPTIONAL_PORTS = [
  port('a_ready_o', 'out', fixed(1), false, "the array takes this cycle's inputs (section 13; absent: always)", false),
] as const;

const BY_NAME: ReadonlyMap<string, PortSpec> = new Map(PORTS.map((p) => [p.name, p]));

/** The port called `name`, or undefined. */
export function findPort(name: string): PortSpec | undefined {
  return BY_NAME.get(name);
}

/** Bits of the port for a geometry (NaN where the geometry it depends on is NaN: unknown). */
export function portWidth(p: PortSpec, g: PortGeometry): number {
  const w = p.width;
  switch (w.kind) {
    case 'fixed':
      return w.bits;
    case 'bus':
      return w.bits * g[w.count];
    case 'index':
      return Number.isFinite(g[w.over]) ? clog2(g[w.over]) : NaN;
    case 'addr':
      return g.addrBits;
  }
}

/** Bits of one element: a bus's element width, else the port's width. */
export function elementWidth(p: PortSpec, g: PortGeometry): number {
  return p.width.kind === 'bus' ? p.width.bits : portWidth(p, g);
}

/** The width as an expression of the parameters: "8*Cols", "clog2(Rows)", "clog2(AccDepth)" (`$clog2` for SystemVerilog). */
export function widthExpression(p: PortSpec, clog2Name = 'clog2'): string {
  const w = p.width;
  switch (w.kind) {
    case 'fixed':
      return String(w.bits);
    case 'bus':
      return `${w.bits}*${DIM_PARAM[w.count]}`;
    case 'index':
      return `${clog2Name}(${DIM_PARAM[w.over]})`;
    case 'addr':
      return `${clog2Name}(AccDepth)`;
  }
}

/**
 * The width as section 3 states it; with `known`, an index over a dimension shows the value it was derived from
 * ("clog2(Rows=4)"), and an output address is "width of a_addr_i" (what it must match).
 */
export function widthRule(p: PortSpec, known?: Partial<Record<Dim, number>>): string {
  const w = p.width;
  const v = w.kind === 'index' ? known?.[w.over] : undefined;
  if (w.kind === 'index' && v !== undefined && Number.isFinite(v)) return `clog2(${DIM_PARAM[w.over]}=${v})`;
  if (w.kind === 'addr' && p.dir === 'out') return 'width of a_addr_i';
  return widthExpression(p);
}
