/**
 * examples/mesh_array through the commands, as a user runs them (bin/int8cosim.mjs in a child process):
 * `cosim --model --rtl-config` over real MNIST test images in port mode (passes) and in deep mode (refused with the
 * documented message), `regress --rtl-config` and `coverage --rtl-config` on the example's config.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CoverageReport } from '../../verify/coverage/coverage.ts';
import { suiteTempDir, writeSmallCnn } from '../cli/helpers.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CONFIG = 'examples/mesh_array/cosim.json';
const MODULES = ['mesh_array_top', 'mesh_cell', 'mesh_grid', 'mesh_lane', 'mesh_pipe', 'mesh_requant', 'mesh_sequencer'];

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/int8cosim.mjs', ...args], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 900_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('examples/mesh_array through the CLI', function () {
  this.timeout(900_000); // a cold cache builds 3 lockstep models and 2 coverage testbenches
  const dir = suiteTempDir('int8cosim-mesh-cli-');
  const modelDir = (): string => join(dir(), 'model');
  before(() => writeSmallCnn(modelDir(), 41));

  it('cosim --model --rtl-config over MNIST test images in port mode: every check held, exit 0', () => {
    const out = join(dir(), 'cosim');
    const r = cli(['cosim', '--model', modelDir(), '--rtl-config', CONFIG, '--images', '16', '--out', out]);
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /PASS: every check held/);
    const rep = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
      verdict: string; failedChecks: string[]; images: number; array: { rows: number; cols: number; roundingModes: string[] };
      checks: { name: string; status: string; compared: number }[]; rtl: { config: string; top: string; deep: boolean; parameters: Record<string, number> };
    };
    assert.equal(rep.verdict, 'PASS');
    assert.deepEqual(rep.failedChecks, []);
    assert.deepEqual([rep.rtl.config, rep.rtl.top, rep.rtl.deep], [CONFIG, 'mesh_array_top', false]);
    assert.deepEqual(rep.rtl.parameters, { Rows: 8, Cols: 8, AccDepth: 1024, RoundingModes: 7 });
    assert.deepEqual(rep.array, { rows: 8, cols: 8, roundingModes: ['single', 'double', 'ruy'] });
    assert.equal(rep.images, 16);
    assert.deepEqual(rep.checks.map((c) => c.name), ['corner tier', 'lockstep', 'bytes golden-hwsim', 'bytes golden-rtl', 'bytes hwsim-rtl']);
    for (const c of rep.checks) assert.ok(c.status === 'pass' && c.compared > 0, JSON.stringify(c));
  });

  it('cosim --deep --rtl-config refuses it with the documented message, exit 1, no report', () => {
    const out = join(dir(), 'cosim-deep');
    const r = cli(['cosim', '--model', modelDir(), '--rtl-config', CONFIG, '--deep', '--rows', '2', '--cols', '2', '--images', '2', '--corner-cases', '0', '--out', out]);
    assert.equal(r.status, 1, `${r.stdout}\n${r.stderr}`);
    assert.match(
      r.stderr,
      /^int8cosim cosim: cannot create the model of .*: deep mode cannot read the PE registers: no instance 'mesh_array_top\.u_array\.g_row\[0\]\.g_col\[0\]\.u_pe' \(docs\/ARCHITECTURE\.md section 6\)$/m,
    );
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'a user error prints one line, not a stack');
    assert.equal(existsSync(join(out, 'report.json')), false);
  });

  it('regress --rtl-config runs the quick palette on it and passes', () => {
    const out = join(dir(), 'regress.json');
    const r = cli(['regress', '--rtl-config', CONFIG, '--cases', '24', '--out', out]);
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /regress: 24\/24 passed, 0 failed/);
    const rep = JSON.parse(readFileSync(out, 'utf8')) as { cases: number; passed: number; failed: number; configs: { config: string; cases: number }[] };
    assert.deepEqual([rep.cases, rep.passed, rep.failed], [24, 24, 0]);
    assert.deepEqual(rep.configs.map((c) => c.config).sort(), ['3x5 D8', '5x2 D4']);
    assert.ok(rep.configs.every((c) => c.cases > 0), JSON.stringify(rep.configs));
  });

  it('regress --rtl-config fails on a copy of it whose PEs multiply with the other weight bank', () => {
    const copy = join(dir(), 'mesh_array_swapped');
    cpSync(join(ROOT, 'examples', 'mesh_array'), copy, { recursive: true });
    const cell = join(copy, 'mesh_cell.sv');
    const text = readFileSync(cell, 'utf8');
    const swapped = text.replace('wgt   = beat_i.sel ? wgt1_q : wgt0_q;', 'wgt   = beat_i.sel ? wgt0_q : wgt1_q;');
    assert.notEqual(swapped, text, 'the bank select of mesh_cell.sv was not found');
    writeFileSync(cell, swapped);
    const r = cli(['regress', '--rtl-config', join(copy, 'cosim.json'), '--replay', '1', '--out', join(dir(), 'swapped.json')]);
    assert.equal(r.status, 1, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /FAIL seed 1 \(.*lockstep\): RTL and hw-sim differ/);
    assert.match(r.stdout, /regress: 0\/1 passed, 1 failed/);
    assert.match(r.stderr, /int8cosim regress: 1 of 1 cases failed \(seeds 1\)/);
  });

  it('coverage --rtl-config measures its own modules, every rounding mode in one build, outputs equal to hw-sim', () => {
    const out = join(dir(), 'coverage', 'report.json');
    const r = cli(['coverage', '--rtl-config', CONFIG, '--cases', '30', '--out', out]);
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /coverage: mesh_array_top \(examples\/mesh_array\/cosim.json\), 30 cases per configuration/);
    assert.match(r.stdout, /mesh_array_top 3x5 D8: 30 cases, \d+ cycles, outputs equal hw-sim every cycle/);
    assert.match(r.stdout, /all of mesh_array_top +\d+\/\d+/);
    const rep = JSON.parse(readFileSync(out, 'utf8')) as CoverageReport;
    assert.equal(rep.top, 'mesh_array_top');
    assert.equal(rep.rtlConfig, CONFIG);
    assert.deepEqual(rep.modules.map((m) => m.module), MODULES, 'the modules of examples/mesh_array, and only they');
    assert.deepEqual(rep.configs.map((c) => c.config), ['3x5 D8']);
    for (const m of rep.modules) {
      assert.ok(m.toggle.total > 0 && m.toggle.covered > 0, JSON.stringify(m));
      assert.ok(m.line.covered <= m.line.total && m.toggle.covered <= m.toggle.total, JSON.stringify(m));
    }
    // the requantizer's lines of every rounding branch were elaborated and hit
    const requant = rep.modules.find((m) => m.module === 'mesh_requant');
    assert.ok(requant !== undefined && requant.line.covered >= 10, JSON.stringify(requant));
    assert.ok(rep.linePercent > 90 && rep.togglePercent > 90, `line ${rep.linePercent}%, toggle ${rep.togglePercent}%`);
    for (const pts of Object.values(rep.uncovered)) for (const p of pts) assert.match(p, /^(line|toggle) (include\/)?mesh_\w+\.svh?:\d+ /);
  });
});
