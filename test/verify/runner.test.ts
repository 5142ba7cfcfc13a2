/**
 * What the regression runner counts as a failing case: only the RTL's own behaviour (a lockstep or golden
 * difference, or the RTL stopping itself). A harness error inside a case (a lifecycle mistake, a stimulus the
 * contract forbids, any exception that is not the RTL's stop) is a HarnessError that ends the run, so that it can
 * never count as a mutant's kill.
 */
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { IN, inWords } from '../../hw-sim/contract/index.ts';
import { LifecycleError, RangeCheckError } from '../../quant/errors.ts';
import { loadRtlConfig } from '../../harness/config/rtlConfig.ts';
import { Lockstep } from '../../harness/lockstep/lockstep.ts';
import { openRtlSim } from '../../harness/sim/verilatedSim.ts';
import { generateCase, type RegressCase } from '../../verify/case-gen.ts';
import { buildFor, HarnessError, judgeCase, runRegression } from '../../verify/runner.ts';
import { runMutation } from '../../verify/mutate/run.ts';
import { applyMutant } from '../../verify/mutate/apply.ts';
import type { Mutant } from '../../verify/mutate/catalogue.ts';

const CFG = { rows: 3, cols: 5, accDepth: 8, roundingModes: ['single', 'double', 'ruy'] } as const;
const PALETTE = [CFG];

function firstOfKind(kind: RegressCase['kind'], gemm = false): RegressCase {
  for (let s = 1; s < 10_000; s++) {
    const c = generateCase(s, PALETTE);
    if (c.kind === kind && (!gemm || c.gemm !== undefined)) return c;
  }
  throw new Error(`no ${kind} case among the first seeds`);
}

async function lockstep(): Promise<Lockstep> {
  const build = await buildFor({ config: loadRtlConfig(), deep: true }, CFG); // the quick tier's build (cached)
  return new Lockstep(openRtlSim(build), { deep: true });
}

describe('verify runner: failing cases and harness errors', function () {
  this.timeout(600_000); // one build of the quick tier (cached) and one mutant build

  it('a raw stream outside the contract is a HarnessError (a generator bug), never a failing case', async () => {
    const c = firstOfKind('raw');
    const raw = Int32Array.from(c.raw as Int32Array);
    const iw = inWords(CFG);
    const t = Math.floor(raw.length / iw / 2);
    raw[t * iw + IN.wEn] = 1;
    raw[t * iw + IN.wRow] = CFG.rows; // no such PE row: hw-sim's hazard checker refuses the stream
    const ls = await lockstep();
    try {
      await assert.rejects(judgeCase({ ...c, raw }, ls, '3x5 D8', `replay ${c.seed}`), (err: unknown) => {
        assert.ok(err instanceof HarnessError, `a HarnessError, got ${String(err)}`);
        assert.equal(err.seed, c.seed);
        assert.equal(err.kind, 'raw');
        assert.match(err.message, new RegExp(`^seed ${c.seed} \\(3x5 D8, raw\\): the harness failed, not the RTL.*generator bug.*w_row must be in \\[0, 2\\], got 3`));
        assert.ok(err.cause instanceof RangeCheckError, 'the cause is the checker error');
        return true;
      });
    } finally {
      ls.rtl.close();
    }
  });

  it('a harness call that throws inside a case (a closed simulator) is a HarnessError, not an RTL stop', async () => {
    const c = firstOfKind('random', true);
    const ls = await lockstep();
    ls.rtl.close(); // the lifecycle mistake: every call on it now throws LifecycleError
    await assert.rejects(judgeCase(c, ls, '3x5 D8', `replay ${c.seed}`), (err: unknown) => {
      assert.ok(err instanceof HarnessError, `a HarnessError, got ${String(err)}`);
      assert.ok(err.cause instanceof LifecycleError);
      assert.match(err.message, /the harness failed, not the RTL.*LifecycleError: reset: the simulator is closed/);
      return true;
    });
  });

  it('the RTL stopping itself (a failed assertion) is a failing case, stage stop, and kills a mutant', async () => {
    // An assertion made too strict: any weight write to a row below 0 fires $error. Legal stimulus trips it.
    const strict: Mutant = {
      name: 'test-assert-w-row-too-strict',
      file: 'systolic_top.sv',
      search: "!w_en_i || 32'(w_row_i) < 32'(Rows)",
      replace: "!w_en_i || 32'(w_row_i) < 32'(1)",
      description: 'test only: the w_row assertion fires for every row but 0',
    };
    const applied = applyMutant(strict, resolve('rtl'), resolve('out', 'mutate-test'));
    const rr = await runRegression({ palette: PALETTE, rtl: { config: loadRtlConfig(applied.configPath) }, seeds: [1, 2] });
    assert.deepEqual(rr.failures.map((f) => [f.seed, f.stage]), [[1, 'stop'], [2, 'stop']]);
    assert.match(rr.failures[0]?.message ?? '', /Verilog \$stop.*systolic_top\.sv/);
    // Through a mutation run: the stop kills the mutant.
    const r = await runMutation({ mutants: [strict], cases: 5, modes: ['port'], outRoot: resolve('out', 'mutate-test') });
    const v = r.mutants[0]?.verdicts.port;
    assert.equal(v?.verdict, 'killed', JSON.stringify(v));
    assert.match(v?.killedBy ?? '', /^seed 1 \(\w[\w-]*, stop\): .*Verilog \$stop.*systolic_top\.sv/);
  });
});
