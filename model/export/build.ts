/**
 * Builds the exported integer model (quant/format QuantModel) from a network and its quantization state. Every
 * integer comes from quant/spec: weight codes (`weightParams` + `quantizeValue`, per output channel), int32 bias at
 * S_in * S_w[c] (`quantizeBias`, input zero point NOT folded), per-channel (m0, shift) from
 * `quantizeMultiplier(S_in * S_w[c] / S_out)`, activation parameters from the observers (`activationParams`) or the learned steps.
 * A fused ReLU is actMin = output zero point.
 */
import * as tf from '@tensorflow/tfjs';
import { quantizeWeights, weightChannelParams } from '../../quant/fakequant/index.ts';
import type { QuantLayer, QuantModel, TensorQuant } from '../../quant/format/types.ts';
import { effectiveScale, quantizeBias, quantizeMultiplier, type AffineParams, type RoundingMode } from '../../quant/spec/index.ts';
import { foldedWeights, outputParams, type QatState } from '../net/forward.ts';
import { inputTensorQuant } from '../net/input.ts';
import { isMac, type Network } from '../net/network.ts';

function tensorQuant(p: AffineParams, bits: number): TensorQuant {
  return { scale: p.scale, zeroPoint: p.zeroPoint, bits, qmin: p.qmin, qmax: p.qmax };
}

export function buildQuantModel(net: Network, q: QatState, roundingMode: RoundingMode, name: string, meta: Record<string, unknown> = {}): QuantModel {
  const layers: QuantLayer[] = [];
  let inQ: TensorQuant = inputTensorQuant();
  let mac = 0;
  for (const l of net.layers) {
    const common = { name: l.spec.name, inputShape: l.inShape.slice(), outputShape: l.outShape.slice() };
    if (!isMac(l)) {
      if (l.spec.kind === 'maxpool2d') {
        layers.push({ ...common, type: 'maxpool2d', pool: [...l.spec.pool], strides: [...l.spec.pool], padding: 'valid' });
      } else {
        layers.push({ ...common, type: 'flatten' });
      }
      continue;
    }
    const { w, b } = foldedWeights(l);
    const wData = w.dataSync() as Float32Array;
    const bData = b.dataSync() as Float32Array;
    tf.dispose([w, b]);
    const n = l.channels;
    const cq = weightChannelParams(wData, n, q.weightBits, q.weightClipping);
    const outBits = q.outBits[mac] as number;
    const outP = outputParams(q, mac);
    const output = tensorQuant(outP, outBits);
    const bias = new Int32Array(n);
    const multiplier = new Int32Array(n);
    const shift = new Int32Array(n);
    for (let c = 0; c < n; c++) {
      const sw = cq.scales[c] as number;
      bias[c] = quantizeBias(bData[c] as number, inQ.scale, sw);
      const m = quantizeMultiplier(effectiveScale(inQ.scale, sw, output.scale));
      multiplier[c] = m.m0;
      shift[c] = m.shift;
    }
    const params = {
      weights: quantizeWeights(wData, cq), bias, multiplier, shift,
      weightScales: Float32Array.from(cq.scales), weightBits: q.weightBits,
      input: { ...inQ }, output,
      actMin: l.spec.relu ? output.zeroPoint : output.qmin, actMax: output.qmax, relu: l.spec.relu,
    };
    if (l.spec.kind === 'dense') {
      layers.push({ ...common, type: 'dense', ...params });
    } else {
      layers.push({
        ...common, type: 'conv2d', ...params,
        kernel: [...l.spec.kernel], strides: [...l.spec.strides], padding: l.spec.padding,
      });
    }
    inQ = output;
    mac++;
  }
  return {
    name,
    input: { ...inputTensorQuant(), shape: net.spec.inputShape.slice() },
    roundingMode,
    layers,
    classes: net.spec.classes,
    meta,
  };
}
