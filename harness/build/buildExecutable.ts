/**
 * Verilates a testbench into an executable (verilator --binary, or --cc --exe --build with a C++ main), cached
 * under <cacheDir>/<name>-<hash>/ by a hash of Verilator's version, the flags and the contents of every input. As
 * in buildRtl, the build happens in a temporary directory renamed into place only when it succeeded, so that a
 * failed or killed build never leaves an entry; the tool's output reaches the caller verbatim (ToolError).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FormatError } from '../../quant/errors.ts';
import { moveIntoCache, sweepStale } from './buildCache.ts';
import { runToolSync } from './runTool.ts';
import { findToolchain, VERILATOR_INSTALL_HINT } from './tools.ts';

/** Bump when the build procedure changes in a way the other inputs of the hash do not show. */
const BUILDER_VERSION = 'int8cosim-exe-1';

export interface ExecutableRequest {
  /** Verilator's flags and sources; the builder adds `-Mdir obj -o tb` and runs it in the build directory. */
  args: string[];
  /** Every file the build reads (sources, headers, the testbench), absolute: their contents go into the cache key. */
  inputs: string[];
  /** The cache entry's name before its hash (`vl-requant_tb`). */
  name: string;
  cacheDir: string;
  /** What the build is, for messages. */
  what: string;
  /** Said when a build starts (a cached one is silent). */
  log?: (line: string) => void;
}

export interface VerilatedExecutable {
  exe: string;
  cached: boolean;
  seconds: number;
}

export function buildVerilatedExecutable(req: ExecutableRequest): VerilatedExecutable {
  const t0 = performance.now();
  const tools = findToolchain();
  const h = createHash('sha256').update([BUILDER_VERSION, tools.verilatorVersionLine, ...req.args].join('\n'));
  for (const f of req.inputs) {
    try {
      h.update(`\n${f}\n`).update(readFileSync(f));
    } catch (err) {
      throw new FormatError(`${req.what}: cannot read ${f}: ${(err as Error).message}`, { cause: err });
    }
  }
  const key = h.digest('hex').slice(0, 20);
  const dir = join(req.cacheDir, `${req.name}-${key}`);
  const exe = join(dir, 'obj', 'tb');
  const seconds = (): number => (performance.now() - t0) / 1000;
  if (existsSync(join(dir, 'done'))) return { exe, cached: true, seconds: seconds() };

  mkdirSync(req.cacheDir, { recursive: true });
  sweepStale(req.cacheDir);
  const tmp = join(req.cacheDir, `tmp-${req.name}-${key}-${process.pid}-${Date.now()}`);
  mkdirSync(tmp, { recursive: true });
  try {
    req.log?.(`building ${req.what}`);
    runToolSync(tools.verilator, [...req.args, '-Mdir', 'obj', '-o', 'tb'], req.what, { cwd: tmp, install: VERILATOR_INSTALL_HINT });
    writeFileSync(join(tmp, 'done'), new Date().toISOString());
    moveIntoCache(tmp, dir, 'done');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return { exe, cached: false, seconds: seconds() };
}
