/** Shared by the example tests: an example's folder and config, its variants, and the small builds of both. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRtlConfig, type RtlConfig } from '../../harness/config/rtlConfig.ts';
import { buildRtl, type RtlBuild } from '../../harness/build/buildRtl.ts';
import { writeVariant } from './variant.ts';

/** The repository's root. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * examples/<name> under test at one small geometry (4x4 unless told), built with its config's AccDepth (1024 when it
 * names none) so that runCosim's build at that geometry is the same one and comes from the cache.
 */
export class ExampleUnderTest {
  readonly dir: string;
  readonly configPath: string;

  constructor(name: string, readonly rows = 4, readonly cols = 4) {
    this.dir = join(ROOT, 'examples', name);
    this.configPath = join(this.dir, 'cosim.json');
  }

  config(): RtlConfig {
    return loadRtlConfig(this.configPath);
  }

  /** A variant: `file` (relative to the example's folder) rewritten by exact text edits (variant.ts). */
  variant(name: string, file: string, edits: ReadonlyArray<readonly [string, string]>): RtlConfig {
    return writeVariant(this.dir, name, file, edits);
  }

  /** `verilator --lint-only -Wall` of the config's sources with these parameters: its exit status and output. */
  lint(params: Record<string, number>): { status: number | null; out: string } {
    const c = this.config();
    const args = ['--lint-only', '-Wall', '--top-module', c.top, ...c.includeDirs.map((d) => `-I${d}`), ...Object.entries(params).map(([k, v]) => `-G${k}=${v}`), ...c.files];
    const r = spawnSync('verilator', args, { encoding: 'utf8' });
    assert.equal(r.error, undefined, 'verilator is not installed: sudo apt-get install -y verilator');
    return { status: r.status, out: `${r.stdout}${r.stderr}` };
  }

  /** A build of the config (or a variant's) at this geometry, with its other parameters unless overridden. */
  build(config: RtlConfig = this.config(), parameters: Record<string, number> = {}): Promise<RtlBuild> {
    const accDepth = Number(config.parameters.AccDepth ?? 1024);
    return buildRtl({ config, parameters: { Rows: this.rows, Cols: this.cols, AccDepth: accDepth, ...parameters } });
  }
}
