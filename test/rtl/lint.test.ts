import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IN, inWords as beatWords } from '../../hw-sim/contract/index.ts';
import { RTL_DIR, RTL_INCLUDE_DIR, TB_DIR, hexWords, icarusBuild, requireTool, rtlFiles, scratchDir, verilatorBinary } from './sim-tools.ts';

function verilatorLint(params: Record<string, number>, defines: string[] = []): { status: number | null; out: string } {
  requireTool('verilator');
  const args = ['--lint-only', '-Wall', `-I${RTL_INCLUDE_DIR}`, '--top-module', 'systolic_top', ...Object.entries(params).map(([k, v]) => `-G${k}=${v}`), ...defines, ...rtlFiles()];
  const r = spawnSync('verilator', args, { cwd: RTL_DIR, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

function icarusElaborate(params: Record<string, number>): { status: number | null; out: string } {
  requireTool('iverilog');
  const dir = scratchDir('icarus-elab');
  const vvp = join(dir, 'top.vvp');
  const p = Object.entries(params).map(([k, v]) => `-Psystolic_top.${k}=${v}`);
  const c = spawnSync('iverilog', ['-g2012', `-I${RTL_INCLUDE_DIR}`, '-s', 'systolic_top', '-o', vvp, ...p, ...rtlFiles()], { encoding: 'utf8' });
  if (c.status !== 0) return { status: c.status, out: `${c.stdout}${c.stderr}` };
  // Run time 0 only: the parameter checks of Icarus builds are `initial $fatal`.
  const r = spawnSync('vvp', ['-n', vvp], { encoding: 'utf8' });
  return { status: r.status, out: `${c.stdout}${c.stderr}${r.stdout}${r.stderr}` };
}

describe('rtl lint and elaboration', function () {
  this.timeout(300_000);

  for (const params of [{ Rows: 2, Cols: 2, RoundingMode: 1, AccDepth: 2 }, { Rows: 8, Cols: 4, RoundingMode: 0, AccDepth: 4096 }]) {
    it(`verilator --lint-only -Wall is clean at ${params.Rows}x${params.Cols}, RoundingMode ${params.RoundingMode}`, () => {
      const r = verilatorLint(params);
      assert.equal(r.status, 0, r.out);
      assert.equal(r.out.trim(), '', 'no warning at all');
    });
  }

  it('verilator --lint-only -Wall is clean with the planted-fault hook compiled in', () => {
    const r = verilatorLint({ Rows: 4, Cols: 4 }, ['+define+INT8COSIM_FAULT', '+define+INT8COSIM_FAULT_ROW=3', '+define+INT8COSIM_FAULT_COL=0', '+define+INT8COSIM_FAULT_CYCLE=9']);
    assert.equal(r.status, 0, r.out);
  });

  it('refuses out-of-range parameters at elaboration (Verilator)', () => {
    for (const [params, msg] of [
      [{ Rows: 33 }, /Rows must be in \[2, 32\]/],
      [{ Cols: 1 }, /Cols must be in \[2, 32\]/],
      [{ AccDepth: 100 }, /AccDepth must be a power of two/],
      [{ RoundingMode: 2 }, /RoundingMode must be 0/],
    ] as const) {
      const r = verilatorLint(params);
      assert.notEqual(r.status, 0, `${JSON.stringify(params)} must not elaborate`);
      assert.match(r.out, msg);
    }
  });

  it('elaborates and starts under Icarus Verilog (iverilog -g2012) in both modes, and refuses Rows = 33', () => {
    for (const mode of [0, 1]) {
      const r = icarusElaborate({ Rows: 8, Cols: 8, RoundingMode: mode });
      assert.equal(r.status, 0, r.out);
    }
    const bad = icarusElaborate({ Rows: 33 });
    assert.notEqual(bad.status, 0);
    assert.match(bad.out, /Rows must be in \[2, 32\], got 33/);
  });

  it('asserts the host duties it can check cheaply (p_shift out of range, negative m0) under Verilator and Icarus', () => {
    const build = { top: 'beat_tb', files: [...rtlFiles(), join(TB_DIR, 'beat_tb.sv')], params: { Rows: 2, Cols: 2, AccDepth: 4, RoundingMode: 0, MaxCycles: 4096 } };
    const dir = scratchDir('assert');
    const inWords = beatWords({ rows: 2, cols: 2 });
    for (const [field, value, msg] of [[IN.pShift, 40, /p_shift_i = 40 is outside \[-31, 30\]/], [IN.pM0, -5, /p_m0_i = -5 is negative/]] as const) {
      const input = new Int32Array(4 * inWords);
      input[inWords + IN.pEn] = 1; // p_en in cycle 1
      input[inWords + field] = value;
      const inFile = join(dir, 'in.hex');
      writeFileSync(inFile, hexWords(input));
      const plus = [`+in=${inFile}`, `+out=${join(dir, 'out.hex')}`, `+regs=${join(dir, 'regs.hex')}`, '+cycles=4'];
      const v = spawnSync(verilatorBinary(build), plus, { encoding: 'utf8' });
      assert.notEqual(v.status, 0, 'Verilator run must stop on the assertion');
      assert.match(`${v.stdout}${v.stderr}`, msg);
      const i = spawnSync('vvp', ['-n', icarusBuild(build), ...plus], { encoding: 'utf8' });
      assert.match(`${i.stdout}${i.stderr}`, msg);
    }
  });
});
