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

/** Expected direction and width of every port, given Rows, Cols and the address width. */
function contract(r: number, c: number, a: number): Record<string, { dir: 'in' | 'out'; width: number; rule: string }> {
  const one = (dir: 'in' | 'out') => ({ dir, width: 1, rule: '1' });
  return {
    clk_i: one('in'),
    rst_ni: one('in'),
    w_en_i: one('in'),
    w_bank_i: one('in'),
    w_row_i: { dir: 'in', width: clog2(r), rule: `clog2(Rows=${r})` },
    w_data_i: { dir: 'in', width: 8 * c, rule: `8*Cols` },
    a_en_i: one('in'),
    a_bank_i: one('in'),
    a_first_i: one('in'),
    a_last_i: one('in'),
    a_addr_i: { dir: 'in', width: a, rule: 'clog2(AccDepth)' },
    a_data_i: { dir: 'in', width: 8 * r, rule: '8*Rows' },
    p_en_i: one('in'),
    p_col_i: { dir: 'in', width: clog2(c), rule: `clog2(Cols=${c})` },
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

/**
 * Checks the generated ports against the contract and returns the geometry. `params` are the values the build
 * asked for (Rows, Cols, AccDepth when given); a disagreement is reported with the port that shows it.
 */
export function checkPorts(top: string, ports: PortDecl[], params: Record<string, number | string>): ArrayGeometry {
  const byName = new Map(ports.map((p) => [p.name, p]));
  const problems: string[] = [];
  const aData = byName.get('a_data_i');
  const wData = byName.get('w_data_i');
  const aAddr = byName.get('a_addr_i');
  if (!aData || !wData || !aAddr) {
    const missing = ['a_data_i', 'w_data_i', 'a_addr_i'].filter((n) => !byName.has(n));
    throw new BuildError(`top module '${top}' lacks port(s) ${missing.join(', ')} of docs/ARCHITECTURE.md section 3; it has: ${ports.map((p) => p.name).join(', ')}`);
  }
  const rows = aData.width / 8;
  const cols = wData.width / 8;
  if (!Number.isInteger(rows) || !Number.isInteger(cols)) {
    throw new BuildError(`top module '${top}': a_data_i is ${aData.width} bits and w_data_i ${wData.width} bits; both must be multiples of 8 (8*Rows, 8*Cols)`);
  }
  const want = contract(rows, cols, aAddr.width);
  for (const [name, w] of Object.entries(want)) {
    const p = byName.get(name);
    if (!p) problems.push(`missing ${w.dir === 'in' ? 'input' : 'output'} ${name} [${w.rule} = ${w.width} bits]`);
    else if (p.dir !== w.dir) problems.push(`${name} is an ${p.dir}put, expected an ${w.dir}put`);
    else if (p.width !== w.width) problems.push(`${name} is ${p.width} bits, expected ${w.rule} = ${w.width}`);
  }
  const extra = ports.filter((p) => !(p.name in want) && p.dir === 'in');
  if (extra.length > 0) problems.push(`extra input(s) ${extra.map((p) => p.name).join(', ')} that the harness cannot drive`);
  const g = geometryOf(rows, cols, aAddr.width);
  const check = (param: string, actual: number): void => {
    const v = params[param];
    if (v !== undefined && Number(v) !== actual) problems.push(`parameter ${param} = ${v} but the ports say ${actual}`);
  };
  check('Rows', rows);
  check('Cols', cols);
  check('AccDepth', g.accDepth);
  if (problems.length > 0) {
    throw new BuildError(`top module '${top}' does not match the port contract of docs/ARCHITECTURE.md section 3:\n  ${problems.join('\n  ')}`);
  }
  return g;
}
