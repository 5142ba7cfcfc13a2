import assert from 'node:assert/strict';
import type { VcdSignal, VcdWindow } from '../../report/waveform/read-vcd.ts';
import { cycleTable, sampleSignal, valueAt } from '../../report/waveform/sample-cycles.ts';
import { waveTable, type TableColumn } from '../../report/waveform/wave-table.ts';

/** The harness's VCD timing: rising edge t at time 2t+1, inputs applied at 2t (clock low). */
function window(): VcdWindow {
  const clk: VcdSignal = { path: 'TOP.clk_i', name: 'clk_i', width: 1, changes: [] };
  for (let t = 0; t < 6; t++) clk.changes.push({ time: 2 * t, value: 0n, mask: 0n }, { time: 2 * t + 1, value: 1n, mask: 0n });
  // a port that takes the value 10 + t at time 2t, from cycle 1 on (unknown in cycle 0)
  const port: VcdSignal = { path: 'TOP.a_addr_i', name: 'a_addr_i', width: 8, changes: [] };
  for (let t = 1; t < 6; t++) port.changes.push({ time: 2 * t, value: BigInt(10 + t), mask: 0n });
  // a 16-bit register that edge t sets to -t (two's complement), with bit 3 unknown after edge 4
  const reg: VcdSignal = { path: 'TOP.r_q', name: 'r_q', width: 16, changes: [] };
  for (let t = 0; t < 6; t++) reg.changes.push({ time: 2 * t + 1, value: BigInt((0x10000 - t) & 0xffff), mask: t === 4 ? 8n : 0n });
  return { signals: [clk, port, reg], endTime: 12 };
}

describe('report/waveform: the one VCD sampler (valueAt) under the cycle table and the wave table', () => {
  it('valueAt is the last change at or before a time; sampleSignal the value just before each rising edge', () => {
    const w = window();
    const port = w.signals[1] as VcdSignal;
    assert.equal(valueAt(port, 1), undefined);
    assert.equal(valueAt(port, 2)?.value, 11n);
    assert.equal(valueAt(port, 3)?.value, 11n);
    const table = cycleTable(w, 'test');
    assert.deepEqual([table.firstCycle, table.period, table.edges.length], [0, 2, 6]);
    const s = sampleSignal(port, table);
    assert.equal(s[0]?.mask, 0xffn, 'unknown before the first change');
    assert.deepEqual(s.slice(1).map((x) => x.value), [11n, 12n, 13n, 14n, 15n]);
  });

  it('a port shows in cycle t what was applied at 2t, a register what edge t stored; ? before a change, x for unknown bits', () => {
    const columns: TableColumn[] = [
      { header: 'a_addr_i', path: 'TOP.a_addr_i', lsb: 0, signed: false, phase: 0 },
      { header: 'r_q', path: 'TOP.r_q', lsb: 0, width: 16, signed: true, phase: 1 },
      { header: 'gone', path: 'TOP.nope', lsb: 0, signed: false, phase: 0 },
    ];
    const t = waveTable(window(), columns, 0, 5);
    assert.deepEqual(t.columns, ['a_addr_i', 'r_q']);
    assert.deepEqual(t.missing, ['TOP.nope']);
    assert.deepEqual(t.rows.map((r) => r.values), [['?', '0'], ['11', '-1'], ['12', '-2'], ['13', '-3'], ['14', 'x'], ['15', '-5']]);
  });
});
