/**
 * The fused fake-quant kernel (model/backend/fake-quantize-kernel.ts on train-kernels.wat) gives the tf-op chain's
 * bits (quant/fakequant fakeQuantizeReference), forward and straight-through gradient, and so do its plain loops:
 * per tensor (four lanes at a time, a tail of n % 4) and per channel, ReLU outputs and signed values, with exact
 * ties (half steps) and values beyond the clamps.
 */
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../model/backend/backend.ts';
import { fakeQuantizeLoops } from '../../model/backend/fake-quantize-kernel.ts';
import { fakeQuantize, fakeQuantizeBias, fakeQuantizeReference, FAKE_QUANTIZE_KERNEL, HALF_MINUS, roundHalfAwayFromZeroT } from '../../quant/fakequant/index.ts';
import { activationParams, weightParams } from '../../quant/spec/index.ts';
import { Rng } from '../../quant/random.ts';

type Fq = typeof fakeQuantize;

/** Values and the gradient of sum(fq(x) * r) wrt x. */
function run(fq: Fq, x: tf.Tensor, r: tf.Tensor, scale: number | tf.Tensor, zp: number, qmin: number, qmax: number, nonNegative: boolean): [number[], number[]] {
  return tf.tidy(() => {
    const y = fq(x, scale, zp, qmin, qmax, { nonNegative });
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(fq(v, scale, zp, qmin, qmax, { nonNegative }), r)))(x);
    return [Array.from(y.dataSync()), Array.from(g.dataSync())];
  });
}

/** Random values of the range's magnitude, with exact half steps and values far outside it mixed in. */
function values(rng: Rng, n: number, scale: number, lo: number, hi: number, nonNegative: boolean): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => {
    const code = lo - 4 + rng.int(0, hi - lo + 8);
    const v = i % 5 === 0 ? (code + 0.5) * scale : i % 5 === 1 ? code * scale : (rng.next() * (hi - lo + 8) + lo - 4) * scale;
    return Math.fround(nonNegative ? Math.abs(v) : v);
  });
}

describe('model/backend: fused fake-quant kernel', () => {
  before(async () => {
    await initBackend('wasm');
  });

  it('is registered on WASM', () => {
    assert.ok(tf.getKernel(FAKE_QUANTIZE_KERNEL, 'wasm'));
  });

  for (const [bits, nonNegative, n] of [[8, true, 4096], [8, false, 1027], [4, true, 999], [2, false, 64], [3, true, 7], [2, false, 203]] as const) {
    it(`per tensor, ${bits} bits, ${nonNegative ? 'ReLU outputs' : 'signed values'}, ${n} values: the tf-op chain's bits, forward and gradient`, () => {
      const seed = 70 + bits * 10 + n;
      const rng = new Rng(seed);
      // the last case's range starts at 0: lo = qmin - zp = 0, where a clamp of -0 must give the bound's +0
      const p = nonNegative ? activationParams(0, 3.1, bits) : n === 203 ? activationParams(0, 3, bits) : activationParams(-1.3, 2.2, bits);
      const xs = values(rng, n, p.scale, p.qmin - p.zeroPoint, p.qmax - p.zeroPoint, nonNegative);
      const x = tf.tensor1d(xs);
      const r = tf.tensor1d(Float32Array.from({ length: n }, () => rng.normal()));
      const fused = run(fakeQuantize, x, r, p.scale, p.zeroPoint, p.qmin, p.qmax, nonNegative);
      const ref = run(fakeQuantizeReference, x, r, p.scale, p.zeroPoint, p.qmin, p.qmax, nonNegative);
      assert.deepEqual(fused[0], ref[0], `seed ${seed}: values`);
      assert.deepEqual(fused[1], ref[1], `seed ${seed}: gradient`);
      assert.ok(fused[1].some((g) => g === 0) && fused[1].some((g) => g !== 0), 'the values reach beyond the clamps and inside');
      const y = new Float32Array(n);
      const mask = new Float32Array(n);
      const lo = p.qmin - p.zeroPoint;
      const hi = p.qmax - p.zeroPoint;
      fakeQuantizeLoops(xs, y, mask, Float32Array.of(p.scale), { scale: p.scale, lo, hi, half: HALF_MINUS, nonNegative });
      assert.deepEqual(Array.from(y), ref[0], `seed ${seed}: the plain loops`);
      tf.dispose([x, r]);
    });
  }

  for (const [shape, bits] of [[[3, 3, 8, 16], 8], [[784, 10], 4], [[3, 3, 1, 8], 2]] as const) {
    it(`per channel, weights [${shape}] at ${bits} bits: the tf-op chain's bits, forward and gradient`, () => {
      const seed = 300 + bits + shape[shape.length - 1]!;
      const rng = new Rng(seed);
      const c = shape[shape.length - 1]!;
      const size = shape.reduce((a: number, b: number) => a * b, 1);
      const ps = Array.from({ length: c }, () => weightParams(0.2 + rng.next(), bits));
      const scales = Float32Array.from(ps, (q) => q.scale);
      const qmin = ps[0]!.qmin;
      const qmax = ps[0]!.qmax;
      const xs = Float32Array.from({ length: size }, (_, i) => {
        const s = scales[i % c]!;
        const code = rng.int(qmin - 3, qmax + 3);
        return Math.fround(i % 3 === 0 ? (code + (code < 0 ? -0.5 : 0.5)) * s : (rng.next() * 2 - 1) * (qmax + 2) * s);
      });
      const x = tf.tensor(xs, [...shape]);
      const st = tf.tensor1d(scales);
      const r = tf.tensor(Float32Array.from({ length: size }, () => rng.normal()), [...shape]);
      const fused = run(fakeQuantize, x, r, st, 0, qmin, qmax, false);
      const ref = run(fakeQuantizeReference, x, r, st, 0, qmin, qmax, false);
      assert.deepEqual(fused[0], ref[0], `seed ${seed}: values`);
      assert.deepEqual(fused[1], ref[1], `seed ${seed}: gradient`);
      const y = new Float32Array(size);
      fakeQuantizeLoops(xs, y, new Float32Array(size), scales, { scale: 0, lo: qmin, hi: qmax, half: HALF_MINUS, nonNegative: false });
      assert.deepEqual(Array.from(y), ref[0], `seed ${seed}: the plain loops`);
      tf.dispose([x, st, r]);
    });
  }

  it('fakeQuantizeBias on the fused kernel: round(x / step) * step of the tf ops, identity gradient', () => {
    const seed = 410;
    const rng = new Rng(seed);
    for (const c of [64, 10, 8]) {
      const step = Float32Array.from({ length: c }, () => Math.fround(1e-4 * (1 + rng.next())));
      const xs = Float32Array.from({ length: c }, (_, i) => Math.fround(i % 4 === 0 ? (rng.int(-500, 500) + 0.5) * step[i]! : rng.normal() * 0.05));
      const [x, st, dy] = [tf.tensor1d(xs), tf.tensor1d(step), tf.tensor1d(Float32Array.from({ length: c }, () => rng.normal()))];
      const want = tf.mul(roundHalfAwayFromZeroT(tf.div(x, st)), st).dataSync();
      assert.deepEqual(Array.from(fakeQuantizeBias(x, st).dataSync()), Array.from(want), `seed ${seed}: ${c} channels`);
      assert.deepEqual(Array.from(tf.grad((v: tf.Tensor) => fakeQuantizeBias(v, st))(x, dy).dataSync()), Array.from(dy.dataSync()));
      tf.dispose([x, st, dy]);
    }
  });
});
