/**
 * Renders ReportData to one self-contained HTML page: inline CSS, charts as inline SVG, the mismatch waveform
 * as WaveDrom SVG rendered at build time. The page loads nothing: a Content-Security-Policy forbids every
 * fetch, so it works from file:// and offline.
 */
import { accuracySection } from './sections/accuracy.ts';
import { confusionSection } from './sections/confusion.ts';
import { el, esc, text } from './svg/svg.ts';
import { mismatchSection, type WaveformResult } from './sections/mismatch.ts';
import { performanceSection } from './sections/performance.ts';
import { summaryHeader } from './sections/summary.ts';
import { synthesisSection } from './sections/synthesis.ts';
import { trainingSection } from './sections/training.ts';
import { STYLE } from './style.ts';
import type { ReportData } from './types.ts';

export interface RenderOptions extends WaveformResult {
  /** Shown in the header; default: now, in UTC. */
  generatedAt?: string;
}

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/** In-page links to the sections, each marked with whether it has data (a person sees at once what ran). */
function nav(d: ReportData, failed: boolean): string {
  const has = (x: unknown): boolean => x !== undefined && !(Array.isArray(x) && x.length === 0);
  const items: [string, string, string][] = [
    ['mismatch', failed ? 'First mismatch' : 'Mismatches', failed ? 'fail' : d.mismatches?.differingWordsInChunk === 0 ? 'pass' : 'none'],
    ['training', 'Training', has(d.training) ? 'ok' : 'none'],
    ['accuracy', 'Accuracy', Object.keys(d.accuracy).length > 0 ? 'ok' : 'none'],
    ['performance', 'Performance', has(d.perLayer) || has(d.peUtilization) ? 'ok' : 'none'],
    ['confusion', 'Confusion', has(d.confusion) ? 'ok' : 'none'],
    ['synthesis', 'Synthesis', has(d.synthesis) ? 'ok' : 'none'],
  ];
  const ordered = failed ? items : [...items.slice(1, 5), items[0] as [string, string, string], ...items.slice(5)];
  return el('nav', { class: 'toc' }, ...ordered.map(([id, label, cls]) =>
    el('a', { href: `#${id}`, class: cls, title: cls === 'none' ? 'not run' : undefined }, esc(label))));
}

function footer(d: ReportData): string {
  const src = d.sources ?? {};
  const items = [['report', src.report], ['training summary', src.summary], ['synthesis', src.synth], ['VCD window', src.vcd]]
    .filter((x): x is [string, string] => x[1] !== undefined)
    .map(([k, v]) => `${esc(k)}: <code>${esc(v)}</code>`);
  return el('footer', {}, items.length > 0 ? `Sources \u2014 ${items.join(' \u00b7 ')}. ` : '', 'Rebuild this page from report.json with ',
    text('code', {}, 'int8cosim report --report-only'), '.');
}

export function renderReport(data: ReportData, opts: RenderOptions = {}): string {
  const generatedAt = opts.generatedAt ?? `${new Date().toISOString().replace('T', ' ').slice(0, 19)} UTC`;
  const title = `int8cosim report \u2014 ${data.dataset} ${data.network} w${data.bits.weights}a${data.bits.activations} ${data.array.rows}\u00d7${data.array.cols}`;
  // A failure is what the reader opened the page for: it goes first. Otherwise the flow's order.
  const failed = data.mismatch !== undefined || (data.mismatches?.differingWordsInChunk ?? 0) > 0;
  const mismatch = mismatchSection(data, opts);
  const body = [
    summaryHeader(data, generatedAt),
    nav(data, failed),
    failed ? mismatch : '',
    trainingSection(data),
    accuracySection(data),
    performanceSection(data),
    confusionSection(data),
    failed ? '' : mismatch,
    synthesisSection(data),
    footer(data),
  ].join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}
