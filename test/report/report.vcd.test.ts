/**
 * The report's VCD path: vcd-stream's WASM parser fed in 32 KiB chunks, cycle sampling per
 * docs/ARCHITECTURE.md section 4, and the choice of lanes. One VCD comes from a real simulator (Icarus).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FormatError } from '../../quant/errors.ts';
import { readVcd, type VcdSignal } from '../../report/waveform/read-vcd.ts';
import { cycleTable, sampleSignal } from '../../report/waveform/sample-cycles.ts';
import { mismatchPlace, selectLanes } from '../../report/waveform/select-lanes.ts';
import { buildWaveDrom } from '../../report/waveform/build-wavedrom.ts';
import { C, DRAWN_LANES, MISMATCH, R, WINDOW, fixtureVcd } from './report.fixture.ts';

const ICARUS_TB = `
module tb;
  logic clk_i = 1'b0;
  logic [7:0] cnt_q = 8'd0;
  logic [15:0] bus_q = 16'bx;
  always #5 clk_i = ~clk_i;
  always @(posedge clk_i) begin
    cnt_q <= cnt_q + 8'd3;
    if (cnt_q == 8'd9) bus_q <= 16'hbeef;
  end
  for (genvar r = 0; r < 2; r++) begin : g_row
    logic [7:0] v_q;
    always @(posedge clk_i) v_q <= cnt_q + 8'(r);
  end
  initial begin
    $dumpfile("tb.vcd");
    $dumpvars(0, tb);
    #200 $finish;
  end
endmodule
`;

function sig(sigs: VcdSignal[], path: string): VcdSignal {
  const s = sigs.find((x) => x.path === path);
  assert.ok(s, `${path} in ${sigs.map((x) => x.path).join(', ')}`);
  return s;
}

describe('report VCD reading', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'int8cosim-vcd-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads an Icarus Verilog dump: scopes, x values, one value per cycle just before each rising edge', async () => {
    writeFileSync(join(dir, 'tb.sv'), ICARUS_TB);
    execFileSync('iverilog', ['-g2012', '-o', join(dir, 'tb.vvp'), join(dir, 'tb.sv')]);
    execFileSync('vvp', ['-n', join(dir, 'tb.vvp')], { cwd: dir });
    const win = await readVcd(join(dir, 'tb.vcd'));
    const table = cycleTable(win, 'tb.vcd');
    assert.equal(table.period, 10);
    assert.equal(table.firstCycle, 0); // first rise at t=5 ends cycle 0
    assert.equal(table.edges.length, 20);
    const cnt = sampleSignal(sig(win.signals, 'tb.cnt_q'), table);
    assert.deepEqual(cnt.map((s) => Number(s.value)), Array.from({ length: 20 }, (_, t) => (3 * t) & 255));
    const row1 = sampleSignal(sig(win.signals, 'tb.g_row[1].v_q'), table);
    assert.equal(row1[0]?.mask, 255n, 'unknown before its first edge');
    assert.deepEqual(row1.slice(1, 4).map((s) => Number(s.value)), [1, 4, 7]); // cnt of the cycle before, plus 1
    const bus = sampleSignal(sig(win.signals, 'tb.bus_q'), table);
    // cnt = 9 in cycle 3: bus_q is x (dumped as the short "bx") up to cycle 3 and beef from cycle 4.
    assert.ok(bus.slice(0, 4).every((s) => s.mask === 0xffffn), 'all 16 bits x, not just the one digit written');
    assert.deepEqual([bus[4]?.value, bus[4]?.mask], [0xbeefn, 0n]);
  });

  it('decodes a file much larger than one 32 KiB chunk without losing a change at a chunk boundary', async () => {
    const n = 6000;
    const lines = ['$timescale 1ns $end', '$scope module top $end', '$var wire 1 ! clk_i $end', '$var wire 24 " cnt_q [23:0] $end', '$upscope $end', '$enddefinitions $end'];
    for (let t = 0; t < n; t++) lines.push(`#${2 * t}`, '0!', `b${(t * 7).toString(2)} "`, `#${2 * t + 1}`, '1!');
    const path = join(dir, 'big.vcd');
    writeFileSync(path, `${lines.join('\n')}\n`);
    assert.ok(statSync(path).size > 4 * 32 * 1024);
    const win = await readVcd(path);
    const table = cycleTable(win, path);
    assert.equal(table.edges.length, n); // rises at 1, 3, 5, ...
    const cnt = sampleSignal(sig(win.signals, 'top.cnt_q'), table);
    cnt.forEach((s, i) => assert.equal(Number(s.value), 7 * i, `cycle ${i}`));
  });

  it('numbers cycles from vcdFirstCycle when given, else from the first edge\'s time', async () => {
    const path = join(dir, 'fixture.vcd');
    writeFileSync(path, fixtureVcd(3).text);
    const win = await readVcd(path);
    assert.equal(cycleTable(win, path).firstCycle, WINDOW.first);
    assert.equal(cycleTable(win, path, 1000).firstCycle, 1000);
  });

  it('rejects a file that is not a VCD, and a VCD without a clock', async () => {
    const bad = join(dir, 'bad.vcd');
    writeFileSync(bad, 'hello world\n');
    await assert.rejects(readVcd(bad), FormatError);
    const noClk = join(dir, 'noclk.vcd');
    writeFileSync(noClk, '$scope module top $end\n$var wire 8 ! data [7:0] $end\n$upscope $end\n$enddefinitions $end\n#0\nb1 !\n');
    assert.throws(() => cycleTable({ signals: [], endTime: 0 }, 'empty'), /no clock/);
    const win = await readVcd(noClk);
    assert.throws(() => cycleTable(win, noClk), FormatError);
  });
});

describe('report waveform lanes', () => {
  const m = { layer: 'dense_2', tile: 't', cycle: MISMATCH.cycle, where: `o_data_o[${MISMATCH.col}]`, row: MISMATCH.row, col: MISMATCH.col, expected: 0, actual: 0 };

  it('reads the place of a mismatch from `where` when row and col are absent', () => {
    assert.deepEqual(mismatchPlace({ ...m, row: undefined, col: undefined, where: 'pe(3,5).psum_q' } as never), { row: 3, col: 5 });
    assert.deepEqual(mismatchPlace({ ...m, row: undefined, col: undefined, where: 'o_acc_o[7]' } as never), { col: 7 });
  });

  it('draws the ports (buses cut to the mismatching column or row) and the PE registers, the output marked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'int8cosim-lanes-'));
    try {
      const vcd = fixtureVcd(11);
      writeFileSync(join(dir, 'w.vcd'), vcd.text);
      const win = await readVcd(join(dir, 'w.vcd'));
      const lanes = selectLanes(win, m, { rows: R, cols: C });
      assert.equal(lanes.length, DRAWN_LANES);
      assert.deepEqual(lanes.filter((l) => l.target).map((l) => l.label), [`o_data_o[${MISMATCH.col}]`]);
      assert.ok(lanes.some((l) => l.label === `a_data_i[${MISMATCH.row}]`));
      assert.ok(lanes.every((l) => l.signal.path.split('.').length === 2 || l.label.startsWith('pe(')), 'top-level ports, not the DUT\'s copies');
      const built = buildWaveDrom(cycleTable(win, 'w.vcd'), lanes, { cycle: MISMATCH.cycle, expected: vcd.expected }, '');
      const lane = built.source.signal.find((l) => l.name === `o_data_o[${MISMATCH.col}]`);
      assert.ok(lane && built.markIndex >= 0);
      assert.equal(lane.wave[built.markIndex], '9');
      const bricksBefore = [...lane.wave.slice(0, built.markIndex)].filter((ch) => ch !== '.' && ch !== 'x').length;
      assert.equal(lane.data?.[bricksBefore], String(vcd.actual));
      const i = built.source.signal.indexOf(lane);
      const exp = built.source.signal[i + 1];
      assert.deepEqual([exp?.wave.length, exp?.wave[built.markIndex], exp?.data], [built.cycles, '7', [String(vcd.expected)]], 'hw-sim\'s value under the RTL\'s');
      // Named signals, with an element index, replace the default choice.
      const named = selectLanes(win, { ...m, signals: ['o_acc_o[1]', 'g_col[2].u_pe.psum_q', 'nope'] }, { rows: R, cols: C });
      assert.deepEqual(named.map((l) => l.label), ['o_acc_o[1]', `pe(${MISMATCH.row},${MISMATCH.col}).psum_q`]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
