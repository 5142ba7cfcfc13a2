/**
 * The quick regression tier (part of `make test`): 300 seeded cases on the quick palette, golden vs hw-sim vs RTL
 * in deep lockstep (every output and every PE register, every cycle), plus checks that the corner generators really
 * produce their corners and that sharding and replay are exact.
 */
import assert from 'node:assert/strict';
import { loadRtlConfig } from '../../harness/config/rtlConfig.ts';
import { generateCase, CASE_KINDS, type RegressCase } from '../../harness/regress/case-gen.ts';
import { goldenGemm } from '../../harness/regress/golden.ts';
import { QUICK_PALETTE } from '../../harness/regress/palette.ts';
import { runRegression } from '../../harness/regress/runner.ts';
import { caseSeeds, parseShard } from '../../harness/regress/shard.ts';
import { gemmInt8 } from '../../quant/golden/index.ts';
import { INT32_MAX, INT32_MIN, saturatingRoundingDoublingHighMul } from '../../quant/spec/index.ts';

/** Cases of one kind among the first seeds of a palette. */
function casesOf(kind: RegressCase['kind'], palette: typeof QUICK_PALETTE, want: number): RegressCase[] {
  const out: RegressCase[] = [];
  for (let s = 1; out.length < want && s < 100_000; s++) {
    const c = generateCase(s, palette);
    if (c.kind === kind) out.push(c);
  }
  return out;
}

/** x = acc + bias of every output element (exact, no wrap: the tie cases are small). */
function xs(c: RegressCase): { x: number; col: number }[] {
  const g = c.gemm!;
  const acc = gemmInt8(g.ops.x, g.ops.w, g.m, g.k, g.n);
  return Array.from(acc, (a, i) => ({ x: a + (g.ops.bias[i % g.n] as number), col: i % g.n }));
}

describe('harness/regress quick tier', function () {
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

  it('tie cases meet exact halves, with both signs, in single rounding', () => {
    const pal = QUICK_PALETTE.filter((c) => c.roundingMode === 'single');
    let pos = 0;
    let neg = 0;
    for (const c of casesOf('tie', pal, 40)) {
      const g = c.gemm!;
      for (const { x, col } of xs(c)) {
        const t = BigInt(31 - (g.ops.shift[col] as number));
        const r = ((BigInt(x) * BigInt(g.ops.m0[col] as number)) % (1n << t) + (1n << t)) % (1n << t);
        if (r === 1n << (t - 1n)) x > 0 ? pos++ : neg++;
      }
    }
    assert.ok(pos > 50 && neg > 50, `exact halves: ${pos} with x > 0, ${neg} with x < 0`);
  });

  it('tie cases meet exact halves in both steps of double rounding, with both signs', () => {
    const pal = QUICK_PALETTE.filter((c) => c.roundingMode === 'double');
    const n = { srdhmPos: 0, srdhmNeg: 0, rdbpotPos: 0, rdbpotNeg: 0 };
    for (const c of casesOf('tie', pal, 60)) {
      const g = c.gemm!;
      for (const { x, col } of xs(c)) {
        const m0 = g.ops.m0[col] as number;
        const s = g.ops.shift[col] as number;
        if ((BigInt(x) * BigInt(m0)) % (1n << 31n) === (x > 0 ? 1n : -1n) << 30n) x > 0 ? n.srdhmPos++ : n.srdhmNeg++;
        const r = -s;
        if (r >= 1) {
          const hi = saturatingRoundingDoublingHighMul(x, m0);
          if ((hi & ((1 << r) - 1)) === 1 << (r - 1)) hi > 0 ? n.rdbpotPos++ : n.rdbpotNeg++;
        }
      }
    }
    assert.ok(Object.values(n).every((v) => v > 10), `ties per step and sign: ${JSON.stringify(n)}`);
  });

  it('clamp cases hit both clamp bounds; accumulator-extreme cases wrap acc + bias both ways', () => {
    let both = 0;
    const clamp = casesOf('clamp', QUICK_PALETTE, 40);
    for (const c of clamp) {
      const y = goldenGemm(c.gemm!, c.cfg.roundingMode);
      if (y.includes(c.gemm!.ops.min) && y.includes(c.gemm!.ops.max)) both++;
    }
    assert.ok(both >= 0.8 * clamp.length, `${both} of ${clamp.length} clamp cases hit both bounds`);
    let over = 0;
    let under = 0;
    for (const c of casesOf('acc-extreme', QUICK_PALETTE, 40)) {
      for (const { x } of xs(c)) {
        if (x > INT32_MAX) over++;
        if (x < INT32_MIN) under++;
      }
    }
    assert.ok(over > 10 && under > 10, `acc + bias above INT32_MAX ${over} times, below INT32_MIN ${under} times`);
  });
});
