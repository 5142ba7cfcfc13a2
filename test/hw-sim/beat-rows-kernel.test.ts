/**
 * hw-sim/wasm/beat-rows-wasm.ts: what beat-rows.wat compiles to (tools/build-wasm.ts --check), and its rows() against a
 * plain int32 sum over every shape the arrays use and the odd ones (columns not a multiple of 4), operands at the
 * int8 extremes too.
 */
import assert from 'node:assert/strict';
import { Rng } from '../../quant/random.ts';
import { beatRowsKernel, beatRowsMemory } from '../../hw-sim/wasm/beat-rows.ts';
import { assertWasmUpToDate } from '../wasm-build-check.ts';


describe('hw-sim/wasm/beat-rows.wat', () => {
  it('is what beat-rows.wat compiles to (regenerate: node --import tsx tools/build-wasm.ts hw-sim/wasm/beat-rows.wat)', function () {
    this.timeout(60000);
    assertWasmUpToDate(['hw-sim/wasm/beat-rows.wat'], /beat-rows-wasm\.ts is up to date/);
  });

  it('rows(): every column sum of every beat, for R and C from 1 to 33, unaligned buffers, nothing written past the last row', () => {
    const k = beatRowsKernel();
    assert.ok(k !== null, 'the kernel did not instantiate (this Node has WebAssembly SIMD)');
    const rng = new Rng(99);
    for (let trial = 0; trial < 300; trial++) {
      const n = rng.int(1, 40);
      const R = rng.pick([1, 2, 3, 4, 5, 8, 16, 32, 33, rng.int(1, 33)]);
      const C = rng.pick([1, 2, 3, 4, 5, 7, 8, 16, 32, 33, rng.int(1, 33)]);
      const extreme = rng.next() < 0.3;
      const a = Int32Array.from({ length: n * R }, () => (extreme ? rng.pick([-128, 127]) : rng.int(-128, 127)));
      const w = Int32Array.from({ length: R * C }, () => (extreme ? -128 : rng.int(-128, 127)));
      const aOff = 64; // not 0, and the output not 16-byte aligned: the kernel's loads and stores are unaligned
      const wOff = aOff + n * R;
      const oOff = wOff + R * C + 1;
      const m: Int32Array = new Int32Array(beatRowsMemory(k, 4 * (oOff + n * C + 4)));
      m.set(a, aOff);
      m.set(w, wOff);
      m.fill(0x55555555, oOff, oOff + n * C + 4);
      k.rows(4 * aOff, 4 * wOff, 4 * oOff, n, R, C);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < C; j++) {
          let s = 0;
          for (let q = 0; q < R; q++) s = (s + (a[i * R + q] as number) * (w[q * C + j] as number)) | 0;
          if (m[oOff + i * C + j] !== s) assert.fail(`trial ${trial} (${n} beats, R ${R}, C ${C}): beat ${i} column ${j} = ${m[oOff + i * C + j]}, expected ${s}`);
        }
      }
      assert.equal(m[oOff + n * C], 0x55555555, `trial ${trial}: the kernel wrote past its last row`);
    }
  });
});
