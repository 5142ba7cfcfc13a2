/**
 * The trainer's benchmark: seconds per epoch, float vs QAT, for both networks (over the full 60k MNIST training
 * set, measured inside the same runs), and the accuracy table on the full 10k test sets: float, PTQ, QAT
 * fake-quant and integer (golden model) for TFC W8A8 / W4A4 / W2A2, CNN W8A8 / W4A8 on MNIST and CNN W8A8 on
 * Fashion-MNIST. It takes 20-40 minutes on a shared 2-core machine: run it under `nice -n 10`.
 * TRAIN_BENCH=tfc-w2a2,cnn-w8a8 (ids as below) runs a subset.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { trainModel, type TrainOptions } from '../model/pipeline.ts';
import { repoRoot } from '../model/paths.ts';
import type { TrainSummary } from '../model/summary.ts';
import type { BenchResult, Figure } from './result.ts';

interface Config {
  id: string;
  opts: Omit<TrainOptions, 'roundingMode' | 'seed'>;
}

/**
 * CNN: the budget of the PyTorch reference (3 float + 2 QAT epochs). TFC: 5 float + 5 QAT epochs, 10 QAT epochs at
 * W2A2 (an epoch costs a fraction of the CNN's; 2-bit QAT needs longer to converge).
 */
export const CONFIGS: Config[] = [
  { id: 'tfc-w8a8', opts: { dataset: 'mnist', network: 'tfc', weightBits: 8, activationBits: 8, floatEpochs: 5, qatEpochs: 5 } },
  { id: 'tfc-w4a4', opts: { dataset: 'mnist', network: 'tfc', weightBits: 4, activationBits: 4, floatEpochs: 5, qatEpochs: 5 } },
  { id: 'tfc-w2a2', opts: { dataset: 'mnist', network: 'tfc', weightBits: 2, activationBits: 2, floatEpochs: 5, qatEpochs: 10 } },
  { id: 'cnn-w8a8', opts: { dataset: 'mnist', network: 'cnn', weightBits: 8, activationBits: 8, floatEpochs: 3, qatEpochs: 2 } },
  { id: 'cnn-w4a8', opts: { dataset: 'mnist', network: 'cnn', weightBits: 4, activationBits: 8, floatEpochs: 3, qatEpochs: 2 } },
  { id: 'cnn-w8a8-fashion', opts: { dataset: 'fashion', network: 'cnn', weightBits: 8, activationBits: 8, floatEpochs: 3, qatEpochs: 2 } },
];

const PYTORCH = { qatEpoch: 10.7, floatEpoch: 6.5 } as const;

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
}

function pct(x: number): string {
  return (x * 100).toFixed(2);
}

export function markdownTable(rows: Array<{ id: string; s: TrainSummary }>): string {
  const head = '| network | dataset | bits | activation ranges / weight clipping | epochs (float + QAT) | float | PTQ | QAT fake-quant | QAT integer | QAT - PTQ (pp) | golden agreement |';
  const sep = '|---|---|---|---|---|---:|---:|---:|---:|---:|---:|';
  const lines = rows.map(({ s }) =>
    `| ${s.network.toUpperCase()} | ${s.dataset === 'mnist' ? 'MNIST' : 'Fashion-MNIST'} | W${s.bits.weight}A${s.bits.activation} | ` +
    `${s.hyperparameters.activationQuant === 'lsq' ? 'learned (LSQ)' : 'min/max'} / ${s.hyperparameters.weightClipping === 'mse' ? 'MSE' : 'max'} | ${s.epochs.float} + ${s.epochs.qat} | ` +
    `${pct(s.accuracy.float)} | ${pct(s.accuracy.ptq)} | ${pct(s.accuracy.qat)} | ${pct(s.accuracy.integer)} | ` +
    `${((s.accuracy.integer - s.accuracy.ptq) * 100).toFixed(2)} | ${pct(s.agreement.argmax)}% |`);
  return [head, sep, ...lines].join('\n');
}

export default async function bench(): Promise<BenchResult> {
  const only = process.env.TRAIN_BENCH?.split(',');
  const configs = CONFIGS.filter((c) => only === undefined || only.includes(c.id));
  const rows: Array<{ id: string; s: TrainSummary }> = [];
  const outDir = join(repoRoot, 'out', 'bench');
  mkdirSync(outDir, { recursive: true });
  for (const c of configs) {
    const t = performance.now();
    const { summary } = await trainModel({ ...c.opts, seed: 1, roundingMode: 'single', validateEachEpoch: false });
    rows.push({ id: c.id, s: summary });
    console.error(`[train bench] ${c.id}: float ${pct(summary.accuracy.float)} PTQ ${pct(summary.accuracy.ptq)} QAT ${pct(summary.accuracy.qat)} int ${pct(summary.accuracy.integer)} (${((performance.now() - t) / 1000).toFixed(0)} s)`);
    // keep partial results: a long run that is stopped still leaves its table
    writeFileSync(join(outDir, 'train-table.md'), `${markdownTable(rows)}\n`);
    writeFileSync(join(outDir, 'train-summaries.json'), JSON.stringify(rows, null, 2));
  }
  const figures: Figure[] = [];
  for (const net of ['tfc', 'cnn']) {
    const r = rows.find((x) => x.s.network === net && x.s.dataset === 'mnist' && x.s.bits.weight === 8 && x.s.bits.activation === 8);
    if (!r) continue;
    const f = mean(r.s.curves.float.map((e) => e.seconds));
    const q = mean(r.s.curves.qat.map((e) => e.seconds));
    figures.push({ label: `${net} float epoch (60k MNIST)`, value: f, unit: 's', higherIsBetter: false, note: net === 'cnn' ? `PyTorch eager: ${PYTORCH.floatEpoch} s` : undefined });
    figures.push({ label: `${net} QAT epoch (60k MNIST)`, value: q, unit: 's', higherIsBetter: false, ...(net === 'cnn' ? { target: 45, note: `PyTorch eager: ${PYTORCH.qatEpoch} s (ratio ${(q / PYTORCH.qatEpoch).toFixed(2)}x)` } : {}) });
    figures.push({ label: `${net} QAT / float epoch time`, value: q / f, unit: 'x', target: 1.3, higherIsBetter: false });
  }
  for (const { id, s } of rows) {
    const a = s.accuracy;
    const w8a8 = s.bits.weight === 8 && s.bits.activation === 8;
    if (w8a8) figures.push({ label: `${id} integer - (float - 0.2 pp)`, value: a.integer * 100, unit: '%', target: (a.float - 0.002) * 100, higherIsBetter: true });
    if (id === 'cnn-w8a8') figures.push({ label: `${id} integer accuracy`, value: a.integer * 100, unit: '%', target: 98.4, higherIsBetter: true, note: 'PyTorch QAT: 98.42%' });
    if (id === 'tfc-w2a2') figures.push({ label: `${id} integer accuracy`, value: a.integer * 100, unit: '%', target: 96.6, higherIsBetter: true, note: 'Brevitas TFC W2A2: 96.6%' });
    if (!w8a8) figures.push({ label: `${id} QAT - PTQ`, value: (a.integer - a.ptq) * 100, unit: 'pp', note: `PTQ ${pct(a.ptq)}%, QAT ${pct(a.integer)}%` });
    figures.push({ label: `${id} golden/fake-quant argmax agreement`, value: s.agreement.argmax * 100, unit: '%', target: 99.5, higherIsBetter: true });
  }
  return { name: 'train', figures, details: { table: markdownTable(rows), summaries: rows } };
}
