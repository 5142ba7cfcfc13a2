/**
 * The regression and the kill-suite in transaction mode (docs/ARCHITECTURE.md section 13, issue 15 item 4): every
 * case runs through the harness's TransactionRunner instead of the cycle lockstep. rtl/ passes a few dozen cases of
 * every kind on the kill-suite's array; deep mode is refused with it; a mutant that only delays every row by one
 * register survives transaction mode and is killed in port mode (listed as timing-only); an arithmetic mutant is
 * killed in both, and its transaction failure names the row, the column, both values, the cycle and the latency.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadRtlConfig } from '../../harness/config/rtlConfig.ts';
import { parseWith } from '../../quant/parse-json.ts';
import { UsageError } from '../../quant/errors.ts';
import { CASE_KINDS, generateCase } from '../../verify/case-gen.ts';
import { applyMutant } from '../../verify/mutate/apply.ts';
import { MUTANTS } from '../../verify/mutate/catalogue.ts';
import { KILL_ARRAY, runMutation } from '../../verify/mutate/run.ts';
import { QUICK_PALETTE } from '../../verify/palette.ts';
import { regressReportSchema } from '../../verify/regress-report.ts';
import { runRegression } from '../../verify/runner.ts';

/** The quick tier's first entry, 3x5 D8 with every rounding mode: the kill-suite's array, one cached build for both. */
const CFG = QUICK_PALETTE[0]!;
const L = CFG.rows + CFG.cols + 1;
const mutant = (name: string) => MUTANTS.find((m) => m.name === name)!;

describe('verify: regression and mutation in transaction mode', function () {
  this.timeout(600_000); // a cold cache builds rtl/ and two mutants (port builds, shared with make mutate)

  it('the catalogue: the timing-only mutants say why, and are neither equivalent nor port-invisible', () => {
    const timing = MUTANTS.filter((m) => m.timingOnly !== undefined);
    assert.deepEqual(timing.map((m) => m.name), ['output-data-not-held', 'output-stage-extra-register']);
    for (const m of timing) {
      assert.ok((m.timingOnly ?? '').length > 40, `${m.name} says why only timing changes`);
      assert.equal(m.equivalent, undefined, `${m.name}: port mode kills a timing-only mutant, so it is not equivalent`);
      assert.equal(m.portInvisible, undefined, `${m.name}: port mode kills a timing-only mutant`);
    }
  });

  it('rtl/ passes 48 cases of every kind (raw streams, corners, GEMMs, a network) through the transaction runner', async () => {
    assert.deepEqual({ rows: CFG.rows, cols: CFG.cols, accDepth: CFG.accDepth }, KILL_ARRAY);
    // seeds 1..47 hold every corner and every random kind but the rare raw stream, whose first is seed 86
    const seeds = [...Array.from({ length: 47 }, (_, i) => i + 1), 86];
    assert.ok(generateCase(86, [CFG]).kind === 'raw' && generateCase(39, [CFG]).kind === 'raw-forwarding', 'two raw streams: seed 86 and the raw-forwarding corner at 39');
    const r = await runRegression({ palette: [CFG], rtl: { config: loadRtlConfig() }, check: 'transactions', seeds });
    assert.equal(r.cases, 48);
    assert.equal(r.failed, 0, r.failures.map((f) => `seed ${f.seed}: ${f.message}\n  replay: ${f.replay}`).join('\n'));
    for (const k of CASE_KINDS) assert.ok((r.kinds[k] ?? 0) > 0, `no ${k} case among 48: ${JSON.stringify(r.kinds)}`);
    assert.ok(Object.keys(r.kinds).length > CASE_KINDS.length, `corner cases too: ${JSON.stringify(r.kinds)}`);
    assert.ok(r.cycles > 48 * L, `the RTL ran its cycles (${r.cycles})`);
    const t = r.configs[0]?.timing;
    assert.ok(t !== undefined && t.rows > 0 && t.seen === t.rows, `every row seen: ${JSON.stringify(t)}`);
    assert.deepEqual([t.latency?.min, t.latency?.max, t.reference.latency], [L, L, L], "rtl/ keeps hw-sim's latency on every row");
  });

  it('deep mode has no meaning in transaction mode: runRegression and the CLI refuse it in one line', async () => {
    await assert.rejects(
      runRegression({ palette: [CFG], rtl: { config: loadRtlConfig(), deep: true }, check: 'transactions', cases: 1 }),
      (err: unknown) => err instanceof UsageError && /--deep or --check transactions, not both/.test(err.message),
    );
    const r = spawnSync(process.execPath, ['bin/int8cosim.mjs', 'regress', '--deep', '--check', 'transactions'], { encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stderr.trim(), /^int8cosim regress: --deep compares PE registers every cycle, which the transaction-level contract leaves free .*not both$/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  });

  it('int8cosim regress --check transactions --replay: the mode is in the first line and in the report', () => {
    const dir = mkdtempSync(join(tmpdir(), 'int8cosim-transaction-mode-'));
    try {
      const out = join(dir, 'report.json');
      const r = spawnSync(process.execPath, ['bin/int8cosim.mjs', 'regress', '--check', 'transactions', '--replay', '4711', '--out', out], { encoding: 'utf8', timeout: 540_000 });
      assert.equal(r.status, 0, `exit ${r.status}\n${r.stdout}\n${r.stderr}`);
      assert.equal(r.stdout.split('\n')[0], 'regress: replaying seed 4711 (quick tier, transaction mode)');
      const report = parseWith(regressReportSchema, JSON.parse(readFileSync(out, 'utf8')), out);
      assert.deepEqual([report.check, report.deep, report.cases, report.passed], ['transactions', false, 1, 1]);
      assert.ok((report.configs[0]?.timing?.programs ?? 0) >= 1, 'the RTL timing of the configuration');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a timing-only mutant survives transaction mode and is killed in port mode; an arithmetic one is killed in both', async () => {
    const late = mutant('output-stage-extra-register');
    const bias = mutant('rq-bias-subtracted');
    const r = await runMutation({ mutants: [late, bias], cases: 200, modes: ['port', 'transactions'] });
    const [a, b] = r.mutants;
    assert.deepEqual(r.baseline.map((x) => [x.lockstep, x.failed]), [['port', 0], ['transactions', 0]]);
    assert.equal(a?.verdicts.port?.verdict, 'killed');
    assert.match(a?.verdicts.port?.killedBy ?? '', /o_valid_o/, 'port mode sees the row a cycle late');
    assert.equal(a?.verdicts.transactions?.verdict, 'survived', a?.verdicts.transactions?.killedBy);
    assert.equal(a?.verdicts.transactions?.casesRun, 200);
    assert.equal(b?.verdicts.port?.verdict, 'killed');
    assert.equal(b?.verdicts.transactions?.verdict, 'killed');
    assert.match(b?.verdicts.transactions?.killedBy ?? '', /transaction\): transaction check.*column \d+ \(o_acc_o\[\d+\]\): hw-sim -?\d+, RTL -?\d+; the row appeared in cycle \d+, latency 9/);
    assert.deepEqual(r.timingOnly, [{ name: late.name, expected: true, reason: late.timingOnly }]);
    assert.deepEqual(r.scores.transactions?.survivors.map((s) => [s.name, s.expected]), [[late.name, true]]);
    assert.equal(r.scores.transactions?.score, 0.5);
    assert.equal(r.scores.port?.score, 1);
  });

  it("a transaction failure of the regression keeps the scoreboard's fields: row, column, both values, cycle, latency", async () => {
    const applied = applyMutant(mutant('rq-bias-subtracted'), resolve('rtl'), resolve('out', 'mutate'));
    const r = await runRegression({ palette: [CFG], rtl: { config: loadRtlConfig(applied.configPath) }, check: 'transactions', seeds: [1], stopOnFirstFailure: true });
    const f = r.failures[0];
    assert.equal(f?.stage, 'transaction');
    assert.match(f?.replay ?? '', /--check transactions --replay 1$/);
    const t = f?.transaction;
    assert.equal(t?.error, 'mismatch');
    assert.equal(t?.port, 'o_acc_o');
    assert.equal(t?.latency, L);
    assert.equal(t?.cycle, (t?.beatCycle ?? NaN) + L);
    assert.notEqual(t?.expected, t?.actual);
    assert.ok(f?.message.includes(`output row ${t?.m}`) && f.message.includes(`column ${t?.column}`), f?.message);
  });
});
