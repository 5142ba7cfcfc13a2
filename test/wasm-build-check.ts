/** The tests' check that a committed WebAssembly binary is what its .wat compiles to (tools/build-wasm.ts --check). */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

const ROOT = new URL('../', import.meta.url);

/** Runs tools/build-wasm.ts --check on `sources` (paths from the root; none: every source) and asserts that `upToDate` is reported. */
export function assertWasmUpToDate(sources: readonly string[], upToDate: RegExp): void {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'tools/build-wasm.ts', '--check', ...sources], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(run.status, 0, `tools/build-wasm.ts --check failed:\n${run.stdout}${run.stderr}`);
  assert.match(run.stdout, upToDate);
}
