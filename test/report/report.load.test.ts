/**
 * The report without a browser: loading report.json and the files it points to, validation messages, what an
 * absent section shows, escaping, the atomic write and the `int8cosim report --report-only` command.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FormatError, UsageError } from '../../quant/errors.ts';
import { loadReportData } from '../../report/input/load.ts';
import { renderReport } from '../../report/render.ts';
import { waveformFor, writeHtmlReport } from '../../report/html-report.ts';
import { writeReport } from '../../report/write.ts';
import type { ReportData } from '../../report/types.ts';
import { run } from '../../cli/report.ts';
import { writeFixtureRun } from './report.fixture.ts';

const MINIMAL = { dataset: 'mnist', network: 'cnn', bits: { weights: 8, activations: 8 }, array: { rows: 8, cols: 8, roundingModes: ['single', 'double', 'ruy'] } };
/** A lockstep that held: report.json's mismatches as cosim writes them. */
const NO_MISMATCH = { differingWordsInChunk: 0, chunkCycles: 2048, wordsCompared: 1000, first: null };

describe('report loading and rendering', () => {
  let dir: string;
  let n = 0;
  beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'int8cosim-report-')); });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function reportFile(o: unknown): string {
    const p = join(dir, `r${n++}.json`);
    writeFileSync(p, JSON.stringify(o));
    return p;
  }

  it('loads a full run: report.json, the summary its modelDir names, out/synth/report.json and the VCD', async () => {
    const { paths, counts } = writeFixtureRun(dir, 5);
    const d = await loadReportData(paths.reportJson);
    assert.equal(d.training?.float.length, counts.floatEpochs);
    assert.equal(d.training?.qat.length, counts.qatEpochs);
    assert.deepEqual(d.accuracy, counts.accuracy, 'float..integer from the summary, hwsim and rtl from report.json');
    assert.deepEqual(d.perLayer?.map((l) => l.cycles), counts.layerCycles, 'the layers that run on the array');
    assert.equal(d.synthesis?.length, 4);
    assert.deepEqual(d.synthesis?.[1], { target: 'ice40', rows: 4, cols: 4, roundingModes: 7, status: 'ok', luts: 3954, ffs: 1822, dsps: 8, brams: 4, seconds: 63.9, extra: { lutRams: 0, carries: 439 } });
    assert.equal(d.mismatch?.actual, counts.actual);
    assert.equal(d.sources?.vcd, paths.vcd);
    assert.deepEqual(d.notes, {});
  });

  it('leaves absent sections absent, with a note naming the file it looked for', async () => {
    const d = await loadReportData(reportFile(MINIMAL));
    for (const k of ['training', 'perLayer', 'peUtilization', 'confusion', 'mismatch', 'synthesis', 'mismatches'] as const) assert.equal(d[k], undefined, k);
    assert.match(d.notes?.synthesis ?? '', /synth[/\\]report\.json; run 'make synth'/);
    const html = renderReport(d);
    assert.equal((html.match(/data-not-run="/g) ?? []).length, 7);
    assert.doesNotMatch(html, /class="mark /, 'no chart mark without data');
    assert.match(html, /data-verdict="unknown"/);
  });

  it('says PASS only when every listed check passed, and names each one that did not', async () => {
    const check = (name: string, status: string) => ({ name, status, what: `${name} compared`, compared: 10, unit: 'bytes' });
    const all = [check('corner tier', 'pass'), check('lockstep', 'pass'), check('bytes golden-rtl', 'pass')];
    const pass = renderReport(await loadReportData(reportFile({ ...MINIMAL, checks: all, mismatches: NO_MISMATCH })));
    assert.match(pass, /data-verdict="pass"[^>]*>PASS \u2014 all 3 checks held</);
    assert.match(pass, /data-check="bytes golden-rtl" data-status="pass"/);
    // The lockstep held, but the golden model disagrees with the RTL and the corner tier did not run: no PASS.
    const fail = renderReport(await loadReportData(reportFile({
      ...MINIMAL, checks: [check('corner tier', 'not-run'), check('lockstep', 'pass'), check('bytes golden-rtl', 'fail')], mismatches: NO_MISMATCH,
    })));
    assert.match(fail, /data-verdict="fail"[^>]*>FAIL \u2014 corner tier \(not run\), bytes golden-rtl</);
    assert.doesNotMatch(fail, /PASS \u2014/);
    assert.match(renderReport(await loadReportData(reportFile({ ...MINIMAL, mismatches: NO_MISMATCH }))), /data-verdict="unknown"/, 'no checks, no PASS');
  });

  it('points at the bad key of a malformed report.json', async () => {
    const layer = { name: 'd', type: 'dense', cycles: 5, macs: 10, utilization: 0.5, fillCycles: 6, drainCycles: 0, stallCycles: 0 };
    const cases: [unknown, RegExp][] = [
      [{ ...MINIMAL, accuracy: { integer: 0.9, hwsim: null, rtl: 97.2 } }, /accuracy\.rtl: expected a number in \[0, 1\], got 97\.2/],
      [{ ...MINIMAL, array: { rows: 8, roundingModes: ['ruy'] } }, /array\.cols: expected an integer >= 1, got nothing/],
      [{ ...MINIMAL, array: { rows: 8, cols: 8, roundingModes: ['nearest'] } }, /array\.roundingModes\[0\]: expected single \| double \| ruy, got "nearest"/],
      [{ ...MINIMAL, peUtilization: { rows: 2, cols: 2, values: [0.5, 0.5, 0.5] } }, /peUtilization\.values: expected 4 values \(rows 2 x cols 2\), got "3 values"/],
      [{ ...MINIMAL, confusion: { labels: ['0', '1'], matrix: [[1, 2], [3]] } }, /confusion\.matrix\[1\]: expected 2 counts/],
      [{ ...MINIMAL, cycles: { total: 10, perLayer: [layer] } }, /cycles\.perLayer\[0\]: expected fill \+ drain \+ stall cycles <= cycles \(5\)/],
      [{ ...MINIMAL, mismatches: { ...NO_MISMATCH, first: { cycle: 3, expected: 1 } } }, /mismatches\.first\.layer: expected a string, got nothing/],
      [{ ...MINIMAL, mismatches: { count: 1 } }, /mismatches\.differingWordsInChunk: expected an integer >= 0, got nothing/],
      [{ ...MINIMAL, checks: [{ name: 'lockstep', status: 'ok', what: 'x', compared: 1, unit: 'words' }] }, /checks\[0\]\.status: expected pass \| fail \| not-run, got "ok"/],
      [{ ...MINIMAL, lockstepSample: { images: 200, integer: 99 } }, /lockstepSample\.integer: expected a number in \[0, 1\], got 99/],
      // Keys other tools spell differently are no longer read as aliases: they are unknown keys.
      [{ ...MINIMAL, roundingMode: 1 }, /roundingMode: expected single \| double \| ruy, got 1/],
      [{ ...MINIMAL, sweep: [] }, /\(top level\): expected only the keys the schema knows, got unknown key sweep/],
      [{ ...MINIMAL, cycles: { total: 10, perLayer: [{ ...layer, fillCycles: 0, fill: 1 }] } }, /cycles\.perLayer\[0\]: expected only the keys the schema knows, got unknown key fill/],
    ];
    for (const [o, msg] of cases) await assert.rejects(loadReportData(reportFile(o)), (e: Error) => e instanceof FormatError && msg.test(e.message), String(msg));
    const notJson = join(dir, 'bad.json');
    writeFileSync(notJson, '{"dataset": ');
    await assert.rejects(loadReportData(notJson), FormatError);
    await assert.rejects(loadReportData(join(dir, 'none.json')), /run 'make cosim' first/);
  });

  it('compares hw-sim with the golden model on the same images when the lockstep ran on fewer than the test set', async () => {
    const accuracy = { float: 0.9852, ptq: 0.9853, qat: 0.9865, integer: 0.9865, hwsim: 0.995, rtl: 0.995 };
    const sampled = await loadReportData(reportFile({ ...MINIMAL, images: 200, testImages: 10000, lockstepSample: { images: 200, integer: 0.995 }, accuracy }));
    assert.deepEqual(sampled.lockstepSample, { images: 200, integer: 0.995 });
    const html = renderReport(sampled, {});
    assert.match(html, /Float, PTQ, QAT and integer: the 10000 test images\. hw-sim and RTL ran on the first 200 of them only/);
    assert.match(html, /vs integer[^<]* on the same 200 images \(99\.50%\)/i);
    // the hw-sim row's difference is taken against the sample (0.00 pp, good), not the whole-set integer (+0.85 pp)
    const row = /<tr>(?:(?!<\/tr>).)*on the same 200 images(?:(?!<\/tr>).)*<\/tr>/s.exec(html)?.[0] ?? '';
    assert.match(row, /class="num good">\+0\.00 pp</, row);
    assert.doesNotMatch(row, /0\.85/);
    const whole = renderReport(await loadReportData(reportFile({ ...MINIMAL, images: 10000, accuracy: { ...accuracy, hwsim: 0.9865, rtl: 0.9865 } })), {});
    assert.doesNotMatch(whole, /on the same/);
    assert.match(whole, /10000 images through the RTL/);
  });

  it('reads the summary its modelDir names with the trainer\'s schema: a null (diverged) loss is NaN, an alias is an error', async () => {
    const { paths } = writeFixtureRun(dir, 7);
    const summaryPath = join(paths.root, 'out', 'model', 'mnist-mlp', 'summary.json');
    const summary = JSON.parse(readFileSync(summaryPath, 'utf8')) as { curves: { float: Record<string, unknown>[] } };
    const epoch0 = summary.curves.float[0] as Record<string, unknown>;
    epoch0.loss = null;
    writeFileSync(summaryPath, JSON.stringify(summary));
    const d = await loadReportData(paths.reportJson);
    assert.ok(Number.isNaN(d.training?.float[0]?.loss), 'a diverged (null) loss is kept as NaN');
    assert.equal(d.training?.float[0]?.valAccuracy, epoch0.valAccuracy);
    epoch0.val_accuracy = epoch0.valAccuracy;
    delete epoch0.valAccuracy;
    writeFileSync(summaryPath, JSON.stringify(summary));
    await assert.rejects(loadReportData(paths.reportJson), (e: Error) => e instanceof FormatError
      && /summary\.json: curves\.float\[0\]: expected only the keys the schema knows, got unknown key val_accuracy/.test(e.message), 'names the file and the key');
  });

  it('draws no waveform, but says why, when the VCD is missing or broken', async () => {
    const { paths } = writeFixtureRun(dir, 6);
    rmSync(paths.vcd);
    const d = await loadReportData(paths.reportJson);
    assert.match(d.notes?.mismatch ?? '', /mismatch\.vcd does not exist/);
    assert.match(renderReport(d, await waveformFor(d)), /data-not-run="waveform"[^>]*><strong>not run<\/strong> \u2014 the VCD window mismatch\.vcd does not exist/);
    writeFileSync(paths.vcd, '$enddefinitions $end\n#0\n');
    const d2 = await loadReportData(paths.reportJson);
    const w = await waveformFor(d2);
    assert.match(w.error ?? '', /no clock/);
  });

  it('renders degenerate sections (one point, empty rows, all zero) without NaN, Infinity or undefined', () => {
    const base = { ...MINIMAL, accuracy: {} };
    const cases: Partial<ReportData>[] = [
      { training: { float: [], qat: [{ epoch: 1, loss: 0.5, accuracy: 0.9 }] } },
      { training: { float: [{ epoch: 1, loss: 0.5, accuracy: 0.9 }, { epoch: 2, loss: Number.NaN, accuracy: 0.1 }], qat: [] } },
      { peUtilization: { rows: 1, cols: 1, values: [0] } },
      { confusion: { labels: ['a'], matrix: [[0]] } },
      { perLayer: [{ name: 'x', type: 'dense', cycles: 0 }] },
      { mismatch: { layer: '', tile: '', cycle: 1, where: '', expected: 1, actual: 2 } },
      { synthesis: [{ target: 't' }] },
    ];
    for (const c of cases) {
      const html = renderReport({ ...base, ...c });
      assert.doesNotMatch(html.replace(/<td class="num">NaN<\/td>/, ''), /NaN|Infinity|undefined/, JSON.stringify(c));
    }
    assert.match(renderReport({ ...base, ...cases.find((c) => c.mismatch !== undefined) }), /data-verdict="fail"/, 'a mismatch without a count still fails');
  });

  it('escapes every name that comes from the files', async () => {
    const d = await loadReportData(reportFile({ ...MINIMAL, network: '<img src=x onerror=alert(1)>', cycles: { total: 1, perLayer: [{ name: '<script>alert(1)</script>', type: 'dense', cycles: 1, macs: 1, utilization: 1, fillCycles: 0, drainCycles: 0, stallCycles: 0 }] } }));
    const html = renderReport(d);
    assert.doesNotMatch(html, /<script|<img/);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  });

  it('writes atomically and turns an unwritable path into a user error', () => {
    const p = join(dir, 'sub', 'report.html');
    writeReport(p, '<p>one</p>');
    writeReport(p, '<p>two</p>');
    assert.equal(readFileSync(p, 'utf8'), '<p>two</p>');
    assert.deepEqual(readdirSync(join(dir, 'sub')), ['report.html'], 'no temporary file left');
    writeFileSync(join(dir, 'file'), '');
    assert.throws(() => writeReport(join(dir, 'file', 'report.html'), 'x'), UsageError);
  });

  it('int8cosim report --report-only rebuilds the page from report.json alone', async () => {
    const { paths } = writeFixtureRun(dir, 8);
    await writeHtmlReport(paths.reportJson, join(dir, 'via-api.html'));
    const out = join(dir, 'page', 'r.html');
    mkdirSync(join(dir, 'page'));
    const log = console.log;
    console.log = () => {};
    try {
      await run(['--report-only', '--in', paths.reportJson, '--out', out]);
    } finally {
      console.log = log;
    }
    const strip = (s: string): string => s.replace(/Generated [^<]*/, '');
    assert.equal(strip(readFileSync(out, 'utf8')), strip(readFileSync(join(dir, 'via-api.html'), 'utf8')));
    assert.ok(existsSync(out));
    await assert.rejects(run(['--bogus']), UsageError);
  });
});
