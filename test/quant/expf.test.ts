/**
 * quant/spec expf.ts: glibc's expf (Arm optimized-routines' algorithm), emulated. Exact values from the project
 * machine's glibc 2.36 at inputs where it is not the correctly rounded value (and Math.fround(Math.exp) is), the
 * exact fma against a BigInt reference, and closeness to exp everywhere.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { expf, fma } from '../../quant/spec/index.ts';
import { add, check, mul, ratio, roundToBits } from './fc-helpers.ts';

describe('quant/spec expf (glibc)', () => {
  it("equals glibc's expf where the correctly rounded float32 does not", () => {
    // x, glibc expf(x) (x86-64 FMA build, glibc 2.36), Math.fround(Math.exp(x))
    const cases: Array<[number, number, number]> = [
      [-14.658536911010742, 4.3040600417043606e-7, 4.3040597574872663e-7], // a softmax table entry: S = 0.058634147, d = 250
      [-9.63555503403768e-5, 0.999903678894043, 0.9999036192893982],
    ];
    for (const [x, glibc, rn] of cases) {
      assert.equal(Math.fround(Math.exp(x)), rn, `the correctly rounded value at ${x}`);
      assert.equal(expf(x), glibc, `expf(${x})`);
    }
  });
  it("the FMA build and the plain build part at -63.09946060180664 (glibc's one such input in [-104, 0])", () => {
    assert.equal(expf(-63.09946060180664, 'fma'), 3.946866735154823e-28);
    assert.equal(expf(-63.09946060180664, 'plain'), 3.94686649441358e-28);
  });
  it('special values: 0 -> 1, underflow below log(2^-150), overflow above log(2^128), NaN', () => {
    assert.equal(expf(0), 1);
    assert.equal(expf(-0), 1);
    assert.equal(expf(-104), 0);
    assert.equal(expf(89), Infinity);
    assert.ok(Number.isNaN(expf(Number.NaN)));
    assert.equal(expf(-1), Math.fround(Math.exp(-1)));
  });
  it('is within one float32 ulp of exp over [-103, 0] and a float32 (property)', () => {
    check(
      'expf',
      fc.property(fc.float({ min: -103, max: 0, noNaN: true }), (x) => {
        const y = expf(x);
        assert.equal(Math.fround(y), y);
        const e = Math.exp(x);
        const ulp = 2 ** (Math.floor(Math.log2(e)) - 23);
        assert.ok(Math.abs(y - e) <= Math.max(ulp, 2 ** -149), `x=${x}: ${y} vs ${e}`);
      }),
    );
  });
  it('fma rounds a * b + c once (property, BigInt)', () => {
    const d = fc.double({ min: -1e6, max: 1e6, noNaN: true });
    check(
      'fma',
      fc.property(d, d, d, (a, b, c) => {
        const exact = add(mul(ratio(a), ratio(b)), ratio(c));
        fc.pre(exact.num !== 0n && Math.abs(Number(exact.num) / Number(exact.den)) > 1e-290);
        assert.equal(fma(a, b, c), roundToBits(exact, 53), `fma(${a}, ${b}, ${c})`);
      }),
     2000,
    );
    assert.equal(fma(1 + 2 ** -52, 1 - 2 ** -52, -1), -(2 ** -104)); // the product's low bits survive
  });
});
