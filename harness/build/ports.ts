/**
 * The port contract of docs/ARCHITECTURE.md section 3, checked against the ports Verilator actually generated
 * (read from the model header), and the array geometry derived from them: Rows from a_data_i, Cols from w_data_i,
 * the accumulator depth from a_addr_i. Nothing else in the harness states a width.
 */
import { BuildError } from '../../quant/errors.ts';

export interface PortDecl {
  name: string;
  dir: 'in' | 'out' | 'inout';
  width: number;
}

export interface ArrayGeometry {
  rows: number;
  cols: number;
  /** Bits of a_addr_i / o_addr_o; the accumulator holds 2^addrBits rows. */
  addrBits: number;
  accDepth: number;
  /** Words of one input beat, one output beat, one register readout (ARCHITECTURE.md sections 6, 7). */
  inWords: number;
  outWords: number;
  regWords: number;
}

/** Reads `VL_IN8(&name,msb,lsb)`-style declarations from a Verilated model header. */
export function parseModelPorts(header: string): PortDecl[] {
  const re = /VL_(IN|OUT|INOUT)(8|16|64|W)?\(&(\w+),(\d+),(\d+)(?:,\d+)?\);/g;
  const ports: PortDecl[] = [];
  for (const m of header.matchAll(re)) {
    const dir = m[1] === 'IN' ? 'in' : m[1] === 'OUT' ? 'out' : 'inout';
    ports.push({ name: m[3] as string, dir, width: Number(m[4]) - Number(m[5]) + 1 });
  }
  return ports;
}

const clog2 = (x: number): number => Math.max(1, Math.ceil(Math.log2(x)));

interface PortRule {
  dir: 'in' | 'out';
  /** NaN when the geometry it depends on could not be found (then only presence and direction are checked). */
  width: number;
  rule: string;
}

/** Expected direction and width of every port, given Rows, Cols and the address width (NaN where unknown). */
function contract(r: number, c: number, a: number): Record<string, PortRule> {
  const one = (dir: 'in' | 'out'): PortRule => ({ dir, width: 1, rule: '1' });
  const idx = (n: number, name: string): PortRule => ({ dir: 'in', width: clog2(n), rule: Number.isFinite(n) ? `clog2(${name}=${n})` : `clog2(${name})` });
  return {
    clk_i: one('in'),
    rst_ni: one('in'),
    w_en_i: one('in'),
    w_bank_i: one('in'),
    w_row_i: idx(r, 'Rows'),
    w_data_i: { dir: 'in', width: 8 * c, rule: `8*Cols` },
    a_en_i: one('in'),
    a_bank_i: one('in'),
    a_first_i: one('in'),
    a_last_i: one('in'),
    a_addr_i: { dir: 'in', width: a, rule: 'clog2(AccDepth)' },
    a_data_i: { dir: 'in', width: 8 * r, rule: '8*Rows' },
    p_en_i: one('in'),
    p_col_i: idx(c, 'Cols'),
    p_bias_i: { dir: 'in', width: 32, rule: '32' },
    p_m0_i: { dir: 'in', width: 32, rule: '32' },
    p_shift_i: { dir: 'in', width: 8, rule: '8' },
    c_en_i: one('in'),
    c_zp_i: { dir: 'in', width: 8, rule: '8' },
    c_min_i: { dir: 'in', width: 8, rule: '8' },
    c_max_i: { dir: 'in', width: 8, rule: '8' },
    o_valid_o: one('out'),
    o_addr_o: { dir: 'out', width: a, rule: 'width of a_addr_i' },
    o_data_o: { dir: 'out', width: 8 * c, rule: '8*Cols' },
    o_acc_o: { dir: 'out', width: 32 * c, rule: '32*Cols' },
  };
}

export function geometryOf(rows: number, cols: number, addrBits: number): ArrayGeometry {
  return {
    rows,
    cols,
    addrBits,
    accDepth: 2 ** addrBits,
    inWords: 17 + cols + rows,
    outWords: 2 + 2 * cols,
    regWords: 6 * rows * cols,
  };
}

/** Where a dimension of the geometry was read: a port (then the build's parameter is checked against it) or the parameter. */
interface Dimension {
  value: number;
  from?: string;
}

/**
 * One dimension from the first port that carries it (`[port, bits per unit]`), else from the build's parameter.
 * A port whose width is not a whole number of units is a problem of its own and is not used.
 */
function dimension(
  byName: Map<string, PortDecl>,
  carriers: readonly (readonly [string, number])[],
  param: number | string | undefined,
  toValue: (p: number) => number,
  problems: string[],
): Dimension {
  for (const [name, unit] of carriers) {
    const p = byName.get(name);
    if (!p) continue;
    if (p.width % unit === 0) return { value: p.width / unit, from: name };
    problems.push(`${name} is ${p.width} bits, not a multiple of ${unit}`);
  }
  const v = Number(param);
  return { value: param !== undefined && Number.isInteger(v) && v > 0 ? toValue(v) : NaN };
}

/**
 * Checks the generated ports against the contract and returns the geometry. `params` are the values the build
 * asked for (Rows, Cols, AccDepth when given); a disagreement is reported with the port that shows it. Every
 * problem found goes into one BuildError: when a port that carries the geometry is missing (a_data_i, w_data_i,
 * a_addr_i), the geometry is taken from another port that carries it (o_data_o, o_acc_o, o_addr_o) or from the
 * parameters, so that the widths of the other ports are still checked.
 */
export function checkPorts(top: string, ports: PortDecl[], params: Record<string, number | string>): ArrayGeometry {
  const byName = new Map(ports.map((p) => [p.name, p]));
  const problems: string[] = [];
  const rows = dimension(byName, [['a_data_i', 8]], params.Rows, (v) => v, problems);
  const cols = dimension(byName, [['w_data_i', 8], ['o_data_o', 8], ['o_acc_o', 32]], params.Cols, (v) => v, problems);
  const addr = dimension(byName, [['a_addr_i', 1], ['o_addr_o', 1]], params.AccDepth, clog2, problems);
  const want = contract(rows.value, cols.value, addr.value);
  for (const [name, w] of Object.entries(want)) {
    const p = byName.get(name);
    const bits = Number.isFinite(w.width) && w.rule !== String(w.width) ? ` = ${w.width}` : '';
    if (!p) problems.push(`missing ${w.dir === 'in' ? 'input' : 'output'} ${name} [${w.rule}${bits} bits]`);
    else if (p.dir !== w.dir) problems.push(`${name} is an ${p.dir}put, expected an ${w.dir}put`);
    else if (Number.isFinite(w.width) && p.width !== w.width) problems.push(`${name} is ${p.width} bits, expected ${w.rule}${bits}`);
  }
  const extra = ports.filter((p) => !(p.name in want) && p.dir === 'in');
  if (extra.length > 0) problems.push(`extra input(s) ${extra.map((p) => p.name).join(', ')} that the harness cannot drive`);
  const check = (param: string, d: Dimension, actual: number): void => {
    const v = params[param];
    if (v !== undefined && d.from !== undefined && Number(v) !== actual) problems.push(`parameter ${param} = ${v} but the ports say ${actual} (${d.from})`);
  };
  check('Rows', rows, rows.value);
  check('Cols', cols, cols.value);
  check('AccDepth', addr, 2 ** addr.value);
  for (const [what, d] of [['Rows', rows], ['Cols', cols], ['the accumulator depth', addr]] as const) {
    if (!Number.isFinite(d.value)) problems.push(`cannot tell ${what}: no port carries it and the build gives no parameter`);
  }
  if (problems.length > 0) {
    throw new BuildError(
      `top module '${top}' does not match the port contract of docs/ARCHITECTURE.md section 3 (${problems.length} problem${problems.length > 1 ? 's' : ''}):\n  ${problems.join('\n  ')}\n` +
        `  (its ports: ${ports.map((p) => `${p.name}[${p.width}]`).join(', ')})`,
    );
  }
  return geometryOf(rows.value, cols.value, addr.value);
}
