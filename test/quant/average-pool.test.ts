/**
 * quant/spec average-pool.ts: TFLite's int8 AveragePool rounding against a BigInt reference written from
 * reference_integer_ops::AveragePool (C++ division truncates, as BigInt's does), hand-worked ties, the clamp.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { averagePoolElement } from '../../quant/spec/index.ts';
import { check } from './fc-helpers.ts';

function ref(sum: number, count: number, lo: number, hi: number): number {
  const s = BigInt(sum);
  const c = BigInt(count);
  const acc = Number(s > 0n ? (s + c / 2n) / c : (s - c / 2n) / c);
  return Math.min(hi, Math.max(lo, acc));
}

describe('quant/spec averagePoolElement (TFLite int8 AveragePool)', () => {
  it('rounds half away from zero, with the truncating division of C++ (hand values)', () => {
    assert.equal(averagePoolElement(3, 2, -128, 127), 2); // 1.5 -> 2: (3 + 1) / 2
    assert.equal(averagePoolElement(-3, 2, -128, 127), -2); // -1.5 -> -2: (-3 - 1) / 2 truncates to -2
    assert.equal(averagePoolElement(5, 4, -128, 127), 1); // 1.25: (5 + 2) / 4 = 1
    assert.equal(averagePoolElement(-5, 4, -128, 127), -1); // -1.25: (-5 - 2) / 4 = -1.75 -> -1
    assert.equal(averagePoolElement(6, 4, -128, 127), 2); // 1.5 -> 2
    assert.equal(averagePoolElement(-6, 4, -128, 127), -2); // -1.5 -> -2
    assert.equal(averagePoolElement(4, 9, -128, 127), 0); // 0.444: (4 + 4) / 9 = 0
    assert.equal(averagePoolElement(5, 9, -128, 127), 1); // 0.556: (5 + 4) / 9 = 1
    assert.equal(averagePoolElement(-4, 9, -128, 127), 0); // (-4 - 4) / 9 = -0.89 -> 0
    assert.equal(averagePoolElement(-5, 9, -128, 127), -1); // (-5 - 4) / 9 = -1
    assert.equal(averagePoolElement(0, 7, -128, 127), 0);
    assert.equal(averagePoolElement(-128 * 125, 125, -128, 127), -128); // the DS-CNN's 25 x 5 window, all -128
    assert.equal(averagePoolElement(127 * 64 - 31, 64, -128, 127), 127); // 126.52 -> 127
    assert.equal(averagePoolElement(127 * 64 - 33, 64, -128, 127), 126); // 126.48 -> 126
  });
  it('clamps with std::max(actMin) then std::min(actMax)', () => {
    assert.equal(averagePoolElement(-50, 2, -10, 100), -10);
    assert.equal(averagePoolElement(300, 2, -10, 100), 100);
    assert.equal(averagePoolElement(20, 2, -10, 100), 10);
  });
  it('equals the BigInt reference over sums of up to 256 int8 codes (property)', () => {
    check(
      'averagePoolElement',
      fc.property(fc.integer({ min: 1, max: 256 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: -128 * n, max: 127 * n }))), fc.integer({ min: -128, max: 0 }), fc.integer({ min: 0, max: 127 }), ([n, sum], lo, hi) => {
        assert.equal(averagePoolElement(sum, n, lo, hi), ref(sum, n, lo, hi), `sum=${sum} n=${n}`);
      }),
    );
  });
  it('rejects an empty window (TFLite returns an error for filter_count 0)', () => {
    assert.throws(() => averagePoolElement(0, 0, -128, 127), /positive integer, got 0/);
  });
});
