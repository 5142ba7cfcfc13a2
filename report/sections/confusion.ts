/**
 * The confusion matrix of the RTL's predictions: rows are the true class, columns the predicted one; a cell's
 * colour is its share of the row (the recall of that class), its number the count of images.
 */
import { gridChart } from '../svg/grid-chart.ts';
import { blues, onBlues } from '../svg/color.ts';
import type { ReportData } from '../types.ts';
import { pct } from '../format.ts';
import { figure, notRun, section, table } from './html.ts';

export function confusionSection(d: ReportData): string {
  const sub = 'Predictions of the RTL against the true labels.';
  const cm = d.confusion;
  if (cm === undefined) return section('confusion', 'Confusion matrix (RTL)', sub, notRun('confusion', d.notes?.confusion ?? 'no RTL predictions in report.json'));
  const n = cm.labels.length;
  const at = (r: number, c: number): number => cm.matrix[r]?.[c] ?? 0;
  const rowSum = cm.matrix.map((row) => row.reduce((a, x) => a + x, 0));
  const total = rowSum.reduce((a, x) => a + x, 0);
  const correct = cm.matrix.reduce((a, row, i) => a + (row[i] ?? 0), 0);
  const share = (r: number, c: number): number => ((rowSum[r] ?? 0) > 0 ? at(r, c) / (rowSum[r] as number) : 0);
  const chart = gridChart({
    id: 'confusion', title: 'Confusion matrix of the RTL', rows: n, cols: n, value: at, shade: share, color: blues, textColor: onBlues,
    label: (r, c) => (at(r, c) === 0 ? undefined : String(at(r, c))),
    tooltip: (r, c) => `true ${cm.labels[r]}, predicted ${cm.labels[c]}: ${at(r, c)} images (${pct(share(r, c), 1)} of ${cm.labels[r]})`,
    rowLabels: cm.labels, colLabels: cm.labels, rowTitle: 'true class', colTitle: 'predicted class',
    legend: { lo: '0% of the row', hi: '100% of the row' }, outline: (r, c) => r === c,
  });
  // The classes the RTL confuses most, for the table beside the matrix.
  const worst = cm.matrix.flatMap((row, r) => row.map((x, c) => ({ r, c, x }))).filter((e) => e.r !== e.c && e.x > 0).sort((a, b) => b.x - a.x).slice(0, 6);
  const recall = cm.labels.map((l, i) => [l, rowSum[i] ?? 0, pct(share(i, i), 1)]);
  return section('confusion', 'Confusion matrix (RTL)', `${sub} ${total} images, ${pct(total > 0 ? correct / total : undefined)} correct.`,
    `<div class="row2">${figure('Rows: true class; columns: predicted class; colour: share of the row; outlined: correct.', chart, 'heat')}<div>`,
    '<h3>Most frequent confusions</h3>',
    worst.length > 0 ? table(['true', 'predicted', 'images'], worst.map((e) => [cm.labels[e.r] ?? '', cm.labels[e.c] ?? '', e.x]), [2]) : '<p>None: every image was classified correctly.</p>',
    '<h3>Recall per class</h3>', table(['class', 'images', 'recall'], recall, [1, 2], 'compact'), '</div></div>');
}
