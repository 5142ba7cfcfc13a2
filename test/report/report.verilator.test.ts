/**
 * The report's waveform against a VCD window the harness records from the real RTL under Verilator: every value
 * the report reads for a cycle must be the value the harness sampled in that cycle (docs/ARCHITECTURE.md section
 * 4), and the value drawn on the mismatch mark must be the RTL's.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../quant/random.ts';
import { IN, aDataOffset } from '../../hw-sim/contract/index.ts';
import { buildRtl } from '../../harness/build/buildRtl.ts';
import { loadRtlConfig } from '../../harness/config/rtlConfig.ts';
import { openRtlSim } from '../../harness/sim/verilatedSim.ts';
import { readVcd } from '../../report/waveform/read-vcd.ts';
import { cycleTable, sampleSignal } from '../../report/waveform/sample-cycles.ts';
import { selectLanes } from '../../report/waveform/select-lanes.ts';
import { buildWaveDrom } from '../../report/waveform/build-wavedrom.ts';

describe('report waveform of a Verilator VCD window', function () {
  this.timeout(300_000); // a cold build of the RTL; cached afterwards

  it('samples every output of every cycle as the harness saw it, and marks the RTL value', async () => {
    const build = await buildRtl({ config: loadRtlConfig(), trace: true });
    const { rows: R, cols: C, inWords, outWords } = build.geometry;
    const sim = openRtlSim(build);
    const dir = mkdtempSync(join(tmpdir(), 'int8cosim-vcd-'));
    try {
      sim.reset();
      const seed = 424242;
      const rng = new Rng(seed);
      const n = 70;
      const input = new Int32Array(n * inWords);
      // Beat layout of section 7: weights of bank 0 (rows 0..R-1), parameters of every column, the output
      // configuration, then 40 beats that are both first and last K-tile.
      for (let t = 0; t < n; t++) {
        const b = input.subarray(t * inWords, (t + 1) * inWords);
        if (t < R) {
          b.set([1, 0, t], 0);
          for (let c = 0; c < C; c++) b[IN.wData + c] = rng.int(-60, 60);
        }
        if (t < C) b.set([1, t, rng.int(-3000, 3000), rng.int(2 ** 29, 2 ** 31 - 1), -rng.int(6, 9)], 8);
        if (t === 0) b.set([1, 3, -128, 127, 0], 13); // c_en, zp 3, the full range, single rounding
        if (t >= R && t < R + 40) {
          b.set([1, 0, 1, 1, t - R], 3);
          for (let r = 0; r < R; r++) b[aDataOffset({ cols: C }) + r] = rng.int(-128, 127);
        }
      }
      const out = new Int32Array(n * outWords);
      const from = 20;
      sim.run(from, input.subarray(0, from * inWords), out.subarray(0, from * outWords));
      const vcd = join(dir, 'window.vcd');
      sim.traceOpen(vcd);
      sim.run(n - from, input.subarray(from * inWords), out.subarray(from * outWords));
      sim.traceClose();

      const win = await readVcd(vcd);
      const table = cycleTable(win, vcd);
      assert.equal(table.firstCycle, from);
      assert.equal(table.edges.length, n - from);
      const port = (name: string): ReturnType<typeof sampleSignal> => {
        const s = win.signals.filter((x) => x.name === name).sort((a, b) => a.path.length - b.path.length)[0];
        assert.ok(s, name);
        return sampleSignal(s, table);
      };
      const valid = port('o_valid_o');
      const data = port('o_data_o');
      const acc = port('o_acc_o');
      let rowsOut = 0;
      for (let i = 0; i < table.edges.length; i++) {
        const t = from + i;
        const o = out.subarray(t * outWords, (t + 1) * outWords);
        assert.equal(Number(valid[i]?.value), o[0], `seed ${seed}: o_valid in cycle ${t}`);
        if (o[0] !== 1) continue;
        rowsOut++;
        for (let c = 0; c < C; c++) {
          assert.equal(Number(BigInt.asIntN(8, (data[i]?.value ?? 0n) >> BigInt(8 * c))), o[2 + c], `seed ${seed}: o_data[${c}] in cycle ${t}`);
          assert.equal(Number(BigInt.asIntN(32, (acc[i]?.value ?? 0n) >> BigInt(32 * c))), o[2 + C + c], `seed ${seed}: o_acc[${c}] in cycle ${t}`);
        }
      }
      assert.ok(rowsOut >= 30, `${rowsOut} output rows in the window`);

      // A pretend mismatch on an output row: the brick on the mark shows what the RTL put out in that cycle.
      const cycle = from + 30;
      const col = C - 1;
      const m = { layer: 'l', tile: 't', cycle, where: `o_data_o[${col}]`, row: 1, col, expected: 0, actual: 0 };
      const lanes = selectLanes(win, m, { rows: R, cols: C });
      assert.ok(lanes.some((l) => l.label === 'pe(1,' + col + ').psum_q'), 'the PE registers are in the dump');
      const built = buildWaveDrom(table, lanes, { cycle }, '');
      const lane = built.source.signal.find((l) => l.name === `o_data_o[${col}]`);
      assert.ok(lane && built.markIndex >= 0);
      const before = [...lane.wave.slice(0, built.markIndex)].filter((ch) => ch !== '.' && ch !== 'x').length;
      assert.equal(lane.data?.[before], String(out[cycle * outWords + 2 + col]));
    } finally {
      sim.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
