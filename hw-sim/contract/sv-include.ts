/**
 * The contract rendered for the SystemVerilog testbenches (rtl/tb/ic_beat.svh, committed; test/hw-sim/contract.test.ts
 * checks that the file is what this renders): one signal per port named as the port, the port connections, and
 * the beat and readout layouts as macros, all in terms of the parameters Rows, Cols and AccDepth of the including
 * module. Regenerate with `node --import tsx tools/write-sv-include.ts`.
 */
import { PORTS, DIM_PARAM, widthExpression, type PortSpec } from './ports.ts';
import { PE_REGISTERS, REG_WORDS_PER_PE } from './registers.ts';
import { peInstancePath } from './names.ts';
import { beatFields, type BeatField } from './words.ts';

/** The SystemVerilog width expression of a port. */
const svWidth = (p: PortSpec): string => widthExpression(p, '$clog2');

/** The SystemVerilog expression of a port's most significant bit. */
function svMsb(p: PortSpec): string {
  return p.width.kind === 'fixed' ? String(p.width.bits - 1) : `${svWidth(p)}-1`;
}

/** `base + Rows*a + Cols*b` from the layout at three geometries (offsets are linear in Rows and Cols). */
function linear(f: (g: { rows: number; cols: number }) => number): string {
  const base = f({ rows: 0, cols: 0 });
  const terms = [String(base)];
  const perRow = f({ rows: 1, cols: 0 }) - base;
  const perCol = f({ rows: 0, cols: 1 }) - base;
  if (perCol !== 0) terms.push(perCol === 1 ? 'Cols' : `${perCol} * Cols`);
  if (perRow !== 0) terms.push(perRow === 1 ? 'Rows' : `${perRow} * Rows`);
  return terms.filter((t, i) => t !== '0' || i === terms.length - 1).join(' + ');
}

/** The fields of a beat with their offsets as SystemVerilog expressions. */
function svFields(dir: 'in' | 'out'): Array<{ port: PortSpec; offset: string }> {
  const at = (g: { rows: number; cols: number }): BeatField[] => beatFields(dir, g);
  return at({ rows: 0, cols: 0 }).map((f, i) => ({ port: f.port, offset: linear((g) => (at(g)[i] as BeatField).offset) }));
}

const macro = (head: string, lines: string[]): string => `\`define ${head} \\\n${lines.map((l) => `  ${l}`).join(' \\\n')}`;

function unpackLine(port: PortSpec, offset: string): string {
  const w = port.width;
  if (w.kind === 'bus') {
    const v = w.count === 'rows' ? 'r' : 'c';
    return `for (int ${v} = 0; ${v} < ${DIM_PARAM[w.count]}; ${v}++) ${port.name}[${w.bits}*${v} +: ${w.bits}] = mem[(b) + ${offset} + ${v}][${w.bits - 1}:0];`;
  }
  return `${port.name} = mem[(b) + ${offset}][${svMsb(port)}:0];`;
}

function packLine(port: PortSpec, offset: string): string {
  const w = port.width;
  if (w.kind === 'bus') {
    const v = w.count === 'rows' ? 'r' : 'c';
    const el = `${port.name}[${w.bits}*${v} +: ${w.bits}]`;
    return `for (int ${v} = 0; ${v} < ${DIM_PARAM[w.count]}; ${v}++) mem[(b) + ${offset} + ${v}] = 32'(${port.signed ? `$signed(${el})` : el});`;
  }
  return `mem[(b) + ${offset}] = 32'(${port.signed ? `$signed(${port.name})` : port.name});`;
}

export function svBeatInclude(): string {
  const inFields = svFields('in');
  const outFields = svFields('out');
  const beat = PORTS.filter((p) => p.beat);
  const pe = peInstancePath('r', 'c');
  return [
    '// Generated from hw-sim/contract (docs/ARCHITECTURE.md sections 3, 6, 7) by hw-sim/contract/sv-include.ts. Do not',
    '// edit: test/hw-sim/contract.test.ts checks that this file is what the contract renders.',
    '// Included inside a testbench module with parameters Rows, Cols and AccDepth: one signal per port of the array,',
    '// named as the port, and the word layouts of one cycle (32-bit words, signed fields sign-extended).',
    `localparam int IcInWords   = ${linear((g) => beatFields('in', g).reduce((n, f) => n + f.count, 0))};`,
    `localparam int IcOutWords  = ${linear((g) => beatFields('out', g).reduce((n, f) => n + f.count, 0))};`,
    `localparam int IcRegsPerPe = ${REG_WORDS_PER_PE};`,
    `localparam int IcRegWords  = ${REG_WORDS_PER_PE} * Rows * Cols;`,
    '',
    ...PORTS.map((p) => `logic ${svMsb(p) === '0' ? '' : `[${svMsb(p)}:0] `}${p.name};`),
    '',
    '// The port connections of the array instance, by name.',
    macro('IC_CONNECT_PORTS', [PORTS.map((p) => `.${p.name}(${p.name})`).join(', ')]),
    '',
    '// Every beat input to 0.',
    macro('IC_ZERO_INPUTS', [beat.filter((p) => p.dir === 'in').map((p) => `${p.name} = '0;`).join(' ')]),
    '',
    '// The input beat at words mem[b .. b + IcInWords - 1] (section 7) onto the input signals.',
    macro('IC_UNPACK_IN(mem, b)', inFields.map((f) => unpackLine(f.port, f.offset))),
    '',
    '// The output signals into the output beat at words mem[b .. b + IcOutWords - 1] (section 7).',
    macro('IC_PACK_OUT(mem, b)', outFields.map((f) => packLine(f.port, f.offset))),
    '',
    '// The registers of PE (r, c) of instance dut (section 6) into readout words dst[IcRegsPerPe * (r * Cols + c) + i],',
    '// as continuous assignments (r and c are genvars).',
    macro(
      'IC_PE_READOUT(dut, r, c, dst)',
      PE_REGISTERS.map((reg, i) => {
        const x = `dut.${pe}.${reg.name}`;
        return `assign dst[IcRegsPerPe * ((r) * Cols + (c)) + ${i}] = 32'(${reg.signed ? `$signed(${x})` : x});`;
      }),
    ),
    '',
  ].join('\n');
}
