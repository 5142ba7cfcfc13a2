/** Shared setup of the harness tests: cached builds of rtl/ and random GEMM programs. */
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
export function buildArray(rows: number, cols: number, mode: 'single' | 'double', extra: Partial<BuildRequest> = {}): Promise<RtlBuild> {
  return buildRtl({ config: loadRtlConfig(), parameters: { Rows: rows, Cols: cols, RoundingMode: mode === 'single' ? 0 : 1 }, ...extra });
}

/** A random GEMM program (operands in the full int8 range, random multipliers and clamps). */
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
    },
    name,
  );
}
