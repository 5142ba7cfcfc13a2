/**
 * rtl/include/int8cosim_ports.svh, the parameter and port list macros a top writes and the macros of a wrapper's
 * instance of it, against what hw-sim/contract renders, and the rendering against the contract: the parameters of
 * section 1 with their defaults, every port of section 3 in its order, direction and width at several geometries.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROUNDING_MODES } from '../../quant/spec/index.ts';
import { ACC_DEPTH_DEFAULT, DIM_PARAM, PORTS, clog2, portWidth, roundingModesOfParam } from '../../hw-sim/contract/index.ts';
import {
  SV_PORTS_FILE, svInputConnections, svOutputConnections, svOutputSignals, svParamDeclarations, svParamPassing, svPortDeclarations, svPortsInclude,
} from '../../hw-sim/contract/sv-ports.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The value of a width expression of the include ("$clog2(AccDepth)", "8*Cols") at one geometry. */
function evaluate(expr: string, params: { Rows: number; Cols: number; AccDepth: number }): number {
  const m = /^(?:(\d+)\*(Rows|Cols)|\$clog2\((Rows|Cols|AccDepth)\))$/.exec(expr);
  assert.ok(m, `an expression the contract renders: ${expr}`);
  return m[1] !== undefined ? Number(m[1]) * params[m[2] as 'Rows' | 'Cols'] : clog2(params[m[3] as 'Rows' | 'Cols' | 'AccDepth']);
}

describe('hw-sim/contract: the port list include of a top (rtl/include/int8cosim_ports.svh)', () => {
  it('rtl/include/int8cosim_ports.svh is what the contract renders (regenerate: node --import tsx tools/write-sv-include.ts)', () => {
    assert.equal(readFileSync(join(ROOT, 'rtl', 'include', SV_PORTS_FILE), 'utf8'), svPortsInclude());
  });

  it('`INT8COSIM_PORTS declares every port of section 3 once, in its order, with its direction and its width at 2x2 D2, 3x5 D8 and 32x32 D4096', () => {
    const text = svPortsInclude();
    const body = text.slice(text.indexOf('`define INT8COSIM_PORTS \\\n'), text.indexOf('\n\n`define INT8COSIM_CONNECT_INPUTS'));
    const lines = body.split(' \\\n').slice(1);
    assert.deepEqual(lines, svPortDeclarations().map((d) => `  ${d}`), 'the macro is the declarations, one a line');
    const decls = lines.map((l, i, all) => {
      const m = /^ {2}(input|output) {1,2}logic +(?:\[(.+)-1:0\]|\[(\d+):0\])? *(\w+)(,?)$/.exec(l);
      assert.ok(m, `a port declaration: ${JSON.stringify(l)}`);
      assert.equal(m[5], i === all.length - 1 ? '' : ',', `a comma after every declaration but the last: ${l}`);
      return { dir: m[1] === 'input' ? 'in' : 'out', expr: m[2], msb: m[3], name: m[4] as string };
    });
    assert.deepEqual(decls.map((d) => d.name), PORTS.map((p) => p.name));
    for (const [rows, cols, depth] of [[2, 2, 2], [3, 5, 8], [32, 32, 4096]] as const) {
      const g = { rows, cols, addrBits: clog2(depth) };
      PORTS.forEach((p, i) => {
        const d = decls[i] as (typeof decls)[number];
        const width = d.expr !== undefined ? evaluate(d.expr, { Rows: rows, Cols: cols, AccDepth: depth }) : d.msb !== undefined ? Number(d.msb) + 1 : 1;
        assert.equal(d.dir, p.dir, p.name);
        assert.equal(width, portWidth(p, g), `${p.name} at ${rows}x${cols} D${depth}`);
      });
    }
  });

  it('`INT8COSIM_PARAMS declares the parameters of section 1 in order with their defaults, every one the port widths use; `INT8COSIM_PASS_PARAMS passes each on by name', () => {
    const decls = svParamDeclarations().map((l, i, all) => {
      const m = /^parameter int (\w+) += (\d+)(,?)$/.exec(l);
      assert.ok(m, `a parameter declaration: ${l}`);
      assert.equal(m[3], i === all.length - 1 ? '' : ',', `a comma after every declaration but the last: ${l}`);
      return [m[1] as string, Number(m[2])] as const;
    });
    assert.deepEqual(decls.map(([n]) => n), [DIM_PARAM.rows, DIM_PARAM.cols, 'AccDepth', 'RoundingModes']);
    const value = Object.fromEntries(decls);
    assert.equal(value.AccDepth, ACC_DEPTH_DEFAULT);
    assert.deepEqual(roundingModesOfParam(value.RoundingModes as number), [...ROUNDING_MODES], 'every rounding mode by default');
    const used = new Set([...svPortDeclarations().join('\n').matchAll(/\b(Rows|Cols|AccDepth)\b/g)].map((m) => m[1] as string));
    assert.deepEqual([...used].filter((n) => !(n in value)), [], 'the port widths use only declared parameters');
    assert.deepEqual(svParamPassing(), decls.map(([n], i) => `.${n.padEnd(13)} (${n})${i === decls.length - 1 ? '' : ','}`));
    const text = svPortsInclude();
    assert.ok(text.includes(`\`define INT8COSIM_PARAMS \\\n  ${svParamDeclarations().join(' \\\n  ')}\n\n`));
    assert.ok(text.includes(`\`define INT8COSIM_PASS_PARAMS \\\n  ${svParamPassing().join(' \\\n  ')}\n\n`));
  });

  it('`INT8COSIM_OUTPUT_SIGNALS(p) declares a signal per output of section 3, in order, with its width; `INT8COSIM_CONNECT_OUTPUTS(p) connects each output to it', () => {
    const outputs = PORTS.filter((p) => p.dir === 'out');
    const widths = new Map(svPortDeclarations().map((d) => {
      const m = /^output logic (\[.+?\])? *(\w+),?$/.exec(d);
      return [m?.[2], (m?.[1] ?? '').trim()] as const;
    }));
    const signals = svOutputSignals().map((l) => {
      const m = /^logic (\[.+?\])? *p``(\w+);$/.exec(l);
      assert.ok(m, `a signal declaration: ${l}`);
      return { range: m[1] ?? '', stem: m[2] as string };
    });
    assert.deepEqual(signals.map((d) => d.stem), ['valid', 'addr', 'data', 'acc']);
    outputs.forEach((p, i) => assert.equal(signals[i]?.range, widths.get(p.name), `${p.name}: the width of its port`));
    assert.deepEqual(svOutputConnections(), outputs.map((p, i) => `.${p.name.padEnd(9)} (p\`\`${signals[i]?.stem})${i === outputs.length - 1 ? '' : ','}`));
    const text = svPortsInclude();
    assert.ok(text.includes(`\`define INT8COSIM_OUTPUT_SIGNALS(p) \\\n  ${svOutputSignals().join(' \\\n  ')}\n\n`));
    assert.ok(text.includes(`\`define INT8COSIM_CONNECT_OUTPUTS(p) \\\n  ${svOutputConnections().join(' \\\n  ')}\n\n`));
  });

  it('`INT8COSIM_CONNECT_INPUTS connects every input of the beat by name, in section 3\'s order, clk_i and rst_ni left to the wrapper', () => {
    const lines = svInputConnections();
    const names = lines.map((l) => {
      const m = /^\.(\w+) +\((\w+)\),$/.exec(l);
      assert.ok(m && m[1] === m[2], `a connection by name: ${l}`);
      return m[1] as string;
    });
    assert.deepEqual(names, PORTS.filter((p) => p.dir === 'in' && p.name !== 'clk_i' && p.name !== 'rst_ni').map((p) => p.name));
    assert.ok(svPortsInclude().includes(`\`define INT8COSIM_CONNECT_INPUTS \\\n  ${lines[0]} \\\n`));
  });
});
