import assert from 'node:assert/strict';
import { openRtlSim } from '../../harness/sim/verilatedSim.ts';
import { Lockstep } from '../../harness/lockstep/lockstep.ts';
import { Rng } from '../../quant/random.ts';
import { buildArray, randomProgram } from './helpers.ts';

describe('harness lockstep: hw-sim against the Verilated RTL', function () {
  this.timeout(600_000); // first run builds the models (cached afterwards)

  const shapes: Array<[number, number, 'single' | 'double']> = [
    [8, 8, 'single'],
    [3, 5, 'double'],
    [6, 2, 'single'],
  ];
  for (const [rows, cols, mode] of shapes) {
    it(`agrees on every output word of every cycle for random tiles, ${rows}x${cols} ${mode}`, async function () {
      const build = await buildArray(rows, cols, mode);
      const rtl = openRtlSim(build);
      const seed = 1000 * rows + cols;
      const rng = new Rng(seed);
      try {
        const ls = new Lockstep(rtl, { chunk: 97 }); // an odd chunk: programs straddle FFI calls
        ls.reset();
        let cycles = 0;
        for (let trial = 0; trial < 12; trial++) {
          const p = randomProgram(ls.cfg, rng, rng.int(1, 70), rng.int(1, 3 * rows + 2), rng.int(1, 2 * cols + 3), `t${trial}`);
          const run = await ls.runProgram(p, `trial ${trial}`);
          assert.equal(run.verdict, undefined, `seed ${seed} trial ${trial}: ${JSON.stringify(run.verdict?.first)}`);
          assert.equal(run.output?.length, p.m * p.n);
          cycles += p.nCycles;
        }
        assert.equal(ls.cycle, cycles);
      } finally {
        rtl.close();
      }
    });
  }
});
