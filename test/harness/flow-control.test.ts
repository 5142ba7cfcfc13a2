/**
 * The flow-control binding of docs/ARCHITECTURE.md section 13: the optional a_ready_o in the port check and the
 * build, and RtlSim.runFlow, which presents a program's beats only in cycles the array is ready and idle words
 * otherwise. rtl/ has no a_ready_o (ready in every cycle: runFlow is run()); test/fixtures/rtl/ready_lfsr_top.sv
 * puts rtl/systolic_top behind an a_ready_o an LFSR drops, so its rows are the cycle contract's with the stalls
 * inserted, which the transaction scoreboard accepts when told when each beat was taken.
 */
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildRtl, type RtlBuild } from '../../harness/build/buildRtl.ts';
import { checkPorts, hasFlowControl, type PortDecl } from '../../harness/build/ports.ts';
import { loadRtlConfig } from '../../harness/config/rtlConfig.ts';
import { Lockstep } from '../../harness/lockstep/lockstep.ts';
import { mismatchError, timingHint, type Mismatch } from '../../harness/lockstep/mismatch.ts';
import type { RtlSim } from '../../harness/sim/rtlSim.ts';
import { observeRows, outputRows } from '../../harness/transaction/rows.ts';
import { TransactionScoreboard } from '../../harness/transaction/scoreboard.ts';
import { arrayConfig } from '../../hw-sim/index.ts';
import type { Program } from '../../hw-sim/compiler/program.ts';
import { BuildError } from '../../quant/errors.ts';
import { Rng } from '../../quant/random.ts';
import { buildArray, randomProgram, withSim } from './helpers.ts';

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'rtl', 'ready_lfsr.json');

/** Runs every beat of p through runFlow in chunks, then idle cycles; the output words and taken[] of every cycle. */
function runAll(sim: RtlSim, p: Program, drain: number, chunk = 37): { words: Int32Array; taken: Int32Array; cycles: number } {
  const g = sim.geometry;
  const words: number[] = [];
  const taken: number[] = [];
  let next = 0;
  let idle = 0;
  while (next < p.nCycles || idle < drain) {
    const out = new Int32Array(chunk * g.outWords);
    const tk = new Int32Array(chunk);
    const got = sim.runFlow(chunk, p.beats.subarray(next * g.inWords, p.nCycles * g.inWords), out, tk);
    for (const t of tk) taken.push(t < 0 ? -1 : t + next);
    next += got;
    if (next >= p.nCycles) idle += chunk - got;
    words.push(...out);
  }
  return { words: Int32Array.from(words), taken: Int32Array.from(taken), cycles: taken.length };
}

describe('harness: flow control (a_ready_o, runFlow)', function () {
  this.timeout(300_000);
  let plain: RtlBuild;
  let lfsr: RtlBuild;

  before(async () => {
    plain = await buildArray(4, 4, { parameters: { Rows: 4, Cols: 4, AccDepth: 64 } });
    lfsr = await buildRtl({ config: loadRtlConfig(FIXTURE), parameters: { Rows: 4, Cols: 4, AccDepth: 64 } });
  });

  it('the port check takes a_ready_o as an optional 1-bit output and refuses any other shape', () => {
    const base: PortDecl[] = checkPortsFixture();
    assert.equal(hasFlowControl(base), false);
    checkPorts('t', base, {});
    const ready: PortDecl[] = [...base, { name: 'a_ready_o', dir: 'out', width: 1 }];
    assert.equal(hasFlowControl(ready), true);
    checkPorts('t', ready, {});
    assert.throws(() => checkPorts('t', [...base, { name: 'a_ready_o', dir: 'out', width: 2 }], {}), (e: unknown) =>
      e instanceof BuildError && /a_ready_o \(optional, section 13\) must be a 1-bit output, is a 2-bit output/.test(e.message));
    assert.throws(() => checkPorts('t', [...base, { name: 'a_ready_o', dir: 'in', width: 1 }], {}), BuildError);
  });

  it('the builds record it: rtl/ has no a_ready_o, the fixture has', async () => {
    assert.equal(plain.flowControl, false);
    assert.equal(lfsr.flowControl, true);
    await withSim(lfsr, async (sim) => {
      assert.equal(sim.flowControl, true);
      assert.match(sim.description, /a_ready_o/);
    });
  });

  it('without a_ready_o runFlow takes a beat every cycle: the same words as run()', async () => {
    const cfg = arrayConfig({ rows: 4, cols: 4, accDepth: 64 });
    const p = randomProgram(cfg, new Rng(5), 9, 11, 6);
    await withSim(plain, async (sim) => {
      const g = sim.geometry;
      sim.reset();
      const ref = new Int32Array(p.nCycles * g.outWords);
      sim.run(p.nCycles, p.beats, ref);
      sim.reset();
      const out = new Int32Array(p.nCycles * g.outWords);
      const taken = new Int32Array(p.nCycles);
      assert.equal(sim.runFlow(p.nCycles, p.beats, out, taken), p.nCycles);
      assert.deepEqual([...taken], Array.from({ length: p.nCycles }, (_, i) => i));
      assert.deepEqual(out, ref);
      // with no beats left it presents idle words
      const idle = new Int32Array(3);
      assert.equal(sim.runFlow(3, new Int32Array(0), new Int32Array(3 * g.outWords), idle), 0);
      assert.deepEqual([...idle], [-1, -1, -1]);
    });
  });

  it('under a_ready_o every beat is taken once, in order, only in ready cycles; the rows are hw-sim\'s', async () => {
    const cfg = arrayConfig({ rows: 4, cols: 4, accDepth: 64 });
    const rng = new Rng(11);
    await withSim(lfsr, async (sim) => {
      sim.reset();
      let start = 0;
      let stalls = 0;
      for (let trial = 0; trial < 4; trial++) {
        const p = randomProgram(cfg, rng, rng.int(3, 20), rng.int(1, 13), rng.int(1, 9), `t${trial}`);
        const drain = 2 * (4 + 4 + 1) + 8;
        const { words, taken, cycles } = runAll(sim, p, drain);
        const order = [...taken].filter((t) => t >= 0);
        assert.deepEqual(order, Array.from({ length: p.nCycles }, (_, i) => i), `trial ${trial}: every beat once, in order`);
        const held = [...taken].slice(0, taken.lastIndexOf(p.nCycles - 1)).filter((t) => t < 0).length;
        stalls += held;
        const board = new TransactionScoreboard(p, { start, context: `trial ${trial}` });
        taken.forEach((t, i) => {
          if (t >= 0) board.acceptBeat(t, start + i);
        });
        const err = observeRows(board, outputRows(words, 4, start));
        assert.equal(err, undefined, err?.message);
        assert.equal(board.finish(start + cycles), undefined);
        assert.equal(board.stats().seen, p.m * Math.ceil(p.n / 4));
        start += cycles;
      }
      assert.ok(stalls > 10, `the LFSR held the program (${stalls} cycles)`);
      assert.equal(sim.cycle, start);
    });
  });

  it('the cycle lockstep of a stalling RTL fails with a hint to run --check transactions', async () => {
    await withSim(lfsr, async (sim) => {
      const ls = new Lockstep(sim);
      ls.reset();
      const p = randomProgram(ls.cfg, new Rng(3), 24, 9, 7);
      const run = await ls.runProgram(p, 'stalls');
      assert.ok(run.verdict, 'the stalls show in the cycle lockstep');
      assert.match(mismatchError(run.verdict.first).message, /Hint: this RTL has a_ready_o \(flow control\).*run with --check transactions/);
    });
  });

  it('timingHint: an o_valid_o difference suggests the transaction check, a wrong byte alone does not', () => {
    const m: Mismatch = { layer: 'l', tile: 'n0 k0', cycle: 9, programCycle: 9, programStart: 0, context: '', kind: 'port', where: 'o_valid_o', expected: 1, actual: 0 };
    assert.match(timingHint(m, false) ?? '', /^the RTL's o_valid_o is 0 where hw-sim's is 1: the RTL's rows come at other cycles .*run with --check transactions/);
    assert.match(timingHint({ ...m, where: 'o_acc_o[0]', also: ['o_valid_o'] }, false) ?? '', /o_valid_o differs too/);
    assert.equal(timingHint({ ...m, where: 'o_data_o[2]', expected: 5, actual: 6 }, false), undefined);
  });
});

/** The contract's ports at 2x2 with 2 address bits. */
function checkPortsFixture(): PortDecl[] {
  const w: Record<string, number> = {
    clk_i: 1, rst_ni: 1, w_en_i: 1, w_bank_i: 1, w_row_i: 1, w_data_i: 16, a_en_i: 1, a_bank_i: 1, a_first_i: 1, a_last_i: 1, a_addr_i: 2,
    a_data_i: 16, p_en_i: 1, p_col_i: 1, p_bias_i: 32, p_m0_i: 32, p_shift_i: 8, c_en_i: 1, c_zp_i: 8, c_min_i: 8, c_max_i: 8, c_round_i: 2,
    o_valid_o: 1, o_addr_o: 2, o_data_o: 16, o_acc_o: 64,
  };
  return Object.entries(w).map(([name, width]) => ({ name, dir: name.endsWith('_o') ? 'out' : 'in', width }));
}
