/**
 * Quantization state of a network and its post-training calibration: one activation observer per MAC layer
 * output (after ReLU), set from plain min/max over a seeded random sample of training images run through the float
 * network in evaluation mode.
 */
import * as tf from '@tensorflow/tfjs';
import { LearnedStepQuantizer, MinMaxObserver, MovingAverageMinMaxObserver, mseStep, type WeightClipping } from '../../quant/fakequant/index.ts';
import { intRange } from '../../quant/spec/index.ts';
import { Rng } from '../../quant/random.ts';
import type { Split } from '../data/dataset.ts';
import { tensorMinMax } from '../backend/min-max.ts';
import { forward, type QatState } from '../net/forward.ts';
import type { Network } from '../net/network.ts';
import { batchImages, permutation } from './batches.ts';

/** The logits keep 8 bits whatever the activation width (only the argmax is read from them). */
export const LOGIT_BITS = 8;

export function newQatState(net: Network, weightBits: number, activationBits: number, weightClipping: WeightClipping = 'max'): QatState {
  intRange(weightBits, true); // throws RangeError on a bad width
  intRange(activationBits, false);
  const macs = net.macLayers();
  return {
    weightBits,
    weightClipping,
    outBits: macs.map((_, i) => (i === macs.length - 1 ? LOGIT_BITS : activationBits)),
    observers: macs.map(() => new MovingAverageMinMaxObserver(0.01)),
    bnFrozen: false,
  };
}

/**
 * Runs the float network in evaluation mode over `count` seeded-random training images (the calibration sample,
 * the same for a given seed) in batches, handing every MAC layer's output to `onMacOutput`.
 */
function forEachCalibrationOutput(net: Network, train: Split, count: number, seed: number, batchSize: number, onMacOutput: (index: number, y: tf.Tensor) => void): number {
  const order = permutation(train.labels.length, new Rng((seed ^ 0x5eed) >>> 0)).subarray(0, Math.min(count, train.labels.length));
  for (let s = 0; s < order.length; s += batchSize) {
    tf.tidy(() => {
      const x = batchImages(train.images, order.subarray(s, Math.min(order.length, s + batchSize)));
      forward(net, x, { kind: 'float', training: false }, onMacOutput);
    });
  }
  return order.length;
}

/** Sets every observer of `q` to the min/max of the float network's MAC outputs over `count` training images. */
export function calibrate(net: Network, train: Split, q: QatState, count: number, seed: number, batchSize = 500): void {
  const obs = q.observers.map(() => new MinMaxObserver());
  forEachCalibrationOutput(net, train, count, seed, batchSize, (i, y) => {
    (obs[i] as MinMaxObserver).update(...tensorMinMax(y));
  });
  obs.forEach((o, i) => (q.observers[i] as MovingAverageMinMaxObserver).reset(o.min, o.max));
}

/**
 * A frozen copy of a quantization state (PTQ keeps its calibrated ranges while QAT moves on). Learned steps are not
 * copied: PTQ always uses the calibrated min/max ranges.
 */
export function freezeCopy(q: QatState): QatState {
  return {
    weightBits: q.weightBits,
    weightClipping: q.weightClipping,
    outBits: q.outBits.slice(),
    observers: q.observers.map((o) => {
      const c = new MovingAverageMinMaxObserver(o.averagingConstant);
      c.reset(o.min, o.max);
      c.freeze();
      return c;
    }),
    bnFrozen: true,
  };
}

/** Values kept per layer to initialise a learned step (a strided sample of the calibration outputs). */
const STEP_SAMPLE = 1 << 18;

/**
 * Gives every ReLU MAC layer of `q` a learned activation step (LSQ), initialised to the MSE-optimal step of the
 * float network's outputs over the same calibration images as `calibrate` (a strided sample of at most 2^18 values
 * per layer). The logits keep their observer.
 */
export function initLearnedSteps(net: Network, train: Split, q: QatState, count: number, seed: number, batchSize = 500): void {
  const macs = net.macLayers();
  const images = Math.min(count, train.labels.length);
  const stride = macs.map((l) => Math.max(1, Math.ceil((l.outShape.reduce((a, b) => a * b, 1) * images) / STEP_SAMPLE)));
  const samples = macs.map(() => [] as number[]);
  const offset = new Array<number>(macs.length).fill(0);
  const max = new Array<number>(macs.length).fill(0);
  forEachCalibrationOutput(net, train, count, seed, batchSize, (i, y) => {
    if (!macs[i]?.spec.relu) return;
    const v = y.dataSync();
    const st = stride[i] as number;
    const out = samples[i] as number[];
    let k = offset[i] as number;
    for (; k < v.length; k += st) {
      const a = v[k] as number;
      out.push(a);
      if (a > (max[i] as number)) max[i] = a;
    }
    offset[i] = k - v.length;
  });
  q.learnedSteps = macs.map((l, i) => {
    if (!l.spec.relu) return undefined;
    const bits = q.outBits[i] as number;
    const { qmin, qmax } = intRange(bits, false);
    return new LearnedStepQuantizer(mseStep(Float32Array.from(samples[i] as number[]), qmax - qmin, max[i] as number), bits);
  });
}
