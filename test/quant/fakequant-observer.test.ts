import assert from 'node:assert/strict';
import { MinMaxObserver, MovingAverageMinMaxObserver } from '../../quant/fakequant/index.ts';
import { activationParams } from '../../quant/spec/index.ts';

describe('quant/fakequant: observers', () => {
  it('moving average: the first batch sets the range, later batches move it by the averaging constant', () => {
    const o = new MovingAverageMinMaxObserver(0.25);
    assert.throws(() => o.params(8), /no data/);
    o.update(-1, 3);
    assert.deepEqual([o.min, o.max], [-1, 3]);
    o.update(-5, 7);
    assert.deepEqual([o.min, o.max], [-2, 4]);
    o.update(-2, 0);
    assert.deepEqual([o.min, o.max], [-2, 3]);
    assert.deepEqual(o.params(4), activationParams(-2, 3, 4));
  });

  it('a frozen observer ignores updates; reset sets the range outright', () => {
    const o = new MovingAverageMinMaxObserver();
    o.reset(0, 6);
    o.freeze();
    assert.equal(o.update(-100, 100), false);
    assert.deepEqual([o.min, o.max], [0, 6]);
    const p = o.params(8);
    assert.equal(p.zeroPoint, -128); // a ReLU range starts at real 0 = qmin
    assert.ok(Number.isInteger(p.zeroPoint));
  });

  it('rejects bad ranges and constants', () => {
    const o = new MovingAverageMinMaxObserver();
    assert.throws(() => o.update(2, 1), RangeError);
    assert.throws(() => o.update(Number.NaN, 1), RangeError);
    assert.throws(() => new MovingAverageMinMaxObserver(0), RangeError);
  });

  it('plain min/max keeps the extremes of everything seen', () => {
    const o = new MinMaxObserver();
    o.update(0.5, 2);
    o.update(-1, 1);
    o.update(0, 4);
    assert.deepEqual([o.min, o.max], [-1, 4]);
    assert.deepEqual(o.params(3), activationParams(-1, 4, 3));
  });
});
