/**
 * Training speed, float vs QAT, for both networks, measured in interleaved blocks of 100 mini-batches (batch 64)
 * so that a shared machine's load hits both modes alike; seconds per epoch are extrapolated to the 938 steps of a
 * full 60k-image MNIST epoch. QAT is timed in its two regimes: early (BatchNorm on batch statistics, observers
 * updating: the most expensive) and late (BatchNorm folded with frozen statistics, observers frozen); a QAT phase
 * spends about half its steps in each with the default freeze points, so the QAT epoch is their mean.
 * Epoch times are wall seconds (the 45 s target is a wall-clock time on this machine). The QAT / float ratio is taken
 * in CPU seconds of this process (process.cpuUsage), so that other jobs on a shared machine count against neither
 * mode; the wall-clock ratio is kept beside it.
 * The peer (bench/peers/torch_peer.py, Debian's python3-torch) trains the same networks on the same data, batch and
 * thread count in the same run, in turn with ours: after each of our blocks of float and QAT steps, a block of as
 * many of its own, so that the machine's swings reach both sides of a ratio alike. Each epoch figure's ratio to it
 * is ours / PyTorch's (issue 17's targets: CNN <= 1.5x, TFC <= 1.0x). tfjs's WASM backend runs one thread in Node,
 * so the peer runs one too.
 */
import { loadavg } from 'node:os';
import { initBackend } from '../model/backend/backend.ts';
import { loadDataset } from '../model/data/dataset.ts';
import { Network } from '../model/net/network.ts';
import { networkSpec } from '../model/net/spec.ts';
import { calibrate, newQatState } from '../model/train/calibrate.ts';
import { trainPhase } from '../model/train/trainer.ts';
import { peerAbsent, peerTrain, type PeerTrain } from './peers/pytorch.ts';
import type { BenchResult, Figure } from './result.ts';

const STEPS = 100;
const REPEATS = 3;
const EPOCH_STEPS = Math.ceil(60000 / 64);
const THREADS = 1;
/** Issue 17's targets, ours / PyTorch's epoch time. */
const PEER_TARGET = { cnn: 1.5, tfc: 1.0 } as const;

export default async function bench(): Promise<BenchResult> {
  const backend = await initBackend();
  const data = loadDataset('mnist');
  const figures: Figure[] = [];
  const details: Record<string, unknown> = { backend, loadBefore: loadavg() };
  const absent = await peerAbsent();
  if (absent !== undefined) console.error(absent);
  details.peer = absent ?? `PyTorch, ${THREADS} thread, same data and batch, a block of ${STEPS} steps after each of ours`;
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
    const peerRuns: { float: PeerTrain[]; qat: PeerTrain[] } = { float: [], qat: [] };
    for (let r = 0; r < REPEATS; r++) {
      timed('float', () => trainPhase(net, data.train, { ...base, phase: 'float' }));
      for (const o of q.observers) o.frozen = false;
      q.bnFrozen = false;
      timed('early', () => trainPhase(net, data.train, { ...base, phase: 'qat', qat: q }));
      for (const o of q.observers) o.freeze();
      q.bnFrozen = true;
      timed('late', () => trainPhase(net, data.train, { ...base, phase: 'qat', qat: q }));
      if (absent === undefined) {
        for (const mode of ['float', 'qat'] as const) peerRuns[mode].push(await peerTrain({ network: name, mode, steps: STEPS, batch: 64, threads: THREADS }));
      }
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
    const peer = absent === undefined ? peerEpochs(peerRuns) : undefined;
    if (peer !== undefined) details[`${name}Peer`] = peer;
    // ours / PyTorch's in CPU seconds of each process (one thread each; a busy machine slows both walls unevenly)
    const cpuEpoch = { float: perEpoch(t.float), qat: (perEpoch(t.early) + perEpoch(t.late)) / 2 };
    const peerNote = (k: 'float' | 'qat'): string =>
      peer === undefined ? 'no PyTorch peer' : `PyTorch ${peer.wall[k].toFixed(1)} s wall, ${peer.cpu[k].toFixed(1)} s CPU; ours ${cpuEpoch[k].toFixed(1)} s CPU`;
    figures.push({ label: `${name} float epoch (60k MNIST, batch 64)`, value: f, unit: 's', higherIsBetter: false, note: peerNote('float') });
    figures.push({ label: `${name} QAT epoch (60k MNIST, batch 64)`, value: qat, unit: 's', higherIsBetter: false, note: `early ${early.toFixed(1)} s, late ${late.toFixed(1)} s; ${peerNote('qat')}` });
    if (peer !== undefined) {
      for (const k of ['float', 'qat'] as const) {
        figures.push({
          label: `${name} ${k === 'qat' ? 'QAT' : 'float'} epoch, ours / PyTorch (CPU s)`, value: cpuEpoch[k] / peer.cpu[k], unit: 'x', target: PEER_TARGET[name], higherIsBetter: false,
          note: `wall clock ${((k === 'qat' ? qat : f) / peer.wall[k]).toFixed(2)}x`,
        });
      }
    }
    figures.push({ label: `${name} QAT / float epoch time (CPU seconds)`, value: cpuRatio, unit: 'x', target: 1.3, higherIsBetter: false, note: `wall clock: ${wallRatio.toFixed(2)}x` });
  }
  details.loadAfter = loadavg();
  const load = (details.loadAfter as number[])[0]!;
  figures.push({ label: 'machine load average (1 min) at the end', value: load, unit: '', note: '2 cores; absolute times scale with it, ratios much less' });
  return { name: 'train-speed', figures, details };
}

/** PyTorch's float and QAT epoch (wall and CPU seconds, extrapolated from its blocks of steps as ours are). */
function peerEpochs(runs: { float: PeerTrain[]; qat: PeerTrain[] }): { wall: { float: number; qat: number }; cpu: { float: number; qat: number }; engine: string | null; torch: string } {
  const mean = (xs: PeerTrain[], f: (p: PeerTrain) => number): number => (xs.reduce((a, p) => a + f(p), 0) / xs.length) * EPOCH_STEPS;
  const last = runs.qat[runs.qat.length - 1] as PeerTrain;
  return {
    wall: { float: mean(runs.float, (p) => p.secondsPerStep), qat: mean(runs.qat, (p) => p.secondsPerStep) },
    cpu: { float: mean(runs.float, (p) => p.cpuSecondsPerStep), qat: mean(runs.qat, (p) => p.cpuSecondsPerStep) },
    engine: last.engine,
    torch: last.torch,
  };
}
