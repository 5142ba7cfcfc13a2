/**
 * `int8cosim coverage` as a user runs it (bin/int8cosim.mjs in a child process) on the project's own RTL
 * (rtl/cosim.json, the default): the coverage build of systolic_top, the outputs checked against hw-sim, a report
 * of rtl/'s modules. One coverage build of every rounding mode, whose cases choose theirs; examples/mesh_array's CLI test runs it too.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { defaultRtlConfigPath, loadRtlConfig } from '../../harness/config/rtlConfig.ts';
import { parseWith } from '../../quant/parse-json.ts';
import { coverageReportSchema } from '../../verify/coverage/report-schema.ts';
import { suiteTempDir } from './helpers.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

describe('cli: int8cosim coverage', function () {
  this.timeout(900_000);
  const dir = suiteTempDir('int8cosim-coverage-');

  it('on the default RTL: reports every module of rtl/cosim.json and writes report.json, exit 0', () => {
    const out = join(dir(), 'cov', 'report.json');
    const r = spawnSync(process.execPath, ['bin/int8cosim.mjs', 'coverage', '--cases', '12', '--out', out], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /systolic_top 3x5 D8: 12 cases, \d+ cycles, outputs equal hw-sim every cycle/);
    const rep = parseWith(coverageReportSchema, JSON.parse(readFileSync(out, 'utf8')), out);
    assert.equal(rep.top, 'systolic_top');
    assert.equal(resolve(rep.rtlConfig), defaultRtlConfigPath());
    // one module per file of rtl/ (one module per file, named after it), nothing of the testbench
    const expected = loadRtlConfig().files.map((f) => f.replace(/^.*\//, '').replace(/\.sv$/, '')).sort();
    assert.deepEqual(rep.modules.map((m) => m.module), expected);
    assert.deepEqual(rep.configs.map((c) => [c.config, c.cases]), [['3x5 D8', 12]]);
    assert.ok(rep.configs[0]!.cycles > 0);
    for (const m of rep.modules) assert.ok(m.toggle.total > 0 && m.toggle.covered > 0, JSON.stringify(m));
    assert.ok(rep.line.total > 0 && rep.line.covered <= rep.line.total);
    assert.match(r.stdout, new RegExp(`all of systolic_top +${rep.line.covered}/${rep.line.total}`));
    // the stimulus and output files are removed; the coverage data stays beside the report
    assert.deepEqual(readdirSync(dirname(out)).sort(), ['3x5-d8-r7.coverage.dat', 'report.json']);
  });
});
