/**
 * examples/mesh_array through the commands, as a user runs them (bin/int8cosim.mjs in a child process):
 * `regress --rtl-config` and `coverage --rtl-config` on the example's config.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CoverageReport } from '../../harness/regress/coverage/coverage.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const CONFIG = 'examples/mesh_array/cosim.json';
const MODULES = ['mesh_array_top', 'mesh_cell', 'mesh_grid', 'mesh_lane', 'mesh_pipe', 'mesh_requant', 'mesh_sequencer'];

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/int8cosim.mjs', ...args], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 900_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('examples/mesh_array through the CLI', function () {
  this.timeout(900_000); // a cold cache builds 3 lockstep models and 2 coverage testbenches
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'int8cosim-mesh-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('regress --rtl-config runs the quick palette on it and passes', () => {
    const out = join(dir, 'regress.json');
    const r = cli(['regress', '--rtl-config', CONFIG, '--cases', '24', '--out', out]);
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /regress: 24\/24 passed, 0 failed/);
    const rep = JSON.parse(readFileSync(out, 'utf8')) as { cases: number; passed: number; failed: number; configs: { config: string; cases: number }[] };
    assert.deepEqual([rep.cases, rep.passed, rep.failed], [24, 24, 0]);
    assert.deepEqual(rep.configs.map((c) => c.config).sort(), ['3x5 D8 double', '3x5 D8 single', '5x2 D4 double']);
    assert.ok(rep.configs.every((c) => c.cases > 0), JSON.stringify(rep.configs));
  });

  it('coverage --rtl-config measures its own modules, both rounding modes, outputs equal to hw-sim', () => {
    const out = join(dir, 'coverage', 'report.json');
    const r = cli(['coverage', '--rtl-config', CONFIG, '--cases', '30', '--out', out]);
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /coverage: mesh_array_top \(examples\/mesh_array\/cosim.json\), 30 cases per configuration/);
    assert.match(r.stdout, /mesh_array_top 3x5 D8 single: 30 cases, \d+ cycles, outputs equal hw-sim every cycle/);
    assert.match(r.stdout, /mesh_array_top 3x5 D8 double: 30 cases, \d+ cycles, outputs equal hw-sim every cycle/);
    assert.match(r.stdout, /all of mesh_array_top +\d+\/\d+/);
    const rep = JSON.parse(readFileSync(out, 'utf8')) as CoverageReport;
    assert.equal(rep.top, 'mesh_array_top');
    assert.equal(rep.rtlConfig, CONFIG);
    assert.deepEqual(rep.modules.map((m) => m.module), MODULES, 'the modules of examples/mesh_array, and only they');
    assert.deepEqual(rep.configs.map((c) => c.config), ['3x5 D8 single', '3x5 D8 double']);
    for (const m of rep.modules) {
      assert.ok(m.toggle.total > 0 && m.toggle.covered > 0, JSON.stringify(m));
      assert.ok(m.line.covered <= m.line.total && m.toggle.covered <= m.toggle.total, JSON.stringify(m));
    }
    // the requantizer's lines of both rounding branches were elaborated and hit
    const requant = rep.modules.find((m) => m.module === 'mesh_requant');
    assert.ok(requant !== undefined && requant.line.covered >= 10, JSON.stringify(requant));
    assert.ok(rep.linePercent > 90 && rep.togglePercent > 90, `line ${rep.linePercent}%, toggle ${rep.togglePercent}%`);
    for (const pts of Object.values(rep.uncovered)) for (const p of pts) assert.match(p, /^(line|toggle) (include\/)?mesh_\w+\.svh?:\d+ /);
  });
});
