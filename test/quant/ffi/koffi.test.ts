/**
 * quant/ffi/koffi.ts: whichever binding loads first, koffi's call stacks are the ones harness/sim needs to run a
 * Verilated model on the caller's thread. Each order runs in a fresh Node process (koffi is configured once a
 * process), and the golden model's kernels are loaded first in one of them, as a test worker that ran the golden
 * suites before the harness's does.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { KOFFI_STACK } from '../../../quant/ffi/koffi.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function stackAfter(first: string): number {
  const script = `${first}\nconst { koffiStack } = await import('./quant/ffi/koffi.ts');\nconsole.log(koffiStack());`;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  return Number(out.trim().split('\n').pop());
}

describe('quant/ffi/koffi: one configuration for every native binding', function () {
  this.timeout(60_000);

  it('the golden model\'s native kernels loaded first leave koffi the stacks harness/sim asks for', () => {
    const first = `const { nativeKernels, nativeStatus } = await import('./quant/golden/native/kernels.ts');\nif (!nativeKernels()) throw new Error(nativeStatus());`;
    assert.equal(stackAfter(first), KOFFI_STACK);
    assert.equal(stackAfter(''), KOFFI_STACK);
  });
});
