/**
 * The same random tile programs as array.test.ts, driven through the harness's own Verilator build and FFI binding
 * (harness/build, harness/sim) in deep mode: every output word and every PE register of every cycle against hw-sim.
 */
import assert from 'node:assert/strict';
import { buildRtl } from '../../harness/build/buildRtl.ts';
import { loadRtlConfig } from '../../harness/config/rtlConfig.ts';
import { openRtlSim } from '../../harness/sim/verilatedSim.ts';
import { ArraySim, arrayConfig, outWordNames, regWordName, regWords } from '../../hw-sim/index.ts';
import { tileProgram, type TileShape } from './tile-program.ts';
import { requireTool } from './sim-tools.ts';

const SEED = 7331;

describe('rtl/systolic_top through the harness (deep mode) against hw-sim on random tiles', function () {
  this.timeout(900_000);
  const shape: TileShape = { rows: 3, cols: 5, accDepth: 8 };
  it(`${shape.rows}x${shape.cols}, AccDepth ${shape.accDepth}, every rounding mode (one per pass): outputs and PE registers equal hw-sim every cycle (seed ${SEED})`, async () => {
    requireTool('verilator');
    const build = await buildRtl({
      config: loadRtlConfig(),
      parameters: { Rows: shape.rows, Cols: shape.cols, AccDepth: shape.accDepth },
      deep: true,
    });
    const program = tileProgram(shape, SEED, 16);
    const n = program.cycles;
    const sim = new ArraySim(arrayConfig({ rows: shape.rows, cols: shape.cols, accDepth: shape.accDepth }), { checkHazards: true });
    const ow = sim.outWords;
    const rw = regWords(sim.cfg);
    const rtl = openRtlSim(build, { seed: SEED });
    const got = new Int32Array(n * ow);
    const gotRegs = new Int32Array(n * rw);
    try {
      rtl.reset();
      rtl.run(n, program.input, got, gotRegs);
    } finally {
      rtl.close();
    }
    sim.reset();
    const want = new Int32Array(ow);
    const regs = new Int32Array(rw);
    const names = outWordNames(sim.cfg);
    let rows = 0;
    for (let t = 0; t < n; t++) {
      sim.step(program.input, t * program.inWords, want, 0);
      sim.readRegisters(regs); // after edge t, as the harness reads them
      for (let i = 0; i < ow; i++) {
        assert.equal(got[t * ow + i], want[i], `seed ${SEED}, cycle ${t}: ${names[i]}`);
      }
      for (let i = 0; i < rw; i++) {
        assert.equal(gotRegs[t * rw + i], regs[i], `seed ${SEED}, after edge ${t}: ${regWordName(sim.cfg, i)}`);
      }
      rows += want[0] as number;
    }
    assert.equal(rows, program.expected.length, 'every last beat gave an output row');
  });
});
