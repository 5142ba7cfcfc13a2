/**
 * The forward pass of a Network, as float or as fake-quant (QAT), in training or evaluation mode.
 *
 * Fake-quant MAC layer (after Jacob et al. 2018 and PyTorch's ConvBn modules):
 *   sf = gamma / sqrt(runningVar + eps);  Wf = W * sf  (BatchNorm folded into the weights, per output channel)
 *   y  = op(x, FQ_w(Wf))                              symmetric per-channel weight fake-quant
 *   training, BN not frozen:  y = BN_batch(y / sf + b)  the batch-statistics correction: the folded weights are
 *                              quantized, the layer still normalises with the batch statistics (running ones update)
 *   otherwise:                y = y + FQ_b(beta + (b - runningMean) * sf)   (exactly the integer layer)
 *   y  = FQ_a(relu(y))                                asymmetric per-tensor activation fake-quant, observer range
 * The input is never observed: pixels arrive as p/255, which the fixed input quantization (1/255, -128) holds exactly.
 */
import * as tf from '@tensorflow/tfjs';
import { fakeQuantize, fakeQuantizeBias, weightChannelParams, weightChannelParamsFromMax, type LearnedStepQuantizer, type MovingAverageMinMaxObserver, type WeightClipping } from '../../quant/fakequant/index.ts';
import type { AffineParams } from '../../quant/spec/index.ts';
import { BN_EPSILON, isMac, type MacLayer, type Network } from './network.ts';
import { inputParams } from './input.ts';
import { batchNormTrain as batchNormTrainOp } from '../backend/batch-norm-train.ts';
import { addChannels } from '../backend/add-channels.ts';
import { channelMaxAbs } from '../backend/channel-max-abs.ts';
import { fakeQuantizeFolded, type FoldedFakeQuant } from '../backend/fake-quantize-folded.ts';
import { divChannels } from '../backend/div-channels.ts';
import { tensorMinMax } from '../backend/min-max.ts';

export interface QatState {
  weightBits: number;
  /** Per-channel weight range: max |w| (default) or the MSE-optimal clipping threshold. */
  weightClipping?: WeightClipping;
  /** Output bits of each MAC layer (the activation bits; 8 for the logits). */
  outBits: number[];
  observers: MovingAverageMinMaxObserver[];
  /**
   * Learned activation steps (LSQ), per MAC layer; where one is set it replaces the observer's range for that
   * layer's output (ReLU layers only; the logits always keep their observer).
   */
  learnedSteps?: Array<LearnedStepQuantizer | undefined>;
  /** Observers update from training batches while true and not frozen. */
  bnFrozen: boolean;
}

/**
 * The affine parameters of MAC layer `index`'s output: its learned step where it has one, else its observer's
 * range. The scale is rounded to float32 once, here, and that one value serves the fake-quant, the bias grid and the
 * multiplier: a .tflite file holds float32 scales and TFLite derives each multiplier from them (double products of
 * the float32 values), so a multiplier computed from a wider scale is one TFLite cannot reproduce (its m0 moves by
 * up to ~100 units, and a float32 weight scale only reaches one m0 in 64-256).
 */
export function outputParams(q: QatState, index: number): AffineParams {
  const lsq = q.learnedSteps?.[index];
  const p = lsq ? lsq.params() : (q.observers[index] as MovingAverageMinMaxObserver).params(q.outBits[index] as number);
  return { ...p, scale: Math.fround(p.scale) };
}

export type Mode = { kind: 'float'; training: boolean } | { kind: 'qat'; training: boolean; qat: QatState };

export interface BatchStats {
  layer: MacLayer;
  mean: tf.Tensor;
  variance: tf.Tensor;
}

export interface ForwardResult {
  logits: tf.Tensor2D;
  /** Batch statistics of BatchNorm layers in training mode, kept (the caller updates the running stats and disposes). */
  batchStats: BatchStats[];
}

function macOp(l: MacLayer, x: tf.Tensor, w: tf.Tensor): tf.Tensor {
  if (l.spec.kind === 'dense') return tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D);
  return tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, l.spec.strides, l.spec.padding);
}

/** Folded float weights and bias of a layer from its running statistics (evaluation form). */
export function foldedWeights(l: MacLayer): { w: tf.Tensor; b: tf.Tensor } {
  return tf.tidy(() => {
    if (!l.bn) return { w: l.kernel.clone(), b: (l.bias as tf.Variable).clone() };
    const sf = tf.div(l.bn.gamma, tf.sqrt(tf.add(l.bn.variance, BN_EPSILON)));
    const w = tf.mul(l.kernel, sf);
    const b0 = l.bias ? tf.sub(l.bias, l.bn.mean) : tf.neg(l.bn.mean);
    return { w, b: tf.add(l.bn.beta, tf.mul(b0, sf)) };
  });
}

/** BatchNorm on the batch's statistics (NHWC or NC: over every axis but the channels), fused where the backend has it. */
function batchNormTrain(l: MacLayer, y: tf.Tensor, stats: BatchStats[]): tf.Tensor {
  const bn = l.bn as NonNullable<MacLayer['bn']>;
  const r = batchNormTrainOp(y, bn.gamma, bn.beta, BN_EPSILON);
  stats.push({ layer: l, mean: tf.keep(r.mean), variance: tf.keep(r.variance) });
  return r.y;
}

function floatMac(l: MacLayer, x: tf.Tensor, training: boolean, stats: BatchStats[]): tf.Tensor {
  let y = macOp(l, x, l.kernel);
  if (l.bias) y = addChannels(y, l.bias);
  if (l.bn) {
    y = training
      ? batchNormTrain(l, y, stats)
      : tf.add(tf.mul(tf.div(tf.sub(y, l.bn.mean), tf.sqrt(tf.add(l.bn.variance, BN_EPSILON))), l.bn.gamma), l.bn.beta);
  }
  return l.spec.relu ? tf.relu(y) : y;
}

/**
 * FQ_w(Wf) op by op, with the scales from the current folded weights, computed by quant/spec exactly as the export
 * does: the reference of fakeQuantizeFolded, and the path where that cannot run (MSE clipping, no BatchNorm,
 * another backend).
 */
function weightFakeQuant(l: MacLayer, sf: tf.Tensor | undefined, q: QatState): FoldedFakeQuant {
  const wf = sf ? tf.mul(l.kernel, sf) : l.kernel;
  const maxAbs = (q.weightClipping ?? 'max') === 'max' ? channelMaxAbs(wf) : null;
  const cq = maxAbs !== null ? weightChannelParamsFromMax(maxAbs, q.weightBits) : weightChannelParams(wf.dataSync() as Float32Array, l.channels, q.weightBits, q.weightClipping);
  const scales = tf.tensor1d(Float32Array.from(cq.scales));
  const p0 = cq.params[0] as AffineParams;
  return { wq: fakeQuantize(wf, scales, 0, p0.qmin, p0.qmax), cq };
}

function qatMac(l: MacLayer, x: tf.Tensor, inQ: AffineParams, mode: Mode & { kind: 'qat' }, stats: BatchStats[]): tf.Tensor {
  const q = mode.qat;
  const sf = l.bn ? tf.div(l.bn.gamma, tf.sqrt(tf.add(l.bn.variance, BN_EPSILON))) : undefined;
  const fused = sf && (q.weightClipping ?? 'max') === 'max' ? fakeQuantizeFolded(l.kernel, sf, q.weightBits) : null;
  const { wq, cq } = fused ?? weightFakeQuant(l, sf, q);
  let y = macOp(l, x, wq);
  if (l.bn && sf && mode.training && !q.bnFrozen) {
    y = divChannels(y, sf);
    if (l.bias) y = addChannels(y, l.bias);
    y = batchNormTrain(l, y, stats);
  } else {
    let b: tf.Tensor;
    if (l.bn && sf) {
      const b0 = l.bias ? tf.sub(l.bias, l.bn.mean) : tf.neg(l.bn.mean);
      b = tf.add(l.bn.beta, tf.mul(b0, sf));
    } else {
      b = l.bias as tf.Variable;
    }
    // the bias grid S_in * S_w: float32 products, as tf.mul(scales, S_in) would make them, without an op
    const sIn = Math.fround(inQ.scale);
    y = addChannels(y, fakeQuantizeBias(b, tf.tensor1d(Float32Array.from(cq.scales, (s) => Math.fround(s) * sIn))));
  }
  return l.spec.relu ? tf.relu(y) : y;
}

/**
 * Runs the network on x ([B, 28, 28, 1], pixels / 255). In QAT training mode the observers see each MAC layer's
 * output (after ReLU) before it is fake-quantized with their range. `onMacOutput` sees every MAC output (float
 * mode: for calibration).
 */
export function forward(net: Network, x: tf.Tensor, mode: Mode, onMacOutput?: (index: number, y: tf.Tensor) => void): ForwardResult {
  const stats: BatchStats[] = [];
  let h = x;
  let inQ: AffineParams = inputParams();
  let mac = 0;
  for (const l of net.layers) {
    if (isMac(l)) {
      if (mode.kind === 'float') {
        h = floatMac(l, h, mode.training, stats);
      } else {
        h = qatMac(l, h, inQ, mode, stats);
        const lsq = mode.qat.learnedSteps?.[mac];
        if (lsq) {
          inQ = outputParams(mode.qat, mac);
          h = lsq.apply(h);
        } else {
          const obs = mode.qat.observers[mac] as MovingAverageMinMaxObserver;
          if (mode.training && !obs.frozen) {
            const [lo, hi] = tensorMinMax(h);
            obs.update(lo, hi);
          }
          inQ = outputParams(mode.qat, mac);
          h = fakeQuantize(h, inQ.scale, inQ.zeroPoint, inQ.qmin, inQ.qmax, { nonNegative: l.spec.relu });
        }
      }
      onMacOutput?.(mac, h);
      mac++;
    } else if (l.spec.kind === 'maxpool2d') {
      h = tf.maxPool(h as tf.Tensor4D, l.spec.pool, l.spec.pool, 'valid');
    } else {
      h = tf.reshape(h, [h.shape[0] as number, -1]);
    }
  }
  return { logits: h as tf.Tensor2D, batchStats: stats };
}
