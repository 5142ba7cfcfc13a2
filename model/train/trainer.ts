/**
 * One training phase (float or QAT): Adam over seeded shuffles, cosine learning-rate decay over the phase,
 * BatchNorm running statistics updated after each step (momentum 0.1, unbiased variance, as PyTorch), and the QAT
 * schedule (BatchNorm frozen at `bnFreeze`, observers frozen at `observerFreeze`, both fractions of the phase).
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../quant/random.ts';
import type { Split } from '../data/dataset.ts';
import { forward, type BatchStats, type Mode, type QatState } from '../net/forward.ts';
import type { Network } from '../net/network.ts';
import { adam } from './adam.ts';
import { batchImages, batchLabels, permutation } from './batches.ts';
import { evaluateSplit, type EvalResult } from './evaluate.ts';

export const BN_MOMENTUM = 0.1;

export interface EpochRecord {
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss?: number;
  valAccuracy?: number;
  seconds: number;
  imagesPerSecond: number;
}

export interface ProgressEvent {
  phase: 'float' | 'qat';
  epoch: number;
  epochs: number;
  step: number;
  steps: number;
  loss: number;
  accuracy: number;
  imagesPerSecond: number;
  /** Set on the last event of an epoch. */
  record?: EpochRecord;
}

export interface PhaseOptions {
  phase: 'float' | 'qat';
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  /** QAT only. */
  qat?: QatState;
  bnFreeze?: number;
  observerFreeze?: number;
  /** Evaluated after each epoch (valLoss / valAccuracy); skipped when absent. */
  validation?: Split;
  /**
   * Sees each epoch's whole evaluation of `validation` (with its predictions), made in evaluation mode after the
   * epoch's last step and its running-statistics update: the weights the phase ends with, after its last epoch.
   */
  onValidation?: (epoch: number, result: EvalResult) => void;
  onProgress?: (e: ProgressEvent) => void;
  /** Stops an epoch after this many steps (tests and benchmarks). */
  maxStepsPerEpoch?: number;
}

function updateRunningStats(stats: BatchStats[], count: number): void {
  tf.tidy(() => {
    for (const s of stats) {
      const bn = s.layer.bn;
      if (!bn) continue;
      const unbiased = tf.mul(s.variance, count / Math.max(1, count - 1));
      bn.mean.assign(tf.add(tf.mul(bn.mean, 1 - BN_MOMENTUM), tf.mul(s.mean, BN_MOMENTUM)));
      bn.variance.assign(tf.add(tf.mul(bn.variance, 1 - BN_MOMENTUM), tf.mul(unbiased, BN_MOMENTUM)));
    }
  });
  for (const s of stats) tf.dispose([s.mean, s.variance]);
}

function perElement(l: BatchStats, batch: number): number {
  const shape = l.layer.outShape;
  return l.layer.spec.kind === 'dense' ? batch : batch * (shape[0] as number) * (shape[1] as number);
}

export function trainPhase(net: Network, train: Split, o: PhaseOptions): EpochRecord[] {
  const rng = new Rng((o.seed * 7919 + (o.phase === 'qat' ? 1 : 0)) >>> 0);
  const optimizer = adam(o.learningRate);
  const vars = net.trainableVariables();
  for (const lsq of o.qat?.learnedSteps ?? []) if (lsq) vars.push(lsq.step);
  const n = train.labels.length;
  const stepsPerEpoch = Math.min(Math.ceil(n / o.batchSize), o.maxStepsPerEpoch ?? Infinity);
  const totalSteps = stepsPerEpoch * o.epochs;
  const records: EpochRecord[] = [];
  let globalStep = 0;
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    const order = permutation(n, rng);
    const t0 = performance.now();
    let lossSum = 0;
    let correct = 0;
    let seen = 0;
    for (let step = 0; step < stepsPerEpoch; step++) {
      const frac = globalStep / totalSteps;
      optimizer.learningRate = (o.learningRate * (1 + Math.cos(Math.PI * frac))) / 2;
      if (o.qat) {
        if (o.bnFreeze !== undefined && frac >= o.bnFreeze) o.qat.bnFrozen = true;
        if (o.observerFreeze !== undefined && frac >= o.observerFreeze) for (const ob of o.qat.observers) ob.freeze();
      }
      const idx = order.subarray(step * o.batchSize, Math.min(n, (step + 1) * o.batchSize));
      const mode: Mode = o.qat ? { kind: 'qat', training: true, qat: o.qat } : { kind: 'float', training: true };
      let stats: BatchStats[] = [];
      const [lossV, correctV] = tf.tidy(() => {
        const x = batchImages(train.images, idx);
        const y = batchLabels(train.labels, idx, net.spec.classes);
        let hits = 0;
        const { value, grads } = tf.variableGrads(() => {
          const r = forward(net, x, mode);
          stats = r.batchStats;
          hits = tf.sum(tf.equal(tf.argMax(r.logits, 1), tf.argMax(y, 1))).dataSync()[0] as number;
          return tf.losses.softmaxCrossEntropy(y, r.logits) as tf.Scalar;
        }, vars);
        optimizer.applyGradients(grads as tf.NamedTensorMap);
        return [value.dataSync()[0] as number, hits];
      });
      updateRunningStats(stats, stats[0] ? perElement(stats[0], idx.length) : 1);
      lossSum += lossV * idx.length;
      correct += correctV;
      seen += idx.length;
      globalStep++;
      const secs = (performance.now() - t0) / 1000;
      const ev: ProgressEvent = {
        phase: o.phase, epoch, epochs: o.epochs, step: step + 1, steps: stepsPerEpoch,
        loss: lossSum / seen, accuracy: correct / seen, imagesPerSecond: seen / secs,
      };
      if (step + 1 === stepsPerEpoch) {
        const rec: EpochRecord = { epoch, loss: ev.loss, accuracy: ev.accuracy, seconds: secs, imagesPerSecond: ev.imagesPerSecond };
        if (o.validation) {
          const evalMode: Mode = o.qat ? { kind: 'qat', training: false, qat: o.qat } : { kind: 'float', training: false };
          const v = evaluateSplit(o.validation, (xb) => forward(net, xb, evalMode).logits);
          rec.valLoss = v.loss;
          rec.valAccuracy = v.accuracy;
          o.onValidation?.(epoch, v);
        }
        records.push(rec);
        ev.record = rec;
      }
      o.onProgress?.(ev);
    }
  }
  optimizer.dispose();
  return records;
}
