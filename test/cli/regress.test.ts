/**
 * `int8cosim regress --replay SEED` as a user runs it: the installed entry point (bin/int8cosim.mjs) in a child
 * process. It replays that one case, names the seed, says which parameters of rtl/cosim.json the palette
 * overrides, exits 0 and writes the report with the same line.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { caseConfig } from '../../verify/case-gen.ts';
import { configName, QUICK_PALETTE } from '../../verify/palette.ts';
import { parseWith } from '../../quant/parse-json.ts';
import { regressReportSchema } from '../../verify/regress-report.ts';
import { suiteTempDir } from './helpers.ts';

describe('cli/regress as a user runs it', function () {
  this.timeout(600_000); // one build of the quick palette when the cache is cold
  const dir = suiteTempDir('int8cosim-regress-cli-');

  it('node bin/int8cosim.mjs regress --replay 4711: exit 0, the seed, the parameter overrides, the report', () => {
    const out = join(dir(), 'report.json');
    const r = spawnSync(process.execPath, ['bin/int8cosim.mjs', 'regress', '--replay', '4711', '--out', out], { encoding: 'utf8', timeout: 540_000 });
    assert.equal(r.status, 0, `exit ${r.status}\n${r.stdout}\n${r.stderr}`);
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], 'regress: replaying seed 4711 (quick tier)');
    const cosim = JSON.parse(readFileSync('rtl/cosim.json', 'utf8')) as { parameters: Record<string, number> };
    const sets = Object.entries(cosim.parameters).map(([k, v]) => `${k}=${v}`).join(' ');
    assert.equal(lines[1], `regress: rtl/cosim.json sets ${sets}; the palette overrides Rows, Cols, AccDepth, RoundingModes per configuration: ${QUICK_PALETTE.map(configName).join(', ')}`);
    assert.match(r.stdout, new RegExp(`^  ${configName(caseConfig(4711, QUICK_PALETTE))}: 1 cases`, 'm'), 'the case ran on its configuration');
    assert.match(r.stdout, /^regress: 1\/1 passed, 0 failed;/m);
    const report = parseWith(regressReportSchema, JSON.parse(readFileSync(out, 'utf8')), out);
    assert.deepEqual([report.cases, report.passed], [1, 1]);
    assert.equal(`regress: ${report.parameterOverrides.line}`, lines[1]);
  });
});
