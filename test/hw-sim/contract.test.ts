/**
 * hw-sim/contract against docs/ARCHITECTURE.md (the port table of section 3, the registers and readout order of
 * section 6, the beat layout of section 7), the one naming round trip, and the committed testbench include
 * rtl/tb/ic_beat.svh against what the contract renders.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  PE_REGISTERS, PORTS, REG_NAMES, beatFields, clog2, inWordNames, outWordNames, parseRegisterPath, parseSignalName, portWidth,
  regWordName, regWordSignal, regWords, rtlPath, signalName, signalWord, vcdPath, type SignalRef,
} from '../../hw-sim/contract/index.ts';
import { svBeatInclude } from '../../hw-sim/contract/sv-include.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const DOC = readFileSync(join(ROOT, 'docs', 'ARCHITECTURE.md'), 'utf8');
const section = (n: string): string => {
  const from = DOC.indexOf(`\n## ${n}. `);
  assert.ok(from >= 0, `docs/ARCHITECTURE.md has a section ${n}`);
  return DOC.slice(from + 1, DOC.indexOf('\n## ', from + 1));
};
/** Rows of a markdown table whose first cell is a `code` name. */
const tableRows = (text: string): string[][] =>
  text.split('\n').filter((l) => /^\| `/.test(l)).map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));

describe('hw-sim/contract: the hardware contract as code', () => {
  it('has the ports of section 3 in its order, with its widths at three geometries', () => {
    const doc = tableRows(section('3'));
    const beatPorts = PORTS.filter((p) => p.beat);
    assert.deepEqual(beatPorts.map((p) => `\`${p.name}\``), doc.map((r) => r[0]));
    for (const [R, C, D] of [[2, 2, 2], [3, 5, 8], [32, 17, 4096]] as const) {
      const g = { rows: R, cols: C, addrBits: clog2(D) };
      const docWidth = (rule: string): number =>
        Number(rule.replace('clog2(R)', String(clog2(R))).replace('clog2(C)', String(clog2(C))).replace('clog2(D)', String(clog2(D))).replace(/(\d+)\*([RC])/, (_, k: string, d: string) => String(Number(k) * (d === 'R' ? R : C))));
      for (const [i, p] of beatPorts.entries()) assert.equal(portWidth(p, g), docWidth((doc[i] as string[])[1] as string), `${p.name} at ${R}x${C}, D=${D}`);
    }
    assert.deepEqual(PORTS.filter((p) => !p.beat).map((p) => p.name), ['clk_i', 'rst_ni']);
  });

  it('has the PE registers of section 6 with their widths, and its readout order', () => {
    const doc = tableRows(section('6')).flatMap((r) => (r[0] as string).split(', ').map((n) => [n.replace(/`/g, ''), r[1] as string] as const));
    const byName = new Map(doc);
    for (const reg of PE_REGISTERS) assert.equal(byName.get(reg.name), `${reg.bits}${reg.signed ? ' signed' : ''}`, reg.name);
    assert.equal(doc.length, PE_REGISTERS.length);
    const order = /in the order\s+`([^.]*)`, so word `(\d+) \* \(r \* C \+ c\) \+ i`/.exec(section('6').replace(/\n/g, ' '));
    assert.ok(order, 'section 6 states the readout order');
    assert.deepEqual(order[1]?.split(/`?, `?/), [...REG_NAMES]);
    assert.equal(Number(order[2]), REG_NAMES.length);
    assert.equal(regWords({ rows: 3, cols: 5 }), 6 * 15);
  });

  it('lays out the beats as section 7 draws them', () => {
    const block = /```\nin: ([\s\S]*?)\nout: ([^\n]*)\n```/.exec(section('7'));
    assert.ok(block, 'section 7 has the in/out block');
    const docFields = (text: string): Array<[string, string]> =>
      [...text.replace(/\s+/g, ' ').matchAll(/(\d+(?:\+[CR])?(?: \.\. \S+:)?) (\w+)(?:\[[rc]\])?/g)].map((m) => [m[1] as string, m[2] as string]);
    const R = 3;
    const C = 5;
    const expand = (at: string): number => Number(at.replace(/ \.\..*$/, '').replace(/(\d+)\+C/, (_, k: string) => String(Number(k) + C)));
    for (const [dir, text] of [['in', block[1]], ['out', block[2]]] as const) {
      const want = docFields(text as string).map(([at, name]) => [expand(at), name]);
      const got = beatFields(dir, { rows: R, cols: C }).map((f) => [f.offset, f.port.name.replace(/_[io]$/, '')]);
      assert.deepEqual(got, want, `${dir}put beat at ${R}x${C}`);
    }
    assert.equal(inWordNames({ rows: R, cols: C }).length, 18 + C + R);
    assert.equal(outWordNames({ cols: C }).length, 2 + 2 * C);
  });

  it('names every beat word and register once, and the names parse back to the same word', () => {
    const cfg = { rows: 3, cols: 5 };
    const out = outWordNames(cfg);
    assert.deepEqual(out.slice(0, 3), ['o_valid_o', 'o_addr_o', 'o_data_o[0]']);
    assert.equal(out[2 + 5], 'o_acc_o[0]');
    assert.equal(inWordNames(cfg)[18 + 5 + 2], 'a_data_i[2]');
    out.forEach((name, i) => {
      const s = parseSignalName(name) as SignalRef;
      assert.equal(signalName(s), name);
      assert.equal(signalWord(s, cfg), i, name);
    });
    for (let i = 0; i < regWords(cfg); i++) {
      const s = regWordSignal(cfg.cols, i);
      const name = regWordName(cfg, i);
      assert.deepEqual(parseSignalName(name), s, name);
      assert.equal(signalWord(s, cfg), i);
      assert.deepEqual(parseRegisterPath(vcdPath(s, 'systolic_top')), s);
    }
    const psum = regWordSignal(5, 6 * (1 * 5 + 2) + 5);
    assert.equal(signalName(psum), 'pe(1,2).psum_q');
    assert.equal(rtlPath(psum), 'u_array.g_row[1].g_col[2].u_pe.psum_q');
    assert.equal(vcdPath(psum, 'systolic_top'), 'TOP.systolic_top.u_array.g_row[1].g_col[2].u_pe.psum_q');
    assert.deepEqual(parseRegisterPath('beat_tb.dut.u_array.g_row(1).g_col(2).u_pe.psum_q'), psum, "Icarus's g_row(1)");
    assert.equal(vcdPath({ kind: 'port', port: 'o_data_o', index: 3 }, 'systolic_top'), 'TOP.o_data_o');
    for (const bad of ['o_data', 'pe(1,2).psum', 'g_row[1].g_col[2].u_pe.psum_q', 'o_valid_o[']) assert.equal(parseSignalName(bad), undefined, bad);
    assert.equal(signalWord({ kind: 'port', port: 'o_data_o', index: 5 }, cfg), undefined, 'past the bus');
    assert.equal(signalWord({ kind: 'port', port: 'clk_i' }, cfg), undefined, 'not a beat word');
  });

  it('rtl/tb/ic_beat.svh is what the contract renders (regenerate: node --import tsx tools/write-sv-include.ts)', () => {
    assert.equal(readFileSync(join(ROOT, 'rtl', 'tb', 'ic_beat.svh'), 'utf8'), svBeatInclude());
  });
});
