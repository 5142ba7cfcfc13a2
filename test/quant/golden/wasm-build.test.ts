/**
 * quant/golden/wasm/kernels.wasm is what its source kernels.wat compiles to: tools/build-wasm.ts --check rebuilds
 * it with wabt and compares the bytes (regenerate: node --import tsx tools/build-wasm.ts). And the binary is the
 * module the golden model runs: its exports are the kernels quant/golden/wasm/kernels.ts declares.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { wasmKernels } from '../../../quant/golden/wasm/kernels.ts';
import { assertWasmUpToDate } from '../../wasm-build-check.ts';

const ROOT = new URL('../../../', import.meta.url);

describe('quant/golden/wasm/kernels.wasm', () => {
  it('is what kernels.wat compiles to (regenerate: node --import tsx tools/build-wasm.ts)', function () {
    this.timeout(60000);
    assertWasmUpToDate([], /kernels\.wasm is up to date/);
  });

  it('exports the kernels and the memory the golden model uses', function () {
    const kern = wasmKernels();
    if (kern === null) this.skip();
    for (const name of ['gemm', 'im2col', 'requant', 'maxpool'] as const) assert.equal(typeof kern[name], 'function', name);
    assert.ok(kern.mem.buffer.byteLength >= 65536);
    assert.equal(readFileSync(new URL('quant/golden/wasm/kernels.wasm', ROOT)).subarray(0, 4).toString('latin1'), '\0asm');
  });
});
