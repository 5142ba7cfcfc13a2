/**
 * Per-output-channel symmetric weight quantization of a float weight tensor whose LAST axis is the output channel
 * (dense [K, N], conv HWIO): scales from quant/spec `weightParams` (rounded to float32), codes from quant/spec
 * `quantizeValue`.
 */
import { quantizeValue, weightParams, type AffineParams } from '../spec/index.ts';

export interface ChannelQuant {
  params: AffineParams[];
  scales: Float64Array;
}

/**
 * How the per-channel range is chosen: 'max' (max |w|, the default) or 'mse' (the clipping threshold among 32
 * candidates in [0.2, 1] * max |w| that minimises the channel's squared quantization error; for very low widths,
 * where max scaling rounds most weights to zero).
 */
export type WeightClipping = 'max' | 'mse';

function mseThreshold(ws: Float64Array, maxAbs: number, bits: number): number {
  const qmax = 2 ** (bits - 1) - 1;
  let best = maxAbs;
  let bestErr = Infinity;
  const steps = 32;
  for (let k = steps; k >= Math.ceil(steps / 5); k--) {
    const t = (maxAbs * k) / steps;
    const s = t / qmax;
    let err = 0;
    for (let i = 0; i < ws.length; i++) {
      const v = ws[i] as number;
      const q = Math.min(qmax, Math.max(-qmax, Math.floor(Math.abs(v) / s + 0.5) * Math.sign(v)));
      const d = v - q * s;
      err += d * d;
    }
    if (err < bestErr) {
      bestErr = err;
      best = t;
    }
  }
  return best;
}

export function weightChannelParams(w: Float32Array | Float64Array, channels: number, bits: number, clipping: WeightClipping = 'max'): ChannelQuant {
  if (channels <= 0 || w.length % channels !== 0) {
    throw new RangeError(`weightChannelParams: ${w.length} weights do not split into ${channels} output channels`);
  }
  const maxAbs = new Float64Array(channels);
  for (let i = 0; i < w.length; i++) {
    const c = i % channels;
    const a = Math.abs(w[i] as number);
    if (a > (maxAbs[c] as number)) maxAbs[c] = a;
  }
  if (clipping === 'mse') {
    const per = w.length / channels;
    const ws = new Float64Array(per);
    for (let c = 0; c < channels; c++) {
      if (!((maxAbs[c] as number) > 0)) continue;
      for (let i = 0; i < per; i++) ws[i] = w[i * channels + c] as number;
      maxAbs[c] = mseThreshold(ws, maxAbs[c] as number, bits);
    }
  }
  // The scale is rounded to float32 once, here: the format stores it as float32 and the tfjs fake-quant multiplies
  // by it in float32, so codes, bias, multiplier and fake-quant all use the very same number.
  const params = Array.from(maxAbs, (m) => {
    const p = weightParams(m, bits);
    return { ...p, scale: Math.fround(p.scale) };
  });
  return { params, scales: Float64Array.from(params, (p) => p.scale) };
}

/** int8 codes of w, channel = index % channels. */
export function quantizeWeights(w: Float32Array | Float64Array, q: ChannelQuant): Int8Array {
  const n = q.params.length;
  const out = new Int8Array(w.length);
  for (let i = 0; i < w.length; i++) out[i] = quantizeValue(w[i] as number, q.params[i % n] as AffineParams);
  return out;
}
