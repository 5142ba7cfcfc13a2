/**
 * Training curves: loss and accuracy per epoch, float then QAT on one epoch axis, validation dashed.
 */
import { lineChart, type Series } from '../svg/line-chart.ts';
import { STAGE_COLORS } from '../svg/color.ts';
import type { EpochRow, ReportData } from '../types.ts';
import { num, pct, seconds } from '../format.ts';
import { figure, notRun, section, table } from './html.ts';

type Pick = (r: EpochRow) => number | undefined;

function series(data: { float: EpochRow[]; qat: EpochRow[] }, train: Pick, val: Pick, valName: string): Series[] {
  const F = data.float.length;
  const pts = (rows: EpochRow[], off: number, f: Pick): { x: number; y: number }[] =>
    rows.flatMap((r, i) => { const y = f(r); return y === undefined || !Number.isFinite(y) ? [] : [{ x: off + i + 1, y }]; });
  return [
    { name: 'float', color: STAGE_COLORS.float, points: pts(data.float, 0, train) },
    { name: `float ${valName}`, color: STAGE_COLORS.float, points: pts(data.float, 0, val), dashed: true },
    { name: 'QAT', color: STAGE_COLORS.qat, points: pts(data.qat, F, train) },
    { name: `QAT ${valName}`, color: STAGE_COLORS.qat, points: pts(data.qat, F, val), dashed: true },
  ].filter((s) => s.points.length > 0);
}

function phaseRow(name: string, rows: EpochRow[]): (string | number)[] {
  const last = rows[rows.length - 1];
  if (last === undefined) return [name, 0, '\u2014', 'not run', '\u2014', '\u2014'];
  const secs = rows.every((r) => r.seconds !== undefined) ? rows.reduce((a, r) => a + (r.seconds ?? 0), 0) : undefined;
  const ips = rows.filter((r) => r.imagesPerSecond !== undefined);
  const meanIps = ips.length > 0 ? ips.reduce((a, r) => a + (r.imagesPerSecond ?? 0), 0) / ips.length : undefined;
  const acc = last.valAccuracy === undefined ? pct(last.accuracy) : `${pct(last.accuracy)} (val ${pct(last.valAccuracy)})`;
  return [name, rows.length, num(last.loss, 4), acc, seconds(secs), meanIps === undefined ? '\u2014' : num(meanIps, 4)];
}

export function trainingSection(d: ReportData): string {
  const t = d.training;
  const sub = 'Loss and accuracy per epoch; QAT fine-tunes the float model with fake-quantized weights and activations.';
  if (t === undefined || (t.float.length === 0 && t.qat.length === 0)) return section('training', 'Training', sub, notRun('training', d.notes?.training));
  const vlines = t.float.length > 0 && t.qat.length > 0 ? [{ x: t.float.length + 0.5, label: 'QAT starts' }] : [];
  const loss = lineChart({ id: 'training-loss', title: 'Loss per epoch', xLabel: 'epoch', yLabel: 'loss', series: series(t, (r) => r.loss, (r) => r.valLoss, 'val'), vlines });
  const acc = lineChart({
    id: 'training-accuracy', title: 'Accuracy per epoch', xLabel: 'epoch', yLabel: 'accuracy', yClamp: [0, 1],
    series: series(t, (r) => r.accuracy, (r) => r.valAccuracy, 'val'), yFormat: (v) => pct(v, 1), vlines,
  });
  return section('training', 'Training', sub,
    '<div class="row2">', figure('Loss (solid: training set; dashed: validation).', loss), figure('Accuracy (solid: training set; dashed: validation).', acc), '</div>',
    table(['phase', 'epochs', 'final loss', 'final accuracy', 'time', 'images/s'], [phaseRow('float', t.float), phaseRow('QAT', t.qat)], [1, 2, 3, 4, 5]));
}
