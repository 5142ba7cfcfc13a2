import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../model/backend/backend.ts';
import { equalMask, fakeQuantize, fakeQuantizeBias, roundHalfAwayFromZeroT, quantizeWeights, weightChannelParams } from '../../quant/fakequant/index.ts';
import { Rng } from '../../quant/random.ts';
import { activationParams, dequantizeValue, quantizeValue, roundHalfAwayFromZero, weightParams } from '../../quant/spec/index.ts';

describe('quant/fakequant: fake quantization and its straight-through estimator', () => {
  before(async () => {
    await initBackend('wasm');
  });

  it('rounds ties away from zero, like quant/spec (not to even like tf.round)', () => {
    const below = Math.fround(0.5 - 2 ** -25); // the one float32 where floor(|v| + 0.5) goes wrong
    const vs = [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, below, -below, 3.2, -3.7, 2.4999998, 8388607.5, Math.fround(1.5 - 2 ** -23)];
    const got = Array.from(roundHalfAwayFromZeroT(tf.tensor1d(vs)).dataSync(), (v) => v + 0);
    assert.deepEqual(got, vs.map((v) => roundHalfAwayFromZero(Math.fround(v)) + 0));
    assert.deepEqual(got.slice(0, 8), [-3, -2, -1, 1, 2, 3, 0, 0]);
  });

  it('rounds like quant/spec on 20000 seeded float32 values of every magnitude, and equalMask is 1 exactly where codes agree', () => {
    const seed = 23;
    const rng = new Rng(seed);
    const vs = Array.from({ length: 20000 }, (_, i) => {
      const mag = 2 ** (rng.int(-30, 40));
      const v = (rng.next() * 2 - 1) * mag;
      return Math.fround(i % 7 === 0 ? Math.round(v * 2) / 2 : v); // every 7th a half-integer (a tie) or integer
    });
    vs.push(...[0, -0, 3.4e38, -3.4e38, 1e-45, -1e-45, 0.5, -0.5].map(Math.fround));
    const got = roundHalfAwayFromZeroT(tf.tensor1d(vs)).dataSync();
    vs.forEach((v, i) => assert.equal((got[i] as number) + 0, roundHalfAwayFromZero(v) + 0, `seed ${seed}: x=${v}`));
    const a = tf.tensor1d([0, 1, -3, 5, 1e9, -128, 127]);
    const b = tf.tensor1d([0, 2, -3, -5, 1e9 + 128, -127, 127]);
    assert.deepEqual(Array.from(equalMask(a, b).dataSync()), [1, 0, 1, 0, 0, 0, 1]);
  });

  it('per-tensor forward equals quantizeValue -> dequantizeValue of quant/spec, ties and clamps included', () => {
    const seed = 11;
    const rng = new Rng(seed);
    for (const bits of [2, 3, 4, 8]) {
      const p = activationParams(-0.7, 1.9, bits);
      // values on exact half-steps (ties), random values and values far outside the range
      const xs: number[] = [];
      for (let k = p.qmin - 3; k <= p.qmax + 3; k++) xs.push(Math.fround((k - p.zeroPoint + 0.5) * p.scale), Math.fround((k - p.zeroPoint) * p.scale));
      for (let i = 0; i < 200; i++) xs.push(Math.fround((rng.next() * 4 - 2) * 1.5));
      const got = fakeQuantize(tf.tensor1d(xs), p.scale, p.zeroPoint, p.qmin, p.qmax).dataSync();
      const fs = Math.fround(p.scale);
      xs.forEach((x, i) => {
        // tfjs works in float32: the quotient is rounded to float32 before it is rounded to an integer
        const q = Math.min(p.qmax, Math.max(p.qmin, roundHalfAwayFromZero(Math.fround(x / fs)) + p.zeroPoint));
        const want = Math.fround((q - p.zeroPoint) * fs);
        assert.equal((got[i] as number) + 0, want + 0, `seed ${seed} bits ${bits} x=${x}: got ${got[i]}, want ${want} (code ${q})`);
        assert.equal(quantizeValue(dequantizeValue(q, p), p), q);
      });
    }
  });

  it('per-channel weights: fake-quant values are exactly codes * scale of quantizeWeights', () => {
    const rng = new Rng(5);
    const k = 12;
    const n = 5;
    const w = Float32Array.from({ length: k * n }, () => rng.normal() * 0.3);
    for (const bits of [2, 4, 8]) {
      const cq = weightChannelParams(w, n, bits);
      cq.params.forEach((p, c) => {
        let m = 0;
        for (let i = c; i < w.length; i += n) m = Math.max(m, Math.abs(w[i] as number));
        assert.equal(p.scale, Math.fround(weightParams(m, bits).scale));
      });
      const codes = quantizeWeights(w, cq);
      const p0 = cq.params[0]!;
      const got = fakeQuantize(tf.tensor2d(w, [k, n]), tf.tensor1d(Float32Array.from(cq.scales)), 0, p0.qmin, p0.qmax).dataSync();
      for (let i = 0; i < w.length; i++) assert.equal((got[i] as number) + 0, Math.fround((codes[i] as number) * (cq.scales[i % n] as number)) + 0, `bits ${bits} weight ${i}`);
    }
  });

  it('STE: the gradient is dy inside the clamp range and exactly 0 outside', () => {
    const p = activationParams(0, 3, 2); // scale 1, zero point -2: codes -2..1 hold reals 0..3
    assert.deepEqual([p.scale, p.zeroPoint, p.qmin, p.qmax], [1, -2, -2, 1]);
    // x/scale + zp rounded: -3.1 -> -5 (out), -0.6 -> -3 (out), -0.4 -> -2 (in), 3.4 -> 1 (in), 3.6 -> 2 (out)
    const x = tf.tensor1d([-3.1, -0.6, -0.4, 0.2, 1.5, 3.4, 3.6, 10]);
    const dy = tf.tensor1d([1, 2, 3, 4, 5, 6, 7, 8]);
    const g = tf.grad((v: tf.Tensor) => fakeQuantize(v, p.scale, p.zeroPoint, p.qmin, p.qmax))(x, dy);
    assert.deepEqual(Array.from(g.dataSync()), [0, 0, 3, 4, 5, 6, 0, 0]);
    const fwd = fakeQuantize(x, p.scale, p.zeroPoint, p.qmin, p.qmax).dataSync();
    assert.deepEqual(Array.from(fwd), [0, 0, 0, 0, 2, 3, 3, 3]);
  });

  it('bias fake-quant rounds to the S_in * S_w grid and passes the gradient through unchanged', () => {
    const step = tf.tensor1d([0.5, 0.25]);
    const b = tf.tensor1d([0.74, -0.375]);
    assert.deepEqual(Array.from(fakeQuantizeBias(b, step).dataSync()), [0.5, -0.5]);
    const g = tf.grad((v: tf.Tensor) => fakeQuantizeBias(v, step))(b, tf.tensor1d([3, -7]));
    assert.deepEqual(Array.from(g.dataSync()), [3, -7]);
  });
});

describe('quant/fakequant: the non-negative fast path', () => {
  it('gives the same values and gradients as the general path on ReLU outputs', () => {
    const rng = new Rng(77);
    for (const bits of [2, 4, 8]) {
      const p = activationParams(0, 2.3, bits);
      const xs = Float32Array.from({ length: 500 }, (_, i) => (i < 40 ? Math.fround((i - p.zeroPoint + p.qmin + 0.5) * p.scale) : Math.max(0, rng.normal() * 1.5)));
      xs[0] = 0;
      const x = tf.tensor1d(xs);
      const dy = tf.tensor1d(Float32Array.from({ length: 500 }, () => rng.normal()));
      const f = (nonNegative: boolean) => (v: tf.Tensor) => fakeQuantize(v, p.scale, p.zeroPoint, p.qmin, p.qmax, { nonNegative });
      assert.deepEqual(Array.from(f(true)(x).dataSync()), Array.from(f(false)(x).dataSync()), `bits ${bits}`);
      assert.deepEqual(Array.from(tf.grad(f(true))(x, dy).dataSync()), Array.from(tf.grad(f(false))(x, dy).dataSync()), `bits ${bits}`);
    }
  });
});

describe('quant/fakequant: MSE weight clipping', () => {
  it('never has a larger squared error than max scaling, clips below max |w| at 2 bits, and keeps codes in range', () => {
    const seed = 91;
    const rng = new Rng(seed);
    const k = 200;
    const n = 6;
    const w = Float32Array.from({ length: k * n }, () => rng.normal() * 0.1);
    for (const bits of [2, 3, 8]) {
      const err = (cq: ReturnType<typeof weightChannelParams>): number => {
        const codes = quantizeWeights(w, cq);
        let e = 0;
        for (let i = 0; i < w.length; i++) e += (w[i]! - codes[i]! * cq.scales[i % n]!) ** 2;
        return e;
      };
      const max = weightChannelParams(w, n, bits, 'max');
      const mse = weightChannelParams(w, n, bits, 'mse');
      assert.ok(err(mse) <= err(max) * (1 + 1e-9), `seed ${seed} bits ${bits}: ${err(mse)} > ${err(max)}`);
      const { qmin, qmax } = mse.params[0]!;
      for (const c of quantizeWeights(w, mse)) assert.ok(c >= qmin && c <= qmax);
      if (bits === 2) mse.scales.forEach((s, c) => assert.ok(s < max.scales[c]! * 0.9, `seed ${seed} channel ${c}: ${s} vs ${max.scales[c]}`));
    }
  });

  it('picks, per channel, the candidate threshold (k/32 of max |w|, k = 32..7) that a brute-force search picks', () => {
    const seed = 17;
    const rng = new Rng(seed);
    const k = 300;
    const n = 8;
    // mixed shapes: Gaussian, heavy-tailed, a few large outliers, and ties at exact multiples
    const w = Float32Array.from({ length: k * n }, (_, i) => {
      const c = i % n;
      const g = rng.normal();
      if (c < 3) return g * 0.05;
      if (c < 5) return g * g * g * 0.02;
      if (c < 7) return (rng.next() < 0.01 ? 20 : 1) * g * 0.03;
      return Math.round(g * 4) / 8;
    });
    for (const bits of [2, 3, 4, 6]) {
      const qmax = 2 ** (bits - 1) - 1;
      const got = weightChannelParams(w, n, bits, 'mse');
      for (let c = 0; c < n; c++) {
        const ws = Array.from({ length: k }, (_, i) => w[i * n + c]!);
        const maxAbs = Math.max(...ws.map(Math.abs));
        const errOf = (t: number): number => {
          const s = t / qmax;
          return ws.reduce((e, v) => e + (Math.abs(v) - Math.min(qmax, Math.floor(Math.abs(v) / s + 0.5)) * s) ** 2, 0);
        };
        let bestErr = Infinity;
        for (let j = 32; j >= 7; j--) bestErr = Math.min(bestErr, errOf((maxAbs * j) / 32));
        const chosen = got.scales[c]! * qmax;
        assert.ok(errOf(chosen) <= bestErr * (1 + 1e-6) + 1e-15, `seed ${seed} bits ${bits} channel ${c}: error ${errOf(chosen)} at ${chosen}, best ${bestErr}`);
      }
    }
  });
});
