/**
 * examples/output_fifo: rtl/'s array, unchanged, behind an output FIFO of FifoDepth rows that drains one row every
 * DrainPeriod cycles and back-pressures the program through a_ready_o (docs/ARCHITECTURE.md section 13). It keeps the
 * transaction-level contract and not the cycle contract: the cycle lockstep fails at the first output row and
 * suggests --check transactions; a variant that corrupts one byte behind the FIFO is caught at its row and column;
 * a variant that drops a_ready_o one cycle late overflows the FIFO, which its assertion reports.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRtlConfig, type RtlConfig } from '../../harness/config/rtlConfig.ts';
import { buildRtl, type RtlBuild } from '../../harness/build/buildRtl.ts';
import { openRtlSim } from '../../harness/sim/verilatedSim.ts';
import { Lockstep } from '../../harness/lockstep/lockstep.ts';
import { mismatchError } from '../../harness/lockstep/mismatch.ts';
import { Rng } from '../../quant/random.ts';
import { randomProgram } from '../harness/helpers.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const EXAMPLE = join(ROOT, 'examples', 'output_fifo');
const CONFIG = join(EXAMPLE, 'cosim.json');
/** Every build of this file: 4x4 with the config's AccDepth (1024, so that runCosim's build at 4x4 is the same one). */
const R = 4;
const C = 4;

/**
 * A variant of the example: `file` (one of its own sources) rewritten by exact text edits, each of which must apply
 * exactly once (so that a change to the example cannot quietly turn the variant into the example itself), with a
 * config that lists it in place of the original. The folder is a fixed one under the system's temporary folder: the
 * build cache keys on the sources' paths, and a fresh path every run would rebuild every run.
 */
function writeVariant(name: string, file: string, edits: ReadonlyArray<readonly [string, string]>): RtlConfig {
  let sv = readFileSync(join(EXAMPLE, file), 'utf8');
  for (const [from, to] of edits) {
    const parts = sv.split(from);
    assert.equal(parts.length, 2, `variant '${name}': the edit must apply exactly once to ${file}, found ${parts.length - 1}: ${JSON.stringify(from)}`);
    sv = parts.join(to);
  }
  const dir = join(tmpdir(), 'int8cosim-output-fifo-variants', name);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, file);
  const tmp = `${path}.${process.pid}.tmp`; // another run may read it: replace it whole
  writeFileSync(tmp, sv);
  renameSync(tmp, path);
  const base = loadRtlConfig(CONFIG);
  const files = base.files.map((f) => (basename(f) === file && dirname(f) === EXAMPLE ? path : f));
  assert.ok(files.includes(path), `the example config lists ${file}`);
  return { ...base, files, source: `${base.source} (variant '${name}')` };
}

/** A 4x4 build of the config (or a variant's), with the config's AccDepth and other parameters unless overridden. */
function build(config: RtlConfig = loadRtlConfig(CONFIG), parameters: Record<string, number> = {}): Promise<RtlBuild> {
  return buildRtl({ config, parameters: { Rows: R, Cols: C, AccDepth: Number(config.parameters.AccDepth ?? 1024), ...parameters } });
}

describe('examples/output_fifo: an output FIFO that back-pressures the beats through a_ready_o', function () {
  this.timeout(600_000); // a cold cache builds the models first

  it('the config is its own top over rtl/ reused unchanged by path, with the FIFO\'s parameters', function () {
    const c = loadRtlConfig(CONFIG);
    assert.equal(c.top, 'output_fifo_top');
    const rtl = loadRtlConfig(); // rtl/cosim.json: every source of the array, in its order
    assert.deepEqual(c.files.filter((f) => dirname(f) === join(ROOT, 'rtl')), rtl.files);
    assert.deepEqual(c.files.filter((f) => dirname(f) === EXAMPLE).map((f) => basename(f)),
      ['ofifo_clock_gate.sv', 'ofifo_row_fifo.sv', 'ofifo_pacer.sv', 'ofifo_flow.sv', 'output_fifo_top.sv']);
    assert.ok(c.files.every((f) => existsSync(f)));
    assert.deepEqual(c.includeDirs, rtl.includeDirs);
    assert.deepEqual(c.parameters, { Rows: 8, Cols: 8, AccDepth: 1024, RoundingModes: 7, FifoDepth: 4, DrainPeriod: 2 });
  });

  it('verilator --lint-only -Wall is clean from 2x2 to 16x16, each rounding datapath alone and all three, FIFO depths 1 to 64; bad FIFO parameters are refused', function () {
    const c = loadRtlConfig(CONFIG);
    const lint = (params: Record<string, number>): { status: number | null; out: string } => {
      const args = ['--lint-only', '-Wall', '--top-module', c.top, ...c.includeDirs.map((d) => `-I${d}`), ...Object.entries(params).map(([k, v]) => `-G${k}=${v}`), ...c.files];
      const r = spawnSync('verilator', args, { encoding: 'utf8' });
      assert.equal(r.error, undefined, 'verilator is not installed: sudo apt-get install -y verilator');
      return { status: r.status, out: `${r.stdout}${r.stderr}` };
    };
    for (const [rows, cols, depth, modes, fifo, drain] of [
      [2, 2, 2, 1, 64, 16], [3, 5, 8, 2, 2, 3], [4, 4, 64, 4, 1, 1], [8, 8, 1024, 7, 4, 2], [16, 16, 128, 7, 5, 4],
    ] as const) {
      const r = lint({ Rows: rows, Cols: cols, AccDepth: depth, RoundingModes: modes, FifoDepth: fifo, DrainPeriod: drain });
      assert.equal(r.status, 0, r.out);
      assert.equal(r.out.trim(), '', `${rows}x${cols} D${depth} RoundingModes ${modes} FifoDepth ${fifo} DrainPeriod ${drain}: no warning at all`);
    }
    for (const [params, msg] of [
      [{ FifoDepth: 0 }, /output_fifo_top: FifoDepth must be in \[1, 64\], got 0/],
      [{ FifoDepth: 65 }, /output_fifo_top: FifoDepth must be in \[1, 64\], got 65/],
      [{ DrainPeriod: 0 }, /output_fifo_top: DrainPeriod must be in \[1, 16\], got 0/],
    ] as const) {
      const r = lint({ Rows: 4, Cols: 4, AccDepth: 64, ...params });
      assert.notEqual(r.status, 0, `${JSON.stringify(params)} must not pass lint`);
      assert.match(r.out, msg);
    }
  });

  it('the build has a_ready_o; the cycle lockstep fails at the first output row (o_valid_o) and suggests --check transactions', async function () {
    const b = await build();
    assert.equal(b.flowControl, true);
    const rtl = openRtlSim(b);
    try {
      const ls = new Lockstep(rtl);
      ls.reset();
      const p = randomProgram(ls.cfg, new Rng(4), 40, 9, 7, 'gemm');
      const run = await ls.runProgram(p, 'gemm');
      const first = run.verdict?.first;
      assert.ok(first !== undefined, 'the cycle lockstep must fail');
      const firstLast = p.plan.tiles.find((t) => t.last);
      assert.ok(firstLast !== undefined);
      assert.equal(first.where, 'o_valid_o');
      assert.equal(first.cycle, firstLast.streamCycle + R + C + 1, "the cycle of hw-sim's first row");
      assert.deepEqual([first.expected, first.actual], [1, 0]);
      const message = mismatchError(first).message;
      assert.match(message, /at o_valid_o: hw-sim 1, RTL 0/);
      assert.match(message, /this RTL has a_ready_o \(flow control\).* run with --check transactions/);
    } finally {
      rtl.close();
    }
  });
});
