/**
 * Training speed, float vs QAT, for both networks, measured in interleaved blocks of 100 mini-batches (batch 64)
 * so that a shared machine's load hits both modes alike; seconds per epoch are extrapolated to the 938 steps of a
 * full 60k-image MNIST epoch. QAT is timed in its two regimes: early (BatchNorm on batch statistics, observers
 * updating: the most expensive) and late (BatchNorm folded with frozen statistics, observers frozen); a QAT phase
 * spends about half its steps in each with the default freeze points, so the QAT epoch is their mean.
 * Epoch times are wall seconds (the 45 s target is a wall-clock time on this machine). The QAT / float ratio is taken
 * in CPU seconds of this process (process.cpuUsage), so that other jobs on a shared machine count against neither
 * mode; the wall-clock ratio is kept beside it.
 */
import { loadavg } from 'node:os';
import { initBackend } from '../model/backend/backend.ts';
import { loadDataset } from '../model/data/dataset.ts';
import { Network } from '../model/net/network.ts';
import { networkSpec } from '../model/net/spec.ts';
import { calibrate, newQatState } from '../model/train/calibrate.ts';
import { trainPhase } from '../model/train/trainer.ts';
import type { BenchResult, Figure } from './result.ts';

const STEPS = 100;
const REPEATS = 3;
const EPOCH_STEPS = Math.ceil(60000 / 64);
const PYTORCH = { qatEpoch: 10.7, floatEpoch: 6.5 } as const;

export default async function bench(): Promise<BenchResult> {
  const backend = await initBackend();
  const data = loadDataset('mnist');
  const figures: Figure[] = [];
  const details: Record<string, unknown> = { backend, loadBefore: loadavg() };
  for (const name of ['tfc', 'cnn'] as const) {
    const net = new Network(networkSpec(name), 1);
    const base = { batchSize: 64, learningRate: 1e-3, seed: 1, epochs: 1, maxStepsPerEpoch: STEPS };
    trainPhase(net, data.train, { ...base, phase: 'float', maxStepsPerEpoch: 30 }); // warm-up (JIT, kernels)
    const q = newQatState(net, 8, 8);
    calibrate(net, data.train, q, 512, 1);
    const t = { float: 0, early: 0, late: 0 };
    const wall = { float: 0, early: 0, late: 0 };
    const timed = (k: keyof typeof t, f: () => ReturnType<typeof trainPhase>): void => {
      const c0 = process.cpuUsage();
      wall[k] += f()[0]!.seconds;
      const c = process.cpuUsage(c0);
      t[k] += (c.user + c.system) / 1e6;
    };
    for (let r = 0; r < REPEATS; r++) {
      timed('float', () => trainPhase(net, data.train, { ...base, phase: 'float' }));
      for (const o of q.observers) o.frozen = false;
      q.bnFrozen = false;
      timed('early', () => trainPhase(net, data.train, { ...base, phase: 'qat', qat: q }));
      for (const o of q.observers) o.freeze();
      q.bnFrozen = true;
      timed('late', () => trainPhase(net, data.train, { ...base, phase: 'qat', qat: q }));
    }
    const perEpoch = (s: number): number => (s / (REPEATS * STEPS)) * EPOCH_STEPS;
    // epochs in wall seconds (what the 45 s target means); the QAT / float ratio in CPU seconds
    const f = perEpoch(wall.float);
    const early = perEpoch(wall.early);
    const late = perEpoch(wall.late);
    const qat = (early + late) / 2;
    const cpuRatio = (t.early + t.late) / 2 / t.float;
    const wallRatio = qat / f;
    net.dispose();
    details[name] = { floatEpoch: f, qatEarlyEpoch: early, qatLateEpoch: late, qatEpoch: qat, qatOverFloatWall: wallRatio, cpuSeconds: { ...t, qatOverFloat: cpuRatio } };
    figures.push({ label: `${name} float epoch (60k MNIST, batch 64)`, value: f, unit: 's', higherIsBetter: false, note: name === 'cnn' ? `PyTorch eager ${PYTORCH.floatEpoch} s` : undefined });
    figures.push({
      label: `${name} QAT epoch (60k MNIST, batch 64)`, value: qat, unit: 's', higherIsBetter: false,
      ...(name === 'cnn' ? { target: 45 } : {}),
      note: `early ${early.toFixed(1)} s, late ${late.toFixed(1)} s${name === 'cnn' ? `; PyTorch eager ${PYTORCH.qatEpoch} s (${(qat / PYTORCH.qatEpoch).toFixed(1)}x)` : ''}`,
    });
    figures.push({ label: `${name} QAT / float epoch time (CPU seconds)`, value: cpuRatio, unit: 'x', target: 1.3, higherIsBetter: false, note: `wall clock: ${wallRatio.toFixed(2)}x` });
  }
  details.loadAfter = loadavg();
  const load = (details.loadAfter as number[])[0]!;
  figures.push({ label: 'machine load average (1 min) at the end', value: load, unit: '', note: '2 cores; absolute times scale with it, ratios much less' });
  return { name: 'train-speed', figures, details };
}
