/**
 * examples/output_fifo: rtl/'s array, unchanged, behind an output FIFO of FifoDepth rows that drains one row every
 * DrainPeriod cycles and back-pressures the program through a_ready_o (docs/ARCHITECTURE.md section 13). It keeps the
 * transaction-level contract and not the cycle contract: the cycle lockstep fails at the first output row and
 * suggests --check transactions; a variant that corrupts one byte behind the FIFO is caught at its row and column;
 * a variant that drops a_ready_o one cycle late overflows the FIFO, which its assertion reports.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { loadRtlConfig } from '../../harness/config/rtlConfig.ts';
import type { RtlBuild } from '../../harness/build/buildRtl.ts';
import { openRtlSim } from '../../harness/sim/verilatedSim.ts';
import { SimStopError } from '../../harness/sim/simStopError.ts';
import type { RtlSim } from '../../harness/sim/rtlSim.ts';
import { TransactionMismatch } from '../../harness/transaction/errors.ts';
import { TransactionRunner } from '../../harness/transaction/runner.ts';
import { runNetworkTransactions } from '../../harness/network/runNetworkTransactions.ts';
import { loadDataset } from '../../model/index.ts';
import { randomModel } from '../../quant/format/random-model.ts';
import { quantizeImage } from '../../quant/golden/image.ts';
import { runGolden } from '../../quant/golden/run.ts';
import { runCosim } from '../../cosim/run-cosim.ts';
import { suiteTempDir, writeSmallCnn } from '../cli/helpers.ts';
import { tileName, type Program } from '../../hw-sim/compiler/program.ts';
import type { ArrayConfig } from '../../hw-sim/index.ts';
import { Rng } from '../../quant/random.ts';
import { randomProgram } from '../harness/helpers.ts';
import { ExampleUnderTest, ROOT } from './example.ts';
import { firstRowFailure } from './cycle-failure.ts';

/** Every build of this file: 4x4 with the config's AccDepth (example.ts), the one runCosim's build at 4x4 reuses. */
const example = new ExampleUnderTest('output_fifo');
const EXAMPLE = example.dir;
const CONFIG = example.configPath;
const R = example.rows;
const C = example.cols;

/** The earliest a row can come: the array's R + C + 1, a cycle in the FIFO, the output register. */
const MIN_LATENCY = R + C + 3;

/** Random GEMMs with many rows per output tile (M 60..300, one pass of the accumulator), several K- and N-tiles. */
function gemms(cfg: ArrayConfig, seed: number, count: number): Program[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, (_, i) => randomProgram(cfg, rng, rng.int(60, 300), rng.int(1, 3 * R + 2), rng.int(1, 3 * C), `g${i}`));
}

/** Opens a build, runs f on a transaction runner over it (reset first), closes it. */
async function withRunner<T>(b: RtlBuild, f: (runner: TransactionRunner, rtl: RtlSim) => Promise<T>): Promise<T> {
  const rtl = openRtlSim(b);
  try {
    const runner = new TransactionRunner(rtl);
    runner.reset();
    return await f(runner, rtl);
  } finally {
    rtl.close();
  }
}

describe('examples/output_fifo: an output FIFO that back-pressures the beats through a_ready_o', function () {
  this.timeout(600_000); // a cold cache builds the models first
  const dir = suiteTempDir('int8cosim-output-fifo-');

  it('the config is its own top over rtl/ reused unchanged by path, with the FIFO\'s parameters', function () {
    const c = loadRtlConfig(CONFIG);
    assert.equal(c.top, 'output_fifo_top');
    const rtl = loadRtlConfig(); // rtl/cosim.json: every source of the array, in its order
    assert.deepEqual(c.files.filter((f) => dirname(f) === join(ROOT, 'rtl')), rtl.files);
    assert.deepEqual(c.files.filter((f) => dirname(f) === EXAMPLE).map((f) => basename(f)),
      ['ofifo_clock_gate.sv', 'ofifo_row_fifo.sv', 'ofifo_pacer.sv', 'ofifo_flow.sv', 'output_fifo_top.sv']);
    assert.ok(c.files.every((f) => existsSync(f)));
    assert.deepEqual(c.includeDirs, rtl.includeDirs);
    assert.deepEqual(c.parameters, { Rows: 8, Cols: 8, AccDepth: 1024, RoundingModes: 7, FifoDepth: 4, DrainPeriod: 2 });
  });

  it('verilator --lint-only -Wall is clean from 2x2 to 16x16, each rounding datapath alone and all three, FIFO depths 1 to 64; bad FIFO parameters are refused', function () {
    const lint = (params: Record<string, number>): { status: number | null; out: string } => example.lint(params);
    for (const [rows, cols, depth, modes, fifo, drain] of [
      [2, 2, 2, 1, 64, 16], [3, 5, 8, 2, 2, 3], [4, 4, 64, 4, 1, 1], [8, 8, 1024, 7, 4, 2], [16, 16, 128, 7, 5, 4],
    ] as const) {
      const r = lint({ Rows: rows, Cols: cols, AccDepth: depth, RoundingModes: modes, FifoDepth: fifo, DrainPeriod: drain });
      assert.equal(r.status, 0, r.out);
      assert.equal(r.out.trim(), '', `${rows}x${cols} D${depth} RoundingModes ${modes} FifoDepth ${fifo} DrainPeriod ${drain}: no warning at all`);
    }
    for (const [params, msg] of [
      [{ FifoDepth: 0 }, /output_fifo_top: FifoDepth must be in \[1, 64\], got 0/],
      [{ FifoDepth: 65 }, /output_fifo_top: FifoDepth must be in \[1, 64\], got 65/],
      [{ DrainPeriod: 0 }, /output_fifo_top: DrainPeriod must be in \[1, 16\], got 0/],
    ] as const) {
      const r = lint({ Rows: 4, Cols: 4, AccDepth: 64, ...params });
      assert.notEqual(r.status, 0, `${JSON.stringify(params)} must not pass lint`);
      assert.match(r.out, msg);
    }
  });

  it('Icarus Verilog elaborates it too (the parameter, port and connection macros of int8cosim_ports.svh), at 3x5 D8 without a warning', function () {
    const c = loadRtlConfig(CONFIG);
    const params = Object.entries({ Rows: 3, Cols: 5, AccDepth: 8 }).flatMap(([k, v]) => ['-P', `${c.top}.${k}=${v}`]);
    const args = ['-g2012', '-s', c.top, ...c.includeDirs.map((d) => `-I${d}`), ...params, '-o', join(dir(), 'output_fifo.vvp'), ...c.files];
    const r = spawnSync('iverilog', args, { encoding: 'utf8' });
    assert.equal(r.error, undefined, 'iverilog is not installed: sudo apt-get install -y iverilog');
    const out = `${r.stdout}${r.stderr}`;
    assert.equal(r.status, 0, out);
    assert.doesNotMatch(out, /warning/i, 'no port of another width than its connection (every parameter passed on)');
  });

  it('the build has a_ready_o; the cycle lockstep fails at the first output row (o_valid_o) and suggests --check transactions', async function () {
    const b = await example.build();
    assert.equal(b.flowControl, true);
    const rtl = openRtlSim(b);
    try {
      const message = await firstRowFailure(rtl, (cfg) => randomProgram(cfg, new Rng(4), 40, 9, 7, 'gemm'));
      assert.match(message, /this RTL has a_ready_o \(flow control\).* run with --check transactions/);
    } finally {
      rtl.close();
    }
  });

  for (const depth of [1, 2, 4]) {
    it(`transaction mode, FifoDepth ${depth}: random GEMMs of many rows per tile pass, the FIFO never overflows, and the program stalls (throughput below hw-sim's)`, async function () {
      const b = await example.build(loadRtlConfig(CONFIG), { FifoDepth: depth });
      await withRunner(b, async (runner) => {
        const seed = 30 + depth;
        const programs = gemms(runner.cfg, seed, 6);
        for (const p of programs) {
          // NoOverflow_A would stop the simulation here (SimStopError): every row found room in the FIFO
          const run = await runner.runProgram(p, p.layer);
          assert.equal(run.error, undefined, `seed ${seed}, ${p.layer}: ${run.error?.message}`);
          assert.deepEqual(run.output, run.reference, `seed ${seed}, ${p.layer}: the layer output gathered from the RTL's rows is hw-sim's`);
          const s = run.stats;
          assert.equal(s.seen, s.rows);
          assert.ok(s.latency !== undefined && s.latency.min >= MIN_LATENCY, `${p.layer}: latency ${JSON.stringify(s.latency)}`);
          assert.ok(run.end - run.start > p.nCycles, `${p.layer}: the program was held (${run.end - run.start} cycles for ${p.nCycles} words)`);
          assert.ok(s.rowsPerCycle !== undefined && s.rowsPerCycle < s.reference.rowsPerCycle, `${p.layer}: ${s.rowsPerCycle} rows/cycle, hw-sim ${s.reference.rowsPerCycle}`);
          // the drain gives out a row every DrainPeriod = 2 cycles at most
          assert.ok((s.seen - 1) * 2 < (s.cycles as number), `${p.layer}: ${s.seen} rows in ${s.cycles} cycles`);
        }
        const sum = runner.totals.summary();
        assert.equal(sum.programs, programs.length);
        assert.ok(sum.rowsPerCycle !== null && sum.reference.rowsPerCycle !== null && sum.rowsPerCycle < sum.reference.rowsPerCycle);
      });
    });
  }

  it('cosim --check transactions (runCosim) over MNIST test images: PASS, every check held, the RTL slower than hw-sim in report.json', async function () {
    const modelDir = join(dir(), 'model');
    writeSmallCnn(modelDir, 31);
    const out = join(dir(), 'cosim');
    const { report } = await runCosim({
      check: 'transactions', modelDir, images: 4, rounding: 'single', rows: R, cols: C, deep: false, rtlConfigPath: CONFIG,
      cornerCases: 24, batch: 2, window: 8, outDir: out, log: () => {},
    });
    assert.equal(report.verdict, 'PASS', JSON.stringify(report.failedChecks));
    assert.equal(report.check, 'transactions');
    assert.deepEqual(report.checks.map((c) => [c.name, c.status]), [
      ['corner tier', 'pass'], ['transactions', 'pass'], ['bytes golden-hwsim', 'pass'], ['bytes golden-rtl', 'pass'], ['bytes hwsim-rtl', 'pass'],
    ]);
    const t = report.timing;
    assert.ok(t !== null && t !== undefined && t.rtl.latency !== null && t.rtl.rowsPerCycle !== null && t.hwsim.rowsPerCycle !== null);
    assert.equal(t.seen, t.rows);
    assert.equal(t.hwsim.latency, R + C + 1);
    assert.equal(t.rtl.latency.min, MIN_LATENCY);
    assert.ok(t.rtl.rowsPerCycle < t.hwsim.rowsPerCycle, `RTL ${t.rtl.rowsPerCycle} rows/cycle, hw-sim ${t.hwsim.rowsPerCycle}`);
    assert.ok(t.rtl.cycles > t.hwsim.cycles, `the programs were held: ${t.rtl.cycles} cycles, hw-sim ${t.hwsim.cycles}`);
    assert.equal(report.transactionFailure, null);
  });

  it('transaction mode: a conv-pool-dense-dense network over MNIST test images passes, its outputs the golden model\'s, at a lower throughput than hw-sim\'s', async function () {
    const seed = 31;
    const model = randomModel(new Rng(seed), {
      layers: ['conv2d', 'maxpool2d', 'dense', 'dense'], inputShape: [28, 28, 1], classes: 10, weightBits: 8, activationBits: 8, roundingMode: 'single', maxChannels: 6,
    });
    const images = 6;
    const codes = quantizeImage(model, loadDataset('mnist').test.images.subarray(0, images * 784));
    await withRunner(await example.build(), async (runner) => {
      const r = await runNetworkTransactions(model, runner, codes, { batch: 4 }); // a batch of 4 and one of 2
      assert.equal(r.failure, undefined, `seed ${seed}: ${r.failure?.failure.error.message}`);
      assert.equal(r.images, images);
      assert.deepEqual(r.outputs, runGolden(model, codes, { batch: images }).output, `seed ${seed}`);
      const sum = runner.totals.summary();
      assert.ok(sum.programs >= 6, `${sum.programs} programs`);
      assert.equal(sum.seen, sum.rows);
      assert.ok(sum.rowsPerCycle !== null && sum.reference.rowsPerCycle !== null && sum.rowsPerCycle < sum.reference.rowsPerCycle, JSON.stringify(sum));
      assert.ok(sum.latency !== null && sum.latency.min === MIN_LATENCY && sum.latency.max > MIN_LATENCY, JSON.stringify(sum.latency));
    });
  });

  it('a variant that corrupts one byte behind the FIFO (column 2 of address 5) is caught in transaction mode at that row and column', async function () {
    const config = example.variant('byte-at-5', 'output_fifo_top.sv', [
      ['    .data_i   (head_data),\n', "    .data_i   (head_addr == AddrW'(5) ? head_data ^ (8*Cols)'(32'h1_0000) : head_data),\n"],
    ]);
    await withRunner(await example.build(config), async (runner) => {
      const p = randomProgram(runner.cfg, new Rng(8), 40, 9, 7, 'gemm'); // first output tile n0 k2: rows 0..39
      const run = await runner.runProgram(p, 'gemm');
      const error = run.error;
      assert.ok(error instanceof TransactionMismatch, `expected a TransactionMismatch, got ${error?.message}`);
      const firstTile = p.plan.tiles.find((t) => t.last);
      assert.ok(firstTile !== undefined);
      assert.equal(error.place.tile, tileName(firstTile));
      assert.deepEqual([error.place.addr, error.place.m], [5, 5]);
      assert.deepEqual([error.port, error.column], ['o_data_o', 2]);
      assert.equal(error.actual, error.expected ^ 1, 'bit 0 of the byte flipped');
      assert.deepEqual(error.also, [], 'that byte alone');
      assert.ok(error.latency >= MIN_LATENCY);
      assert.match(error.message, new RegExp(`tile ${tileName(firstTile)}, output row 5 \\(address 5\\), column 2 \\(o_data_o\\[2\\]\\)`));
    });
  });

  it('a variant that drops a_ready_o one cycle late (the row on its way not counted) overflows the FIFO, and its assertion stops the run', async function () {
    const config = example.variant('ready-late', 'ofifo_flow.sv', [
      ["  assign committed = SumW'(count_next_i) + SumW'(ready_q);\n", "  assign committed = SumW'(count_next_i);\n"],
    ]);
    await withRunner(await example.build(config), async (runner) => {
      let stopped: unknown;
      try {
        for (const p of gemms(runner.cfg, 9, 6)) {
          const run = await runner.runProgram(p, p.layer);
          assert.equal(run.error, undefined, 'the overflow shows as the assertion, before any row is lost');
        }
      } catch (e) {
        stopped = e;
      }
      assert.ok(stopped instanceof SimStopError, `expected the simulation to stop, got ${String(stopped)}`);
      // Verilator names the assertion's line (its message, on stderr: 'overflow, a row arrived while all 4 entries are held')
      const fifo = readFileSync(join(EXAMPLE, 'ofifo_row_fifo.sv'), 'utf8').split('\n');
      const line = fifo.findIndex((l) => l.includes('"ofifo_row_fifo: overflow')) + 1;
      assert.ok(line > 0 && fifo[line - 2]?.includes('`ASSERT(NoOverflow_A'), 'NoOverflow_A and its message in ofifo_row_fifo.sv');
      assert.match(stopped.message, new RegExp(`\\$stop \\(a failed assertion\\?\\) at \\S*examples/output_fifo/ofifo_row_fifo\\.sv:${line} in cycle \\d+`));
    });
  });
});
