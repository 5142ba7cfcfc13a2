/**
 * The HTML report in a real browser: headless Chromium (Debian's package) driven by playwright-core opens the
 * page from file://, and the test checks that nothing errs or loads, that every chart drew the marks its data
 * asks for at the right places, and saves a screenshot to out/report/screenshot.png. The fixture's numbers are
 * synthetic (see report.fixture.ts): this checks rendering, not accuracy.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { writeHtmlReport } from '../../report/html-report.ts';
import { C, DRAWN_LANES, MISMATCH, R, writeFixtureRun, type FixtureCounts } from './report.fixture.ts';

const CHROMIUM = '/usr/bin/chromium';
const SEED = 20261125;
const SCREENSHOT = join('out', 'report', 'screenshot.png');

interface Box { x: number; y: number; w: number; h: number }
/** The few DOM members the page-side callbacks use (the project's TypeScript has no DOM library). */
interface El { attributes: ArrayLike<{ name: string; value: string }>; textContent: string | null; getBoundingClientRect(): { x: number; y: number; width: number; height: number } }

async function open(browser: Browser, html: string, errors: string[], requests: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
  const self = pathToFileURL(html).href;
  page.on('request', (r) => { if (r.url() !== self) requests.push(r.url()); });
  await page.goto(self, { waitUntil: 'load' });
  return page;
}

/** Attributes and on-screen boxes of the elements matching `sel`. */
async function marks(page: Page, sel: string): Promise<{ box: Box; data: Record<string, string> }[]> {
  return page.$$eval(sel, (els) => (els as unknown as El[]).map((e) => {
    const r = e.getBoundingClientRect();
    const data: Record<string, string> = {};
    for (const a of Array.from(e.attributes)) data[a.name] = a.value;
    const w = globalThis as unknown as { scrollX: number; scrollY: number };
    return { box: { x: r.x + w.scrollX, y: r.y + w.scrollY, w: r.width, h: r.height }, data };
  }));
}

describe('report in headless Chromium', function () {
  this.timeout(60_000);
  let root: string;
  let browser: Browser;
  let page: Page;
  let counts: FixtureCounts;
  const errors: string[] = [];
  const requests: string[] = [];

  before(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: apt-get install -y chromium`);
    root = mkdtempSync(join(tmpdir(), 'int8cosim-report-'));
    const run = writeFixtureRun(root, SEED);
    counts = run.counts;
    await writeHtmlReport(run.paths.reportJson, run.paths.html);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync'], // playwright gives each launch a fresh temporary profile
    });
    page = await open(browser, run.paths.html, errors, requests);
  });

  after(async () => {
    await browser?.close();
    if (root !== undefined) rmSync(root, { recursive: true, force: true });
  });

  it('opens from file:// with no console error and no request beyond the page', async () => {
    assert.deepEqual(errors, [], `seed ${SEED}`);
    assert.deepEqual(requests, []);
    const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
    assert.match(csp ?? '', /default-src 'none'/);
    assert.equal(await page.locator('script, link[rel="stylesheet"], img[src^="http"], iframe').count(), 0);
  });

  it('fills every section with data (nothing says "not run") and every chart has a visible size', async () => {
    assert.deepEqual(await page.$$eval('[data-not-run]', (els) => els.map((e) => e.getAttribute('data-not-run'))), []);
    const charts = await marks(page, '[data-chart]');
    assert.deepEqual(charts.map((c) => c.data['data-chart']).sort(),
      ['accuracy', 'array-map', 'confusion', 'layer-cycles', 'pe-heatmap', 'training-accuracy', 'training-loss', 'waveform']);
    for (const c of charts) assert.ok(c.box.w > 150 && c.box.h > 80, `${c.data['data-chart']} is ${c.box.w}x${c.box.h}`);
    assert.equal(await page.getAttribute('[data-verdict]', 'data-verdict'), 'fail');
    const links = await page.$$eval('nav.toc a', (els) => els.map((a) => [a.getAttribute('href'), a.getAttribute('class')]));
    assert.equal(links.length, 6);
    for (const [href, cls] of links) {
      assert.equal(await page.locator(href ?? '#none').count(), 1, `${href} leads to a section`);
      assert.ok(cls === 'ok' || (href === '#mismatch' && cls === 'fail'), `${href} is ${cls}`);
    }
  });

  it('draws one point per epoch of each training series, higher values higher up', async () => {
    const epochs = counts.floatEpochs + counts.qatEpochs;
    for (const id of ['training-loss', 'training-accuracy']) {
      const pts = await marks(page, `[data-chart="${id}"] .mark.point`);
      assert.equal(pts.length, 2 * epochs, `${id}: training and validation series`);
      const sorted = [...pts].sort((a, b) => Number(a.data['data-y']) - Number(b.data['data-y']));
      for (let i = 1; i < sorted.length; i++) {
        const lo = sorted[i - 1] as (typeof sorted)[number];
        const hi = sorted[i] as (typeof sorted)[number];
        if (Number(hi.data['data-y']) > Number(lo.data['data-y'])) assert.ok(hi.box.y < lo.box.y, `${id}: y of ${hi.data['data-y']} above ${lo.data['data-y']}`);
      }
      const xs = new Set(pts.map((p) => p.data['data-x']));
      assert.equal(xs.size, epochs, `${id}: float then QAT on one epoch axis`);
    }
  });

  it('draws the six accuracy bars with the data\'s values, taller for higher', async () => {
    const bars = await marks(page, '[data-chart="accuracy"] .mark.bar');
    assert.deepEqual(bars.map((b) => Number(b.data['data-value'])), Object.values(counts.accuracy));
    const byValue = [...bars].sort((a, b) => Number(a.data['data-value']) - Number(b.data['data-value']));
    assert.ok((byValue[0] as (typeof bars)[number]).box.h < (byValue[5] as (typeof bars)[number]).box.h);
  });

  it('draws one stacked bar per layer, lengths proportional to cycles', async () => {
    const bars = await marks(page, '[data-chart="layer-cycles"] .mark.bar');
    assert.equal(bars.length, counts.layers);
    const w0 = (bars[0] as (typeof bars)[number]).box.w;
    bars.forEach((b, i) => {
      const want = (counts.layerCycles[i] as number) / (counts.layerCycles[0] as number);
      assert.ok(Math.abs(b.box.w / w0 - want) < 0.01 + 2 / w0, `layer ${i}: width ratio ${b.box.w / w0}, cycles ratio ${want}`);
    });
  });

  it('draws the PE heatmap as rows x cols cells in row-major order, the busiest brightest', async () => {
    const cells = await marks(page, '[data-chart="pe-heatmap"] .mark.cell');
    assert.equal(cells.length, R * C);
    for (const c of cells) {
      const r = Number(c.data['data-row']);
      const k = Number(c.data['data-col']);
      assert.equal(Number(c.data['data-value']), counts.peValues[r * C + k]);
    }
    const first = cells.find((c) => c.data['data-row'] === '0' && c.data['data-col'] === '0');
    const right = cells.find((c) => c.data['data-row'] === '0' && c.data['data-col'] === '1');
    const below = cells.find((c) => c.data['data-row'] === '1' && c.data['data-col'] === '0');
    assert.ok(first && right && below && right.box.x > first.box.x && below.box.y > first.box.y && Math.abs(right.box.y - first.box.y) < 1);
    const lum = (fill: string): number => { const [r, g, b] = (fill.match(/\d+/g) ?? []).map(Number); return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0); };
    const sorted = [...cells].sort((a, b) => Number(a.data['data-value']) - Number(b.data['data-value']));
    assert.ok(lum((sorted.at(-1) as (typeof cells)[number]).data.fill ?? '') > lum((sorted[0] as (typeof cells)[number]).data.fill ?? ''));
  });

  it('draws the confusion matrix with one cell per (truth, prediction) and its count', async () => {
    const cells = await marks(page, '[data-chart="confusion"] .mark.cell');
    assert.equal(cells.length, counts.classes ** 2);
    for (const c of cells) assert.equal(Number(c.data['data-value']), counts.confusion[Number(c.data['data-row'])]?.[Number(c.data['data-col'])]);
    const labels = await page.$$eval('[data-chart="confusion"] .cell-label', (els) => els.map((e) => Number(e.textContent)));
    assert.equal(labels.reduce((a, x) => a + x, 0), counts.confusion.flat().reduce((a, x) => a + x, 0));
  });

  it('draws the mismatch waveform from the VCD: one lane per signal, the cycle marked, the RTL value in red', async () => {
    const lanes = await page.locator('[data-chart="waveform"] g[id^="wavelane_"]:not([id^="wavelane_draw_"])').count();
    assert.equal(lanes, 1 + DRAWN_LANES + 1, 'the clock, the signals, and hw-sim\'s expected value');
    const band = (await marks(page, '[data-chart="waveform"] .mismatch-mark rect'))[0];
    assert.ok(band !== undefined, 'the mismatch cycle is marked');
    const ticks = await page.$$eval('[data-chart="waveform"] text', (els) => (els as unknown as El[]).filter((e) => /^\d+$/.test(e.textContent ?? ''))
      .map((e) => { const r = e.getBoundingClientRect(); return { t: Number(e.textContent), x: r.x + r.width / 2 + (globalThis as unknown as { scrollX: number }).scrollX }; }));
    const tick = ticks.find((t) => t.t === MISMATCH.cycle);
    const next = ticks.find((t) => t.t === MISMATCH.cycle + 1);
    assert.ok(tick && next, `tick labels ${MISMATCH.cycle} and ${MISMATCH.cycle + 1}`);
    assert.ok(Math.abs(band.box.x - tick.x) < 2.5 && Math.abs(band.box.x + band.box.w - next.x) < 2.5, `band ${band.box.x}..${band.box.x + band.box.w}, ticks ${tick.x}, ${next.x}`);
    // The lane of o_data_o[col] shows the RTL's value inside the band, on WaveDrom's red brick.
    const laneNamed = (name: string) => page.locator('[data-chart="waveform"] g[id^="wavelane_"]:not([id^="wavelane_draw_"])')
      .filter({ has: page.locator('text.info', { hasText: new RegExp(`^${name.replace(/[[\]]/g, '\\$&')}$`) }) });
    const lane = laneNamed(`o_data_o[${MISMATCH.col}]`);
    assert.equal(await lane.count(), 1);
    const texts = await lane.locator('text').evaluateAll((els) => (els as unknown as El[]).map((e) => { const r = e.getBoundingClientRect(); return { s: e.textContent, x: r.x + r.width / 2 + (globalThis as unknown as { scrollX: number }).scrollX }; }));
    const inBand = texts.filter((t) => t.x > band.box.x && t.x < band.box.x + band.box.w).map((t) => t.s);
    assert.deepEqual(inBand, [String(counts.actual)]);
    assert.ok(await lane.locator('use[*|href$="-9"]').count() > 0, 'a red (9) brick');
    const expLane = laneNamed(`o_data_o[${MISMATCH.col}] hw-sim`);
    assert.deepEqual(await expLane.locator('text').evaluateAll((els) => (els as unknown as El[]).map((e) => e.textContent)), [`o_data_o[${MISMATCH.col}] hw-sim`, String(counts.expected)]);
    assert.match(await page.textContent('#mismatch') ?? '', new RegExp(`expected \\(hw-sim\\)[\\s\\S]*${counts.expected}`));
    const pe = await marks(page, '[data-chart="array-map"] .mark');
    assert.deepEqual(pe.map((m) => [m.data.class, m.data['data-row'], m.data['data-col']]), [['mark pe', String(MISMATCH.row), String(MISMATCH.col)]], 'the PE marked on the array map');
  });

  it('lists the synthesis results, and saves a screenshot', async () => {
    assert.equal(await page.locator('#synthesis table tbody tr').count(), 4);
    assert.match(await page.textContent('#synthesis') ?? '', /timeout: no result within 600 s/);
    mkdirSync(join('out', 'report'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    assert.ok(statSync(SCREENSHOT).size > 50_000);
  });

  it('shows "not run" for every optional section of a minimal report, with no chart', async () => {
    const dir = join(root, 'minimal');
    mkdirSync(dir);
    writeFileSync(join(dir, 'report.json'), JSON.stringify({ dataset: 'mnist', network: 'cnn', bits: { weights: 8, activations: 8 }, array: { rows: 8, cols: 8, roundingModes: ['single', 'double', 'ruy'] } }));
    await writeHtmlReport(join(dir, 'report.json'), join(dir, 'report.html'));
    const errs: string[] = [];
    const reqs: string[] = [];
    const p = await open(browser, join(dir, 'report.html'), errs, reqs);
    assert.deepEqual([errs, reqs], [[], []]);
    assert.equal(await p.locator('[data-chart]').count(), 0);
    assert.deepEqual((await p.$$eval('[data-not-run]', (els) => els.map((e) => e.getAttribute('data-not-run')))).sort(),
      ['accuracy', 'confusion', 'mismatch', 'pe-heatmap', 'per-layer', 'synthesis', 'training']);
    await p.close();
  });
});
