/**
 * hw-sim speed: simulated PE-cycles per second (cycles/s * R * C) of ArraySim.run on a realistic stream: a GEMM
 * with M = 512, K = 4R, N = 4C compiled by hw-sim's own compiler (a full activation stream, double-buffered weight
 * loads overlapping it, parameter loads, one `last` K-tile in four going through the requantizer).
 *
 * The last figure is the cycles/s of ArraySim.run on the kind of stream a cosim's lockstep hands hw-sim: every
 * program of a 28x28 CNN's walk over 8 images at 8x8, one after the other (hw-sim's state carries on).
 *
 * Times are CPU time of this process (process.cpuUsage), so that other jobs on a shared machine slow the figure
 * less than wall time would; wall-time rates are in the details.
 *
 * The Verilated RTL's rate is measured by the harness engineer's bench (bench/harness*.bench.ts) in the same
 * `make bench` run; this file only measures hw-sim. Reference from the issue: Verilator alone runs 1.27M cycles/s at
 * 16x16 = 325M PE-cycles/s, so the target here is 50% of that (162.5M PE-cycles/s) at 16x16.
 */
import { Rng } from '../quant/random.ts';
import { quantizeMultiplier } from '../quant/spec/index.ts';
import { randomModel } from '../quant/format/random-model.ts';
import { ArraySim, arrayConfig, compileGemm, inWords, runNetwork, type ArrayConfig } from '../hw-sim/index.ts';
import type { QuantModel } from '../quant/format/types.ts';
import type { BenchResult, Figure } from './result.ts';

const VERILATOR_PE_CYCLES_16 = 325e6;

function program(n: number): ReturnType<typeof compileGemm> {
  const cfg = arrayConfig({ rows: n, cols: n });
  const rng = new Rng(n);
  const M = 512;
  const K = 4 * n;
  const N = 4 * n;
  const q = quantizeMultiplier(0.0007);
  return compileGemm(cfg, M, K, N, {
    x: Int8Array.from({ length: M * K }, () => rng.int(-128, 127)),
    w: Int8Array.from({ length: K * N }, () => rng.int(-127, 127)),
    bias: Int32Array.from({ length: N }, () => rng.int(-1000, 1000)),
    m0: new Int32Array(N).fill(q.m0),
    shift: new Int32Array(N).fill(q.shift),
    zp: -3,
    min: -128,
    max: 127,
    round: 'single',
  });
}

/** ArraySim.run over a beat stream again and again for 1.5 s (after 0.3 s of warm-up, for the JIT): cycles, CPU and wall seconds. */
function timeRun(cfg: ArrayConfig, beats: Int32Array, nCycles: number): { cycles: number; cpu: number; wall: number } {
  const sim = new ArraySim(cfg);
  const out = new Int32Array(nCycles * sim.outWords);
  sim.reset();
  for (const w0 = performance.now(); performance.now() - w0 < 300; ) sim.run(nCycles, beats, out);
  let cycles = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  while (performance.now() - t0 < 1500) {
    sim.run(nCycles, beats, out);
    cycles += nCycles;
  }
  const wall = (performance.now() - t0) / 1000;
  const cu = process.cpuUsage(c0);
  return { cycles, cpu: (cu.user + cu.system) / 1e6, wall };
}

/** The beats of every program a network walk ran (in order, one stream: the state carries on from program to program, as in the walk). */
function networkStream(model: QuantModel, cfg: ArrayConfig, input: Int8Array): { beats: Int32Array; nCycles: number } {
  const iw = inWords(cfg);
  const parts: Int32Array[] = [];
  runNetwork(model, cfg, input, { collect: false, onProgram: (p) => parts.push(p.beats.slice(0, p.nCycles * iw)) });
  const beats = new Int32Array(parts.reduce((n, b) => n + b.length, 0));
  let o = 0;
  for (const b of parts) {
    beats.set(b, o);
    o += b.length;
  }
  return { beats, nCycles: beats.length / iw };
}

export default async function (): Promise<BenchResult> {
  const figures: Figure[] = [];
  const details: Record<string, unknown> = {};
  for (const n of [8, 16, 32]) {
    const p = program(n);
    const { cycles, cpu, wall } = timeRun(p.cfg, p.beats, p.nCycles);
    const peRate = (cycles * n * n) / cpu;
    figures.push({
      label: `hw-sim ${n}x${n} PE-cycles/s`,
      value: peRate,
      unit: 'PE-cycles/s',
      higherIsBetter: true,
      ...(n === 16 ? { target: VERILATOR_PE_CYCLES_16 / 2, note: '50% of the issue\'s Verilator 325M PE-cycles/s' } : {}),
    });
    figures.push({ label: `hw-sim ${n}x${n} cycles/s`, value: cycles / cpu, unit: 'cycles/s', higherIsBetter: true });
    details[`${n}x${n}`] = { programCycles: p.nCycles, cyclesRun: cycles, cpuSeconds: cpu, wallSeconds: wall, wallPeCyclesPerSecond: (cycles * n * n) / wall };
  }
  // the harness's use: a whole conv/pool/dense network image by image at 8x8 (compile + simulate + gather)
  const model = randomModel(new Rng(3), { inputShape: [28, 28, 1], layers: ['conv2d', 'maxpool2d', 'conv2d', 'maxpool2d', 'dense'], classes: 10, maxChannels: 16 });
  const rng = new Rng(4);
  const images = 100;
  const input = Int8Array.from({ length: images * 784 }, () => rng.int(-128, 127));
  const cfg = arrayConfig({ rows: 8, cols: 8 });
  runNetwork(model, cfg, input.subarray(0, 784), { collect: false }); // warm-up
  const c0 = process.cpuUsage();
  const r = runNetwork(model, cfg, input, { collect: false });
  const cu = process.cpuUsage(c0);
  const cpu = (cu.user + cu.system) / 1e6;
  figures.push({ label: 'runNetwork 8x8 images/s (random 28x28 CNN)', value: images / cpu, unit: 'images/s', higherIsBetter: true, note: `${Math.round(r.stats.cyclesPerImage)} cycles/image` });
  details['network'] = { layers: model.layers.map((l) => l.type), cyclesPerImage: r.stats.cyclesPerImage, images, cpuSeconds: cpu };
  // the stream a cosim's lockstep gives hw-sim: that network's programs for 8 images, ArraySim.run alone
  const stream = networkStream(model, cfg, input.subarray(0, 8 * 784));
  const s = timeRun(cfg, stream.beats, stream.nCycles);
  figures.push({ label: 'hw-sim 8x8 cycles/s (random CNN stream)', value: s.cycles / s.cpu, unit: 'cycles/s', higherIsBetter: true, note: `${stream.nCycles} cycles, 8 images` });
  details['networkStream'] = { programCycles: stream.nCycles, cyclesRun: s.cycles, cpuSeconds: s.cpu, wallSeconds: s.wall };
  return { name: 'hwsim', figures, details };
}
