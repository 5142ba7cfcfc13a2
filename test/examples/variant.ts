/** Shared by the example tests: a variant of an example's RTL, derived by exact text edits. */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { loadRtlConfig, type RtlConfig } from '../../harness/config/rtlConfig.ts';

/**
 * A variant of the example in folder `example` (its config is `cosim.json` there): `file` (one of the sources its
 * config lists, as a path relative to the folder: `top.sv`, or `../../rtl/systolic_top.sv` for a copy of rtl/'s)
 * rewritten by exact text edits, each of which must apply exactly once (so that a change to the example cannot
 * quietly turn the variant into the example itself), with a config that lists it in place of the original. The
 * folder is a fixed one under the system's temporary folder, not a fresh one: the build cache keys on the sources'
 * paths, and a new path every run would rebuild every run.
 */
export function writeVariant(example: string, name: string, file: string, edits: ReadonlyArray<readonly [string, string]>): RtlConfig {
  const source = resolve(example, file);
  let sv = readFileSync(source, 'utf8');
  for (const [from, to] of edits) {
    const parts = sv.split(from);
    assert.equal(parts.length, 2, `variant '${name}': the edit must apply exactly once to ${file}, found ${parts.length - 1}: ${JSON.stringify(from)}`);
    sv = parts.join(to);
  }
  const dir = join(tmpdir(), `int8cosim-${basename(example).replace(/_/g, '-')}-variants`, name);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, basename(file));
  const tmp = `${path}.${process.pid}.tmp`; // another run may read it: replace it whole
  writeFileSync(tmp, sv);
  renameSync(tmp, path);
  const base = loadRtlConfig(join(example, 'cosim.json'));
  const files = base.files.map((f) => (f === source ? path : f));
  assert.ok(files.includes(path), `the example config lists ${file}`);
  return { ...base, files, source: `${base.source} (variant '${name}')` };
}
