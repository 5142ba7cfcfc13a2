/**
 * A conv layer and the max pool that reads it, run as one by the golden model (quant/golden/wasm/layers/mac-layer.ts
 * fuseMaxPool: the pool on the int32 accumulators, then the output stage), against the two layers by the book
 * (im2col, the JS GEMM, quant/spec's requantize, quant/kernels' maxPool2d) on seeded random models in every
 * rounding mode (SEED env var, printed on failure); and the case that shows why the fusion checks the stage is
 * non-decreasing: an accumulator plus bias that wraps int32.
 */
import assert from 'node:assert/strict';
import { Rng } from '../../../quant/random.ts';
import { foldInputZeroPoint, quantizeMultiplier, requantize, ROUNDING_MODES, type RoundingMode } from '../../../quant/spec/index.ts';
import { convGeometry, im2col, type Conv2DLayer, type MaxPool2DLayer, type QuantModel, type TensorQuant } from '../../../quant/format/index.ts';
import { maxPool2d } from '../../../quant/kernels/index.ts';
import { compileGolden, gemmInt8 } from '../../../quant/golden/index.ts';
import { wasmKernels } from '../../../quant/golden/wasm/kernels.ts';
import { fuseMaxPool, prepareWasmMac, runWasmMac } from '../../../quant/golden/wasm/layers/mac-layer.ts';
import { stagesOf } from '../../../quant/golden/wasm/output-stages.ts';
import { packB } from '../../../quant/golden/index.ts';

const SEED = process.env.SEED === undefined ? 23 : Number(process.env.SEED);

function q8(zeroPoint: number): TensorQuant {
  return { scale: 0.1, zeroPoint, bits: 8, qmin: -128, qmax: 127 };
}

/** conv2d then max pool by the book. */
function reference(conv: Conv2DLayer, pool: MaxPool2DLayer, input: Int8Array, batch: number, mode: RoundingMode): Int8Array {
  const g = convGeometry(conv.inputShape, conv.kernel, conv.strides, conv.padding);
  const n = conv.bias.length;
  const k = g.kh * g.kw * g.inC;
  const a = im2col(input, g, conv.input.zeroPoint, batch);
  const acc = gemmInt8(a, conv.weights, a.length / k, k, n, undefined, 'js');
  const folded = foldInputZeroPoint(conv.bias, conv.weights, k, n, conv.input.zeroPoint);
  const y = Int8Array.from(acc, (v, i) => requantize(v, folded[i % n] as number, conv.multiplier[i % n] as number, conv.shift[i % n] as number, conv.output.zeroPoint, conv.actMin, conv.actMax, mode));
  return maxPool2d(pool, y, batch);
}

function convLayer(o: { inputShape: number[]; kernel: [number, number]; strides: [number, number]; padding: 'same' | 'valid'; weights: Int8Array; bias: Int32Array; scales: number[]; zIn: number; zOut: number; actMin: number; actMax: number }): Conv2DLayer {
  const g = convGeometry(o.inputShape, o.kernel, o.strides, o.padding);
  const n = o.bias.length;
  const q = o.scales.map((s) => quantizeMultiplier(s));
  return {
    type: 'conv2d', name: 'conv', inputShape: o.inputShape, outputShape: [g.outH, g.outW, n], kernel: o.kernel, strides: o.strides, padding: o.padding,
    weights: o.weights, bias: o.bias, multiplier: Int32Array.from(q, (x) => x.m0), shift: Int32Array.from(q, (x) => x.shift),
    weightScales: new Float32Array(n).fill(0.01), weightBits: 8, input: q8(o.zIn), output: q8(o.zOut), actMin: o.actMin, actMax: o.actMax, relu: o.actMin > -128,
  };
}

function model(conv: Conv2DLayer, pool: MaxPool2DLayer, mode: RoundingMode): QuantModel {
  return { name: 'conv-pool', input: { ...conv.input, shape: conv.inputShape }, roundingMode: mode, classes: 0, meta: {}, layers: [conv, pool] };
}

describe('quant/golden: a conv layer and its max pool run as one', function () {
  before(function () {
    if (wasmKernels() === null) this.skip();
  });

  it('equals conv then max pool by the book on 300 random pairs (every rounding mode, same and valid, clamps), fusing most', () => {
    const rng = new Rng(SEED);
    let fused = 0;
    let refused = 0;
    for (let t = 0; t < 300; t++) {
      const inC = [1, 2, 3, 8][rng.int(0, 3)] as number;
      const n = rng.int(1, 20);
      const inputShape = [rng.int(2, 10), rng.int(2, 10), inC];
      const kernel: [number, number] = [rng.int(1, 3), rng.int(1, 3)];
      const strides: [number, number] = [rng.int(1, 2), rng.int(1, 2)];
      const padding = rng.int(0, 1) === 0 ? 'same' : 'valid';
      if (padding === 'valid' && (kernel[0] > (inputShape[0] as number) || kernel[1] > (inputShape[1] as number))) continue;
      const k = kernel[0] * kernel[1] * inC;
      // one pair in eight has biases near the int32 bounds, where acc + bias can wrap and the fusion must refuse
      const huge = rng.int(0, 7) === 0;
      const bias = Int32Array.from({ length: n }, () => (huge ? (rng.int(0, 1) ? 1 : -1) * (2 ** 31 - rng.int(1, 3000)) : rng.int(-20000, 20000)));
      const zOut = rng.int(-20, 20);
      const relu = rng.int(0, 1) === 1;
      const conv = convLayer({
        inputShape, kernel, strides, padding, bias,
        weights: Int8Array.from({ length: k * n }, () => rng.int(-128, 127)),
        scales: Array.from({ length: n }, () => 2 ** (rng.next() * 16 - 14)),
        zIn: rng.int(-128, 127), zOut, actMin: relu ? zOut : -128, actMax: rng.int(0, 3) === 0 ? rng.int(zOut, 127) : 127,
      });
      const pg = { pool: [rng.int(1, 3), rng.int(1, 3)] as [number, number], strides: [rng.int(1, 3), rng.int(1, 3)] as [number, number], padding: (rng.int(0, 1) === 0 ? 'same' : 'valid') as 'same' | 'valid' };
      const [h, w] = conv.outputShape as [number, number, number];
      if (pg.padding === 'valid' && (pg.pool[0] > h || pg.pool[1] > w)) continue;
      const g = convGeometry(conv.outputShape, pg.pool, pg.strides, pg.padding);
      const pool: MaxPool2DLayer = { type: 'maxpool2d', name: 'pool', inputShape: conv.outputShape, outputShape: [g.outH, g.outW, n], ...pg };
      if (rng.int(0, 3) === 0) {
        pool.actMin = rng.int(-128, 0);
        pool.actMax = rng.int(0, 127);
      }
      const mode = ROUNDING_MODES[rng.int(0, ROUNDING_MODES.length - 1)] as RoundingMode;
      const golden = compileGolden(model(conv, pool, mode));
      const isFused = golden.fusedPools().includes(0);
      if (isFused) fused++;
      else refused++;
      const batch = rng.int(1, 5);
      const input = Int8Array.from({ length: batch * inputShape.reduce((a, b) => a * b, 1) }, () => rng.int(-128, 127));
      const got = golden.run(input, { batch }).output;
      const want = reference(conv, pool, input, batch, mode);
      assert.deepEqual(got, want, `seed ${SEED}, case ${t}: ${mode}, conv ${kernel} /${strides} ${padding} on [${inputShape}] -> ${n}, pool ${pg.pool} /${pg.strides} ${pg.padding}${huge ? ', biases near the int32 bounds' : ''}, fused ${isFused}`);
    }
    assert.ok(fused >= 150, `only ${fused} pairs ran fused`);
    assert.ok(refused >= 10, `only ${refused} pairs were refused the fusion`);
  });

  it('refuses a conv whose acc + bias wraps int32, where pooling the accumulators would give another code', () => {
    // 1x1 conv, one channel, weight 127, bias 2^31 - 100: acc = 127 x wraps for x >= 1
    const conv = convLayer({
      inputShape: [2, 2, 1], kernel: [1, 1], strides: [1, 1], padding: 'valid', weights: Int8Array.from([127]),
      bias: Int32Array.from([2 ** 31 - 100]), scales: [1e-6], zIn: 0, zOut: 0, actMin: -128, actMax: 127,
    });
    const pool: MaxPool2DLayer = { type: 'maxpool2d', name: 'pool', inputShape: [2, 2, 1], outputShape: [1, 1, 1], pool: [2, 2], strides: [2, 2], padding: 'valid' };
    const input = Int8Array.from([0, 0, 0, 5]);
    const want = reference(conv, pool, input, 1, 'single');
    assert.deepEqual(want, Int8Array.from([127])); // requant(bias) = 2147 -> 127; requant(wrap(635 + bias)) -> -128
    const golden = compileGolden(model(conv, pool, 'single'));
    assert.deepEqual(golden.fusedPools(), []);
    assert.deepEqual(golden.run(input).output, want);
    const plan = prepareWasmMac({ wasm: packB(conv.weights, 1, 1, 'wasm').wasm! }, { bias: conv.bias, multiplier: conv.multiplier, shift: conv.shift, mode: 'single', zp: 0, actMin: -128, actMax: 127 }, 0, convGeometry([2, 2, 1], [1, 1], [1, 1], 'valid'))!;
    assert.equal(fuseMaxPool(plan, conv.weights, pool), undefined);
    // the fusion without that check: the largest accumulator (635) wraps to the least code
    const forced = { geometry: convGeometry([2, 2, 1], [2, 2], [2, 2], 'valid'), stages: stagesOf(plan.out)! };
    assert.deepEqual(runWasmMac(plan, input, 1, forced), Int8Array.from([-128]));
  });
});
