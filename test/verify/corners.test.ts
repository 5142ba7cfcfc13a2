/**
 * The corner schedule on single configurations (what the corner tier, and `cosim` before its network, runs): on
 * every array configuration every corner case hits its corner by construction (corner-proofs.ts), stays inside the
 * contract on hw-sim (hazard checker on) and, for GEMMs, gives hw-sim output rows equal to the golden model's. The
 * proofs themselves have teeth: each one fails on a case altered to miss its corner.
 */
import assert from 'node:assert/strict';
import type { ArrayConfig } from '../../hw-sim/index.ts';
import { IN, inWords } from '../../hw-sim/index.ts';
import { CORNER_COUNT, cornerCase, cornerSchedule, type CornerKind, type RegressCase } from '../../verify/case-gen.ts';
import { CORNER_TIER_CASES, cornerSeeds, cornerTierCase } from '../../verify/corner-tier.ts';
import { LONG_PALETTE, configName } from '../../verify/palette.ts';
import { proveCorner, runOnHwSim } from './corner-proofs.ts';

const ALL = ['single', 'double', 'ruy'] as const;
const cfg = (rows: number, cols: number, accDepth: number, roundingModes: ArrayConfig['roundingModes'] = ALL): ArrayConfig => ({ rows, cols, accDepth, roundingModes });

/** cosim's arrays (8x8 and 16x16, AccDepth 1024) with the tier's default case count; the long palette and the ends of the range with one pass. */
const CONFIGS: Array<{ cfg: ArrayConfig; cases: number }> = [
  ...[cfg(8, 8, 1024), cfg(16, 16, 1024), cfg(8, 8, 1024, ['double'])].map((c) => ({ cfg: c, cases: CORNER_TIER_CASES })),
  ...[...LONG_PALETTE, cfg(2, 2, 2, ['ruy']), cfg(2, 32, 2), cfg(32, 2, 4096, ['single', 'ruy']), cfg(32, 32, 4096)].map((c) => ({ cfg: c, cases: cornerSchedule(c).length })),
];

describe('verify corner schedule on single configurations', function () {
  this.timeout(120_000);

  it('cornerSeeds: the first CORNER_COUNT seeds are the whole schedule once, in order, then again with new seeds', () => {
    const c = cfg(8, 8, 1024);
    const seeds = cornerSeeds(2 * CORNER_COUNT);
    assert.equal(new Set(seeds).size, seeds.length);
    assert.deepEqual(seeds.map((s) => cornerTierCase(s, c).kind), [...cornerSchedule(c), ...cornerSchedule(c)]);
    assert.equal(cornerSchedule(c).length, CORNER_COUNT);
    // an array of fewer modes has the ties of its own modes' steps only
    assert.deepEqual(cornerSchedule({ roundingModes: ['single'] }).filter((k) => k.startsWith('tie-')), ['tie-single', 'tie-single-left']);
    assert.deepEqual(cornerSchedule({ roundingModes: ['ruy'] }).filter((k) => k.startsWith('tie-')), ['tie-srdhm', 'tie-ruy']);
    assert.deepEqual(cornerSchedule(c).filter((k) => k.startsWith('tie-')), ['tie-single', 'tie-single-left', 'tie-srdhm', 'tie-rdbpot', 'tie-ruy']);
  });

  for (const { cfg: c, cases } of CONFIGS) {
    it(`${configName(c)}: ${cases} corner-tier cases, each hits its corner, inside the contract, hw-sim = golden`, () => {
      const seen = new Set<string>();
      for (const s of cornerSeeds(cases, c)) {
        const k = cornerTierCase(s, c);
        assert.deepEqual(proveCorner(k), [], `seed ${s} (${k.kind}) on ${configName(c)}`);
        if (k.gemm) runOnHwSim(k);
        seen.add(k.kind);
      }
      assert.deepEqual([...seen].sort(), [...cornerSchedule(c)].sort());
    });
  }

  it('each proof fails on a case altered to miss its corner', () => {
    const c3 = cfg(3, 5, 8);
    const d3 = cfg(3, 5, 8, ['double']);
    const alter = (k: CornerKind, on: ArrayConfig, f: (c: RegressCase) => RegressCase): void => {
      const c = cornerCase(1234, on, k);
      assert.deepEqual(proveCorner(c), [], `${k} unaltered`);
      assert.notDeepEqual(proveCorner(f(c)), [], `${k}: the altered case still passes its proof`);
    };
    const ops = (c: RegressCase, o: Partial<NonNullable<RegressCase['gemm']>['ops']>): RegressCase => ({ ...c, gemm: { ...c.gemm!, ops: { ...c.gemm!.ops, ...o } } });
    alter('int8-extremes', c3, (c) => ops(c, { w: new Int8Array(c.gemm!.ops.w.length) }));
    for (const [k, on] of [['tie-single', c3], ['tie-single-left', c3], ['tie-srdhm', d3]] as const) {
      alter(k, on, (c) => ops(c, { bias: c.gemm!.ops.bias.map((b) => b + 1) })); // x off the half by one
    }
    alter('tie-rdbpot', d3, (c) => ops(c, { shift: new Int32Array(c.gemm!.n) })); // no division by a power of two left
    alter('tie-ruy', c3, (c) => ops(c, { shift: new Int32Array(c.gemm!.n) }));
    alter('tie-ruy', c3, (c) => ops(c, { round: 'double' })); // the halves met in another mode's shift
    alter('tie-single', c3, (c) => ops(c, { round: 'ruy' }));
    alter('clamp-both-bounds', c3, (c) => ops(c, { m0: new Int32Array(c.gemm!.n) }));
    alter('clamp-min-above-max', c3, (c) => ops(c, { min: c.gemm!.ops.max, max: c.gemm!.ops.min }));
    alter('shift-left', c3, (c) => ops(c, { shift: new Int32Array(c.gemm!.n) }));
    alter('shift-right', c3, (c) => ops(c, { shift: new Int32Array(c.gemm!.n).fill(-1) }));
    alter('idle-first', c3, (c) => { const { noiseSeed: _, ...rest } = c; return rest; });
    const rawEdit = (c: RegressCase, f: (b: Int32Array, o: number, t: number) => void): RegressCase => {
      const b = c.raw!.slice();
      const iw = inWords(c.cfg);
      for (let t = 0; t < b.length / iw; t++) f(b, t * iw, t);
      return { ...c, raw: b };
    };
    // every beat first and last (rule 4 still holds): no accumulate, so no forwarding and no aimed idle slot
    alter('raw-forwarding', c3, (c) => rawEdit(c, (b, o) => { if (b[o + IN.aEn] === 1) { b[o + IN.aFirst] = 1; b[o + IN.aLast] = 1; } }));
    // every column's parameters written in cycles 0 .. C-1: nothing requantized with reset parameters any more
    alter('reset-state', c3, (c) => rawEdit(c, (b, o, t) => { if (t < c.cfg.cols) { b[o + IN.pEn] = 1; b[o + IN.pCol] = t; } }));
    alter('all-addresses', c3, (c) => {
      const g = c.gemm!;
      const m = c.cfg.accDepth;
      return { ...c, gemm: { ...g, m, ops: { ...g.ops, x: g.ops.x.slice(0, m * g.k) } } };
    });
  });
});
