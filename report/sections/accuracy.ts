/**
 * Accuracy of every stage of the flow: what quantization cost, and whether the integer stages agree.
 */
import { barChart } from '../svg/bar-chart.ts';
import { STAGE_COLORS, STAGE_LABELS } from '../svg/color.ts';
import { ACCURACY_STAGES, type AccuracySet, type AccuracyStage, type ReportData } from '../types.ts';
import { pct, pp } from '../format.ts';
import { figure, notRun, section, table, type Cell } from './html.ts';

/** What each stage is compared with, and what the difference means. */
const COMPARE: Record<AccuracyStage, { ref?: AccuracyStage; meaning: string }> = {
  float: { meaning: 'the float model (the reference)' },
  ptq: { ref: 'float', meaning: 'post-training quantization: cost of quantizing without retraining' },
  qat: { ref: 'float', meaning: 'quantization-aware training: cost of quantization after fine-tuning' },
  integer: { ref: 'qat', meaning: 'integer golden model of the exported int8 model vs its fake-quant twin' },
  hwsim: { ref: 'integer', meaning: 'cycle-accurate array simulator: must equal the golden model' },
  rtl: { ref: 'hwsim', meaning: 'the RTL under Verilator: must equal hw-sim' },
};

/** A y axis that starts a little below the lowest value so that differences of a few tenths show. */
function zoom(values: number[]): number {
  if (values.length === 0) return 0;
  const lo = Math.min(...values);
  return Math.max(0, Math.floor((lo - 0.02) * 50) / 50);
}

function accuracyChart(a: AccuracySet): string {
  const values = ACCURACY_STAGES.map((s) => a[s]).filter((v): v is number => v !== undefined);
  return barChart({
    id: 'accuracy', title: 'Test accuracy by stage', yLabel: 'test accuracy', valueLabels: true, yFrom: zoom(values), yTo: 1,
    yFormat: (v) => pct(v, 1),
    groups: ACCURACY_STAGES.map((s) => ({ label: STAGE_LABELS[s], bars: [{ name: STAGE_LABELS[s], value: a[s], color: STAGE_COLORS[s] }] })),
  });
}

function deltaCell(x: number | undefined, ref: number | undefined, mustEqual: boolean): Cell {
  const t = pp(x, ref);
  if (t === '') return { text: '' };
  const bad = mustEqual && x !== ref;
  return { text: t, cls: bad ? 'bad' : mustEqual ? 'good' : undefined };
}

function accuracyTable(a: AccuracySet, sample: ReportData['lockstepSample']): string {
  const rows = ACCURACY_STAGES.map((s) => {
    const c = COMPARE[s];
    // hw-sim against the golden model on the same (fewer) images when the lockstep ran on a sample
    const onSample = s === 'hwsim' && sample !== undefined;
    const ref = onSample ? sample.integer : c.ref === undefined ? undefined : a[c.ref];
    const mustEqual = s === 'hwsim' || s === 'rtl';
    return [
      STAGE_LABELS[s],
      { text: pct(a[s]), cls: a[s] === undefined ? 'muted' : undefined },
      c.ref === undefined ? '' : onSample ? `vs ${STAGE_LABELS.integer} on the same ${sample.images} images (${pct(sample.integer)})` : `vs ${STAGE_LABELS[c.ref]}`,
      deltaCell(a[s], ref, mustEqual),
      c.meaning,
    ];
  });
  return table(['stage', 'accuracy', 'compared with', 'difference', 'what it measures'], rows, [1, 3]);
}

function subtitle(d: ReportData): string {
  const exact = 'hw-sim and RTL must match the integer model exactly.';
  const s = d.lockstepSample;
  if (s !== undefined) {
    const of = d.testImages === undefined ? 'the test set' : `the ${d.testImages} test images`;
    return `Float, PTQ, QAT and integer: ${of}. hw-sim and RTL ran on the first ${s.images} of them only, so they are compared with the integer model on those same images; ${exact}`;
  }
  return `Test accuracy of every stage${d.images === undefined ? '' : ` (${d.images} images through the RTL)`}; ${exact}`;
}

export function accuracySection(d: ReportData): string {
  const sub = subtitle(d);
  const a = d.accuracy;
  const any = ACCURACY_STAGES.some((s) => a[s] !== undefined);
  const main = any
    ? `<div class="row2">${figure('Accuracy per stage; a stage that did not run has no bar.', accuracyChart(a))}<div>${accuracyTable(a, d.lockstepSample)}</div></div>`
    : notRun('accuracy', d.notes?.accuracy);
  return section('accuracy', 'Accuracy', sub, main);
}
