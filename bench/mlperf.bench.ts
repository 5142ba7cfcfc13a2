/**
 * The MLPerf Tiny models through every engine, side by side in one run: images per second of the golden model,
 * of hw-sim (8x8 and 16x16), of hw-sim and the Verilated RTL in lockstep, and of TFLite's own runtime
 * (tfjs-tflite-node, one thread), on the same seeded int8 inputs, with every engine's output bytes compared
 * with the golden model's (a difference fails the bench). Every engine runs the models in the 'tflite-runtime'
 * arithmetic: the array's requantizer takes each layer's rounding from its configuration command (ruy for
 * CONV_2D and FULLY_CONNECTED, double for DEPTHWISE_CONV_2D).
 * Rates are wall-clock (the machine is shared: compare the engines within one run, not across runs).
 */
import { buildRtl } from '../harness/build/buildRtl.ts';
import { loadRtlConfig } from '../harness/config/rtlConfig.ts';
import { Lockstep } from '../harness/lockstep/lockstep.ts';
import { runNetworkLockstep } from '../harness/network/runNetworkLockstep.ts';
import { openRtlSim } from '../harness/sim/verilatedSim.ts';
import { arrayConfig } from '../hw-sim/contract/index.ts';
import { HwSimExecutor } from '../hw-sim/network/hwsim-executor.ts';
import { runNetworkOn } from '../hw-sim/network/walk-network.ts';
import { importTflite } from '../model/tflite/import-tflite.ts';
import { mlperfTinyModel } from '../model/tflite/fetch-models.ts';
import { randomInputs } from '../model/tflite/probe-inputs.ts';
import { openTfliteRuntime } from '../model/tflite/runtime.ts';
import { shapeSize } from '../quant/format/shapes.ts';
import { GoldenModel } from '../quant/golden/run.ts';
import type { BenchResult, Figure } from './result.ts';

const IMAGES = Number(process.env.BENCH_MLPERF_IMAGES ?? 20);
const LOCKSTEP_IMAGES = Number(process.env.BENCH_MLPERF_LOCKSTEP_IMAGES ?? 4);

function same(a: Int8Array, b: Int8Array, what: string): void {
  const i = a.findIndex((v, j) => v !== b[j]);
  if (a.length !== b.length || i >= 0) throw new Error(`bench mlperf: ${what} differs from the golden model at output ${i}: ${a[i]} vs ${b[i]}`);
}

async function timed<T>(f: () => T | Promise<T>): Promise<{ value: T; seconds: number }> {
  const t0 = performance.now();
  const value = await f();
  return { value, seconds: (performance.now() - t0) / 1000 };
}

export default async function bench(): Promise<BenchResult> {
  const figures: Figure[] = [];
  const details: Record<string, unknown> = {};
  const config = loadRtlConfig();
  for (const name of ['resnet8', 'kws', 'ad01']) {
    const path = await mlperfTinyModel(name);
    const runtimeModel = importTflite(path);
    const size = shapeSize(runtimeModel.input.shape);
    const codes = new Int8Array(IMAGES * size);
    randomInputs(size, IMAGES, 17).forEach((p, i) => codes.set(p.codes, i * size));

    const runtime = await openTfliteRuntime(path);
    const rt = await timed(() => runtime.run(codes, IMAGES));
    runtime.close();
    const golden = new GoldenModel(runtimeModel);
    golden.run(codes.subarray(0, size));
    const g = await timed(() => golden.run(codes, { batch: IMAGES }).output);
    same(g.value, rt.value, `${name}: TFLite's runtime`);
    const reference = g.value;
    figures.push(
      { label: `${name} TFLite runtime (1 thread)`, value: IMAGES / rt.seconds, unit: 'images/s', higherIsBetter: true },
      { label: `${name} golden model`, value: IMAGES / g.seconds, unit: 'images/s', higherIsBetter: true, note: `${(rt.seconds / g.seconds).toFixed(2)}x the runtime` },
    );
    for (const n of [8, 16]) {
      const cfg = arrayConfig({ rows: n, cols: n, accDepth: 1024 });
      const hw = await timed(() => runNetworkOn(runtimeModel, new HwSimExecutor(cfg), codes, { batch: IMAGES }));
      same(hw.value.output, reference, `${name} ${n}x${n}: hw-sim`);
      const build = await buildRtl({ config, parameters: { Rows: n, Cols: n, AccDepth: 1024 }, log: (l) => console.error(`  [${n}x${n}] ${l}`) });
      const rtl = openRtlSim(build);
      const lock = await timed(() => runNetworkLockstep(runtimeModel, new Lockstep(rtl), codes.subarray(0, LOCKSTEP_IMAGES * size), { batch: LOCKSTEP_IMAGES }));
      rtl.close();
      if (lock.value.mismatch !== undefined) throw new Error(`bench mlperf: ${name} ${n}x${n}: the RTL and hw-sim differ at image ${lock.value.mismatch.image}`);
      const classes = runtimeModel.classes;
      same(lock.value.outputs, reference.subarray(0, LOCKSTEP_IMAGES * classes), `${name} ${n}x${n}: the RTL`);
      const cyclesPerImage = hw.value.cycles / IMAGES;
      figures.push(
        { label: `${name} ${n}x${n} hw-sim`, value: IMAGES / hw.seconds, unit: 'images/s', higherIsBetter: true, note: `${Math.round(cyclesPerImage)} cycles an image, utilization ${(hw.value.stats.total.utilization * 100).toFixed(1)}%` },
        { label: `${name} ${n}x${n} hw-sim + RTL lockstep`, value: LOCKSTEP_IMAGES / lock.seconds, unit: 'images/s', higherIsBetter: true, note: `${(lock.value.cycles / lock.seconds / 1e6).toFixed(2)}M cycles/s` },
      );
      details[`${name} ${n}x${n}`] = { cyclesPerImage, layers: hw.value.stats.layers.map((s) => ({ layer: s.layer, type: s.type, onArray: s.onArray, cycles: s.cycles / IMAGES, utilization: s.utilization })) };
    }
  }
  return { name: 'mlperf', figures, details };
}
