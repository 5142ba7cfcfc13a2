/**
 * harness/transaction/runner.ts: compiled programs back to back from one reset under flow control, every row checked
 * by the transaction scoreboard. rtl/ passes with hw-sim's latency and cycle numbers; the LFSR-stalled fixture and
 * the fixture that delays every output by 3 registers pass with their own (the delayed one fails the cycle
 * lockstep); variants of the delayed fixture, derived by exact text edits, with one wrong byte, one dropped row or
 * no row at all give the right errors. Raw beat streams run too, and a replay from reset reproduces the run.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { buildRtl, type RtlBuild } from '../../harness/build/buildRtl.ts';
import { loadRtlConfig } from '../../harness/config/rtlConfig.ts';
import { Lockstep, StimulusError } from '../../harness/lockstep/lockstep.ts';
import { MissingRowError, TransactionMismatch } from '../../harness/transaction/errors.ts';
import { TransactionRunner, transactionTimeout } from '../../harness/transaction/runner.ts';
import { IN, arrayConfig, inWords } from '../../hw-sim/index.ts';
import type { Program } from '../../hw-sim/compiler/program.ts';
import { LifecycleError } from '../../quant/errors.ts';
import { Rng } from '../../quant/random.ts';
import { runNetworkLockstep } from '../../harness/network/runNetworkLockstep.ts';
import { runNetworkTransactions } from '../../harness/network/runNetworkTransactions.ts';
import { loadDataset } from '../../model/index.ts';
import { randomModel } from '../../quant/format/random-model.ts';
import { quantizeImage } from '../../quant/golden/image.ts';
import { runGolden } from '../../quant/golden/run.ts';
import { buildArray, randomProgram, withSim } from './helpers.ts';
import { FAULTS, FIXTURES, writeFaultyVariant, writeNeverReady } from '../fixtures/rtl/faulty-variant.ts';

const PARAMS = { Rows: 4, Cols: 4, AccDepth: 64 };
const CFG = arrayConfig({ rows: 4, cols: 4, accDepth: 64 });
const L = 4 + 4 + 1;

/** Programs of several passes (M > 64 once), N- and K-tiles, switching the rounding mode. */
function programs(seed: number): Program[] {
  const rng = new Rng(seed);
  return [[9, 11, 6], [70, 5, 9], [1, 3, 2], [23, 17, 4]].map(([m, k, n], i) => randomProgram(CFG, rng, m as number, k as number, n as number, `g${i}`));
}

async function faulty(name: keyof typeof FAULTS): Promise<RtlBuild> {
  return buildRtl({ config: loadRtlConfig(writeFaultyVariant(name, PARAMS)), parameters: PARAMS });
}

describe('harness/transaction: the transaction runner on Verilated RTL', function () {
  this.timeout(600_000); // a cold cache builds the fixtures first
  let plain: RtlBuild;
  let lfsr: RtlBuild;
  let delayed: RtlBuild;

  before(async () => {
    plain = await buildArray(4, 4, { parameters: PARAMS });
    lfsr = await buildRtl({ config: loadRtlConfig(join(FIXTURES, 'ready_lfsr.json')), parameters: PARAMS });
    delayed = await buildRtl({ config: loadRtlConfig(join(FIXTURES, 'delay_out.json')), parameters: PARAMS });
  });

  it("rtl/: programs back to back pass with hw-sim's latency, cycles and throughput; the outputs are hw-sim's", async () => {
    await withSim(plain, async (sim) => {
      const tr = new TransactionRunner(sim, { chunk: 97 }); // an odd chunk: programs straddle FFI calls
      tr.reset();
      let cycles = 0;
      for (const p of programs(1)) {
        const run = await tr.runProgram(p, p.layer);
        assert.equal(run.error, undefined, run.error?.message);
        assert.equal(run.start, cycles, 'a program starts where the last one ended');
        cycles += p.nCycles;
        assert.equal(run.end, cycles, "rtl/ ends each program exactly where the lockstep does (its last row in the program's last cycle)");
        assert.deepEqual(run.output, run.reference);
        assert.equal(run.output?.length, p.m * p.n);
        assert.deepEqual(run.stats.latency, { min: L, max: L, mean: L });
        assert.equal(run.stats.rowsPerCycle, run.stats.reference.rowsPerCycle);
      }
      assert.equal(tr.cycle, cycles);
      assert.equal(tr.history.length, 4);
      const s = tr.totals.summary();
      assert.deepEqual(s.latency, { min: L, max: L, mean: L });
      assert.equal(s.reference.latency, L);
      assert.equal(s.rowsPerCycle, s.reference.rowsPerCycle);
      assert.equal(s.seen, s.rows);
    });
  });

  it('the LFSR-stalled fixture passes: every beat waits for a_ready_o, latency measured from the cycle it was taken', async () => {
    await withSim(lfsr, async (sim) => {
      const tr = new TransactionRunner(sim, { chunk: 61 });
      tr.reset();
      let compiled = 0;
      for (const p of programs(2)) {
        const run = await tr.runProgram(p, p.layer);
        assert.equal(run.error, undefined, run.error?.message);
        assert.deepEqual(run.output, run.reference);
        compiled += p.nCycles;
      }
      const s = tr.totals.summary();
      assert.ok(tr.cycle > compiled * 1.1, `the stalls cost cycles: ${tr.cycle} against ${compiled} compiled`);
      assert.ok(s.latency !== null && s.latency.min >= L && s.latency.max > L, `a stall inside the array delays the rows in flight: ${JSON.stringify(s.latency)}`);
      assert.ok((s.rowsPerCycle ?? 1) < (s.reference.rowsPerCycle ?? 0), JSON.stringify(s));
    });
  });

  it('the fixture whose outputs are 3 registers late passes in transaction mode (latency R + C + 4) and fails the cycle lockstep', async () => {
    await withSim(delayed, async (sim) => {
      const tr = new TransactionRunner(sim);
      tr.reset();
      const ps = programs(3);
      for (const p of ps) {
        const run = await tr.runProgram(p, p.layer);
        assert.equal(run.error, undefined, run.error?.message);
        assert.deepEqual(run.output, run.reference);
        assert.deepEqual(run.stats.latency, { min: L + 3, max: L + 3, mean: L + 3 });
        assert.equal(run.end - run.start, p.nCycles + 3, 'the runner drains the 3 extra cycles, no more');
      }
      const ls = new Lockstep(sim);
      ls.reset();
      const v = (await ls.runProgram(ps[0] as Program)).verdict;
      assert.ok(v !== undefined, 'the cycle lockstep sees the late rows');
      assert.equal(v.first.cycle, (ps[0] as Program).plan.tiles.find((t) => t.last)!.streamCycle + L, "at hw-sim's first row");
    });
  });

  it('takes raw beat streams (hw-sim vouching first) and refuses a program after one', async () => {
    await withSim(lfsr, async (sim) => {
      const tr = new TransactionRunner(sim, { chunk: 50 });
      const p = programs(4)[1] as Program;
      tr.reset();
      const run = await tr.runStream(p.beats, 'stream 1');
      assert.equal(run.error, undefined, run.error?.message);
      assert.equal(run.stats.seen, p.outputRows);
      assert.ok(run.end > p.nCycles, 'stalled');
      await assert.rejects(tr.runProgram(p), LifecycleError);
      const bad = Int32Array.from(p.beats);
      const iw = inWords(CFG);
      bad[40 * iw + IN.wEn] = 1;
      bad[40 * iw + IN.wRow] = 4; // no such PE row
      tr.reset();
      await assert.rejects(tr.runStream(bad, 'stream 2'), (e: unknown) => e instanceof StimulusError && /stream 2/.test(e.message));
      assert.equal(tr.cycle, 0, 'the RTL ran none of a refused stream');
    });
  });

  it('a planted wrong byte: TransactionMismatch naming layer, tile, row, column, both values, cycle and latency', async () => {
    const build = await faulty('wrong_byte_top');
    await withSim(build, async (sim) => {
      const tr = new TransactionRunner(sim);
      tr.reset();
      const p = programs(5)[0] as Program; // M = 9: rows 0..8 in each of 2 N-tiles
      const run = await tr.runProgram(p, 'image 0');
      const e = run.error;
      assert.ok(e instanceof TransactionMismatch, e?.message);
      assert.equal(e.place.layer, 'g0');
      assert.equal(e.place.addr, 5);
      assert.equal(e.place.m, 5);
      assert.equal(e.port, 'o_data_o');
      assert.equal(e.column, 2);
      assert.equal(e.actual, ((e.expected ^ 0x10) << 24) >> 24, 'bit 4 of the byte flipped');
      assert.equal(e.latency, L + 3);
      assert.equal(e.cycle, run.errorRow?.cycle);
      assert.match(e.message, /layer g0 \(image 0\), tile n\d k\d, output row 5 \(address 5\), column 2 \(o_data_o\[2\]\): hw-sim -?\d+, RTL -?\d+; the row appeared in cycle \d+, latency 12/);
      await assert.rejects(tr.runProgram(p), LifecycleError, 'no more programs after an error');
    });
  });

  it('a dropped row: MissingRowError when the next output tile begins; no row at all, or a_ready_o never 1: "N rows outstanding after T cycles" after the timeout', async () => {
    const drop = await faulty('drop_row_top');
    const silent = await faulty('silent_top');
    const p = programs(6)[0] as Program; // 2 output tiles of 9 rows
    await withSim(drop, async (sim) => {
      const tr = new TransactionRunner(sim);
      tr.reset();
      const e = (await tr.runProgram(p, 'image 1')).error;
      assert.ok(e instanceof MissingRowError && e.when === 'next-tile', e?.message);
      assert.equal(e.place.addr, 3);
      assert.equal(e.outstanding, 1);
    });
    await withSim(silent, async (sim) => {
      const tr = new TransactionRunner(sim, { timeout: 200 });
      tr.reset();
      const run = await tr.runProgram(p, 'image 2');
      const e = run.error;
      assert.ok(e instanceof MissingRowError && e.when === 'finish', e?.message);
      assert.equal(e.outstanding, p.outputRows);
      assert.equal(run.end, p.nCycles + 200, 'every word taken, then 200 quiet cycles');
      assert.match(e.message, new RegExp(`^${p.outputRows} rows outstanding after ${p.nCycles + 200} cycles`));
      assert.equal(transactionTimeout(CFG), 4 * L + 1024);
    });
    await withSim(await buildRtl({ config: loadRtlConfig(writeNeverReady(PARAMS)), parameters: PARAMS }), async (sim) => {
      const tr = new TransactionRunner(sim, { timeout: 100 });
      tr.reset();
      const run = await tr.runProgram(p, 'image 3');
      const e = run.error;
      assert.ok(e instanceof MissingRowError && e.when === 'finish', e?.message);
      assert.equal(run.end, 100, 'a_ready_o low from the first cycle: 100 quiet cycles');
      assert.match(e.message, new RegExp(`^${p.outputRows} rows outstanding after 100 cycles .*; the RTL took 0 of the ${p.nCycles} words and none in the last 100 cycles \\(a_ready_o stayed 0\\)$`));
    });
  });

  it('a small MNIST CNN (conv-pool-dense-dense) over real test images in transaction mode on rtl/, the LFSR and the delayed fixture: outputs = golden', async () => {
    const model = randomModel(new Rng(31), {
      layers: ['conv2d', 'maxpool2d', 'dense', 'dense'], inputShape: [28, 28, 1], classes: 10, weightBits: 8, activationBits: 8, roundingMode: 'single', maxChannels: 6,
    });
    const images = 3;
    const codes = quantizeImage(model, loadDataset('mnist').test.images.subarray(0, images * 784));
    const golden = runGolden(model, codes, { batch: images }).output;
    for (const build of [plain, lfsr, delayed]) {
      await withSim(build, async (sim) => {
        const tr = new TransactionRunner(sim);
        const r = await runNetworkTransactions(model, tr, codes, { batch: 2 }); // a batch of 2 and one of 1
        assert.equal(r.failure, undefined, `${build.top}: ${r.failure?.failure.error.message}`);
        assert.equal(r.images, images);
        assert.deepEqual(r.outputs, golden, build.top);
        assert.ok(r.stats.total.cycles > 0 && r.stats.total.cycles === r.cycles, "the walk's cycles are hw-sim's");
        const s = tr.totals.summary();
        assert.equal(s.seen, s.rows);
        if (build === plain) assert.equal(s.rowsPerCycle, s.reference.rowsPerCycle);
        if (build === delayed) {
          assert.deepEqual(s.latency, { min: L + 3, max: L + 3, mean: L + 3 });
          const ls = await runNetworkLockstep(model, new Lockstep(sim), codes, { batch: 2 });
          assert.ok(ls.mismatch !== undefined, 'the delayed fixture fails the cycle lockstep of the network');
        }
      });
    }
  });
});
