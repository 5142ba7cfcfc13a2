/**
 * The quick regression tier (part of `make test`): 300 seeded cases on the quick palette, golden vs hw-sim vs RTL
 * in deep lockstep (every output and every PE register, every cycle), plus checks that every configuration of the
 * palette hits every corner of the schedule on purpose and that sharding and replay are exact.
 */
import assert from 'node:assert/strict';
import { loadRtlConfig } from '../../harness/config/rtlConfig.ts';
import { CASE_KINDS, CORNER_COUNT, cornerSchedule, generateCase } from '../../verify/case-gen.ts';
import { QUICK_PALETTE, configName } from '../../verify/palette.ts';
import { runRegression } from '../../verify/runner.ts';
import { caseSeeds, parseShard } from '../../verify/shard.ts';
import { proveCorner } from './corner-proofs.ts';

describe('verify quick tier', function () {
  this.timeout(600_000); // cold Verilator builds of the three palette entries; cached afterwards

  it('300 cases: golden, hw-sim and the RTL (deep lockstep) agree on every one', async () => {
    const r = await runRegression({ palette: QUICK_PALETTE, rtl: { config: loadRtlConfig(), deep: true }, cases: 300, seed: 1 });
    console.log(`      quick tier: ${r.cases} cases, ${r.cycles} cycles, ${r.casesPerSecondWarm.toFixed(0)} cases/s simulating, ${r.seconds.toFixed(1)} s with ${r.buildSeconds.toFixed(1)} s of builds`);
    assert.equal(r.cases, 300);
    assert.equal(r.failed, 0, r.failures.map((f) => `seed ${f.seed}: ${f.message}\n  replay: ${f.replay}`).join('\n'));
    for (const k of CASE_KINDS) assert.ok((r.kinds[k] ?? 0) > 0, `no ${k} case among 300: ${JSON.stringify(r.kinds)}`);
  });

  it('a replayed seed is the same case', () => {
    for (const s of [7, 123456, 4_000_000_000]) {
      const a = generateCase(s, QUICK_PALETTE);
      const b = generateCase(s, QUICK_PALETTE);
      assert.deepEqual(a, b, `seed ${s}`);
    }
  });

  it('shards split a run into disjoint parts that cover every case', () => {
    const all = caseSeeds(1000, 77, { index: 1, count: 1 });
    const parts = [1, 2, 3].map((i) => caseSeeds(1000, 77, parseShard(`${i}/3`)));
    assert.deepEqual([...parts.flat()].sort((a, b) => a - b), all);
    assert.throws(() => parseShard('4/3'), /--shard/);
    assert.throws(() => parseShard('0/2'), /--shard/);
  });

  // The corners on purpose: every configuration of the palette gets the whole schedule (case-gen.ts cornerOf),
  // and each of those cases hits its corner (test/verify/corner-proofs.ts), whatever the configuration.
  for (const cfg of QUICK_PALETTE) {
    it(`${configName(cfg)}: the 300 seeds hit every corner of its schedule, each case its corner`, () => {
      const hits = new Map<string, number>();
      for (let s = 1; s <= 300; s++) {
        const c = generateCase(s, QUICK_PALETTE);
        if (configName(c.cfg) !== configName(cfg) || (CASE_KINDS as readonly string[]).includes(c.kind)) continue;
        assert.deepEqual(proveCorner(c), [], `seed ${s} (${c.kind}) misses its corner`);
        hits.set(c.kind, (hits.get(c.kind) ?? 0) + 1);
      }
      for (const k of cornerSchedule(cfg)) assert.ok((hits.get(k) ?? 0) >= 3, `${k}: ${hits.get(k) ?? 0} cases among the 300 seeds`);
      assert.equal(hits.size, CORNER_COUNT);
    });
  }
});
