/**
 * The toolchain check of a mutation run: after a mutant fails to build, the unmutated RTL is built from nothing
 * into a fresh, empty cache directory (removed afterwards), so that Verilator, the C++ compiler and the linker
 * really run (the Verilator runtime is compiled too: it lives in the cache). A cache hit would say nothing about
 * a compiler killed under load a minute ago; this build does.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CosimError } from '../../quant/errors.ts';
import type { ArrayConfig } from '../../hw-sim/index.ts';
import { buildRtl } from '../../harness/build/buildRtl.ts';
import { paletteParameters, type RtlTarget } from '../runner.ts';

export interface ToolchainCheck {
  /** The fresh cache directory the unmutated RTL was built in (removed again). */
  cacheDir: string;
  /** The build's own progress lines: verilating, compiling the Verilator runtime, compiling the model. */
  steps: string[];
  seconds: number;
}

/** The toolchain cannot build the unmutated RTL from nothing: no verdict on any mutant means anything. */
export class ToolchainError extends CosimError {}

/**
 * Builds the unmutated RTL of `rtl` for `cfg` with no cache; resolves with what ran, or throws ToolchainError with
 * the first lines of the tool's output. `scratchDir` holds the temporary cache (default the OS's temp directory).
 */
export async function checkToolchain(rtl: RtlTarget, cfg: ArrayConfig, scratchDir = tmpdir()): Promise<ToolchainCheck> {
  mkdirSync(scratchDir, { recursive: true });
  const cacheDir = mkdtempSync(join(scratchDir, 'int8cosim-toolchain-check-'));
  const steps: string[] = [];
  const t0 = performance.now();
  try {
    const build = await buildRtl({
      config: rtl.config,
      parameters: paletteParameters(cfg),
      ...(rtl.defines ? { defines: rtl.defines } : {}),
      deep: rtl.deep ?? false,
      cacheDir,
      log: (l) => steps.push(l),
    });
    // An empty directory cannot hold the build; if it claims to, the check did not compile and proves nothing.
    if (build.cached) throw new ToolchainError(`toolchain check: the build in the empty cache ${cacheDir} reports a cache hit`);
    return { cacheDir, steps, seconds: (performance.now() - t0) / 1000 };
  } catch (err) {
    if (err instanceof ToolchainError) throw err;
    const first = (err as Error).message.split('\n').slice(0, 3).join(' ');
    throw new ToolchainError(
      `the unmutated RTL (${rtl.config.source}${rtl.deep ? ', deep' : ''}) does not build from scratch either, so the toolchain or the machine is at fault, not the mutant: ${first}`,
      { cause: err },
    );
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}
