import assert from 'node:assert/strict';
import { openRtlSim } from '../../harness/sim/verilatedSim.ts';
import { buildRtl } from '../../harness/build/buildRtl.ts';
import { loadRtlConfig } from '../../harness/config/rtlConfig.ts';
import { Lockstep, StimulusError } from '../../harness/lockstep/lockstep.ts';
import { ArraySim, IN, inWords, outWords } from '../../hw-sim/index.ts';
import type { Program } from '../../hw-sim/compiler/program.ts';
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

  /** hw-sim's outputs of programs run back to back from reset (what a reference worker hands the lockstep). */
  function reference(ls: Lockstep, programs: Program[]): Int32Array[] {
    const sim = new ArraySim(ls.cfg);
    sim.reset();
    return programs.map((p) => {
      const out = new Int32Array(p.nCycles * outWords(ls.cfg));
      sim.run(p.nCycles, p.beats, out);
      return out;
    });
  }

  it('runs streams ahead on the RTL: the same outputs, cycles and words as program by program, the same first mismatch of a planted fault', async function () {
    const rng = new Rng(77);
    const cfg = { rows: 4, cols: 4 }; // the builds of reference-ahead.test.ts: cached when that file ran first
    const probe = new Lockstep(openRtlSim(await buildArray(cfg.rows, cfg.cols)));
    const programs = Array.from({ length: 5 }, (_, i) => randomProgram(probe.cfg, rng, rng.int(1, 30), rng.int(1, 12), rng.int(1, 7), `p${i}`));
    probe.rtl.close();
    const faulty = await buildRtl({
      config: loadRtlConfig(), parameters: { Rows: cfg.rows, Cols: cfg.cols },
      defines: { INT8COSIM_FAULT: '', INT8COSIM_FAULT_ROW: '1', INT8COSIM_FAULT_COL: '2', INT8COSIM_FAULT_CYCLE: '57' },
    });
    for (const build of [await buildArray(cfg.rows, cfg.cols), faulty]) {
      const runs = [];
      for (const ahead of [false, true]) {
        const rtl = openRtlSim(build);
        try {
          const ls = new Lockstep(rtl, { chunk: 37 }); // programs straddle chunks
          ls.reset();
          const expected = reference(ls, programs);
          // ahead: every program's beats as a copy (the reference's stream, not the program's own array)
          const streams = programs.map((p) => ({ beats: Int32Array.from(p.beats), nCycles: p.nCycles }));
          if (ahead) ls.runAhead(streams);
          const results = [];
          for (let i = 0; i < programs.length; i++) {
            const r = await ls.runProgram(programs[i] as Program, `program ${i}`, expected[i], ahead ? streams[i]?.beats : undefined);
            results.push({ output: r.output, reference: r.reference, start: r.start, first: r.verdict?.first, count: r.verdict?.count });
            if (r.verdict !== undefined) break;
          }
          await ls.settle();
          runs.push({ results, cycle: ls.cycle, words: ls.wordsCompared, mismatch: ls.mismatch?.first });
          ls.reset(); // settled: the lockstep may reset again
        } finally {
          rtl.close();
        }
      }
      const [step, ahead] = runs;
      assert.deepEqual(ahead, step, build === faulty ? 'faulty RTL' : 'correct RTL');
      if (build === faulty) assert.ok(step?.mismatch !== undefined, 'the planted fault went unnoticed');
      else assert.equal(step?.results.length, programs.length);
    }
  });

  it('runs the next batch ahead after a reset the RTL runs itself: the same as resetting in between', async function () {
    const build = await buildArray(4, 4);
    const rng = new Rng(79);
    const probe = new Lockstep(openRtlSim(build));
    const batches = [0, 1, 2].map((b) => Array.from({ length: 3 }, (_, i) => randomProgram(probe.cfg, rng, rng.int(1, 20), rng.int(1, 10), rng.int(1, 6), `b${b}p${i}`)));
    probe.rtl.close();
    const runs = [];
    for (const ahead of [false, true]) {
      const rtl = openRtlSim(build);
      const ls = new Lockstep(rtl, { chunk: 29 });
      try {
        const outputs = [];
        ls.reset();
        const queue = (i: number): void => ls.runAhead((batches[i] as Program[]).map((p) => ({ beats: p.beats, nCycles: p.nCycles })), { afterReset: i > 0 });
        if (ahead) {
          queue(0);
          queue(1); // batch 1 goes after a reset the chain runs, as soon as batch 0 is done
          assert.throws(() => ls.runAhead([], { afterReset: true }), /one at a time/);
        }
        for (const [i, b] of batches.entries()) {
          if (i > 0) {
            if (ahead && i === 1) await assert.rejects(ls.runProgram(b[0] as Program, '', new Int32Array(0), (b[0] as Program).beats), /not the next stream run ahead|reference given/, 'batch 1 before its reset');
            ls.reset();
            if (ahead && i + 1 < batches.length) queue(i + 1);
          }
          const expected = reference(ls, b); // each batch from reset
          for (const [j, p] of b.entries()) {
            const r = await ls.runProgram(p, '', expected[j], ahead ? p.beats : undefined);
            assert.equal(r.verdict, undefined, JSON.stringify(r.verdict?.first));
            outputs.push(r.output, r.start);
          }
        }
        runs.push({ outputs, words: ls.wordsCompared });
      } finally {
        await ls.settle();
        rtl.close();
      }
    }
    assert.deepEqual(runs[1], runs[0]);
  });

  it('refuses what would break a run ahead: another stream, no reference, a reset or an ordinary program before the runs are taken', async function () {
    const rtl = openRtlSim(await buildArray(3, 5)); // built by the first tests of this file
    const ls = new Lockstep(rtl);
    try {
      ls.reset();
      const rng = new Rng(78);
      const programs = [randomProgram(ls.cfg, rng, 5, 4, 3, 'a'), randomProgram(ls.cfg, rng, 6, 2, 2, 'b')];
      const expected = reference(ls, programs);
      const [a, b] = programs as [Program, Program];
      ls.runAhead([{ beats: a.beats, nCycles: a.nCycles }, { beats: b.beats, nCycles: b.nCycles }]);
      assert.throws(() => ls.reset(), LifecycleError, 'a reset while streams are queued');
      await assert.rejects(ls.runProgram(a, '', expected[0]), LifecycleError, 'an ordinary program while streams are queued');
      await assert.rejects(ls.runProgram(b, '', expected[1], b.beats), /not the next stream run ahead/);
      await assert.rejects(ls.runProgram(a, '', undefined, a.beats), /needs the reference outputs/);
      assert.equal((await ls.runProgram(a, '', expected[0], a.beats)).verdict, undefined);
      await ls.settle(); // drops b, untaken
      ls.reset();
      assert.throws(() => ls.runAhead([{ beats: a.beats.subarray(1), nCycles: a.nCycles }]), /beat words/);
      assert.equal((await ls.runProgram(a)).verdict, undefined, 'after settle and reset, programs run as before');
    } finally {
      await ls.settle();
      rtl.close();
    }
  });
});
