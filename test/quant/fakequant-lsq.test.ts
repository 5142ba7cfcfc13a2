import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../model/backend/backend.ts';
import { LearnedStepQuantizer, mseStep } from '../../quant/fakequant/index.ts';
import { Rng } from '../../quant/random.ts';
import { quantizeValue, roundHalfAwayFromZero } from '../../quant/spec/index.ts';

describe('quant/fakequant: learned step size (LSQ) activation quantizer', () => {
  before(async () => {
    await initBackend('wasm');
  });

  it('forward equals quantizeValue of quant/spec with scale = step and zero point = qmin, ties included', () => {
    for (const bits of [2, 3, 8]) {
      const q = new LearnedStepQuantizer(0.3, bits);
      try {
        const p = q.params();
        assert.equal(p.scale, Math.fround(0.3));
        assert.equal(p.zeroPoint, p.qmin, 'real 0 is code qmin');
        const xs: number[] = [0];
        for (let k = 0; k <= p.qmax - p.qmin + 3; k++) xs.push(Math.fround((k + 0.5) * p.scale), Math.fround(k * p.scale), Math.fround((k + 0.49) * p.scale));
        const got = q.apply(tf.tensor2d(xs, [1, xs.length])).dataSync();
        xs.forEach((x, i) => {
          // tfjs divides in float32: the quotient is rounded to float32 before it is rounded to an integer
          const code = Math.min(p.qmax, roundHalfAwayFromZero(Math.fround(x / p.scale)) + p.zeroPoint);
          assert.equal(quantizeValue(Math.fround((code - p.zeroPoint) * p.scale), p), code, 'the value is a code of the spec');
          assert.equal(got[i], Math.fround((code - p.zeroPoint) * p.scale), `bits ${bits} x=${x}: got ${got[i]} want code ${code}`);
        });
      } finally {
        q.dispose();
      }
    }
  });

  it('gradients are LSQ\'s: dx passes inside the range only; ds = sum(dy * (round(x/s) - x/s inside, L above, 0 below)) / sqrt(N * L)', () => {
    const s = 0.5;
    const q = new LearnedStepQuantizer(s, 2); // L = 3 levels above zero: 0, 0.5, 1.0, 1.5
    try {
      // r = 0, 0, 1, 1, 3, 3, 4 (clamped to 3), 6 (clamped), -1 and -2 (clamped to 0)
      const xs = [0, 0.2, 0.3, 0.74, 1.4, 1.74, 1.76, 3.0, -0.3, -1];
      const dys = [1, 2, -1, 0.5, 1, 3, 2, -2, 4, 5];
      const x = tf.tensor2d(xs, [2, 5]);
      const dy = tf.tensor2d(dys, [2, 5]);
      const f = (a: tf.Tensor, b: tf.Tensor): tf.Tensor => tf.sum(tf.mul(q.apply(a), b));
      const dx = tf.grad((a: tf.Tensor) => f(a, dy))(x).dataSync();
      const { grads } = tf.variableGrads(() => f(x, dy) as tf.Scalar, [q.step]);
      const ds = (grads[q.step.name] as tf.Tensor).dataSync()[0] as number;
      const L = 3;
      const g = 1 / Math.sqrt(5 * L); // 5 elements per example
      let want = 0;
      const y = q.apply(x).dataSync();
      xs.forEach((xv, i) => {
        const t = Math.fround(xv / s);
        const r = Math.floor(t + 0.5);
        const rc = Math.min(L, Math.max(0, r));
        const inside = r === rc;
        assert.equal((y[i] as number) + 0, rc * s, `y at x=${xv}`);
        assert.equal((dx[i] as number) + 0, inside ? dys[i] : 0, `dx at x=${xv}`);
        want += (dys[i] as number) * (inside ? r - t : rc);
      });
      assert.ok(Math.abs(ds - want * g) < 1e-5, `ds ${ds} vs ${want * g}`);
      assert.notEqual(ds, 0);
    } finally {
      q.dispose();
    }
  });

  it('mseStep picks the step with the least squared error, well below max/L for a long-tailed ReLU output', () => {
    const rng = new Rng(3);
    const v = Float32Array.from({ length: 20000 }, () => Math.max(0, rng.normal()));
    v[0] = 8; // one outlier sets the max
    const s = mseStep(v, 3, 8);
    const err = (step: number): number => v.reduce((a, x) => a + (x - Math.min(3, Math.floor(x / step + 0.5)) * step) ** 2, 0);
    assert.ok(s < 8 / 3 / 2, `step ${s} should clip the outlier`);
    for (const other of [8 / 3, s * 0.8, s * 1.25]) assert.ok(err(s) <= err(other), `err(${s}) = ${err(s)} > err(${other}) = ${err(other)}`);
    assert.equal(mseStep(new Float32Array(4), 3, 0), 1, 'an all-zero layer still gets a positive step');
  });

  it('rejects a non-positive initial step and a bad width', () => {
    assert.throws(() => new LearnedStepQuantizer(0, 2), RangeError);
    assert.throws(() => new LearnedStepQuantizer(Number.NaN, 2), RangeError);
    assert.throws(() => new LearnedStepQuantizer(0.1, 1), RangeError);
  });
});
