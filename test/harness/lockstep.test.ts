import assert from 'node:assert/strict';
import { openRtlSim } from '../../harness/sim/verilatedSim.ts';
import { Lockstep, StimulusError } from '../../harness/lockstep/lockstep.ts';
import { IN, inWords } from '../../hw-sim/index.ts';
import { LifecycleError } from '../../quant/errors.ts';
import { Rng } from '../../quant/random.ts';
import { buildArray, randomProgram, runRandomTrials } from './helpers.ts';

describe('harness lockstep: hw-sim against the Verilated RTL', function () {
  this.timeout(600_000); // first run builds the models (cached afterwards)

  const shapes: Array<[number, number]> = [
    [8, 8],
    [3, 5],
    [6, 2],
  ];
  for (const [rows, cols] of shapes) {
    it(`agrees on every output word of every cycle for random tiles, ${rows}x${cols}, programs back to back switching the rounding mode`, async function () {
      const build = await buildArray(rows, cols);
      const rtl = openRtlSim(build);
      const seed = 1000 * rows + cols;
      const rng = new Rng(seed);
      try {
        const ls = new Lockstep(rtl, { chunk: 97 }); // an odd chunk: programs straddle FFI calls
        await runRandomTrials(ls, rng, seed, 12, () => [rng.int(1, 70), rng.int(1, 3 * rows + 2), rng.int(1, 2 * cols + 3)]);
      } finally {
        rtl.close();
      }
    });
  }

  it('takes raw beat streams: the same comparison every cycle, hw-sim vouching for the stimulus first', async function () {
    const build = await buildArray(3, 5);
    const rtl = openRtlSim(build);
    try {
      const ls = new Lockstep(rtl, { chunk: 97 });
      // a compiled program's beats, as a raw stream, then the same with a beat hw-sim refuses
      const p = randomProgram(ls.cfg, new Rng(35), 20, 7, 9);
      ls.reset();
      const before = ls.wordsCompared;
      const run = ls.runStream(p.beats, 'stream 1');
      assert.equal(run.verdict, undefined, JSON.stringify(run.verdict?.first));
      assert.equal(run.cycles, p.nCycles);
      assert.equal(ls.cycle, p.nCycles);
      assert.equal(ls.wordsCompared - before, p.nCycles * rtl.geometry.outWords);
      await assert.rejects(ls.runProgram(p), LifecycleError, 'a program after a raw stream needs a reset');
      assert.throws(() => ls.runStream(p.beats), LifecycleError, 'a stream runs right after reset');
      const iw = inWords(ls.cfg);
      const bad = Int32Array.from(p.beats);
      const t = 110; // in the second chunk, [97, 130)
      bad[t * iw + IN.wEn] = 1;
      bad[t * iw + IN.wRow] = ls.cfg.rows; // no such PE row
      ls.reset();
      assert.throws(() => ls.runStream(bad, 'stream 2'), (e: unknown) => e instanceof StimulusError && /cycles \[97, 130\) of the stream \(stream 2\)/.test(e.message));
      assert.equal(ls.cycle, 97, 'the RTL ran the chunks before the refused one, not that one');
      ls.reset();
      assert.equal((await ls.runProgram(p)).verdict, undefined, 'after a reset, programs run again');
    } finally {
      rtl.close();
    }
  });
});
