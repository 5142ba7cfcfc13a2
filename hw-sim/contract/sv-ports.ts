/**
 * The port list of the array (docs/ARCHITECTURE.md section 3) rendered for SystemVerilog: the macro
 * `INT8COSIM_PORTS` in rtl/include/int8cosim_ports.svh (committed; test/hw-sim/sv-ports.test.ts checks that the file
 * is what this renders), one ANSI port declaration per port of PORTS in section 3's order, its width in terms of the
 * parameters Rows, Cols and AccDepth of the including top. A top writes the macro as its port list, so that no top
 * states a port or a width by hand; tools place its lines at the macro's use (messages, coverage points).
 * Regenerate with `node --import tsx tools/write-sv-include.ts`.
 */
import { PORTS, widthExpression, type PortSpec } from './ports.ts';

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

export function svPortsInclude(): string {
  return [
    `// ${SV_PORTS_FILE}: generated from hw-sim/contract/ports.ts (docs/ARCHITECTURE.md section 3) by`,
    '// hw-sim/contract/sv-ports.ts. Do not edit: test/hw-sim/sv-ports.test.ts checks that this file is what the',
    '// contract renders (regenerate with `node --import tsx tools/write-sv-include.ts`).',
    '//',
    "// `INT8COSIM_PORTS: the array's ports in section 3's order, as the whole ANSI port list of a top module whose",
    '// parameters are Rows, Cols and AccDepth (the widths are expressions of them; section 1 keeps each of them >= 2,',
    '// so no $clog2 is 0). Found through the include directory rtl/include (files.f\'s +incdir+, "includeDirs" of an',
    '// RTL config):',
    '//',
    `//   \`include "${SV_PORTS_FILE}"`,
    '//   module my_top #(',
    '//     parameter int unsigned Rows          = 8,',
    '//     parameter int unsigned Cols          = 8,',
    '//     parameter int unsigned AccDepth      = 1024,',
    '//     parameter int unsigned RoundingModes = 7',
    '//   ) (',
    '//     `INT8COSIM_PORTS',
    '//   );',
    '//',
    "// A top with ports beyond section 3's (section 13's a_ready_o) declares them before the macro, each with its comma.",
    '//',
    "// `INT8COSIM_CONNECT_INPUTS: in an instance of such a top, the beat's inputs (every input but clk_i and rst_ni)",
    '// connected by name to the signals of the same name, each with its comma: a wrapper writes its clock and reset',
    '// before it and its outputs after it.',
    '`ifndef INT8COSIM_PORTS_SVH',
    '`define INT8COSIM_PORTS_SVH',
    '',
    macroLines('INT8COSIM_PORTS', svPortDeclarations()),
    '',
    macroLines('INT8COSIM_CONNECT_INPUTS', svInputConnections()),
    '',
    '`endif // INT8COSIM_PORTS_SVH',
    '',
  ].join('\n');
}

/** `define name` over lines, each continued with a backslash. */
function macroLines(name: string, lines: string[]): string {
  return [`\`define ${name}`, ...lines.map((l) => `  ${l}`)].join(' \\\n');
}
