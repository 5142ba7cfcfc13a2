import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRtlConfig } from '../../harness/config/rtlConfig.ts';
import { buildRtl, type BuildRequest } from '../../harness/build/buildRtl.ts';
import { openRtlSim } from '../../harness/sim/verilatedSim.ts';
import { Lockstep } from '../../harness/lockstep/lockstep.ts';
import type { Mismatch } from '../../harness/lockstep/mismatch.ts';
import { captureWindow } from '../../harness/waves/window.ts';
import { formatWaveTable, keyColumns, readWaveTable } from '../../report/waveform/wave-table.ts';
import { Rng } from '../../quant/random.ts';
import { randomProgram } from './helpers.ts';

describe('harness: a planted RTL fault is caught and located', function () {
  this.timeout(600_000);

  const ROW = 1;
  const COL = 2;
  const CYCLE = 57;
  const request = (deep: boolean): BuildRequest => ({
    config: loadRtlConfig(),
    parameters: { Rows: 4, Cols: 4 },
    defines: { INT8COSIM_FAULT: '', INT8COSIM_FAULT_ROW: String(ROW), INT8COSIM_FAULT_COL: String(COL), INT8COSIM_FAULT_CYCLE: String(CYCLE) },
    deep,
  });

  /** Resets, runs the one GEMM of these tests on the planted-fault build and returns the first mismatch (there must be one). */
  const firstMismatch = async (ls: Lockstep): Promise<Mismatch> => {
    ls.reset();
    const run = await ls.runProgram(randomProgram(ls.cfg, new Rng(7), 30, 10, 6), 'fault');
    assert.ok(run.verdict, 'the planted fault went unnoticed');
    return run.verdict.first;
  };

  it('deep mode names the cycle and the PE, and the replayed VCD window shows the flipped bit', async function () {
    const req = request(true);
    const rtl = openRtlSim(await buildRtl(req));
    const dir = mkdtempSync(join(tmpdir(), 'int8cosim-fault-'));
    try {
      const ls = new Lockstep(rtl, { deep: true });
      const m = await firstMismatch(ls);
      assert.equal(m.kind, 'register');
      assert.equal(m.cycle, CYCLE);
      assert.equal(m.where, `pe(${ROW},${COL}).psum_q`);
      assert.deepEqual([m.row, m.col], [ROW, COL]);
      assert.equal(m.actual ^ m.expected, 1, 'bit 0 flipped');

      const vcdPath = join(dir, 'window.vcd');
      const win = await captureWindow({ build: req, history: ls.history, mismatch: m, window: 5, vcdPath });
      assert.ok(existsSync(vcdPath) && statSync(vcdPath).size > 0);
      assert.equal(win.reproduced, true);
      assert.deepEqual([win.firstCycle, win.lastCycle], [CYCLE - 5, CYCLE + 5]);
      const table = await readWaveTable(vcdPath, keyColumns({ top: 'systolic_top', rows: 4, row: ROW, col: COL }), win.firstCycle, win.lastCycle);
      assert.deepEqual(table.missing, []);
      const psum = table.columns.indexOf(`pe(${ROW},${COL}).psum_q`);
      const row = table.rows.find((r) => r.cycle === CYCLE);
      assert.equal(row?.values[psum], String(m.actual), formatWaveTable(table, CYCLE));
    } finally {
      rtl.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('port mode catches it on an output port downstream of that PE', async function () {
    const rtl = openRtlSim(await buildRtl(request(false)));
    try {
      const m = await firstMismatch(new Lockstep(rtl));
      assert.equal(m.kind, 'port');
      assert.ok(m.cycle > CYCLE, `an output shows the fault after cycle ${CYCLE}, got ${m.cycle}`);
      assert.match(m.where, new RegExp(`^o_(acc|data)_o\\[${COL}\\]$`));
    } finally {
      rtl.close();
    }
  });
});
