/**
 * rtl/include/int8cosim_assert.svh under both simulators: each macro passes when its condition holds and stops the
 * run (or the elaboration) with its message when it does not. A small module of its own, so that every macro is
 * exercised, whatever systolic_top happens to use.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RTL_INCLUDE_DIR, requireTool, run, scratchDir } from './sim-tools.ts';

// Bad != 0 breaks the static check, Init = 0 the time-0 check. Cycle n is the n-th rising edge (the assertions
// sample before the edge's updates). Reset is released after edge 2; x is 9 * BadX in edges 0 and 1 (in reset:
// nothing may fire), 0 in edges 2-3, 9 * BadX again from edge 4; k turns X from edge 6 when Unknown != 0.
const TB = `\`include "int8cosim_assert.svh"
module macro_tb #(parameter int Bad = 0, parameter int Init = 1, parameter int BadX = 0, parameter int Unknown = 0);
  logic clk = 1'b0;
  logic rst_n = 1'b0;
  logic [3:0] x = 4'(BadX * 9);
  logic [1:0] k = 2'b01;
  int cycle = 0;
  \`ASSERT_STATIC(g_bad, Bad == 0, ("macro_tb: Bad must be 0, got %0d", Bad))
  \`ASSERT_INIT(InitHolds_A, Init != 0, ("macro_tb: Init must not be 0, got %0d", Init))
  \`ASSERT(XSmall_A, x < 4'd8, clk, rst_n, ("macro_tb: x = %0d at cycle %0d", x, cycle))
  \`ASSERT_KNOWN(KKnown_A, k, clk, rst_n)
  always #5 clk = ~clk;
  always @(posedge clk) begin
    cycle <= cycle + 1;
    if (cycle == 1) x <= 4'd0;
    if (cycle == 2) rst_n <= 1'b1;
    if (cycle == 3) x <= 4'(BadX * 9);
    if (cycle == 5 && Unknown != 0) k <= 2'bx1;
    if (cycle == 8) begin
      $display("macro_tb: done");
      $finish;
    end
  end
endmodule
`;

type Params = { Bad?: number; Init?: number; BadX?: number; Unknown?: number };

function files(dir: string): string {
  const tb = join(dir, 'macro_tb.sv');
  writeFileSync(tb, TB);
  return tb;
}

function verilator(name: string, p: Params): { built: boolean; out: string } {
  requireTool('verilator');
  const dir = scratchDir(`macros-vl-${name}`);
  const args = ['--binary', '--assert', '--timing', '-Wno-fatal', '-Werror-USERERROR', `-I${RTL_INCLUDE_DIR}`, '--top-module', 'macro_tb', '-Mdir', 'obj', '-o', 'tb',
    ...Object.entries(p).map(([k, v]) => `-G${k}=${v}`), files(dir)];
  const b = spawnSync('verilator', args, { cwd: dir, encoding: 'utf8' });
  if (b.status !== 0) return { built: false, out: `${b.stdout}${b.stderr}` };
  const r = spawnSync(join(dir, 'obj', 'tb'), [], { cwd: dir, encoding: 'utf8' });
  return { built: true, out: `${r.stdout}${r.stderr}${r.status === 0 ? '' : `\nexit ${r.status}`}` };
}

function icarus(name: string, p: Params): { out: string; status: number | null } {
  requireTool('iverilog');
  const dir = scratchDir(`macros-iv-${name}`);
  const vvp = join(dir, 'tb.vvp');
  run('iverilog', ['-g2012', `-I${RTL_INCLUDE_DIR}`, '-s', 'macro_tb', '-o', vvp, ...Object.entries(p).map(([k, v]) => `-Pmacro_tb.${k}=${v}`), files(dir)], dir, 'Icarus build of macro_tb');
  const r = spawnSync('vvp', ['-n', vvp], { cwd: dir, encoding: 'utf8' });
  return { out: `${r.stdout}${r.stderr}`, status: r.status };
}

describe('rtl/include/int8cosim_assert.svh', function () {
  this.timeout(300_000);

  it('passes when every condition holds (Verilator --assert and Icarus), also while x is out of range in reset', () => {
    const v = verilator('ok', {});
    assert.ok(v.built, v.out);
    assert.match(v.out, /macro_tb: done/);
    assert.doesNotMatch(v.out, /macro_tb: (x =|Bad|Init)|unknown|exit/);
    const i = icarus('ok', {});
    assert.equal(i.status, 0, i.out);
    assert.match(i.out, /macro_tb: done/);
    assert.doesNotMatch(i.out, /macro_tb: (x =|Bad|Init)|unknown|FATAL|ERROR/);
  });

  it('ASSERT_STATIC stops Verilator at elaboration and Icarus at time 0, with the formatted message', () => {
    const v = verilator('static', { Bad: 3 });
    assert.equal(v.built, false, v.out);
    assert.match(v.out, /%Error-USERERROR: .*macro_tb: Bad must be 0, got 3/);
    const i = icarus('static', { Bad: 3 });
    assert.notEqual(i.status, 0);
    assert.match(i.out, /FATAL: .*macro_tb: Bad must be 0, got 3/);
    assert.doesNotMatch(i.out, /macro_tb: done/);
  });

  it('ASSERT_INIT stops both simulators at time 0', () => {
    const v = verilator('init', { Init: 0 });
    assert.ok(v.built, v.out);
    assert.match(v.out, /macro_tb: Init must not be 0, got 0/);
    assert.doesNotMatch(v.out, /macro_tb: done/);
    const i = icarus('init', { Init: 0 });
    assert.match(i.out, /FATAL: .*macro_tb: Init must not be 0, got 0/);
    assert.doesNotMatch(i.out, /macro_tb: done/);
  });

  it('ASSERT fires at the first edge out of reset where the property fails, with the message, in both', () => {
    const v = verilator('assert', { BadX: 1 });
    assert.ok(v.built, v.out);
    assert.match(v.out, /macro_tb: x = 9 at cycle 4/);
    assert.doesNotMatch(v.out, /macro_tb: done/, 'Verilator stops at the failed assertion');
    const i = icarus('assert', { BadX: 1 });
    assert.match(i.out, /macro_tb: x = 9 at cycle 4/);
    assert.doesNotMatch(i.out, /at cycle [0-3]\b/, 'nothing fires in reset or before x changes');
  });

  it('ASSERT_KNOWN names the signal that is X (Icarus: Verilator is two-state, its X never reaches a signal)', () => {
    const i = icarus('known', { Unknown: 1 });
    assert.match(i.out, /KKnown_A: k is unknown \(X or Z\) out of reset/);
    assert.ok((i.out.match(/k is unknown/g) ?? []).length >= 2, 'once a cycle from edge 6 on');
    assert.match(i.out, /macro_tb: done/, 'Icarus reports and runs on');
  });
});
