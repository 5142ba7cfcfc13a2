/**
 * examples/requant_stage: rtl/'s array with its pipelined-requantizer option (systolic_top's RequantStages = 2: one
 * more register stage in the requantizer, latency R + C + 2), which keeps the transaction-level contract of
 * docs/ARCHITECTURE.md section 13 and not the cycle contract. In
 * transaction mode it passes random GEMMs over several N-tiles (the parameter hazard of section 13); a variant
 * whose second stage reads the live shift register fails them at the last row of the first N-tile, column 0; a
 * variant with a wrong clamp in the second stage is caught at the one row and column that exceed the clamp; the
 * cycle lockstep fails at the first output row.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadRtlConfig } from '../../harness/config/rtlConfig.ts';
import { openRtlSim } from '../../harness/sim/verilatedSim.ts';
import type { RtlSim } from '../../harness/sim/rtlSim.ts';
import { Lockstep } from '../../harness/lockstep/lockstep.ts';
import { mismatchError } from '../../harness/lockstep/mismatch.ts';
import { TransactionRunner, type TransactionRun } from '../../harness/transaction/runner.ts';
import { runNetworkTransactions } from '../../harness/network/runNetworkTransactions.ts';
import { runNetworkLockstep } from '../../harness/network/runNetworkLockstep.ts';
import { loadDataset } from '../../model/index.ts';
import { randomModel } from '../../quant/format/random-model.ts';
import { quantizeImage } from '../../quant/golden/image.ts';
import { runGolden } from '../../quant/golden/run.ts';
import { TransactionMismatch, type TransactionError } from '../../harness/transaction/errors.ts';
import { compileGemm, type Program } from '../../hw-sim/compiler/program.ts';
import { IN, arrayConfig, type ArrayConfig } from '../../hw-sim/index.ts';
import { Rng } from '../../quant/random.ts';
import { randomProgram } from '../harness/helpers.ts';
import { ExampleUnderTest } from './example.ts';
import { firstRowFailure } from './cycle-failure.ts';
import { suiteTempDir, writeSmallCnn } from '../cli/helpers.ts';
import { runCosim } from '../../cosim/run-cosim.ts';

/** Every build of this file: 4x4 with the config's AccDepth (example.ts), the one runCosim's build at 4x4 reuses. */
const example = new ExampleUnderTest('requant_stage');
const CONFIG = example.configPath;
const R = example.rows;
const C = example.cols;

function cfgOf(rtl: RtlSim): ArrayConfig {
  const g = rtl.geometry;
  return arrayConfig({ rows: g.rows, cols: g.cols, accDepth: g.accDepth, roundingModes: rtl.roundingModes });
}

/** Transaction mode (harness/transaction/runner.ts): programs back to back from one reset; the first error, or every run. */
async function runTransactions(rtl: RtlSim, programs: readonly Program[]): Promise<{ error?: TransactionError; runs: TransactionRun[] }> {
  const runner = new TransactionRunner(rtl);
  runner.reset();
  const runs: TransactionRun[] = [];
  for (const p of programs) {
    const run = await runner.runProgram(p, p.layer);
    runs.push(run);
    if (run.error !== undefined) return { error: run.error, runs };
  }
  return { runs };
}

/**
 * A GEMM over three N-tiles and two K-tiles (M = 12, K = 6, N = 10 at 4x4) whose outputs all stay inside the clamp
 * [-100, 100] but one: Y[5][6] (tile n1, column 2) is 300 before the clamp. Small operands, m0 = 2^30 (one half),
 * shift 0, zero point 0, single rounding.
 */
function oneOverClamp(cfg: ArrayConfig): Program {
  const [M, K, N] = [12, 6, 10];
  const rng = new Rng(5);
  const x = Int8Array.from({ length: M * K }, () => rng.int(-3, 3));
  const w = Int8Array.from({ length: K * N }, () => rng.int(-3, 3));
  for (let k = 0; k < K; k++) {
    x[5 * K + k] = 10;
    w[k * N + 6] = 10;
  }
  return compileGemm(cfg, M, K, N, {
    x, w, bias: new Int32Array(N), m0: new Int32Array(N).fill(1 << 30), shift: new Int32Array(N), zp: 0, min: -100, max: 100, round: 'single',
  }, 'clamp');
}

/**
 * A GEMM over three N-tiles (M = 9, K = 4, N = 12 at 4x4) whose column 0 of each N-tile has another shift (-3, -8,
 * -5), and whose last row (m = 8) of column 0 is large (acc 1600): with the shift of the next N-tile it would
 * requantize to another value.
 */
function shiftPerNTile(cfg: ArrayConfig): Program {
  const [M, K, N] = [9, 4, 12];
  const rng = new Rng(9);
  const x = Int8Array.from({ length: M * K }, () => rng.int(-8, 8));
  const w = Int8Array.from({ length: K * N }, () => rng.int(-8, 8));
  for (let k = 0; k < K; k++) {
    x[8 * K + k] = 20;
    for (const n of [0, 4, 8]) w[k * N + n] = 20;
  }
  const shift = new Int32Array(N).fill(-4);
  [shift[0], shift[4], shift[8]] = [-3, -8, -5];
  return compileGemm(cfg, M, K, N, {
    x, w, bias: new Int32Array(N), m0: new Int32Array(N).fill(1 << 30), shift, zp: 0, min: -128, max: 127, round: 'double',
  }, 'shifts');
}

/**
 * A raw beat stream: a GEMM of one N-tile (M = 6, K = 3, N = 4 at 4x4, zero point 0, outputs in [-38, 38]) with one
 * more configuration write, zero point 50, in the cycle its last row (address 5) is requantized in the cycle
 * contract. Rule 3 of section 5 allows it (the write serves no row, the last row requantizes with zero point 0;
 * the compiler never does it, the regression's raw streams may); a second stage that read the live zero point
 * would give that row 50 more in every column.
 */
function configInLastRequantize(cfg: ArrayConfig): { beats: Int32Array; lastAddr: number } {
  const [M, K, N] = [6, 3, 4];
  const rng = new Rng(11);
  const p = compileGemm(cfg, M, K, N, {
    x: Int8Array.from({ length: M * K }, () => rng.int(-5, 5)), w: Int8Array.from({ length: K * N }, () => rng.int(-5, 5)),
    bias: new Int32Array(N), m0: new Int32Array(N).fill(1 << 30), shift: new Int32Array(N), zp: 0, min: -128, max: 127, round: 'single',
  }, 'config');
  assert.equal(p.plan.nN, 1);
  const iw = p.beats.length / p.nCycles;
  const beats = p.beats.slice();
  let last = -1;
  for (let t = 0; t < p.nCycles; t++) if (beats[t * iw + IN.aEn] === 1 && beats[t * iw + IN.aLast] === 1) last = t;
  const q = last + cfg.rows + cfg.cols; // the last row's requantize cycle (section 4)
  assert.equal(beats[q * iw + IN.cEn], 0, 'no configuration write there yet');
  for (const f of [IN.cEn, IN.cZp, IN.cMin, IN.cMax, IN.cRound] as const) beats[q * iw + f] = beats[f] as number; // the program's own, from cycle 0
  beats[q * iw + IN.cEn] = 1;
  beats[q * iw + IN.cZp] = 50;
  return { beats, lastAddr: beats[last * iw + IN.aAddr] as number };
}

/** Random GEMMs with several N-tiles (and K-tiles, and passes of the accumulator now and then), every rounding mode. */
function randomPrograms(cfg: ArrayConfig, seed: number, count: number): Program[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, (_, i) => randomProgram(cfg, rng, rng.int(1, 40), rng.int(1, 3 * R + 2), rng.int(C + 1, 3 * C + 3), `g${i}`));
}

describe('examples/requant_stage: one more requantizer stage, the transaction-level contract', function () {
  this.timeout(600_000); // a cold cache builds the models first
  const dir = suiteTempDir('int8cosim-requant-stage-');

  it('the config is rtl/ itself, by path, with RequantStages 2 and nothing of its own', function () {
    const c = loadRtlConfig(CONFIG);
    const rtl = loadRtlConfig(); // rtl/cosim.json
    assert.equal(c.top, 'systolic_top');
    assert.deepEqual(c.files, rtl.files);
    assert.deepEqual(c.includeDirs, rtl.includeDirs);
    assert.deepEqual(c.parameters, { ...rtl.parameters, RequantStages: 2 });
    assert.equal(rtl.parameters.RequantStages, undefined, 'rtl/ itself keeps the default, 1: the cycle contract');
  });

  it('verilator --lint-only -Wall is clean at 2x2, 3x5, 4x4, 8x8 and 16x16, each rounding datapath alone and all three; RequantStages 3 and RoundingModes 0 refused', function () {
    const lint = (params: Record<string, number>): { status: number | null; out: string } => example.lint(params);
    for (const [rows, cols, depth, modes] of [[2, 2, 2, 1], [3, 5, 8, 7], [4, 4, 64, 2], [8, 8, 1024, 4], [16, 16, 128, 7]] as const) {
      const r = lint({ Rows: rows, Cols: cols, AccDepth: depth, RoundingModes: modes, RequantStages: 2 });
      assert.equal(r.status, 0, r.out);
      assert.equal(r.out.trim(), '', `${rows}x${cols} D${depth} RoundingModes ${modes}: no warning at all`);
    }
    const bad = lint({ Rows: 4, Cols: 4, AccDepth: 64, RoundingModes: 0, RequantStages: 2 });
    assert.notEqual(bad.status, 0);
    assert.match(bad.out, /systolic_top: RoundingModes must be a mask in \[1, 7\]/);
    const three = lint({ Rows: 4, Cols: 4, AccDepth: 64, RequantStages: 3 });
    assert.notEqual(three.status, 0);
    assert.match(three.out, /systolic_top: RequantStages must be 1 or 2, got 3/);
  });

  it('transaction mode: random GEMMs over several N-tiles, every rounding mode, pass; every row R + C + 2 cycles after its beat', async function () {
    const rtl = openRtlSim(await example.build());
    try {
      const programs = [...randomPrograms(cfgOf(rtl), 15, 24), shiftPerNTile(cfgOf(rtl)), oneOverClamp(cfgOf(rtl))];
      const r = await runTransactions(rtl, programs);
      assert.equal(r.error, undefined, `seed 15: ${r.error?.message}`);
      assert.equal(r.runs.length, programs.length);
      for (const run of r.runs) {
        const s = run.stats;
        assert.equal(s.seen, s.rows);
        assert.deepEqual(s.latency, { min: R + C + 2, max: R + C + 2, mean: R + C + 2 }, run.context);
        assert.equal(s.reference.latency, R + C + 1);
        assert.equal(s.cycles, s.reference.cycles + 1, 'the program\'s last row one cycle after hw-sim\'s');
        assert.equal(run.end - run.start, s.reference.cycles + 1, 'the program ends in the cycle after its last row');
        assert.ok(run.output !== undefined && run.reference !== undefined);
        assert.deepEqual(run.output, run.reference, run.context);
      }
      assert.ok(programs.every((p) => p.plan.nN >= 2), 'every program has several N-tiles');
      // and a raw stream that writes the configuration in its last row's requantize cycle
      const runner = new TransactionRunner(rtl);
      runner.reset();
      const stream = await runner.runStream(configInLastRequantize(cfgOf(rtl)).beats, 'config');
      assert.equal(stream.error, undefined, stream.error?.message);
      assert.equal(stream.stats.seen, 6);
    } finally {
      rtl.close();
    }
  });

  it('transaction mode over MNIST test images: a conv-pool-conv-pool-dense network in ruy rounding, outputs = golden, latency R + C + 2 in every layer; the cycle lockstep fails on it', async function () {
    const seed = 23;
    const model = randomModel(new Rng(seed), {
      layers: ['conv2d', 'maxpool2d', 'conv2d', 'maxpool2d', 'dense'],
      inputShape: [28, 28, 1], classes: 10, weightBits: 8, activationBits: 8, roundingMode: 'ruy', maxChannels: 8,
    });
    const images = 3;
    const codes = quantizeImage(model, loadDataset('mnist').test.images.subarray(0, images * 784));
    const rtl = openRtlSim(await example.build());
    try {
      const runner = new TransactionRunner(rtl);
      const r = await runNetworkTransactions(model, runner, codes, { batch: 2 }); // a batch of 2 and one of 1
      assert.equal(r.failure, undefined, `seed ${seed}: ${r.failure?.failure.error.message}`);
      assert.equal(r.images, images);
      assert.deepEqual(r.outputs, runGolden(model, codes, { batch: images }).output, `seed ${seed}`);
      const s = runner.totals.summary();
      assert.equal(s.seen, s.rows);
      assert.ok(s.rows > 1000, `${s.rows} rows`);
      assert.deepEqual(s.latency, { min: R + C + 2, max: R + C + 2, mean: R + C + 2 });
      const ls = await runNetworkLockstep(model, new Lockstep(rtl), codes, { batch: 2 });
      assert.ok(ls.mismatch !== undefined, 'the cycle lockstep fails on the same images');
      assert.match(mismatchError(ls.mismatch.verdict.first).message, /at o_valid_o: .*run with --check transactions/);
    } finally {
      rtl.close();
    }
  });

  it('runCosim --check transactions over 8 MNIST test images of an exported model (the config as it is, at 4x4): every check PASS, latency R + C + 2 in the report', async function () {
    const modelDir = join(dir(), 'model');
    writeSmallCnn(modelDir, 31);
    const { report } = await runCosim({
      modelDir, check: 'transactions', rtlConfigPath: CONFIG, rounding: 'double', rows: R, cols: C, images: 8, batch: 4, cornerCases: 20,
      deep: false, window: 8, outDir: join(dir(), 'cosim'), log: () => {},
    });
    const failed = report.checks.filter((c) => c.status !== 'pass');
    assert.deepEqual(failed, [], JSON.stringify(failed));
    assert.equal(report.verdict, 'PASS');
    assert.deepEqual(report.checks.map((c) => c.name), ['corner tier', 'transactions', 'bytes golden-hwsim', 'bytes golden-rtl', 'bytes hwsim-rtl']);
    const t = report.timing;
    assert.ok(t !== null && t !== undefined, 'the report has the timing of transaction mode');
    assert.equal(t.seen, t.rows);
    assert.deepEqual(t.rtl.latency, { min: R + C + 2, max: R + C + 2, mean: R + C + 2 });
    assert.equal(t.hwsim.latency, R + C + 1);
    assert.equal(t.rtl.cycles, t.hwsim.cycles + t.programs, 'one cycle more per program');
    assert.equal(report.rtl.top, 'systolic_top');
    assert.equal(report.rtl.parameters.RequantStages, 2, 'the report says what was built');
  });

  it('the cycle lockstep fails at the first output row (o_valid_o one cycle late) and suggests --check transactions', async function () {
    const rtl = openRtlSim(await example.build());
    try {
      const message = await firstRowFailure(rtl, shiftPerNTile);
      assert.match(message, /the RTL's rows come at other cycles than the cycle contract's; .*run with --check transactions/);
    } finally {
      rtl.close();
    }
  });

  it('a variant whose second stage reads the live shift and zero point fails at the last row of the first N-tile, column 0, and at the last row of a stream that reconfigures in its requantize cycle; programs of one N-tile pass on it', async function () {
    const config = example.variant('live-registers', '../../rtl/systolic_top.sv', [
      ['        .shift_i (mid_shift_q),\n', '        .shift_i (shift[8*c +: 8]),\n'],
      ['        .zp_i    (mid_zp_q),\n', '        .zp_i    (zp),\n'],
    ]);
    const rtl = openRtlSim(await example.build(config));
    try {
      const p = shiftPerNTile(cfgOf(rtl));
      const { error } = await runTransactions(rtl, [p]);
      assert.ok(error instanceof TransactionMismatch, `expected a TransactionMismatch, got ${error?.message}`);
      assert.equal(error.place.tile, 'n0 k0');
      assert.deepEqual([error.place.addr, error.place.m], [8, 8], 'the last row of the first N-tile');
      assert.deepEqual([error.port, error.column, error.expected, error.actual], ['o_data_o', 0, 100, 3], '1600 / 2 / 2^3 with its own shift, / 2^8 with the next N-tile\'s');
      assert.equal(error.latency, R + C + 2);
      // the configuration written in the last row's requantize cycle: that row takes the new zero point
      const runner = new TransactionRunner(rtl);
      runner.reset();
      const { beats, lastAddr } = configInLastRequantize(cfgOf(rtl));
      const stream = await runner.runStream(beats, 'config');
      const e = stream.error;
      assert.ok(e instanceof TransactionMismatch, `expected a TransactionMismatch, got ${e?.message}`);
      assert.deepEqual([e.place.addr, e.port, e.column, e.actual - e.expected], [lastAddr, 'o_data_o', 0, 50]);
      assert.deepEqual(e.also, ['o_data_o[1]', 'o_data_o[2]', 'o_data_o[3]']);
      // the hazard and nothing else: programs of one N-tile (parameters written once, before any row) pass on it,
      // and the example itself passes this program (the random GEMMs' test above)
      const rng = new Rng(3);
      const single = Array.from({ length: 6 }, (_, i) => randomProgram(cfgOf(rtl), rng, rng.int(1, 30), rng.int(1, 3 * R), rng.int(1, C), `one${i}`));
      const r = await runTransactions(rtl, single);
      assert.equal(r.error, undefined, `seed 3: ${r.error?.message}`);
    } finally {
      rtl.close();
    }
  });

  it('a planted clamp bug in the second stage is caught in transaction mode at its row and column', async function () {
    const config = example.variant('clamp-high-to-min', '../../rtl/systolic_requant_round.sv', [
      ['             : (with_zp > 34\'(max_i)) ? max_i\n', '             : (with_zp > 34\'(max_i)) ? min_i\n'],
    ]);
    const rtl = openRtlSim(await example.build(config));
    try {
      const p = oneOverClamp(cfgOf(rtl));
      const { error } = await runTransactions(rtl, [p]);
      assert.ok(error instanceof TransactionMismatch, `expected a TransactionMismatch, got ${error?.message}`);
      assert.equal(error.place.tile, 'n1 k1');
      assert.deepEqual([error.place.addr, error.place.m], [5, 5]);
      assert.deepEqual([error.port, error.column, error.expected, error.actual], ['o_data_o', 2, 100, -100]);
      assert.deepEqual(error.also, []);
      assert.match(error.message, /tile n1 k1, output row 5 \(address 5\), column 2 \(o_data_o\[2\]\): hw-sim 100, RTL -100/);
    } finally {
      rtl.close();
    }
  });
});
