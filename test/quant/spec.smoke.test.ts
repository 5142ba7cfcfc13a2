import assert from 'node:assert/strict';
import { quantizeMultiplier, multiplyByQuantizedMultiplier } from '../../quant/spec/index.ts';

describe('quant/spec (smoke)', () => {
  it('quantizes 0.5 to (2^30, 0) and applies it in both modes', () => {
    assert.deepEqual(quantizeMultiplier(0.5), { m0: 2 ** 30, shift: 0 });
    assert.equal(multiplyByQuantizedMultiplier(7, 2 ** 30, 0, 'single'), 4); // 3.5 rounds up
    assert.equal(multiplyByQuantizedMultiplier(7, 2 ** 30, 0, 'double'), 4);
    assert.equal(multiplyByQuantizedMultiplier(-7, 2 ** 30, 0, 'single'), -3); // tie toward +inf
    assert.equal(multiplyByQuantizedMultiplier(-7, 2 ** 30, 0, 'double'), -3); // SRDHM: tie toward +inf
    assert.equal(multiplyByQuantizedMultiplier(-7, 2 ** 30, -1, 'double'), -2); // SRDHM -3.5 -> -3, then RDBPOT -1.5 -> -2
    assert.equal(multiplyByQuantizedMultiplier(-6, 2 ** 30, -1, 'double'), -2); // RDBPOT(-3, 1) = -1.5: away from zero
  });
});
