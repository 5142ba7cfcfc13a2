/**
 * quant/spec conv-params.ts and activation-range.ts: TFLite's Prepare-time arithmetic of a MAC layer's float32
 * scales (PopulateConvolutionQuantizationParams, GetQuantizedConvolutionMultipler, CalculateActivationRangeQuantized)
 * against exact BigInt references and hand-computed values where float32 and double part.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  activationRange,
  effectiveOutputScale,
  getQuantizedConvolutionMultiplier,
  macMultipliers,
  multiplyByQuantizedMultiplier,
  perChannelMultipliers,
  quantizeMultiplier,
  roundHalfAwayFromZero,
} from '../../quant/spec/index.ts';
import { check, div, mul, ratio, roundToBits } from './fc-helpers.ts';

const f32 = fc.float({ min: Math.fround(1e-6), max: Math.fround(10), noNaN: true, noDefaultInfinity: true });

describe('quant/spec conv-params (PopulateConvolutionQuantizationParams)', () => {
  it('effectiveOutputScale is the double quotient of the exact double product: one rounding of S_in*S_w/S_out (property)', () => {
    // two float32 significands multiply exactly in double, so the double expression is RN(S_in * S_w / S_out)
    check(
      'effectiveOutputScale',
      fc.property(f32, f32, f32, (a, b, c) => {
        const want = roundToBits(div(mul(ratio(a), ratio(b)), ratio(c)), 53);
        assert.equal(effectiveOutputScale(a, b, c), want, `${a} * ${b} / ${c}`);
      }),
    );
  });
  it('getQuantizedConvolutionMultiplier rounds the product to float32 first (property, BigInt float32 rounding)', () => {
    check(
      'getQuantizedConvolutionMultiplier',
      fc.property(f32, f32, f32, (a, b, c) => {
        const p = roundToBits(mul(ratio(a), ratio(b)), 24); // float32(S_in * S_w)
        const want = roundToBits(div(ratio(p), ratio(c)), 53);
        assert.equal(getQuantizedConvolutionMultiplier(a, b, c), want, `float(${a} * ${b}) / ${c}`);
      }),
    );
  });
  it('the two part at a hand-found case, by 28 units of m0', () => {
    // scales as float32 (found by search; checked with numpy float32)
    const [a, b, c] = [0.014302060008049011, 0.04244796931743622, 0.1551171839237213];
    assert.deepEqual(quantizeMultiplier(effectiveOutputScale(a, b, c)), { m0: 1075809656, shift: -7 });
    assert.deepEqual(quantizeMultiplier(getQuantizedConvolutionMultiplier(a, b, c)), { m0: 1075809628, shift: -7 });
  });
  it('takes the scales as float32: a wider double gives the float32 bits', () => {
    assert.equal(effectiveOutputScale(0.1, 0.2, 0.3), (Math.fround(0.1) * Math.fround(0.2)) / Math.fround(0.3));
    assert.notEqual(effectiveOutputScale(0.1, 0.2, 0.3), (0.1 * 0.2) / 0.3);
  });
  it('perChannelMultipliers: QuantizeMultiplier of each channel (hand values)', () => {
    const { multiplier, shift } = perChannelMultipliers(0.5, [0.25, 0.5, 1, 3], 1);
    assert.deepEqual([...multiplier], [2 ** 30, 2 ** 30, 2 ** 30, 3 * 2 ** 29]); // 1/8, 1/4, 1/2, 3/2
    assert.deepEqual([...shift], [-2, -1, 0, 1]);
    const per = perChannelMultipliers(0.02, Float32Array.of(0.003, 0.0041), 0.07);
    for (const [c, s] of [0.003, 0.0041].entries()) {
      const q = quantizeMultiplier(effectiveOutputScale(0.02, s, 0.07));
      assert.equal(per.multiplier[c], q.m0);
      assert.equal(per.shift[c], q.shift);
    }
  });
  it('macMultipliers: a per-tensor FULLY_CONNECTED takes the float32 product (values TFLite 2.9 gave on this input)', () => {
    const [sIn, sW, sOut] = [0.027522128075361252, 0.0036234331782907248, 0.032189641147851944];
    for (const target of ['tflite-reference', 'tflite-runtime'] as const) {
      const fc = macMultipliers(target, 'dense', sIn, [sW], sOut, 3);
      assert.deepEqual([...fc.multiplier], [1703162075, 1703162075, 1703162075]);
      const conv = macMultipliers(target, 'conv2d', sIn, [sW], sOut, 2);
      assert.deepEqual([...conv.multiplier], [1703162020, 1703162020]);
      // the accumulator -22757 of a 1x1 FULLY_CONNECTED: the runtime gave -71
      assert.equal(multiplyByQuantizedMultiplier(-22757, fc.multiplier[0] as number, fc.shift[0] as number, 'ruy'), -71);
      assert.equal(multiplyByQuantizedMultiplier(-22757, conv.multiplier[0] as number, conv.shift[0] as number, 'ruy'), -70);
    }
  });
  it('macMultipliers: a per-channel FULLY_CONNECTED is per channel in TFLite Micro and (0, 0) in TF 2.9', () => {
    const scales = [0.004, 0.009];
    const ref = macMultipliers('tflite-reference', 'dense', 0.05, scales, 0.1);
    const per = perChannelMultipliers(0.05, scales, 0.1);
    assert.deepEqual([ref.multiplier, ref.shift], [per.multiplier, per.shift]);
    const rt = macMultipliers('tflite-runtime', 'dense', 0.05, scales, 0.1);
    assert.deepEqual([[...rt.multiplier], [...rt.shift]], [[0, 0], [0, 0]]);
    assert.deepEqual(macMultipliers('tflite-runtime', 'depthwise2d', 0.05, scales, 0.1), per);
    assert.throws(() => macMultipliers('tflite-runtime', 'conv2d', 0.05, scales, 0.1, 3), /expected 1 or 3 filter scales for 3 channels, got 2/);
  });
  it('rejects non-positive scales and an empty channel list', () => {
    assert.throws(() => effectiveOutputScale(0, 1, 1), /input scale: expected a finite scale > 0, got 0/);
    assert.throws(() => getQuantizedConvolutionMultiplier(1, 1, Number.NaN), /output scale/);
    assert.throws(() => perChannelMultipliers(1, [], 1), /at least one filter scale/);
  });
});

describe('quant/spec activationRange (CalculateActivationRangeQuantized)', () => {
  it('NONE and RELU', () => {
    assert.deepEqual(activationRange('NONE', 0.1, 3), { actMin: -128, actMax: 127 });
    assert.deepEqual(activationRange('RELU', 0.1, -5), { actMin: -5, actMax: 127 });
    assert.deepEqual(activationRange('RELU', 0.1, -128), { actMin: -128, actMax: 127 });
    assert.deepEqual(activationRange('NONE', 1, 0, -32768, 32767), { actMin: -32768, actMax: 32767 });
  });
  it('RELU6 divides in float32: 6 / float32(0.8) is exactly 7.5 there (7.4999999 in double) and rounds to 8, as TF 2.9 clamps', () => {
    assert.deepEqual(activationRange('RELU6', 0.8, 0), { actMin: 0, actMax: 8 });
    assert.deepEqual(activationRange('RELU6', 0.8, -3), { actMin: -3, actMax: 5 });
    assert.deepEqual(activationRange('RELU6', 6 / 255, -128), { actMin: -128, actMax: 127 }); // 6/S = 255, -128 + 255
    assert.deepEqual(activationRange('RELU6', 0.0625, -128), { actMin: -128, actMax: -32 }); // 96 - 128
    assert.deepEqual(activationRange('RELU6', 0.01, -128), { actMin: -128, actMax: 127 }); // 600 - 128: min with qmax
  });
  it('RELU_N1_TO_1: -1 / float32(0.4) is -2.5 in float32, away from zero to -3, as TF 2.9 clamps', () => {
    assert.deepEqual(activationRange('RELU_N1_TO_1', 0.4, 0), { actMin: -3, actMax: 3 });
    assert.deepEqual(activationRange('RELU_N1_TO_1', 1 / 64, 10), { actMin: -54, actMax: 74 });
    assert.deepEqual(activationRange('RELU_N1_TO_1', 1 / 256, -128), { actMin: -128, actMax: 127 });
  });
  it('RELU6 equals a BigInt reference: zp + roundHalfAwayFromZero(float32(6 / S)), min with qmax (property)', () => {
    check(
      'activationRange RELU6',
      fc.property(fc.float({ min: Math.fround(1e-3), max: Math.fround(2), noNaN: true }), fc.integer({ min: -128, max: 127 }), (s, zp) => {
        const q6 = zp + roundHalfAwayFromZero(roundToBits(div(ratio(6), ratio(Math.fround(s))), 24));
        assert.deepEqual(activationRange('RELU6', s, zp), { actMin: Math.max(-128, zp), actMax: Math.min(127, q6) }, `S=${s} zp=${zp}`);
      }),
    );
  });
  it('rejects a bad scale, zero point or activation', () => {
    assert.throws(() => activationRange('RELU', 0, 0), /finite scale > 0/);
    assert.throws(() => activationRange('RELU', 1, 0.5), /integer zero point/);
    assert.throws(() => activationRange('TANH' as never, 1, 0), /expected one of NONE, RELU, RELU6, RELU_N1_TO_1/);
    assert.throws(() => activationRange('RELU6', 1e-38, 0), /does not fit in int32/);
  });
});
