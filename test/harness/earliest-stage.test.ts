/**
 * A difference between the RTL and hw-sim is reported where it shows first: in the earliest cycle (outputs of
 * cycle t show edge t-1, a register readout of cycle t edge t; at the same edge the PE registers win), and in that
 * cycle at the earliest stage: o_acc_o (what entered the requantizer) before o_data_o, PE (r, c) by r + c. Checked
 * on synthetic streams and with the planted fault of rtl/systolic_pe.sv (bit 0 of one psum flipped once), in the
 * lockstep of a compiled program and in the raw streams of the corner tier.
 */
import assert from 'node:assert/strict';
import { loadRtlConfig } from '../../harness/config/rtlConfig.ts';
import { buildRtl, type BuildRequest } from '../../harness/build/buildRtl.ts';
import { firstDifference, firstStageDifference } from '../../harness/lockstep/compare.ts';
import { Lockstep } from '../../harness/lockstep/lockstep.ts';
import { mismatchError } from '../../harness/lockstep/mismatch.ts';
import { outputWordLocation, outputWordRanks, registerWordLocation, registerWordRanks } from '../../harness/lockstep/names.ts';
import { generateCase } from '../../verify/case-gen.ts';
import { runCornerTier } from '../../verify/corner-tier.ts';
import { runRegression, type CaseFailure } from '../../verify/runner.ts';
import { openRtlSim } from '../../harness/sim/verilatedSim.ts';
import { IN, compileGemm, inWords, outWords, regWords } from '../../hw-sim/index.ts';
import { Rng } from '../../quant/random.ts';

const COLS = 4;
const ROWS = 3;

describe('harness: a difference is reported at the earliest stage it shows', function () {
  this.timeout(600_000); // the planted-fault port build of test/harness/fault.test.ts (cached)

  it('firstDifference (one memcmp first) finds a planted one-word difference where a word-by-word scan does, in ranges long and short', () => {
    const seed = 4401;
    const rng = new Rng(seed);
    const scan = (a: Int32Array, b: Int32Array, from: number, to: number): number => {
      for (let i = from; i < to; i++) if (a[i] !== b[i]) return i;
      return -1;
    };
    for (let trial = 0; trial < 300; trial++) {
      const len = rng.pick([1, 5, 63, 64, 65, 2048 * 18, rng.int(1, 5000)]);
      const a = Int32Array.from({ length: len + 7 }, () => rng.int32());
      const b = a.slice();
      const from = rng.int(0, 3);
      const to = rng.int(Math.min(len, from + 1), len);
      const at = rng.pick([from, to - 1, to, rng.int(0, len + 6)]); // the range's first and last words, the one past it, anywhere
      if (trial % 5 !== 0) b[at] = (a[at] as number) ^ (1 << rng.int(0, 31)); // one bit of one word (every fifth trial: none)
      const view = rng.next() < 0.5 ? 0 : 2; // also on views that start inside their buffer
      const got = firstDifference(a.subarray(view), b.subarray(view), from, Math.min(to, len + 7 - view));
      assert.equal(got, scan(a.subarray(view), b.subarray(view), from, Math.min(to, len + 7 - view)), `seed ${seed} trial ${trial}: [${from}, ${to}) difference at ${at}`);
    }
  });

  it('within a cycle: o_valid_o, o_addr_o, then every o_acc_o, then o_data_o; PE registers by r + c', () => {
    const ow = outWords({ cols: COLS });
    const want = new Int32Array(4 * ow);
    const got = want.slice();
    got[2 * ow + 2 + 0] = 9; // cycle 2: o_data_o[0] differs ...
    got[2 * ow + 2 + COLS + 3] = 9; // ... and o_acc_o[3]
    got[3 * ow + 0] = 1; // cycle 3: o_valid_o
    const rank = outputWordRanks(COLS);
    const d = firstStageDifference({ expected: want, actual: got, rank }, undefined, 4);
    assert.deepEqual(d && { kind: d.kind, cycle: d.cycle, words: d.words.map((w) => outputWordLocation(COLS, w).where) }, {
      kind: 'port', cycle: 2, words: ['o_acc_o[3]', 'o_data_o[0]'],
    });
    assert.deepEqual([0, 1].map((w) => rank[w]), [0, 1], 'o_valid_o and o_addr_o come first');

    const rw = regWords({ rows: ROWS, cols: COLS });
    const rr = registerWordRanks(ROWS, COLS);
    assert.deepEqual([...rr].sort((a, b) => a - b), Array.from({ length: rw }, (_, i) => i), 'a permutation');
    const wantR = new Int32Array(4 * rw);
    const gotR = wantR.slice();
    const word = (r: number, c: number, i: number): number => 6 * (r * COLS + c) + i;
    gotR[rw + word(0, 3, 5)] = 1; // edge 1: psum_q of PE (0, 3), stage 3 ...
    gotR[rw + word(1, 0, 2)] = 1; // ... a_q of PE (1, 0), stage 1: first in readout order would be PE (0, 3)
    gotR[rw + word(1, 0, 0)] = 1; // ... w0_q of PE (1, 0): its weight, before its activation
    const dr = firstStageDifference({ expected: want, actual: got, rank }, { expected: wantR, actual: gotR, rank: rr }, 4);
    assert.deepEqual(dr && { kind: dr.kind, cycle: dr.cycle, words: dr.words.map((w) => registerWordLocation(COLS, w).where) }, {
      kind: 'register', cycle: 1, words: ['pe(1,0).w0_q', 'pe(1,0).a_q', 'pe(0,3).psum_q'],
    });
    // outputs of cycle 2 show edge 1, the same edge as the readout of cycle 1: the register wins; a readout of cycle 2 loses
    gotR.fill(0);
    gotR[2 * rw + word(0, 0, 5)] = 1;
    assert.equal(firstStageDifference({ expected: want, actual: got, rank }, { expected: wantR, actual: gotR, rank: rr }, 4)?.kind, 'port');
    gotR.fill(0);
    gotR[rw + word(2, 3, 5)] = 1;
    assert.equal(firstStageDifference({ expected: want, actual: got, rank }, { expected: wantR, actual: gotR, rank: rr }, 4)?.kind, 'register');
  });

  const ROW = 1;
  const COL = 2;
  const CYCLE = 57;
  const FAULT = { INT8COSIM_FAULT: '', INT8COSIM_FAULT_ROW: String(ROW), INT8COSIM_FAULT_COL: String(COL), INT8COSIM_FAULT_CYCLE: String(CYCLE) };
  // the port build of test/harness/fault.test.ts: the same request, so the same cache entry
  const request: BuildRequest = { config: loadRtlConfig(), parameters: { Rows: 4, Cols: 4 }, defines: FAULT, deep: false };

  it('planted fault, lockstep of a program: o_acc_o[2] is named, o_data_o[2] differs in the same cycle', async () => {
    const rtl = openRtlSim(await buildRtl(request));
    try {
      const ls = new Lockstep(rtl);
      ls.reset();
      // multiplier 1 (m0 = 2^30, shift 1), zero point 0, no clamp in reach: o_data_o = acc, so the flipped bit shows in both ports
      const rng = new Rng(3);
      const m = 64;
      const p = compileGemm(ls.cfg, m, 4, 4, {
        x: Int8Array.from({ length: m * 4 }, () => rng.int(-3, 3)),
        w: Int8Array.from({ length: 16 }, () => rng.int(-3, 3)),
        bias: new Int32Array(4), m0: new Int32Array(4).fill(2 ** 30), shift: new Int32Array(4).fill(1), zp: 0, min: -128, max: 127, round: 'single',
      }, 'unit multiplier');
      const run = await ls.runProgram(p, 'earliest stage');
      assert.ok(run.verdict, 'the planted fault went unnoticed');
      const f = run.verdict.first;
      assert.equal(f.kind, 'port');
      assert.equal(f.where, `o_acc_o[${COL}]`, mismatchError(f).message);
      assert.equal(f.actual ^ f.expected, 1, 'bit 0 of the sum flipped');
      assert.deepEqual(f.also, [`o_data_o[${COL}]`], mismatchError(f).message);
      // the beat PE (1, 2) multiplied in cycle 57 entered in cycle 57 - 1 - 2 and leaves L = R + C + 1 cycles later
      assert.equal(f.cycle, CYCLE - ROW - COL + 4 + 4 + 1);
      assert.match(mismatchError(f).message, /at o_acc_o\[2\]: hw-sim -?\d+, RTL -?\d+; in the same cycle also o_data_o\[2\]$/);
    } finally {
      rtl.close();
    }
  });

  it('planted fault, corner tier in port mode: every failing case names o_acc_o[2], raw streams (runRaw) too', async () => {
    const cfg = { rows: 4, cols: 4, accDepth: 1024, roundingModes: ['single', 'double', 'ruy'] } as const;
    const rtl = { config: loadRtlConfig(), defines: FAULT };
    const names = (fs: readonly CaseFailure[]): void => {
      for (const f of fs) {
        assert.equal(f.stage, 'lockstep', f.message);
        assert.match(f.message, new RegExp(`at o_acc_o\\[${COL}\\]: `), `seed ${f.seed} (${f.kind}): ${f.message}`);
      }
    };
    const r = await runCornerTier({ rtl, cfg });
    assert.ok(r.failed > 0, 'the planted fault went unnoticed');
    names(r.failures);
    assert.ok(r.failures.some((f) => f.message.includes(`also o_data_o[${COL}]`)), 'some case shows it in o_data_o as well');
    // raw streams (corners and the random mix) whose beat of cycle 57 - 1 - 2, which PE (1, 2) adds with the flipped
    // bit, belongs to a chain that a `last` beat outputs
    const iw = inWords(cfg);
    const shows = (b: Int32Array): boolean => {
      const w = (t: number, k: number): number => b[t * iw + k] as number;
      let t = CYCLE - ROW - COL;
      if (w(t, IN.aEn) !== 1) return false;
      const addr = w(t, IN.aAddr);
      for (; t < b.length / iw; t++) {
        if (w(t, IN.aEn) !== 1 || w(t, IN.aAddr) !== addr) continue;
        if (t > CYCLE - ROW - COL && w(t, IN.aFirst) === 1) return false;
        if (w(t, IN.aLast) === 1) return true;
      }
      return false;
    };
    const raw = Array.from({ length: 900 }, (_, i) => i + 1).filter((s) => {
      const c = generateCase(s, [cfg]);
      return c.raw !== undefined && shows(c.raw);
    });
    assert.ok(raw.length >= 3, `raw streams through PE (1, 2) in cycle ${CYCLE}: seeds ${raw.join(', ')}`);
    const rr = await runRegression({ palette: [cfg], rtl, seeds: raw });
    assert.equal(rr.failed, raw.length, `every one of seeds ${raw.join(', ')} shows the fault`);
    assert.ok(rr.failures.every((f) => /on a raw stream/.test(f.message)));
    names(rr.failures);
  });
});
