/**
 * quant/spec arithmetic.ts: the rounding and softmax each named target uses, kernel by kernel (docs/SPEC.md
 * section 7), and that the rounding each names computes what the TFLite kernel does at the ties where the modes part.
 */
import assert from 'node:assert/strict';
import { ARITHMETIC_TARGETS, macRounding, multiplyByQuantizedMultiplier, softmaxVariant, type MacKind } from '../../quant/spec/index.ts';

const KINDS: readonly MacKind[] = ['conv2d', 'dense', 'depthwise2d'];

describe('quant/spec arithmetic targets', () => {
  it('names the two targets', () => {
    assert.deepEqual([...ARITHMETIC_TARGETS], ['tflite-reference', 'tflite-runtime']);
  });
  it('tflite-reference: double rounding in every MAC kernel, the fixed-point softmax', () => {
    assert.deepEqual(KINDS.map((k) => macRounding('tflite-reference', k)), ['double', 'double', 'double']);
    assert.equal(softmaxVariant('tflite-reference'), 'fixed-point');
  });
  it("tflite-runtime: ruy's rounding for CONV_2D and FULLY_CONNECTED, double for DEPTHWISE_CONV_2D, the float-LUT softmax", () => {
    assert.deepEqual(KINDS.map((k) => macRounding('tflite-runtime', k)), ['ruy', 'ruy', 'double']);
    assert.equal(softmaxVariant('tflite-runtime'), 'float-lut');
  });
  it('the targets part at a negative exact tie of a conv: -1.5 is -2 in the reference and -1 in the runtime', () => {
    // acc = -6, M = 2^30 * 2^(-1-31) = 1/4: SRDHM(-6, 2^30) = -3 exactly, then -3 / 2 = -1.5
    const at = (target: (typeof ARITHMETIC_TARGETS)[number], kind: MacKind) => multiplyByQuantizedMultiplier(-6, 2 ** 30, -1, macRounding(target, kind));
    assert.equal(at('tflite-reference', 'conv2d'), -2);
    assert.equal(at('tflite-runtime', 'conv2d'), -1);
    assert.equal(at('tflite-runtime', 'dense'), -1);
    assert.equal(at('tflite-runtime', 'depthwise2d'), -2);
  });
});
