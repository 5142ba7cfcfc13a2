/**
 * The port contract of docs/ARCHITECTURE.md section 3, checked against the ports Verilator actually generated
 * (read from the model header), and the array geometry derived from them: Rows from a_data_i, Cols from w_data_i,
 * the accumulator depth from a_addr_i. The ports, widths and word counts are those of hw-sim/contract; nothing in
 * the harness states a width.
 */
import { OPTIONAL_PORTS, PORTS, clog2, inWords, outWords, portWidth, regWords, widthRule, type Dim, type PortGeometry, type PortWidth } from '../../hw-sim/contract/index.ts';
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

interface PortRule {
  dir: 'in' | 'out';
  /** NaN when the geometry it depends on could not be found (then only presence and direction are checked). */
  width: number;
  rule: string;
}

/** Expected direction and width of every port of the contract, given Rows, Cols and the address width (NaN where unknown). */
function expectedPorts(g: PortGeometry): Map<string, PortRule> {
  return new Map(PORTS.map((p) => [p.name, { dir: p.dir, width: portWidth(p, g), rule: widthRule(p, g) }]));
}

export function geometryOf(rows: number, cols: number, addrBits: number): ArrayGeometry {
  const dims = { rows, cols };
  return { rows, cols, addrBits, accDepth: 2 ** addrBits, inWords: inWords(dims), outWords: outWords(dims), regWords: regWords(dims) };
}

/** The ports that carry a dimension (`[port, bits per unit]`), in section 3's order: the buses counted by it, or the addresses. */
function carriers(d: Dim | 'addr'): Array<readonly [string, number]> {
  return PORTS.flatMap((p): Array<readonly [string, number]> => {
    const w: PortWidth = p.width;
    if (d === 'addr') return w.kind === 'addr' ? [[p.name, 1]] : [];
    return w.kind === 'bus' && w.count === d ? [[p.name, w.bits]] : [];
  });
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
  const rows = dimension(byName, carriers('rows'), params.Rows, (v) => v, problems);
  const cols = dimension(byName, carriers('cols'), params.Cols, (v) => v, problems);
  const addr = dimension(byName, carriers('addr'), params.AccDepth, clog2, problems);
  const want = expectedPorts({ rows: rows.value, cols: cols.value, addrBits: addr.value });
  for (const [name, w] of want) {
    const p = byName.get(name);
    const bits = Number.isFinite(w.width) && w.rule !== String(w.width) ? ` = ${w.width}` : '';
    if (!p) problems.push(`missing ${w.dir === 'in' ? 'input' : 'output'} ${name} [${w.rule}${bits} bits]`);
    else if (p.dir !== w.dir) problems.push(`${name} is an ${p.dir}put, expected an ${w.dir}put`);
    else if (Number.isFinite(w.width) && p.width !== w.width) problems.push(`${name} is ${p.width} bits, expected ${w.rule}${bits}`);
  }
  for (const o of OPTIONAL_PORTS) {
    const p = byName.get(o.name);
    if (p !== undefined && (p.dir !== o.dir || p.width !== portWidth(o, { rows: rows.value, cols: cols.value, addrBits: addr.value }))) {
      problems.push(`${o.name} (optional, section 13) must be a 1-bit output, is a ${p.width}-bit ${p.dir}put`);
    }
  }
  const extra = ports.filter((p) => !want.has(p.name) && p.dir === 'in');
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

/** true when the top has the optional flow-control output a_ready_o (section 13; checkPorts checks its shape). */
export function hasFlowControl(ports: PortDecl[]): boolean {
  return ports.some((p) => p.name === 'a_ready_o' && p.dir === 'out');
}
