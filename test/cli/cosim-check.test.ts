/**
 * `int8cosim cosim --check transactions` as a user runs it (bin/int8cosim.mjs in a child process), on a small
 * exported model over real MNIST test images: the LFSR-stalled fixture (rtl/systolic_top behind a_ready_o) passes,
 * the report saying which check ran and giving the RTL's latency and throughput beside hw-sim's; the variant whose
 * o_data_o[2] is wrong at address 5 fails with the row, column, both values, cycle and latency in report.json and a
 * VCD window whose replay under flow control shows the same row; the flag's values are checked.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cosimReportSchema } from '../../report/schema/cosim-report.ts';
import { fixtureConfig, writeFaultyVariant } from '../fixtures/rtl/faulty-variant.ts';
import { suiteTempDir, writeSmallCnn } from './helpers.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
const PARAMS = { Rows: 4, Cols: 4, AccDepth: 64 };

function cosim(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('node', ['bin/int8cosim.mjs', 'cosim', ...args], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('cli: int8cosim cosim --check transactions', function () {
  this.timeout(900_000); // a cold cache builds the fixtures first
  const dir = suiteTempDir('int8cosim-cosim-check-');
  const modelDir = (): string => join(dir(), 'model');
  const common = (out: string): string[] => ['--model', modelDir(), '--images', '4', '--rows', '4', '--cols', '4', '--batch', '2', '--corner-cases', '24', '--out', out];

  before(() => writeSmallCnn(modelDir(), 31));

  it('the LFSR-stalled fixture: PASS in transaction mode, the check named, the RTL latency and throughput beside hw-sim\'s', () => {
    const out = join(dir(), 'lfsr');
    const r = cosim([...common(out), '--check', 'transactions', '--rtl-config', fixtureConfig('ready_lfsr.json', PARAMS)]);
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /check: transactions/);
    assert.match(r.stdout, /timing: RTL latency 9\.\.\d+ \(mean [\d.]+\) cycles, [\d.]+ rows\/cycle; hw-sim latency 9, [\d.]+ rows\/cycle/);
    assert.match(r.stdout, /PASS: every check held/);
    const rep = cosimReportSchema.parse(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')));
    assert.equal(rep.check, 'transactions');
    assert.deepEqual(rep.checks.map((c) => c.name), ['corner tier', 'transactions', 'bytes golden-hwsim', 'bytes golden-rtl', 'bytes hwsim-rtl']);
    for (const c of rep.checks) assert.equal(c.status, 'pass', JSON.stringify(c));
    assert.match(rep.checks[0]?.what ?? '', /transaction level/);
    const t = rep.timing;
    assert.ok(t !== null && t !== undefined && t.rtl.latency !== null);
    assert.equal(t.seen, t.rows);
    assert.equal(rep.checks[1]?.compared, t.rows);
    assert.equal(t.hwsim.latency, 9);
    assert.ok(t.rtl.latency.max > 9, 'stalls inside the array delay rows in flight');
    assert.ok((t.rtl.rowsPerCycle ?? 1) < (t.hwsim.rowsPerCycle ?? 0), 'the stalls cost throughput');
    assert.equal(rep.transactionFailure, null);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    assert.match(html, /transaction-level check/);
    assert.match(html, /data-section="mismatch"[\s\S]*?Transactions[\s\S]*?Every row held\.[\s\S]*?RTL \(measured\)/, 'the page says what transaction mode compared, not "every cycle"');
  });

  it('a wrong byte at address 5: FAIL naming layer, tile, row, column, both values, cycle and latency; the VCD window replays the row', () => {
    const out = join(dir(), 'wrong');
    const r = cosim([...common(out), '--check', 'transactions', '--rtl-config', writeFaultyVariant('wrong_byte_top', PARAMS)]);
    assert.equal(r.status, 1, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stderr, /RTL and hw-sim differ in layer \S+ \(image 0\), tile n\d k\d, output row 5 \(address 5\), column 2 \(o_data_o\[2\]\): hw-sim -?\d+, RTL -?\d+; the row appeared in cycle \d+, latency 12/);
    assert.match(r.stdout, /the replay under flow control shows the same row/);
    assert.match(r.stdout, /hw-sim trace around its own cycle \d+ of the row \(the cycle contract's timing; the RTL's row appeared in cycle \d+\):\n/);
    const rep = cosimReportSchema.parse(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')));
    assert.equal(rep.verdict, 'FAIL');
    assert.ok(rep.failedChecks.includes('transactions') && rep.failedChecks.includes('corner tier'), rep.failedChecks.join(', '));
    const f = rep.transactionFailure;
    assert.ok(f !== null && f !== undefined);
    assert.equal(f.error, 'mismatch');
    assert.equal(f.addr, 5);
    assert.equal(f.column, 2);
    assert.equal(f.port, 'o_data_o');
    assert.equal(f.actual, (((f.expected as number) ^ 0x10) << 24) >> 24);
    assert.equal(f.latency, 12);
    assert.equal(f.image, 0);
    assert.equal(f.replayReproduced, true);
    assert.equal(f.hwsimTrace?.length, 9, 'hw-sim trace lines of the cycles around its own row');
    assert.ok(existsSync(resolve(ROOT, f.vcdPath as string)), f.vcdPath);
    assert.ok((f.vcdFirstCycle as number) <= f.cycle && f.cycle <= (f.vcdLastCycle as number));
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    assert.match(html, /data-section="mismatch"[\s\S]*?o_data_o\[2\][\s\S]*?the replay from reset under flow control shows the same row/);
  });

  it('--check takes cycles or transactions, and transactions not with --deep', () => {
    const out = join(dir(), 'usage');
    const bad = cosim([...common(out), '--check', 'words']);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /--check expects cycles or transactions, got 'words'/);
    const deep = cosim([...common(out), '--check', 'transactions', '--deep']);
    assert.equal(deep.status, 1);
    assert.match(deep.stderr, /use --deep or --check transactions, not both/);
    const help = spawnSync('node', ['bin/int8cosim.mjs', 'cosim', '--help'], { cwd: ROOT, encoding: 'utf8' });
    assert.match(help.stdout + help.stderr, /--check cycles\|transactions/);
  });
});
