/**
 * The port list of the array (docs/ARCHITECTURE.md section 3) and its parameters (section 1) rendered for
 * SystemVerilog: the macros of rtl/include/int8cosim_ports.svh (committed; test/hw-sim/sv-ports.test.ts checks that
 * the file is what this renders). `INT8COSIM_PORTS`: one ANSI port declaration per port of PORTS in section 3's
 * order, its width in terms of the parameters Rows, Cols and AccDepth of the including top; `INT8COSIM_PARAMS`:
 * those parameters and RoundingModes, declared. A top writes the macros as its parameter and port lists, so that no
 * top states a port, a width or a parameter by hand; a wrapper of such a top connects it with the macros of its
 * instance (`INT8COSIM_PASS_PARAMS`, `INT8COSIM_CONNECT_INPUTS`, `INT8COSIM_OUTPUT_SIGNALS`,
 * `INT8COSIM_CONNECT_OUTPUTS`). Tools place a macro's lines at its use (messages, coverage points).
 * Regenerate with `node --import tsx tools/write-sv-include.ts`.
 */
import { ROUNDING_MODES } from '../../quant/spec/index.ts';
import { ACC_DEPTH_DEFAULT, roundingModesParam } from './array-config.ts';
import { DIM_PARAM, PORTS, widthExpression, type PortSpec } from './ports.ts';

/** The file's name in rtl/include (every build's include directory). */
export const SV_PORTS_FILE = 'int8cosim_ports.svh';

/** `[$clog2(Rows)-1:0]`, `[8*Cols-1:0]`, `[31:0]`, or '' for one bit. */
function svRange(p: PortSpec): string {
  if (p.width.kind === 'fixed') return p.width.bits === 1 ? '' : `[${p.width.bits - 1}:0]`;
  return `[${widthExpression(p, '$clog2')}-1:0]`;
}

/** The port declarations, ranges aligned as the house style aligns them. */
export function svPortDeclarations(): string[] {
  const ranges = PORTS.map(svRange);
  const rangeW = Math.max(...ranges.map((r) => r.length));
  return PORTS.map((p, i) => {
    const dir = p.dir === 'in' ? 'input ' : 'output';
    const sep = i === PORTS.length - 1 ? '' : ',';
    return `${dir} logic ${(ranges[i] as string).padEnd(rangeW)} ${p.name}${sep}`;
  });
}

/** The beat's inputs (every input but clk_i and rst_ni) connected by name, each line with its comma, names aligned. */
export function svInputConnections(): string[] {
  const ins = PORTS.filter((p) => p.dir === 'in' && p.beat);
  const w = Math.max(...ins.map((p) => p.name.length));
  return ins.map((p) => `.${p.name.padEnd(w)} (${p.name}),`);
}

/**
 * The parameters of section 1 as a top declares them, with rtl/systolic_top's defaults: an 8x8 array, section 1's
 * AccDepth and every rounding mode.
 */
export const SV_PARAMS = [
  { name: DIM_PARAM.rows, value: 8 },
  { name: DIM_PARAM.cols, value: 8 },
  { name: 'AccDepth', value: ACC_DEPTH_DEFAULT },
  { name: 'RoundingModes', value: roundingModesParam(ROUNDING_MODES) },
] as const;

/** `parameter int Rows          = 8,`: the declarations, the last without its comma (`int`: Icarus 11 has no `int unsigned`). */
export function svParamDeclarations(): string[] {
  const w = Math.max(...SV_PARAMS.map((p) => p.name.length));
  return SV_PARAMS.map((p, i) => `parameter int ${p.name.padEnd(w)} = ${p.value}${i === SV_PARAMS.length - 1 ? '' : ','}`);
}

/** `.Rows         (Rows),`: each parameter passed on by name, the last without its comma. */
export function svParamPassing(): string[] {
  const w = Math.max(...SV_PARAMS.map((p) => p.name.length));
  return SV_PARAMS.map((p, i) => `.${p.name.padEnd(w)} (${p.name})${i === SV_PARAMS.length - 1 ? '' : ','}`);
}

/** The outputs of section 3 (o_valid_o, o_addr_o, o_data_o, o_acc_o). */
const OUTPUTS = PORTS.filter((p) => p.dir === 'out');

/** The name of the signal that takes an output in a wrapper, after its prefix: the port's name without o_ and _o. */
export function svOutputStem(p: PortSpec): string {
  return p.name.replace(/^o_/, '').replace(/_o$/, '');
}

/** `logic [8*Cols-1:0]           p``data;`: a wrapper's signals for an instance's outputs, named prefix p + stem. */
export function svOutputSignals(): string[] {
  const ranges = OUTPUTS.map(svRange);
  const rangeW = Math.max(...ranges.map((r) => r.length));
  return OUTPUTS.map((p, i) => `logic ${(ranges[i] as string).padEnd(rangeW)} p\`\`${svOutputStem(p)};`);
}

/** `.o_data_o (p``data),`: an instance's outputs connected to those signals, the last without its comma. */
export function svOutputConnections(): string[] {
  const w = Math.max(...OUTPUTS.map((p) => p.name.length));
  return OUTPUTS.map((p, i) => `.${p.name.padEnd(w)} (p\`\`${svOutputStem(p)})${i === OUTPUTS.length - 1 ? '' : ','}`);
}

export function svPortsInclude(): string {
  const macros = {
    INT8COSIM_PARAMS: svParamDeclarations(),
    INT8COSIM_PASS_PARAMS: svParamPassing(),
    INT8COSIM_PORTS: svPortDeclarations(),
    INT8COSIM_CONNECT_INPUTS: svInputConnections(),
    'INT8COSIM_OUTPUT_SIGNALS(p)': svOutputSignals(),
    'INT8COSIM_CONNECT_OUTPUTS(p)': svOutputConnections(),
  };
  return [
    `// ${SV_PORTS_FILE}: generated from hw-sim/contract (ports.ts, array-config.ts: docs/ARCHITECTURE.md sections 3`,
    '// and 1) by hw-sim/contract/sv-ports.ts. Do not edit: test/hw-sim/sv-ports.test.ts checks that this file is what',
    '// the contract renders (regenerate with `node --import tsx tools/write-sv-include.ts`). Found through the include',
    '// directory rtl/include (files.f\'s +incdir+, "includeDirs" of an RTL config).',
    '//',
    "// `INT8COSIM_PARAMS: section 1's parameters Rows, Cols, AccDepth and RoundingModes with rtl/systolic_top's",
    "// defaults, as the head of a top's parameter list; a top with parameters of its own writes them after it, after a",
    '// comma. `INT8COSIM_PORTS: the array\'s ports in section 3\'s order, as the whole ANSI port list of such a top (the',
    '// widths are expressions of Rows, Cols and AccDepth; section 1 keeps each of them >= 2, so no $clog2 is 0):',
    '//',
    `//   \`include "${SV_PORTS_FILE}"`,
    '//   module my_top #(',
    '//     `INT8COSIM_PARAMS',
    '//   ) (',
    '//     `INT8COSIM_PORTS',
    '//   );',
    '//',
    "// A top with ports beyond section 3's (section 13's a_ready_o) declares them before the macro, each with its comma.",
    '//',
    '// In an instance of such a top (a wrapper): `INT8COSIM_PASS_PARAMS passes the four parameters on by name;',
    "// `INT8COSIM_CONNECT_INPUTS connects the beat's inputs (every input but clk_i and rst_ni) by name to the signals",
    '// of the same name, each with its comma, so the wrapper writes its clock and reset before it;',
    '// `INT8COSIM_OUTPUT_SIGNALS(p) declares the signals that take the outputs, named p and the port\'s name without o_',
    '// and _o (core_ gives core_valid, core_addr, core_data, core_acc), and `INT8COSIM_CONNECT_OUTPUTS(p) connects the',
    '// outputs to them, the last connections of the instance.',
    '`ifndef INT8COSIM_PORTS_SVH',
    '`define INT8COSIM_PORTS_SVH',
    '',
    ...Object.entries(macros).map(([name, lines]) => `${macroLines(name, lines)}\n`),
    '`endif // INT8COSIM_PORTS_SVH',
    '',
  ].join('\n');
}

/** `define name` over lines, each continued with a backslash. */
function macroLines(name: string, lines: string[]): string {
  return [`\`define ${name}`, ...lines.map((l) => `  ${l}`)].join(' \\\n');
}
