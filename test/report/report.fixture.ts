/**
 * Fixture of the report tests: a folder laid out like a real run (out/cosim/report.json, the trainer's
 * summary.json, out/synth/report.json, a VCD window). Per-layer cycles and PE utilization come from a real hw-sim
 * run of a small random int8 model; the numbers of training, accuracy, confusion and synthesis are SYNTHETIC
 * (seeded, of the right shapes): the tests check rendering, not accuracy. The VCD is a 4x4 array's port trace whose outputs are computed with quant/spec (mac, requantize)
 * per docs/ARCHITECTURE.md's timing (output row L = R + C + 1 cycles after its beat), with one injected error.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { mac, requantize } from '../../quant/spec/index.ts';
import { Rng } from '../../quant/random.ts';
import type { TrainSummary } from '../../model/summary.ts';
import { randomModel } from '../../quant/format/random-model.ts';
import { arrayConfig, runNetwork } from '../../hw-sim/index.ts';
import { layerRowsFromStats, peUtilizationFromStats } from '../../report/from-stats.ts';
import type { CosimReport } from '../../report/schema/cosim-report.ts';
import type { SynthEntry, SynthReport } from '../../synth/report.ts';

export const R = 4;
export const C = 4;
export const PERIOD = 10;
export const WINDOW = { first: 24, cycles: 40 };
/** The injected mismatch: output column 2 of the row leaving in this cycle is off. */
export const MISMATCH = { cycle: 48, col: 2, row: 1 };
/** Signals the VCD has that the default lane choice draws (clock excluded). */
export const DRAWN_LANES = 13;

interface VarDef { id: string; name: string; width: number; scope: string[] }

/** A VCD writer for the fixture: one value per signal per cycle, inputs changing at the falling edge. */
class VcdText {
  private readonly vars: VarDef[] = [];
  private readonly last = new Map<string, string>();
  private readonly out: string[] = [];
  add(scope: string[], name: string, width: number): string {
    const id = String.fromCharCode(33 + this.vars.length);
    this.vars.push({ id, name, width, scope });
    return id;
  }
  header(): void {
    this.out.push('$date synthetic fixture $end', '$version int8cosim report test $end', '$timescale 1ps $end');
    let open: string[] = [];
    for (const v of this.vars) {
      let k = 0;
      while (k < open.length && open[k] === v.scope[k]) k++;
      for (let i = open.length; i > k; i--) this.out.push('$upscope $end');
      for (let i = k; i < v.scope.length; i++) this.out.push(`$scope module ${v.scope[i]} $end`);
      open = v.scope;
      this.out.push(`$var wire ${v.width} ${v.id} ${v.name}${v.width > 1 ? ` [${v.width - 1}:0]` : ''} $end`);
    }
    for (let i = 0; i < open.length; i++) this.out.push('$upscope $end');
    this.out.push('$enddefinitions $end');
  }
  raw(line: string): void {
    this.out.push(line);
  }
  time(t: number): void {
    this.out.push(`#${t}`);
  }
  set(id: string, width: number, v: bigint): void {
    const bits = BigInt.asUintN(width, v).toString(2);
    const s = width === 1 ? `${bits}${id}` : `b${bits} ${id}`;
    if (this.last.get(id) === s) return;
    this.last.set(id, s);
    this.out.push(s);
  }
  text(): string {
    return `${this.out.join('\n')}\n`;
  }
}

function pack(values: number[], width: number): bigint {
  return values.reduce((acc, v, j) => acc | (BigInt.asUintN(width, BigInt(v)) << BigInt(j * width)), 0n);
}

/** The port trace of a 4x4 array computing one dense tile; returns the VCD text and the injected error. */
export function fixtureVcd(seed: number): { text: string; expected: number; actual: number } {
  const rng = new Rng(seed);
  const w = Array.from({ length: R }, () => Array.from({ length: C }, () => rng.int(-127, 127)));
  const bias = Array.from({ length: C }, () => rng.int(-2000, 2000));
  const m0 = Array.from({ length: C }, () => rng.int(2 ** 29, 2 ** 31 - 1));
  const shift = Array.from({ length: C }, () => rng.int(-9, -6));
  const L = R + C + 1;
  const last = WINDOW.first + WINDOW.cycles + L;
  const beats = new Map<number, number[]>();
  for (let t = 0; t < last; t++) if (t % 7 !== 3) beats.set(t, Array.from({ length: R }, () => rng.int(-128, 127)));
  const top = ['TOP'];
  const dut = ['TOP', 'systolic_top'];
  const pe = [...dut, 'u_array', `g_row[${MISMATCH.row}]`, `g_col[${MISMATCH.col}]`, 'u_pe'];
  const v = new VcdText();
  const id = {
    clk: v.add(top, 'clk_i', 1), rst: v.add(top, 'rst_ni', 1), aEn: v.add(top, 'a_en_i', 1), aFirst: v.add(top, 'a_first_i', 1),
    aLast: v.add(top, 'a_last_i', 1), aAddr: v.add(top, 'a_addr_i', 10), aData: v.add(top, 'a_data_i', 8 * R),
    oValid: v.add(top, 'o_valid_o', 1), oAddr: v.add(top, 'o_addr_o', 10), oData: v.add(top, 'o_data_o', 8 * C), oAcc: v.add(top, 'o_acc_o', 32 * C),
    dutClk: v.add(dut, 'clk_i', 1), dutOData: v.add(dut, 'o_data_o', 8 * C),
    vQ: v.add(pe, 'v_q', 1), aQ: v.add(pe, 'a_q', 8), psumQ: v.add(pe, 'psum_q', 32),
  };
  v.header();
  let expected = 0;
  let actual = 0;
  /** Inputs of cycle t: the harness sets them after edge t-1, at the falling edge that starts cycle t. */
  const inputs = (t: number): void => {
    v.set(id.clk, 1, 0n);
    v.set(id.dutClk, 1, 0n);
    v.set(id.rst, 1, 1n);
    const beat = beats.get(t);
    v.set(id.aEn, 1, beat ? 1n : 0n);
    v.set(id.aFirst, 1, beat ? 1n : 0n);
    v.set(id.aLast, 1, beat ? 1n : 0n);
    v.set(id.aAddr, 10, BigInt(t % 1024));
    v.set(id.aData, 8 * R, pack(beat ?? [0, 0, 0, 0], 8));
  };
  /** Flops as they are during cycle t: they change at edge t-1, the same time stamp as the clock (as Verilator dumps). */
  const flops = (t: number): void => {
    const out = beats.get(t - L);
    if (out) {
      const acc = Array.from({ length: C }, (_, c) => out.reduce((a, x, r) => mac(a, x, (w[r] as number[])[c] as number), 0));
      const data = acc.map((a, c) => requantize(a, bias[c] as number, m0[c] as number, shift[c] as number, -5, -128, 127, 'double'));
      if (t === MISMATCH.cycle) {
        expected = data[MISMATCH.col] as number;
        actual = expected ^ 4;
        data[MISMATCH.col] = actual;
      }
      v.set(id.oValid, 1, 1n);
      v.set(id.oAddr, 10, BigInt((t - L) % 1024));
      v.set(id.oData, 8 * C, pack(data, 8));
      v.set(id.dutOData, 8 * C, pack(data, 8));
      v.set(id.oAcc, 32 * C, pack(acc.map((a, c) => (a + (bias[c] as number)) | 0), 32));
    } else {
      v.set(id.oValid, 1, 0n);
    }
    // PE (row, col) after edge t-1 holds what it computed in cycle t-1 for the beat issued row+col cycles earlier.
    const inPe = beats.get(t - 1 - MISMATCH.row - MISMATCH.col);
    v.set(id.vQ, 1, inPe ? 1n : 0n);
    v.set(id.aQ, 8, BigInt(inPe?.[MISMATCH.row] ?? 0));
    const psum = inPe ? inPe.slice(0, MISMATCH.row + 1).reduce((a, x, r) => mac(a, x, (w[r] as number[])[MISMATCH.col] as number), 0) : 0;
    v.set(id.psumQ, 32, BigInt(psum));
  };
  for (let t = WINDOW.first; t < WINDOW.first + WINDOW.cycles; t++) {
    v.time(t * PERIOD);
    if (t === WINDOW.first) {
      v.raw('$dumpvars');
      inputs(t);
      flops(t);
      v.raw('$end');
    } else {
      inputs(t);
    }
    v.time(t * PERIOD + PERIOD / 2); // rising edge t, which ends cycle t
    v.set(id.clk, 1, 1n);
    v.set(id.dutClk, 1, 1n);
    flops(t + 1);
  }
  v.time((WINDOW.first + WINDOW.cycles) * PERIOD);
  v.set(id.clk, 1, 0n);
  return { text: v.text(), expected, actual };
}

function curve(rng: Rng, n: number, from: number, to: number, noise: number): number[] {
  return Array.from({ length: n }, (_, i) => to + (from - to) * Math.exp((-3 * i) / Math.max(1, n - 1)) + noise * (rng.next() - 0.5));
}

function epochs(rng: Rng, n: number, loss0: number, loss1: number, acc0: number, acc1: number): TrainSummary['curves']['float'] {
  const loss = curve(rng, n, loss0, loss1, 0.02);
  const acc = curve(rng, n, acc0, acc1, 0.004);
  const vloss = curve(rng, n, loss0 * 1.05, loss1 * 1.15, 0.03);
  const vacc = curve(rng, n, acc0 - 0.01, acc1 - 0.006, 0.006);
  return loss.map((l, i) => ({
    epoch: i + 1, loss: l, accuracy: Math.min(1, acc[i] as number), valLoss: vloss[i] as number, valAccuracy: Math.min(1, vacc[i] as number),
    seconds: 4 + rng.next(), imagesPerSecond: 12000 + 2000 * rng.next(),
  }));
}

export interface FixturePaths { root: string; reportJson: string; html: string; vcd: string }
export interface FixtureCounts {
  floatEpochs: number; qatEpochs: number; layers: number; classes: number; expected: number; actual: number;
  accuracy: Record<string, number>; peValues: number[]; confusion: number[][]; layerCycles: number[];
}

/** Writes a complete synthetic run under `root` (out/cosim, out/model, out/synth) and returns what it wrote. */
export function writeFixtureRun(root: string, seed: number, opts: { mismatch: boolean } = { mismatch: true }): { paths: FixturePaths; counts: FixtureCounts } {
  const rng = new Rng(seed);
  const cosim = join(root, 'out', 'cosim');
  const modelDir = join(root, 'out', 'model', 'mnist-mlp');
  const synth = join(root, 'out', 'synth');
  for (const d of [cosim, modelDir, synth]) mkdirSync(d, { recursive: true });

  const float = epochs(rng, 8, 0.9, 0.07, 0.82, 0.985);
  const qat = epochs(rng, 4, 0.12, 0.08, 0.975, 0.982);
  const accuracy = { float: 0.9812, ptq: 0.9655, qat: 0.9797, integer: 0.9795, hwsim: 0.9795, rtl: 0.9795 };
  // The trainer's own summary type (checked by its schema when the report loads it).
  const summary: TrainSummary = {
    version: 1, dataset: 'mnist', network: 'mlp', bits: { weight: 8, activation: 8, logits: 32 }, seed, roundingMode: 'double',
    epochs: { float: float.length, qat: qat.length }, hyperparameters: { batchSize: 128 }, images: { train: 60000, test: 10000 },
    curves: { float, qat }, accuracy: { float: accuracy.float, ptq: accuracy.ptq, qat: accuracy.qat, integer: accuracy.integer },
    agreement: { argmax: 0.999, accuracyDelta: 0.0002, target: { maxAccuracyDelta: 0.003, minArgmaxAgreement: 0.995 }, passed: true },
    observers: [{ min: -1, max: 1, frozen: true }], backend: 'wasm', wallSeconds: 52.5,
  };
  writeFileSync(join(modelDir, 'summary.json'), JSON.stringify(summary, null, 1));

  // Per-layer cycles and per-PE utilization from a REAL hw-sim run of a small random int8 model.
  const model = randomModel(rng, {
    inputShape: [10, 10, 2], layers: ['conv2d', 'maxpool2d', 'conv2d', 'dense'], classes: 10, weightBits: 8, activationBits: 8, roundingMode: 'double', maxChannels: 6,
  });
  const images = 3;
  const input = Int8Array.from({ length: images * 200 }, () => rng.int(model.input.qmin, model.input.qmax));
  const stats = runNetwork(model, arrayConfig({ rows: R, cols: C }), input, { collect: false }).stats;
  const onArray = stats.layers.filter((l) => l.onArray);
  const total = stats.total.cycles;
  const peValues = peUtilizationFromStats(stats).values;
  const classes = 10;
  const confusion = Array.from({ length: classes }, (_, t) => Array.from({ length: classes }, (_, p) => (t === p ? 45 + rng.int(0, 8) : rng.next() < 0.15 ? rng.int(1, 3) : 0)));
  const vcd = fixtureVcd(seed);
  const vcdPath = join(cosim, 'mismatch.vcd');
  if (opts.mismatch) writeFileSync(vcdPath, vcd.text);
  const tested = confusion.flat().reduce((a, x) => a + x, 0);
  const lockstepStatus = opts.mismatch ? 'fail' : 'pass';
  const pairs = (n: number): CosimReport['bytes']['pairs'] => ({
    'golden-hwsim': { bytesCompared: n, bytesDiffering: 0 }, 'golden-rtl': { bytesCompared: n, bytesDiffering: 0 }, 'hwsim-rtl': { bytesCompared: n, bytesDiffering: 0 },
  });
  // report.json in the cosim writer's own type, so that a change of its schema shows here at typecheck.
  const report: CosimReport = {
    verdict: opts.mismatch ? 'FAIL' : 'PASS', failedChecks: opts.mismatch ? ['lockstep', 'bytes golden-rtl'] : [],
    checks: [
      { name: 'corner tier', status: 'pass', what: 'quick corner tier on this build', compared: 200, unit: 'cases' },
      { name: 'lockstep', status: lockstepStatus, what: 'RTL vs hw-sim: every output word of every cycle', compared: total * 18, unit: 'words' },
      { name: 'bytes golden-rtl', status: opts.mismatch ? 'not-run' : 'pass', what: 'golden model vs RTL: every output byte of every layer', compared: 4000, unit: 'bytes' },
    ],
    dataset: 'mnist', network: 'mlp', bits: { weights: 8, activations: 8 }, array: { rows: R, cols: C, roundingModes: ['single', 'double', 'ruy'] }, roundingMode: 'double', exportRoundingMode: 'double',
    images: tested, testImages: tested,
    accuracy: { integer: accuracy.integer, hwsim: accuracy.hwsim, rtl: accuracy.rtl },
    bytes: { images: tested, pairs: pairs(4000), perLayer: [{ layer: 'dense_2', type: 'dense', where: 'array', bytesPerImage: 10, pairs: pairs(4000) }], first: null },
    cornerTier: { cases: 200, passed: 200, failed: 0, cycles: 123456, seconds: 2.5, kinds: { corner: 200 }, failures: [] },
    cycles: { total, perLayer: layerRowsFromStats(stats) }, utilization: stats.total.utilization,
    mismatches: opts.mismatch
      ? {
        differingWordsInChunk: 3, chunkCycles: 2048, wordsCompared: total * 18,
        first: {
          layer: 'dense_2', tile: 'k0 n8', cycle: MISMATCH.cycle, where: `o_data_o[${MISMATCH.col}]`, kind: 'port', row: MISMATCH.row, col: MISMATCH.col,
          expected: vcd.expected, actual: vcd.actual, image: 0, programCycle: MISMATCH.cycle, vcdPath: 'mismatch.vcd', vcdFirstCycle: WINDOW.first,
          replayReproduced: true, hwsimTrace: [`cycle ${MISMATCH.cycle}`],
        },
      }
      : { differingWordsInChunk: 0, chunkCycles: 2048, wordsCompared: total * 18, first: null },
    verilator: { version: 'Verilator 5.006', line: 'Verilator 5.006 2023-01-22 rev (Debian 5.006-3)', warnings: { count: 0, byCode: {}, first: [] } },
    wallSeconds: { lockstep: 70.1, total: 73.4 }, modelDir: '../model/mnist-mlp',
    rtl: { config: 'rtl/cosim.json', top: 'systolic_top', build: 'fixture', deep: false, batch: 32, parameters: { Rows: R, Cols: C, AccDepth: 1024, RoundingModes: 7 } },
    peUtilization: { rows: R, cols: C, values: peValues }, confusion: { labels: Array.from({ length: classes }, (_, i) => String(i)), matrix: confusion },
  };
  const reportJson = join(cosim, 'report.json');
  writeFileSync(reportJson, JSON.stringify(report, null, 1));
  // The synthesis report in synth's own type, so that a change of its shape shows here at typecheck.
  const res = (luts: number, flipFlops: number, dsps: number, brams: number): SynthEntry['resources'] =>
    ({ luts, flipFlops, dsps, brams, lutRams: 0, carries: Math.round(luts / 9), cells: { LUT4: luts } });
  const synthReport: SynthReport = {
    tool: 'Yosys 0.55 (synthetic fixture numbers)', top: 'systolic_top', generatedAt: '2026-11-25T00:00:00Z', timeoutSeconds: 600,
    entries: [
      { target: 'generic', rows: 4, cols: 4, accDepth: 16, roundingModes: 7, status: 'ok', seconds: 41.2, resources: res(5210, 1822, 0, 0) },
      { target: 'ice40', rows: 4, cols: 4, accDepth: 16, roundingModes: 7, status: 'ok', seconds: 63.9, resources: res(3954, 1822, 8, 4) },
      { target: 'xilinx', rows: 8, cols: 8, accDepth: 16, roundingModes: 7, status: 'ok', seconds: 120.5, resources: res(14110, 6790, 64, 0.5) },
      { target: 'xilinx', rows: 16, cols: 16, accDepth: 16, roundingModes: 7, status: 'timeout', seconds: 600, message: 'no result within 600 s' },
    ],
  };
  writeFileSync(join(synth, 'report.json'), JSON.stringify(synthReport, null, 1));
  return {
    paths: { root, reportJson, html: join(cosim, 'report.html'), vcd: vcdPath },
    counts: {
      floatEpochs: float.length, qatEpochs: qat.length, layers: onArray.length, classes, expected: vcd.expected, actual: vcd.actual,
      accuracy, peValues, confusion, layerCycles: onArray.map((l) => l.cycles),
    },
  };
}
