/**
 * Learned step size quantization (LSQ, Esser et al., ICLR 2020) of a non-negative (ReLU) activation, per tensor.
 * The step s is a trainable scalar; the affine parameters are scale = s (as float32) and zero point = qmin, so that
 * real 0 is code qmin and the codes qmin..qmax hold 0, s, 2s, ..., L*s with L = qmax - qmin. The forward pass is
 * the same integer-consistent quantize-dequantize as `fakeQuantize` (half away from zero, written for float32);
 * the gradients are LSQ's:
 *   dy/dx = 1 inside the range, 0 outside;
 *   dy/ds = round(x/s) - x/s inside, L above, 0 below, times g = 1 / sqrt(N * L) with N the elements per example.
 * At 2 and 3 bits a moving-average min/max range puts the few levels where almost no activation lies (a ReLU
 * output's batch maximum is many times its typical value); a learned step trades clipping error against rounding
 * error by gradient descent.
 */
import * as tf from '@tensorflow/tfjs';
import { intRange, type AffineParams } from '../spec/index.ts';
import { equalMask, HALF_MINUS } from './fake-quantize.ts';

/**
 * The step in (0, max] among `candidates` evenly spaced clipping thresholds that minimises the squared error of
 * quantizing the non-negative `values` to L + 1 levels (LSQ's step initialisation from calibration data).
 */
export function mseStep(values: Float32Array, levels: number, max: number, candidates = 100): number {
  if (!(max > 0) || !Number.isFinite(max)) return 1;
  let best = max / levels;
  let bestErr = Infinity;
  for (let k = 1; k <= candidates; k++) {
    const s = (max * k) / candidates / levels;
    let err = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number;
      const q = Math.min(levels, Math.floor(v / s + 0.5));
      const d = v - q * s;
      err += d * d;
    }
    if (err < bestErr) {
      bestErr = err;
      best = s;
    }
  }
  return Math.fround(best);
}

export class LearnedStepQuantizer {
  readonly step: tf.Variable;
  constructor(initialStep: number, readonly bits: number) {
    if (!(initialStep > 0) || !Number.isFinite(initialStep)) {
      throw new RangeError(`learned step: expected a finite initial step > 0, got ${initialStep}`);
    }
    intRange(bits, false); // throws on a bad width
    this.step = tf.variable(tf.scalar(Math.fround(initialStep)), true);
  }

  /** The step as float32 (the value the fake-quant and the export both use). */
  value(): number {
    return this.step.dataSync()[0] as number;
  }

  /** scale = the step, zero point = qmin, at the width the quantizer was made for (the one `apply` uses). */
  params(): AffineParams {
    const { qmin, qmax } = intRange(this.bits, false);
    const s = this.value();
    if (!(s > 0)) throw new RangeError(`learned step fell to ${s}; lower the QAT learning rate`);
    return { scale: s, zeroPoint: qmin, qmin, qmax };
  }

  /**
   * Fake-quantizes x with the learned step (LSQ gradients to x and to the step). Meant for ReLU outputs (x >= 0);
   * anything below 0 clamps to code qmin like any value outside the range.
   */
  apply(x: tf.Tensor): tf.Tensor {
    const { qmin, qmax } = intRange(this.bits, false);
    const levels = qmax - qmin;
    const perExample = x.size / (x.shape[0] as number);
    const g = 1 / Math.sqrt(perExample * levels);
    const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      const input = args[0] as tf.Tensor;
      const s = args[1] as tf.Tensor;
      const save = args[2] as tf.GradSaveFunc;
      const t = tf.div(input, s);
      const r = tf.floor(tf.add(t, HALF_MINUS)); // half away from zero where t >= 0; t < 0 clamps to 0 anyway
      const rc = tf.clipByValue(r, 0, levels);
      save([t, r, rc]);
      return {
        value: tf.mul(rc, s),
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [ts, rs, rcs] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
          const inside = equalMask(rs, rcs);
          const dx = tf.mul(dy, inside);
          // rc - t * inside is round(x/s) - x/s inside the range, L (= rc) above it and 0 (= rc) below it
          const ds = tf.mul(tf.sum(tf.mul(dy, tf.sub(rcs, tf.mul(ts, inside)))), g);
          return [dx, ds];
        },
      };
    });
    return op(x, this.step) as tf.Tensor;
  }

  toJSON(): { step: number } {
    return { step: this.value() };
  }

  dispose(): void {
    this.step.dispose();
  }
}
