/**
 * Quantization state of a network and its post-training calibration: one activation observer per MAC layer
 * output (after ReLU), set from plain min/max over a seeded random sample of training images run through the float
 * network in evaluation mode.
 */
import * as tf from '@tensorflow/tfjs';
import { MinMaxObserver, MovingAverageMinMaxObserver, type WeightClipping } from '../../quant/fakequant/index.ts';
import { intRange } from '../../quant/spec/index.ts';
import { Rng } from '../../quant/random.ts';
import type { Split } from '../data/dataset.ts';
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

/** Sets every observer of `q` to the min/max of the float network's MAC outputs over `count` training images. */
export function calibrate(net: Network, train: Split, q: QatState, count: number, seed: number, batchSize = 500): void {
  const order = permutation(train.labels.length, new Rng((seed ^ 0x5eed) >>> 0)).subarray(0, Math.min(count, train.labels.length));
  const obs = q.observers.map(() => new MinMaxObserver());
  for (let s = 0; s < order.length; s += batchSize) {
    tf.tidy(() => {
      const x = batchImages(train.images, order.subarray(s, Math.min(order.length, s + batchSize)));
      forward(net, x, { kind: 'float', training: false }, (i, y) => {
        (obs[i] as MinMaxObserver).update(tf.min(y).dataSync()[0] as number, tf.max(y).dataSync()[0] as number);
      });
    });
  }
  obs.forEach((o, i) => (q.observers[i] as MovingAverageMinMaxObserver).reset(o.min, o.max));
}

/** A frozen copy of a quantization state (PTQ keeps its calibrated ranges while QAT moves on). */
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
