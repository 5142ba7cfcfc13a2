/**
 * The toolchain check of a mutation run really compiles. A mutant that does not build is stillborn only after the
 * unmutated RTL was built from nothing (an empty cache: Verilator, the Verilator runtime, the model, the link),
 * and when the compiler fails (here: a $CXX that answers --version like g++ and then dies like a compiler killed
 * under load) the run stops with an error instead of counting a kill. The second test runs in a child process:
 * findToolchain keeps the toolchain it found in a module variable, so only a fresh process sees the new $CXX.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadRtlConfig } from '../../../harness/config/rtlConfig.ts';
import { KILL_ARRAY, runMutation } from '../../../verify/mutate/run.ts';
import { buildFor } from '../../../verify/runner.ts';
import { BROKEN_MUTANT } from './broken-mutant.ts';

describe('verify/mutate toolchain check', function () {
  this.timeout(600_000); // one build from nothing (about 30 s on an idle 2-core machine)
  let scratch: string;
  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'int8cosim-test-scratch-'));
  });
  afterEach(() => rmSync(scratch, { recursive: true, force: true }));

  it('a mutant that does not build is stillborn after the unmutated RTL builds from an empty cache, which is removed', async () => {
    const r = await runMutation({ mutants: [BROKEN_MUTANT], cases: 3, modes: ['port'], outRoot: resolve('out', 'mutate-test'), scratchDir: scratch });
    const v = r.mutants[0]?.verdicts.port;
    assert.equal(v?.verdict, 'stillborn', JSON.stringify(v));
    assert.match(v?.killedBy ?? '', /^build failed: verilator/);
    const check = v?.toolchainCheck;
    assert.ok(check, 'the verdict records the toolchain check');
    // Every step of a build from nothing ran, the Verilator runtime included (a cached build runs none of them).
    assert.deepEqual(check.steps.map((s) => s.split(' ')[0] + ' ' + s.split(' ')[1]), ['verilating systolic_top', 'compiling the', 'compiling 8']);
    assert.match(check.steps[1] ?? '', /Verilator runtime/);
    assert.ok(check.cacheDir.startsWith(scratch), check.cacheDir);
    assert.equal(existsSync(check.cacheDir), false, 'the temporary cache is removed');
    assert.deepEqual(readdirSync(scratch), []);
    assert.equal(r.scores.port?.stillborn, 1);
  });

  it('a compiler that dies stops the run with an error; the failed mutant build is not counted as a kill', async () => {
    // The baseline's build must be in the cache: the failing compiler only meets the builds that are not.
    await buildFor({ config: loadRtlConfig() }, { ...KILL_ARRAY, roundingModes: ['single', 'double', 'ruy'] });
    const cxx = join(scratch, 'dying-c++');
    writeFileSync(
      cxx,
      `#!/bin/sh\n# answers --version like the real compiler (same cache keys), dies on any compile\n` +
        `if [ "$1" = "--version" ]; then exec ${process.env.CXX ?? 'g++'} --version; fi\n` +
        `echo "c++: fatal error: Killed signal terminated program cc1plus" >&2\nexit 1\n`,
    );
    chmodSync(cxx, 0o755);
    const child = spawnSync(process.execPath, ['--import', 'tsx', resolve('test', 'verify', 'mutate', 'stillborn-run.ts'), join(scratch, 'checks')], {
      encoding: 'utf8',
      env: { ...process.env, CXX: cxx },
      timeout: 300_000,
    });
    const out = `${child.stdout}${child.stderr}`;
    assert.notEqual(child.status, 0, `the run must fail, got exit ${child.status}:\n${out}`);
    assert.match(child.stderr, /ToolchainError: the unmutated RTL .* does not build from scratch either, so the toolchain or the machine is at fault, not the mutant/);
    assert.match(child.stderr, /Killed signal terminated program cc1plus/);
    assert.doesNotMatch(child.stdout, /stillborn/, 'no verdict was printed');
    assert.deepEqual(readdirSync(join(scratch, 'checks')), [], 'the temporary cache is removed after a failed check too');
  });
});
