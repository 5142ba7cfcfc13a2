/**
 * A network's state: the float variables of each MAC layer (kernel, bias or BatchNorm gamma/beta plus running
 * mean/variance), initialised from a seed with the project's Rng (He-normal kernels), so that the same seed gives
 * the same bits.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../quant/random.ts';
import { layerOutputShape, type LayerSpec, type MacSpec, type NetworkSpec } from './spec.ts';

export const BN_EPSILON = 1e-5;

export interface BatchNormVars {
  gamma: tf.Variable;
  beta: tf.Variable;
  /** Running statistics (not trained by the optimizer). */
  mean: tf.Variable;
  variance: tf.Variable;
}

export interface MacLayer {
  spec: MacSpec;
  inShape: number[];
  outShape: number[];
  /** [K, N] or HWIO. */
  kernel: tf.Variable;
  /** Present when the layer has no BatchNorm. */
  bias?: tf.Variable;
  bn?: BatchNormVars;
  channels: number;
}

export interface PassLayer {
  spec: Exclude<LayerSpec, MacSpec>;
  inShape: number[];
  outShape: number[];
}

export type NetLayer = MacLayer | PassLayer;

export function isMac(l: NetLayer): l is MacLayer {
  return l.spec.kind === 'dense' || l.spec.kind === 'conv2d';
}

export class Network {
  readonly layers: NetLayer[] = [];
  constructor(readonly spec: NetworkSpec, seed: number) {
    const rng = new Rng(seed);
    let shape: number[] = spec.inputShape.slice();
    for (const l of spec.layers) {
      const out = layerOutputShape(l, shape);
      if (l.kind === 'dense' || l.kind === 'conv2d') {
        const fanIn = l.kind === 'dense' ? (shape[0] as number) : l.kernel[0] * l.kernel[1] * (shape[2] as number);
        const n = l.kind === 'dense' ? l.units : l.filters;
        const kShape = l.kind === 'dense' ? [fanIn, n] : [l.kernel[0], l.kernel[1], shape[2] as number, n];
        const std = Math.sqrt(2 / fanIn);
        const init = Float32Array.from({ length: fanIn * n }, () => rng.normal() * std);
        const layer: MacLayer = {
          spec: l, inShape: shape, outShape: out, channels: n,
          kernel: tf.variable(tf.tensor(init, kShape), true),
        };
        if (l.batchNorm) {
          layer.bn = {
            gamma: tf.variable(tf.ones([n]), true),
            beta: tf.variable(tf.zeros([n]), true),
            mean: tf.variable(tf.zeros([n]), false),
            variance: tf.variable(tf.ones([n]), false),
          };
        } else {
          layer.bias = tf.variable(tf.zeros([n]), true);
        }
        this.layers.push(layer);
      } else {
        this.layers.push({ spec: l, inShape: shape, outShape: out });
      }
      shape = out;
    }
  }

  macLayers(): MacLayer[] {
    return this.layers.filter(isMac);
  }

  trainableVariables(): tf.Variable[] {
    const vs: tf.Variable[] = [];
    for (const l of this.macLayers()) {
      vs.push(l.kernel);
      if (l.bias) vs.push(l.bias);
      if (l.bn) vs.push(l.bn.gamma, l.bn.beta);
    }
    return vs;
  }

  allVariables(): tf.Variable[] {
    const vs = this.trainableVariables();
    for (const l of this.macLayers()) if (l.bn) vs.push(l.bn.mean, l.bn.variance);
    return vs;
  }

  dispose(): void {
    for (const v of this.allVariables()) v.dispose();
  }
}
