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

  for (const params of [
    { Rows: 2, Cols: 2, RoundingModes: 7, AccDepth: 2 }, { Rows: 8, Cols: 4, RoundingModes: 1, AccDepth: 4096 },
    { Rows: 3, Cols: 5, RoundingModes: 2, AccDepth: 8 }, { Rows: 3, Cols: 5, RoundingModes: 4, AccDepth: 8 }, { Rows: 4, Cols: 2, RoundingModes: 6, AccDepth: 16 },
  ]) {
    it(`verilator --lint-only -Wall is clean at ${params.Rows}x${params.Cols}, RoundingModes ${params.RoundingModes}`, () => {
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
      [{ RoundingModes: 0 }, /RoundingModes must be a mask in \[1, 7\]/],
      [{ RoundingModes: 8 }, /RoundingModes must be a mask in \[1, 7\]/],
    ] as const) {
      const r = verilatorLint(params);
      assert.notEqual(r.status, 0, `${JSON.stringify(params)} must not elaborate`);
      assert.match(r.out, msg);
    }
  });

  it('elaborates and starts under Icarus Verilog (iverilog -g2012) with each rounding datapath alone and all three, and refuses Rows = 33', () => {
    for (const mode of [1, 2, 4, 7]) {
      const r = icarusElaborate({ Rows: 8, Cols: 8, RoundingModes: mode });
      assert.equal(r.status, 0, r.out);
    }
    const bad = icarusElaborate({ Rows: 33 });
    assert.notEqual(bad.status, 0);
    assert.match(bad.out, /Rows must be in \[2, 32\], got 33/);
  });

  it('asserts the host duties it can check cheaply (p_shift out of range, negative m0, a rounding mode the build lacks) under Verilator and Icarus', () => {
    // a build of double rounding alone (RoundingModes 2): c_round_i = 0 (single), 2 (ruy) and 3 (reserved) stop it
    const build = { top: 'beat_tb', files: [...rtlFiles(), join(TB_DIR, 'beat_tb.sv')], params: { Rows: 2, Cols: 2, AccDepth: 4, RoundingModes: 2, MaxCycles: 4096 } };
    const dir = scratchDir('assert');
    const inWords = beatWords({ rows: 2, cols: 2 });
    const unbuilt = (code: number): RegExp => new RegExp(`c_round_i = ${code} selects a rounding mode this build does not implement \\(RoundingModes = 2\\)`);
    for (const [enable, field, value, msg] of [
      [IN.pEn, IN.pShift, 40, /p_shift_i = 40 is outside \[-31, 30\]/], [IN.pEn, IN.pM0, -5, /p_m0_i = -5 is negative/],
      [IN.cEn, IN.cRound, 0, unbuilt(0)], [IN.cEn, IN.cRound, 2, unbuilt(2)], [IN.cEn, IN.cRound, 3, unbuilt(3)], [IN.cEn, IN.cRound, 1, undefined],
    ] as const) {
      const input = new Int32Array(4 * inWords);
      input[inWords + enable] = 1; // p_en or c_en in cycle 1
      input[inWords + field] = value;
      input[2 * inWords + IN.cRound] = 0; // without c_en, an unimplemented code is not a violation
      const inFile = join(dir, 'in.hex');
      writeFileSync(inFile, hexWords(input));
      const plus = [`+in=${inFile}`, `+out=${join(dir, 'out.hex')}`, `+regs=${join(dir, 'regs.hex')}`, '+cycles=4'];
      const v = spawnSync(verilatorBinary(build), plus, { encoding: 'utf8' });
      const i = spawnSync('vvp', ['-n', icarusBuild(build), ...plus], { encoding: 'utf8' });
      if (msg === undefined) {
        assert.equal(v.status, 0, `c_round_i = 1 (double, built) passes: ${v.stdout}${v.stderr}`);
        assert.doesNotMatch(`${i.stdout}${i.stderr}`, /selects a rounding mode/);
        continue;
      }
      assert.notEqual(v.status, 0, 'Verilator run must stop on the assertion');
      assert.match(`${v.stdout}${v.stderr}`, msg);
      assert.match(`${i.stdout}${i.stderr}`, msg);
    }
  });
});
