/**
 * bin/ensure-system-packages and system-packages.txt: the one list of Debian packages, what `make test`,
 * `make cosim` and .ci/run install from. Run here as a user without root (runuser), it must name the apt-get command
 * in one line and fail; with everything present it must say nothing and pass.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');
const SCRIPT = join(ROOT, 'bin', 'ensure-system-packages');

function listed(): { pkg: string; cmd: string; targets: string[] }[] {
  return readFileSync(join(ROOT, 'system-packages.txt'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => {
      const [pkg, cmd, targets] = l.trim().split(/\s+/);
      return { pkg: pkg as string, cmd: cmd as string, targets: (targets as string).split(',') };
    });
}

describe('system packages: one list, one installer', () => {
  it('lists what the suite and cosim use, each for the targets that need it', () => {
    const l = listed();
    const names = l.map((p) => p.pkg);
    for (const p of ['verilator', 'g++', 'make', 'iverilog', 'chromium']) assert.ok(names.includes(p), `${p} is not listed`);
    for (const p of ['verilator', 'g++']) assert.ok(l.find((x) => x.pkg === p)?.targets.includes('cosim'), `${p} is needed by cosim`);
    // what a target needs, the suite needs too; a package only wanted ('bench?': the PyTorch peer) is not the suite's
    for (const p of l) if (!p.targets.every((t) => t.endsWith('?'))) assert.ok(p.targets.includes('test'), `make test needs ${p.pkg} too`);
    for (const p of ['verilator', 'g++']) assert.ok(l.find((x) => x.pkg === p)?.targets.includes('bench'), `${p} is needed by bench`);
    assert.deepEqual(l.find((x) => x.pkg === 'python3-torch')?.targets, ['bench?'], 'the PyTorch peer is wanted by bench, not needed');
  });

  it('passes silently when everything is installed (as after .ci/run or make test here)', () => {
    const r = spawnSync('bash', [SCRIPT, 'test'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
  });

  it('as a user without root: one line naming the apt-get command, exit 1; a bad target is a usage error', function () {
    if (process.getuid?.() !== 0) this.skip(); // needs runuser to become another user; CI and this machine run as root
    const dir = mkdtempSync(join(tmpdir(), 'int8cosim-syspkg-'));
    try {
      mkdirSync(join(dir, 'bin'));
      copyFileSync(SCRIPT, join(dir, 'bin', 'ensure-system-packages'));
      writeFileSync(join(dir, 'system-packages.txt'), '# test list\nbash bash test present\nint8cosim-no-such-package - cosim,test missing\n');
      spawnSync('chmod', ['-R', 'a+rX', dir]);
      const r = spawnSync('runuser', ['-u', 'nobody', '--', 'bash', join(dir, 'bin', 'ensure-system-packages'), 'test'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      assert.equal(r.status, 1, r.stderr);
      const lines = r.stderr.trim().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.equal(lines[0], "missing system packages for 'make test': int8cosim-no-such-package; install them with: sudo apt-get install -y --no-install-recommends int8cosim-no-such-package");
      // a package the target only wants: one line naming it, and the target goes on (status 0)
      writeFileSync(join(dir, 'system-packages.txt'), '# test list\nbash bash test,bench present\nint8cosim-no-such-peer - bench? wanted\n');
      const w = spawnSync('runuser', ['-u', 'nobody', '--', 'bash', join(dir, 'bin', 'ensure-system-packages'), 'bench'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      assert.equal(w.status, 0, w.stderr);
      assert.equal(w.stderr, "'make bench' runs without int8cosim-no-such-peer (what it adds is skipped and said so); install it with: sudo apt-get install -y --no-install-recommends int8cosim-no-such-peer\n");
      const t = spawnSync('runuser', ['-u', 'nobody', '--', 'bash', join(dir, 'bin', 'ensure-system-packages'), 'test'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      assert.equal(t.status, 0, t.stderr);
      assert.equal(t.stderr, '', 'a package wanted by bench is not named for test');
      const bad = spawnSync('bash', [join(dir, 'bin', 'ensure-system-packages'), 'deploy'], { encoding: 'utf8' });
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /usage: .* cosim\|test\|bench\|all/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is what .ci/run and the Makefile call: no second list of packages anywhere', () => {
    const ci = readFileSync(join(ROOT, '.ci', 'run'), 'utf8');
    assert.match(ci, /bin\/ensure-system-packages test/);
    assert.doesNotMatch(ci, /apt-get install/);
    const make = readFileSync(join(ROOT, 'Makefile'), 'utf8');
    assert.match(make, /^test: system-test /m);
    assert.match(make, /^cosim: system-cosim /m);
    assert.match(make, /^bench: system-bench /m);
  });
});
