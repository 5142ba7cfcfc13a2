/**
 * Fake quantization (quantize-dequantize) in tfjs, consistent with quant/spec to the bit:
 *   q = clamp(roundHalfAwayFromZero(x / scale) + zeroPoint, qmin, qmax),   y = (q - zeroPoint) * scale
 * with integer zero points and the same tie rule as `quantizeValue` (tf.round would round ties to even, so the
 * rounding is written sign(v) * floor(|v| + 0.5), with the float32 care explained at HALF_MINUS). The gradient is the straight-through estimator: dy passes
 * where the unclamped code lies inside [qmin, qmax] and is zero outside; scale and zero point get no gradient.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * The largest float32 below 0.5. floor(|v| + 0.5) is wrong in float32 for one value, |v| = 0.5 - 2^-25, whose sum
 * with 0.5 rounds up to 1; floor(|v| + HALF_MINUS) is exact for every float32 |v| (true halves still reach the next
 * integer, as their sum lands on a tie that rounds to the even, larger integer, or is exact).
 */
export const HALF_MINUS = Math.fround(0.5 - 2 ** -25);

/**
 * roundHalfAwayFromZero (quant/spec) on a float32 tensor (no gradient of its own; used inside the STE):
 * sign(x) * floor(|x| + HALF_MINUS). The sign is taken as clip(4x, -1, 1): exactly +-1 wherever |x| >= 0.5, and
 * below that floor(|x| + HALF_MINUS) is 0 anyway. (tf.sign, like tf.equal and tf.cast, is 10-30x slower than an
 * arithmetic op on the WASM backend: 0.3 ms on a 784x64 tensor against 0.01-0.03 ms.)
 */
export function roundHalfAwayFromZeroT(x: tf.Tensor): tf.Tensor {
  return tf.mul(tf.clipByValue(tf.mul(x, 4), -1, 1), tf.floor(tf.add(tf.abs(x), HALF_MINUS)));
}

/**
 * 1 where the integer-valued tensors a and b are equal, 0 elsewhere (the STE mask r == clamp(r)), in arithmetic:
 * clip(1 - |a - b|, 0, 1).
 */
export function equalMask(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.clipByValue(tf.sub(1, tf.abs(tf.sub(a, b))), 0, 1);
}

export interface FakeQuantizeOptions {
  /**
   * The caller guarantees x >= 0 (a ReLU output): the rounding needs no sign, and as zeroPoint >= qmin the lower
   * clamp can never bite. Same values, five ops instead of nine.
   */
  nonNegative?: boolean;
}

/**
 * The fused fake-quant kernel a backend may register under this name (model/backend does on WASM): inputs x
 * (float32) and, per channel, `scales` [C] along the last axis; attrs `scale` (per tensor, when there are no
 * scales), `lo` = qmin - zeroPoint, `hi` = qmax - zeroPoint, `half` = HALF_MINUS, `nonNegative`. Outputs y and the
 * straight-through estimator's mask (1 where r == clamp(r), else 0), both float32 shaped as x: the float32 ops of
 * `fakeQuantizeReference` in the same order, so the same bits, in one pass instead of five to nine.
 */
export const FAKE_QUANTIZE_KERNEL = 'Int8cosimFakeQuantize';

/**
 * Fake-quantizes x. `scale` and `zeroPoint` are numbers (per tensor) or 1-D tensors broadcast along the last
 * axis (per channel). The result keeps x's shape. Computed as r = round(x / scale), rc = clamp(r, qmin - zp,
 * qmax - zp), y = rc * scale: the zero point is an integer, so this is exactly (clamp(r + zp) - zp) * scale,
 * and the STE mask is r == rc. One fused kernel each way (forward: y and the mask; backward: dy * mask) where the
 * backend has FAKE_QUANTIZE_KERNEL and the zero point is a number; the tf-op chain elsewhere.
 */
export function fakeQuantize(
  x: tf.Tensor,
  scale: number | tf.Tensor,
  zeroPoint: number | tf.Tensor,
  qmin: number,
  qmax: number,
  opts: FakeQuantizeOptions = {},
): tf.Tensor {
  if (typeof zeroPoint !== 'number' || x.dtype !== 'float32' || tf.getKernel(FAKE_QUANTIZE_KERNEL, tf.getBackend()) === undefined) {
    return fakeQuantizeReference(x, scale, zeroPoint, qmin, qmax, opts);
  }
  const perTensor = typeof scale === 'number';
  const attrs = { scale: perTensor ? scale : 0, lo: qmin - zeroPoint, hi: qmax - zeroPoint, half: HALF_MINUS, nonNegative: opts.nonNegative === true };
  return fused(x, perTensor ? undefined : scale, attrs as unknown as tf.NamedAttrMap);
}

/** FAKE_QUANTIZE_KERNEL forward; backward dy * mask (the STE), or dy itself where `ste` is false. */
function fused(x: tf.Tensor, scales: tf.Tensor | undefined, attrs: tf.NamedAttrMap, ste = true): tf.Tensor {
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [input, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const inputs: tf.NamedTensorMap = scales === undefined ? { x: input } : { x: input, scales };
    const [y, mask] = tf.engine().runKernel(FAKE_QUANTIZE_KERNEL, inputs, attrs) as tf.Tensor[];
    save(ste ? [mask as tf.Tensor] : []);
    return { value: y as tf.Tensor, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => (ste ? tf.mul(dy, saved[0] as tf.Tensor) : dy) };
  });
  return op(x) as tf.Tensor;
}

/** `fakeQuantize` as the chain of tf ops (any backend; the reference of the fused kernel). */
export const fakeQuantizeReference: typeof fakeQuantize = (x, scale, zeroPoint, qmin, qmax, opts = {}) => {
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const input = args[0] as tf.Tensor;
    const save = args[1] as tf.GradSaveFunc;
    const t = tf.div(input, scale);
    let r: tf.Tensor;
    let rc: tf.Tensor;
    if (opts.nonNegative && typeof zeroPoint === 'number') {
      r = tf.floor(tf.add(t, HALF_MINUS));
      rc = tf.minimum(r, qmax - zeroPoint);
    } else {
      r = roundHalfAwayFromZeroT(t);
      rc = typeof zeroPoint === 'number'
        ? tf.clipByValue(r, qmin - zeroPoint, qmax - zeroPoint)
        : tf.minimum(tf.maximum(r, tf.sub(qmin, zeroPoint)), tf.sub(qmax, zeroPoint));
    }
    save([r, rc]);
    return {
      value: tf.mul(rc, scale),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, equalMask(saved[0] as tf.Tensor, saved[1] as tf.Tensor)),
    };
  });
  return op(x) as tf.Tensor;
};

/**
 * Rounds x to the grid of `step` (an int32 bias at scale step, which never saturates here): round(x / step) * step,
 * with the identity as gradient.
 */
export function fakeQuantizeBias(x: tf.Tensor, step: tf.Tensor): tf.Tensor {
  if (step.rank === 1 && x.shape[x.rank - 1] === step.shape[0] && x.dtype === 'float32' && tf.getKernel(FAKE_QUANTIZE_KERNEL, tf.getBackend()) !== undefined) {
    // the fused kernel with unbounded clamps is round(x / step) * step in the same float32 operations
    const attrs = { scale: 0, lo: -Infinity, hi: Infinity, half: HALF_MINUS, nonNegative: false };
    return fused(x, step, attrs as unknown as tf.NamedAttrMap, false);
  }
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => ({
    value: tf.mul(roundHalfAwayFromZeroT(tf.div(args[0] as tf.Tensor, step)), step),
    gradFunc: (dy: tf.Tensor) => dy,
  }));
  return op(x) as tf.Tensor;
}
