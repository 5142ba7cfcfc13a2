/** Shared setup of the harness tests: cached builds of rtl/, random GEMM programs and lockstep runs of them. */
import assert from 'node:assert/strict';
import type { Lockstep } from '../../harness/lockstep/lockstep.ts';
import type { RtlSim } from '../../harness/sim/rtlSim.ts';
import { openRtlSim, type OpenOptions } from '../../harness/sim/verilatedSim.ts';
import { loadRtlConfig } from '../../harness/config/rtlConfig.ts';
import { buildRtl, type BuildRequest, type RtlBuild } from '../../harness/build/buildRtl.ts';
import { compileGemm, type Program } from '../../hw-sim/compiler/program.ts';
import type { ArrayConfig } from '../../hw-sim/index.ts';
import { Rng } from '../../quant/random.ts';
import { quantizeMultiplier } from '../../quant/spec/index.ts';

/**
 * A build of the project's RTL (cached under .cache/verilator). Without Verilator this throws ToolMissingError,
 * whose message is the apt-get command: the test fails with it, it never skips.
 */
export function buildArray(rows: number, cols: number, extra: Partial<BuildRequest> = {}): Promise<RtlBuild> {
  return buildRtl({ config: loadRtlConfig(), parameters: { Rows: rows, Cols: cols }, ...extra });
}

/** Opens a simulator of `build`, runs `body` on it and closes it whether body passes or throws. */
export async function withSim<T>(build: RtlBuild, body: (sim: RtlSim) => Promise<T> | T, options?: OpenOptions): Promise<T> {
  const sim = openRtlSim(build, options);
  try {
    return await body(sim);
  } finally {
    sim.close();
  }
}

/** A random GEMM program (operands in the full int8 range, random multipliers and clamps, a rounding mode of the array). */
export function randomProgram(cfg: ArrayConfig, rng: Rng, m: number, k: number, n: number, name = 'gemm'): Program {
  const m0 = new Int32Array(n);
  const shift = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    const q = quantizeMultiplier(Math.exp(rng.next() * 10 - 13));
    m0[j] = q.m0;
    shift[j] = q.shift;
  }
  const lo = rng.int(-128, 0);
  return compileGemm(
    cfg, m, k, n,
    {
      x: Int8Array.from({ length: m * k }, () => rng.int(-128, 127)),
      w: Int8Array.from({ length: k * n }, () => rng.int(-127, 127)),
      bias: Int32Array.from({ length: n }, () => rng.int(-200000, 200000)),
      m0, shift, zp: rng.int(-128, 127), min: lo, max: rng.int(lo, 127),
      round: rng.pick(cfg.roundingModes), // programs back to back switch the rounding
    },
    name,
  );
}

/**
 * Resets the lockstep and runs `trials` random GEMM programs back to back, each of the sizes `size` draws
 * ([M, K, N]), asserting that the RTL agrees with hw-sim on every output word of every cycle (seed named on failure).
 */
export async function runRandomTrials(ls: Lockstep, rng: Rng, seed: number, trials: number, size: () => [number, number, number]): Promise<void> {
  ls.reset();
  let cycles = 0;
  for (let trial = 0; trial < trials; trial++) {
    const [m, k, n] = size();
    const p = randomProgram(ls.cfg, rng, m, k, n, `t${trial}`);
    const run = await ls.runProgram(p, `trial ${trial}`);
    assert.equal(run.verdict, undefined, `seed ${seed} trial ${trial}: ${JSON.stringify(run.verdict?.first)}`);
    assert.equal(run.output?.length, p.m * p.n);
    cycles += p.nCycles;
  }
  assert.equal(ls.cycle, cycles);
}
