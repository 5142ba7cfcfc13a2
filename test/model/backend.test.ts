import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../model/backend/backend.ts';
import { channelMaxAbs } from '../../model/backend/channel-max-abs.ts';
import { tensorMinMax } from '../../model/backend/min-max.ts';
import { weightChannelParams, weightChannelParamsFromMax } from '../../quant/fakequant/index.ts';
import { Rng } from '../../quant/random.ts';
import { maxRelDiff } from './max-rel-diff.ts';

/** Gradients of sum(conv(x, w)^2 * r) wrt the filter and the input, on one backend. */
async function grads(backend: string, x: Float32Array, xs: number[], w: Float32Array, ws: number[], s: number, pad: 'same' | 'valid'): Promise<[Float32Array, Float32Array]> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const f = (xv: tf.Tensor, wv: tf.Tensor): tf.Scalar => tf.conv2d(xv as tf.Tensor4D, wv as tf.Tensor4D, s, pad).square().sum();
    const [gx, gw] = tf.grads(f)([tf.tensor(x, xs), tf.tensor(w, ws)]);
    return [gw!.dataSync() as Float32Array, gx!.dataSync() as Float32Array] as [Float32Array, Float32Array];
  });
}

describe('model/backend: WASM training kernels', () => {
  after(async () => {
    await initBackend('wasm');
  });

  it('registers Conv2DBackpropFilter on WASM (the backend ships without it)', async () => {
    await initBackend('wasm');
    assert.ok(tf.getKernel('Conv2DBackpropFilter', 'wasm'));
    assert.equal(tf.getBackend(), 'wasm');
  });

  const cases: Array<[number[], number[], number, 'same' | 'valid']> = [
    [[3, 9, 9, 2], [3, 3, 2, 4], 1, 'same'],
    [[3, 9, 9, 2], [3, 3, 2, 4], 2, 'same'],
    [[3, 9, 9, 2], [3, 3, 2, 4], 1, 'valid'],
    [[3, 9, 9, 2], [3, 3, 2, 4], 2, 'valid'],
    [[2, 10, 7, 3], [3, 2, 3, 5], 2, 'valid'],
    [[2, 10, 7, 3], [2, 3, 3, 5], 2, 'same'],
    [[4, 28, 28, 1], [3, 3, 1, 8], 1, 'same'],
    // output channels a multiple of 8: the direct conv_filter_grad kernel (filter rows a multiple of 4 or not)
    [[2, 14, 14, 8], [3, 3, 8, 16], 1, 'same'],
    [[3, 9, 9, 2], [3, 3, 2, 8], 2, 'same'],
    [[2, 10, 7, 3], [3, 2, 3, 16], 2, 'valid'],
    [[2, 11, 8, 3], [3, 3, 3, 8], 1, 'valid'],
  ];
  for (const [xs, ws, s, pad] of cases) {
    it(`filter and input gradients equal the CPU backend's: x [${xs}] w [${ws}] stride ${s} ${pad}`, async () => {
      const seed = 1000 + xs[1]! * 10 + s;
      const rng = new Rng(seed);
      const x = Float32Array.from({ length: xs.reduce((a, b) => a * b) }, () => rng.normal());
      const w = Float32Array.from({ length: ws.reduce((a, b) => a * b) }, () => rng.normal());
      await initBackend('wasm');
      const [gwWasm, gxWasm] = await grads('wasm', x, xs, w, ws, s, pad);
      const [gwCpu, gxCpu] = await grads('cpu', x, xs, w, ws, s, pad);
      assert.equal(gwWasm.length, gwCpu.length);
      assert.ok(maxRelDiff(gwWasm, gwCpu) < 1e-5, `seed ${seed}: filter gradient differs by ${maxRelDiff(gwWasm, gwCpu)} (relative)`);
      assert.ok(maxRelDiff(gxWasm, gxCpu) < 1e-5, `seed ${seed}: input gradient differs by ${maxRelDiff(gxWasm, gxCpu)} (relative)`);
    });
  }

  it('MaxPoolGrad (rewritten) equals the CPU backend, ties included (first maximum wins)', async () => {
    const seed = 31;
    const rng = new Rng(seed);
    for (const [shape, pool, stride, pad] of [[[2, 8, 8, 3], 2, 2, 'valid'], [[2, 7, 9, 3], 2, 2, 'valid'], [[2, 7, 9, 2], 3, 2, 'same'], [[1, 6, 6, 4], 2, 1, 'valid'],
      // channels a multiple of 4: maxpool_grad2x2 on WASM, even and odd sizes
      [[2, 8, 8, 8], 2, 2, 'valid'], [[2, 7, 9, 4], 2, 2, 'valid'], [[1, 6, 10, 16], 2, 2, 'valid']] as const) {
      // small integers: many equal values inside a window
      const x = Float32Array.from({ length: (shape as readonly number[]).reduce((a, b) => a * b, 1) }, () => rng.int(0, 3));
      const run = async (backend: string): Promise<Float32Array> => {
        await tf.setBackend(backend);
        return tf.tidy(() => {
          const xt = tf.tensor4d(x, [...shape]);
          const f = (v: tf.Tensor): tf.Tensor => tf.maxPool(v as tf.Tensor4D, pool, stride, pad).mul(tf.range(1, 1 + tf.maxPool(xt, pool, stride, pad).size).reshape(tf.maxPool(xt, pool, stride, pad).shape));
          return tf.grad(f)(xt).dataSync() as Float32Array;
        });
      };
      await initBackend('wasm');
      const a = await run('wasm');
      const b = await run('cpu');
      assert.deepEqual(Array.from(a), Array.from(b), `seed ${seed}: pool ${pool} stride ${stride} ${pad} on [${shape}]`);
    }
  });

  it('Sum over the leading axes (rewritten) equals the CPU backend; other reductions still work', async () => {
    const seed = 41;
    const rng = new Rng(seed);
    // 3 channels: the float64 loop; 8: col_sums on WASM, with 210 rows over several 64-row blocks
    for (const c of [3, 8]) {
      const x = Float32Array.from({ length: 5 * 6 * 7 * c }, () => rng.normal());
      const run = async (backend: string): Promise<number[][]> => {
        await tf.setBackend(backend);
        return tf.tidy(() => {
          const t = tf.tensor4d(x, [5, 6, 7, c]);
          return [t.sum([0, 1, 2]), t.sum([0, 1, 2], true), t.sum([1, 2]), t.sum(3), t.sum()].map((r) => Array.from(r.dataSync()));
        });
      };
      await initBackend('wasm');
      const a = await run('wasm');
      const b = await run('cpu');
      a.forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - b[i]![j]!) <= 1e-4, `seed ${seed}: ${c} channels, reduction ${i}[${j}]: ${v} vs ${b[i]![j]}`)));
    }
    const x = Float32Array.from({ length: 5 * 6 * 7 * 3 }, () => rng.normal());
    await initBackend('wasm');
    assert.deepEqual(tf.tensor4d(x, [5, 6, 7, 3]).sum([0, 1, 2], true).shape, [1, 1, 1, 3]);
  });

  it('tensorMinMax (one WASM pass) equals tf.min and tf.max, every length mod 4 and one-element tensors', async () => {
    const seed = 51;
    const rng = new Rng(seed);
    await initBackend('wasm');
    for (const n of [1, 2, 3, 4, 5, 7, 64, 1001, 4099]) {
      const t = tf.tensor1d(Float32Array.from({ length: n }, () => rng.normal() * 3 - (n % 2 === 0 ? 10 : 0)));
      const want = [tf.min(t).dataSync()[0], tf.max(t).dataSync()[0]];
      assert.deepEqual(tensorMinMax(t), want, `seed ${seed}: n ${n}`);
      t.dispose();
    }
    // a NaN anywhere (the vector body or the tail) gives NaN for both, as tf.min and tf.max do
    for (const at of [0, 5, 8]) {
      const v = Float32Array.from({ length: 9 }, (_, i) => i - 4);
      v[at] = NaN;
      const t = tf.tensor1d(v);
      assert.deepEqual(tensorMinMax(t), [tf.min(t).dataSync()[0], tf.max(t).dataSync()[0]]);
      assert.ok(Number.isNaN(tensorMinMax(t)[0]), `NaN at ${at}`);
      t.dispose();
    }
  });

  it('BatchMatMul with transposed operands (transposed first) equals the CPU backend, rank 2 and batched', async () => {
    const seed = 61;
    const rng = new Rng(seed);
    for (const [as, bs, ta, tb] of [[[64, 30], [64, 12], true, false], [[9, 30], [12, 30], false, true], [[30, 9], [12, 30], true, true], [[3, 7, 5], [3, 7, 4], true, false], [[2, 5, 7], [2, 4, 7], false, true]] as const) {
      const a = Float32Array.from({ length: as.reduce((p: number, q: number) => p * q, 1) }, () => rng.normal());
      const b = Float32Array.from({ length: bs.reduce((p: number, q: number) => p * q, 1) }, () => rng.normal());
      const run = async (backend: string): Promise<{ shape: number[]; v: Float32Array }> => {
        await tf.setBackend(backend);
        return tf.tidy(() => {
          const r = tf.matMul(tf.tensor(a, [...as]), tf.tensor(b, [...bs]), ta, tb);
          return { shape: r.shape, v: r.dataSync() as Float32Array };
        });
      };
      await initBackend('wasm');
      const w = await run('wasm');
      const c = await run('cpu');
      assert.deepEqual(w.shape, c.shape);
      assert.ok(maxRelDiff(w.v, c.v) < 1e-5, `seed ${seed}: [${as}] x [${bs}] ${ta} ${tb}: differs by ${maxRelDiff(w.v, c.v)}`);
    }
    await initBackend('wasm');
  });

  it('channelMaxAbs (one WASM pass) gives weightChannelParams its ranges: the same parameters; null for 10 channels', async () => {
    const seed = 71;
    const rng = new Rng(seed);
    await initBackend('wasm');
    for (const shape of [[784, 64], [3, 3, 8, 16], [3, 3, 1, 8]]) {
      const c = shape[shape.length - 1]!;
      const w = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal() * 0.1);
      w[3] = -2; // a negative maximum
      const t = tf.tensor(w, shape);
      const m = channelMaxAbs(t);
      assert.ok(m !== null && m.length === c);
      for (const bits of [8, 4, 2]) assert.deepEqual(weightChannelParamsFromMax(m, bits), weightChannelParams(w, c, bits), `seed ${seed}: [${shape}] at ${bits} bits`);
      assert.equal(m[3], 2);
      t.dispose();
    }
    const t = tf.zeros([784, 10]);
    assert.equal(channelMaxAbs(t), null);
    t.dispose();
  });
});
