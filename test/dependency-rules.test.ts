/**
 * The room rules of .dependency-cruiser.cjs (docs/HOUSE.md) catch what they are meant to: a small tree of rooms
 * in a scratch folder, one planted violation a rule, cruised with the project's own config. `make deps-check`
 * runs the same rules on the real tree; this shows they are not rules that cannot fail.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');

// Clean files: the allowed imports of each room, none of which may be flagged.
const CLEAN: Record<string, string> = {
  'quant/spec/index.ts': `export const one = 1;\n`,
  'quant/errors.ts': `export class CosimError extends Error {}\n`,
  'quant/format/types.ts': `import { one } from '../spec/index.ts';\nexport const two = one + 1;\n`,
  'quant/fakequant/fq.ts': `import * as tf from '@tensorflow/tfjs';\nexport const t = tf;\n`,
  'hw-sim/contract/names.ts': `import { two } from '../../quant/format/types.ts';\nimport { CosimError } from '../../quant/errors.ts';\nexport const names = [two, CosimError];\n`,
  'hw-sim/sim.ts': `import { names } from './contract/names.ts';\nexport const sim = names;\n`,
  'harness/build/run-tool.ts': `import { spawn } from 'node:child_process';\nimport { sim } from '../../hw-sim/sim.ts';\nexport const run = [spawn, sim];\n`,
  'quant/ffi/koffi.ts': `import koffi from 'koffi';\nexport const k = koffi;\n`,
  'quant/golden/native/kernels.ts': `import { k } from '../../ffi/koffi.ts';\nexport const kernels = k;\n`,
  'harness/sim/binding.ts': `import { k } from '../../quant/ffi/koffi.ts';\nexport const k2 = k;\n`,
  'harness/config/config.ts': `export const config = 1;\n`,
  'verify/runner.ts': `import { run } from '../harness/build/run-tool.ts';\nimport { k2 } from '../harness/sim/binding.ts';\nexport const runner = [run, k2];\n`,
  'verify/regress-report.ts': `import { two } from '../quant/format/types.ts';\nexport const schema = two;\n`,
  'synth/suite.ts': `import { config } from '../harness/config/config.ts';\nimport { spawn } from 'node:child_process';\nexport const s = [config, spawn];\n`,
  'report/lanes.ts': `import { names } from '../hw-sim/contract/names.ts';\nimport type { sim } from '../hw-sim/sim.ts';\nimport { schema } from '../verify/regress-report.ts';\nexport type S = typeof sim;\nexport const lanes = [names, schema];\n`,
  'cosim/run.ts': `import { runner } from '../verify/runner.ts';\nimport { lanes } from '../report/lanes.ts';\nexport const c = [runner, lanes];\n`,
  'cli/main.ts': `import { c } from '../cosim/run.ts';\nexport const main = c;\n`,
  'test/x.test.ts': `import { main } from '../cli/main.ts';\nimport fc from 'fast-check';\nexport const x = [main, fc];\n`,
};

/** A planted file that imports one name and re-exports it (most violations are one such import). */
const uses = (name: string, from: string): string => `import { ${name} } from '${from}';\nexport const u = ${name};\n`;

// One violation a rule: [file, source, the rule it breaks ('' for a file that only completes another's case).
const PLANTED: readonly [string, string, string][] = [
  ['verify/cycle-a.ts', `import { b } from './cycle-b.ts';\nexport const a = () => b;\n`, 'no-circular'],
  // the cycle closes through a type-only import, and is reported once, at cycle-a.ts
  ['verify/cycle-b.ts', `import type { a } from './cycle-a.ts';\nexport const b = 1;\nexport type A = typeof a;\n`, ''],
  ['verify/uses-test.ts', uses('x', '../test/x.test.ts'), 'nothing-imports-test'],
  ['cosim/uses-cli.ts', uses('main', '../cli/main.ts'), 'nothing-imports-cli'],
  ['quant/spec/uses-errors.ts', uses('CosimError', '../errors.ts'), 'quant-spec-imports-nothing'],
  ['quant/spec/uses-fs.ts', uses('readFileSync', 'node:fs'), 'quant-spec-imports-nothing'],
  ['quant/format/uses-hw-sim.ts', uses('sim', '../../hw-sim/sim.ts'), 'quant-imports-nothing-above'],
  ['model/uses-harness.ts', uses('config', '../harness/config/config.ts'), 'model-imports-quant-only'],
  ['hw-sim/uses-golden.ts', uses('g', '../quant/golden/run.ts'), 'hw-sim-imports-spec-and-format-only'],
  ['quant/golden/run.ts', `export const g = 1;\n`, ''],
  ['hw-sim/uses-tfjs-through-quant.ts', uses('t', '../quant/fakequant/fq.ts'), 'tfjs-never-reaches-the-hardware-side'],
  ['verify/uses-tfjs.ts', `import * as tf from '@tensorflow/tfjs';\nexport const u = tf;\n`, 'tfjs-only-in-model-and-fakequant'],
  ['harness/lockstep/uses-koffi.ts', `import koffi from 'koffi';\nexport const u = koffi;\n`, 'koffi-only-in-quant-ffi'],
  ['quant/golden/native/uses-koffi.ts', `import koffi from 'koffi';\nexport const u = koffi;\n`, 'koffi-only-in-quant-ffi'],
  ['verify/spawns.ts', uses('spawnSync', 'node:child_process'), 'only-harness-build-and-synth-spawn'],
  ['harness/waves/uses-report.ts', uses('lanes', '../../report/lanes.ts'), 'harness-imports-hw-sim-and-quant-only'],
  ['verify/uses-synth.ts', uses('s', '../synth/suite.ts'), 'verify-imports-harness-hw-sim-quant-only'],
  ['synth/uses-build.ts', uses('run', '../harness/build/run-tool.ts'), 'synth-imports-rtl-config-only'],
  ['report/uses-sim.ts', uses('sim', '../hw-sim/sim.ts'), 'report-imports-types-of-the-simulators'],
  ['report/uses-runner.ts', uses('runner', '../verify/runner.ts'), 'report-runs-nothing'],
  ['cosim/uses-bench.ts', uses('b', '../bench/b.ts'), 'cosim-below-cli'],
  ['bench/b.ts', `export const b = 1;\n`, ''],
  ['harness/build/uses-dev-dep.ts', `import fc from 'fast-check';\nexport const u = fc;\n`, 'run-time-code-uses-no-dev-dependency'],
  ['harness/build/uses-undeclared.ts', uses('util', '@tensorflow/tfjs-converter'), 'every-package-is-declared'],
  ['verify/unresolvable.ts', uses('nope', './nope.ts'), 'no-unresolvable-import'],
];

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

describe('dependency rules (.dependency-cruiser.cjs)', function () {
  this.timeout(120_000);
  let violations: Violation[] = [];
  let dir = '';

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'int8cosim-deps-'));
    for (const [f, src] of [...Object.entries(CLEAN), ...PLANTED.map(([f, s]) => [f, s] as const)]) {
      mkdirSync(dirname(join(dir, f)), { recursive: true });
      writeFileSync(join(dir, f), src);
    }
    copyFileSync(join(ROOT, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
    copyFileSync(join(ROOT, 'tsconfig.json'), join(dir, 'tsconfig.json'));
    copyFileSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const rooms = ['quant', 'model', 'hw-sim', 'harness', 'verify', 'synth', 'report', 'cosim', 'cli', 'bench', 'test'];
    const r = spawnSync(join(ROOT, 'node_modules', '.bin', 'depcruise'), ['--config', '.dependency-cruiser.cjs', '--output-type', 'json', ...rooms], { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20 });
    assert.ok(r.stdout.startsWith('{'), `depcruise printed no JSON:\n${r.stdout}${r.stderr}`);
    violations = (JSON.parse(r.stdout) as { summary: { violations: Violation[] } }).summary.violations;
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  const list = (): string => violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).join('\n');

  for (const [file, , rule] of PLANTED.filter(([, , r]) => r !== '')) {
    it(`${rule} flags ${file}`, () => {
      assert.ok(violations.some((v) => v.rule.name === rule && v.from === file), `not flagged; the violations:\n${list()}`);
    });
  }

  it('flags none of the allowed imports of each room', () => {
    const wrong = violations.filter((v) => v.from in CLEAN);
    assert.deepEqual(wrong.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`), []);
  });
});
