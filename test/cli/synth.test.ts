/**
 * `int8cosim synth` as a user runs it: one small array on one target, through bin/int8cosim.mjs, into a folder of
 * its own; the report's figures are checked against what the design must map to.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readJsonFile } from '../../quant/parse-json.ts';
import { synthReportSchema } from '../../synth/report-schema.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

describe('cli: int8cosim synth', function () {
  this.timeout(600_000);

  it('synthesizes a 2x2 array for 7-series: one DSP48 per PE and four per column for the requantizer', () => {
    const out = mkdtempSync(join(tmpdir(), 'int8cosim-synth-'));
    try {
      const r = spawnSync('node', ['bin/int8cosim.mjs', 'synth', '--sizes', '2x2', '--targets', 'xilinx', '--acc-depth', '4', '--out', out], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
      assert.match(r.stdout, /wrote .*report\.json and .*report\.md/);
      const rep = readJsonFile(synthReportSchema, join(out, 'report.json'));
      assert.equal(rep.entries.length, 1);
      const e = rep.entries[0]!;
      assert.deepEqual([e.target, e.rows, e.cols, e.accDepth, e.status], ['xilinx', 2, 2, 4, 'ok']);
      assert.ok(e.resources !== undefined);
      assert.equal(e.resources.dsps, 2 * 2 + 4 * 2, JSON.stringify(e.resources.cells));
      assert.ok(e.resources.luts > 100 && e.resources.flipFlops > 100, JSON.stringify(e.resources));
      assert.match(readFileSync(join(out, 'report.md'), 'utf8'), /2x2/);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
