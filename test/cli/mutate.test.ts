/**
 * `int8cosim mutate --only <one mutant>` as a user runs it: the installed entry point (bin/int8cosim.mjs) in a
 * child process, on pe-valid-ignored (two small builds, cached by make mutate and test/verify/mutants.test.ts):
 * the verdict of each lockstep mode on its own line, both scores side by side, the port-mode survivor named as
 * expected with the catalogue's reason, exit 0, and the report with the same figures.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseWith } from '../../quant/parse-json.ts';
import { mutationReportFileSchema } from '../../verify/mutate/report.ts';
import { suiteTempDir } from './helpers.ts';

const cli = (args: string[]) => spawnSync(process.execPath, ['bin/int8cosim.mjs', 'mutate', ...args], { encoding: 'utf8', timeout: 540_000 });

describe('cli/mutate as a user runs it', function () {
  this.timeout(600_000); // the mutant's port and deep builds when the cache is cold
  const dir = suiteTempDir('int8cosim-mutate-cli-');

  it('mutate --only pe-valid-ignored: survives port mode (expected, said why), killed in deep mode, exit 0', () => {
    const out = join(dir(), 'report.json');
    const r = cli(['--only', 'pe-valid-ignored', '--cases', '20', '--out', out]);
    assert.equal(r.status, 0, `exit ${r.status}\n${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /^mutate: 1 mutants in port and deep mode, kill-suite of 20 cases/m);
    assert.match(r.stdout, /^ {2}pe-valid-ignored +port survived +[\d.]+ s {2}SURVIVED all 20 cases \(expected: only a PE register shows it\)$/m);
    assert.match(r.stdout, /^ {2}pe-valid-ignored +deep killed +[\d.]+ s {2}seed \d+ \([\w-]+, lockstep\): .*pe\(\d,\d\)\.psum_q/m);
    assert.match(r.stdout, /^mutate: score port 0\.0% \(0\/1\), deep 100\.0% \(1\/1\) of the non-equivalent mutants killed or stillborn;/m);
    assert.match(r.stdout, /^ {2}port survivor pe-valid-ignored \(expected: only psum_q of an invalid beat changes/m);
    const report = parseWith(mutationReportFileSchema, JSON.parse(readFileSync(out, 'utf8')), out);
    assert.equal(report.complete, true);
    assert.ok('mutants' in report, 'a complete report');
    assert.deepEqual(report.modes, ['port', 'deep']);
    assert.deepEqual(report.baseline.map((b) => [b.lockstep, b.cases, b.failed]), [['port', 20, 0], ['deep', 20, 0]]);
    assert.equal(report.scores.port?.score, 0);
    assert.equal(report.scores.deep?.score, 1);
    assert.deepEqual(report.scores.port?.survivors.map((s) => [s.name, s.expected]), [['pe-valid-ignored', true]]);
    assert.deepEqual(report.scores.deep?.survivors, []);
    const m = report.mutants[0];
    assert.equal(m?.verdicts.port?.verdict, 'survived');
    assert.equal(m?.verdicts.deep?.verdict, 'killed');
    assert.match(m?.diff ?? '', /^-.*v_i \? mac : 32'sd0.*\n\+.*psum_d = \(mac\)/m);
  });

  it('a bad --mode is one line naming the choices, exit 1', () => {
    const r = cli(['--only', 'pe-valid-ignored', '--mode', 'ports']);
    assert.equal(r.status, 1);
    assert.equal(r.stderr.trim(), "int8cosim mutate: --mode expects port, deep or both, got 'ports'");
  });
});
