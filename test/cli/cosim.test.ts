/**
 * `int8cosim cosim` as a user runs it (bin/int8cosim.mjs in a child process): on a small exported model over real
 * MNIST test images it writes report.json with the documented keys, every check listed and held, and exits 0; with
 * the planted-fault defines in the RTL config it exits 1 with the located mismatch, a VCD window and a FAIL verdict
 * that names the failed checks.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadRtlConfig } from '../../harness/config/rtlConfig.ts';
import { suiteTempDir, writeSmallCnn } from './helpers.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

interface Report {
  verdict: string;
  failedChecks: string[];
  checks: { name: string; status: string; compared: number; unit: string; detail?: string }[];
  accuracy: Record<string, number | null>;
  bytes: { images: number; pairs: Record<string, { bytesCompared: number; bytesDiffering: number }>; perLayer: unknown[]; first: unknown };
  mismatches: { differingWordsInChunk: number; chunkCycles: number; wordsCompared: number; first: Record<string, unknown> | null };
  [key: string]: unknown;
}

function cosim(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('node', ['bin/int8cosim.mjs', 'cosim', ...args], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('cli: int8cosim cosim', function () {
  this.timeout(900_000);
  const dir = suiteTempDir('int8cosim-cosim-');
  const modelDir = (): string => join(dir(), 'model');
  const images = 24;

  before(() => writeSmallCnn(modelDir(), 31));

  it('on an exported model run in ruy rounding on an array of every mode: every check held, report.json has the documented keys, exit 0', () => {
    const out = join(dir(), 'pass');
    const r = cosim(['--model', modelDir(), '--images', String(images), '--rows', '4', '--cols', '4', '--rounding', 'ruy', '--batch', '8', '--corner-cases', '40', '--out', out]);
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stderr, /exported with 'single' rounding, run with 'ruy'/);
    assert.match(r.stdout, /PASS: every check held/);
    const rep = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
    for (const k of ['verdict', 'failedChecks', 'checks', 'dataset', 'network', 'bits', 'array', 'roundingMode', 'exportRoundingMode', 'images', 'testImages',
      'lockstepSample', 'accuracy', 'bytes', 'cornerTier', 'cycles', 'utilization', 'mismatches', 'verilator', 'wallSeconds', 'modelDir', 'rtl', 'peUtilization', 'confusion']) {
      assert.ok(k in rep, `report.json lacks '${k}'`);
    }
    assert.equal(rep.verdict, 'PASS');
    assert.deepEqual(rep.failedChecks, []);
    assert.deepEqual(rep.checks.map((c) => c.name), ['corner tier', 'lockstep', 'bytes golden-hwsim', 'bytes golden-rtl', 'bytes hwsim-rtl']);
    for (const c of rep.checks) {
      assert.equal(c.status, 'pass', JSON.stringify(c));
      assert.ok(c.compared > 0, JSON.stringify(c));
    }
    assert.equal(rep.checks[0]?.compared, 40);
    // 24 images x (28*28*6/... every layer's bytes): golden vs RTL covers all layers, hw-sim vs RTL the array ones.
    assert.equal(rep.bytes.images, images);
    assert.ok(rep.bytes.pairs['golden-rtl']!.bytesCompared > rep.bytes.pairs['hwsim-rtl']!.bytesCompared);
    assert.equal(rep.bytes.pairs['golden-rtl']!.bytesDiffering, 0);
    assert.equal(rep.bytes.first, null);
    assert.equal(typeof rep.accuracy.hwsim, 'number');
    assert.equal(rep.accuracy.hwsim, rep.accuracy.rtl);
    assert.equal(rep.mismatches.differingWordsInChunk, 0);
    assert.ok(rep.mismatches.wordsCompared > 0);
    assert.equal(rep.roundingMode, 'ruy');
    assert.deepEqual((rep.array as { roundingModes: string[] }).roundingModes, ['single', 'double', 'ruy'], 'the array is built with every mode; the programs choose ruy');
    assert.equal(rep.exportRoundingMode, 'single');
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    assert.match(html, /data-verdict="pass"[^>]*>PASS \u2014 all 5 checks held</);
  });

  it('--reference-workers 2 (hw-sim ahead on two threads) writes the report.json of --reference-workers 0, timings aside', () => {
    const reports = [0, 2].map((w) => {
      const out = join(dir(), `workers-${w}`);
      const r = cosim(['--model', modelDir(), '--images', '10', '--rows', '4', '--cols', '4', '--batch', '4', '--corner-cases', '4', '--reference-workers', String(w), '--out', out]);
      assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
      const rep = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
      return { ...rep, wallSeconds: null, cornerTier: { ...(rep.cornerTier as object), seconds: null } };
    });
    assert.equal(reports[0]?.verdict, 'PASS');
    assert.deepEqual(reports[1], reports[0]);
    const deep = cosim(['--model', modelDir(), '--images', '2', '--rows', '4', '--cols', '4', '--deep', '--reference-workers', '1', '--out', join(dir(), 'workers-deep')]);
    assert.equal(deep.status, 1, `${deep.stdout}\n${deep.stderr}`);
    assert.match(deep.stderr, /reference workers run hw-sim's side of the cycle lockstep ahead; deep mode compares the PE registers here/);
  });

  it('with the planted fault in the RTL config: exit 1, the located mismatch, a VCD window, FAIL naming the checks', () => {
    const rtl = loadRtlConfig();
    const cfgPath = join(dir(), 'fault.json');
    writeFileSync(cfgPath, JSON.stringify({
      top: rtl.top, files: rtl.files, includeDirs: rtl.includeDirs, parameters: rtl.parameters,
      defines: { INT8COSIM_FAULT: true, INT8COSIM_FAULT_ROW: 1, INT8COSIM_FAULT_COL: 2, INT8COSIM_FAULT_CYCLE: 300 },
    }));
    const out = join(dir(), 'fault');
    const r = cosim(['--model', modelDir(), '--images', '8', '--rows', '4', '--cols', '4', '--corner-cases', '20', '--rtl-config', cfgPath, '--out', out]);
    assert.equal(r.status, 1, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stderr, /RTL and hw-sim differ in layer \S+ \(image \d+\), tile .*, cycle \d+, at o_(acc|data)_o\[2\]/);
    const rep = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Report;
    assert.equal(rep.verdict, 'FAIL');
    assert.ok(rep.failedChecks.includes('lockstep'), JSON.stringify(rep.failedChecks));
    assert.ok(rep.failedChecks.includes('corner tier'), 'the corner cases run on the same faulty build');
    const m = rep.mismatches.first;
    assert.ok(m !== null);
    assert.equal(m.col, 2);
    assert.equal(m.replayReproduced, true);
    assert.ok(rep.mismatches.differingWordsInChunk >= 1);
    assert.ok(existsSync(join(out, 'mismatch.vcd')), 'the VCD window');
    assert.match(r.stdout, /VCD window \[\d+, \d+\] \(replay reproduces the mismatch\)/);
    assert.match(r.stdout, /FAIL .*lockstep/);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    assert.match(html, /data-verdict="fail"[^>]*>FAIL \u2014 [^<]*corner tier[^<]*lockstep/);
    assert.doesNotMatch(html, /PASS \u2014/);
  });
});
