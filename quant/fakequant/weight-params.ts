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

/** Clipping candidates: k / 32 of max |w| for k = 32 down to 7 (about [0.2, 1]); the first best one wins. */
const MSE_STEPS = 32;

/**
 * The clipping threshold among the candidates that minimises the channel's squared quantization error, in one pass
 * over the weights. With u = 2 * MSE_STEPS * qmax * |w| / max|w|, candidate k has step s = k * max|w| / (MSE_STEPS *
 * qmax), and code j < qmax holds the |w| with j - 0.5 <= |w| / s < j + 0.5, that is floor(u) < (2j + 1) k: every
 * boundary of every candidate is an integer in u. So |w| is binned by floor(u) (count, sum |w|, sum |w|^2 per bin),
 * and each candidate's error, sum over codes of sum |w|^2 - 2 j s sum |w| + (j s)^2 count, comes from prefix sums
 * of the bins.
 */
function mseThreshold(ws: Float64Array, maxAbs: number, bits: number): number {
  const qmax = 2 ** (bits - 1) - 1;
  const bins = 2 * MSE_STEPS * qmax + 1;
  const scale = (2 * MSE_STEPS * qmax) / maxAbs;
  // prefix arrays: entry b holds the totals of bins below b
  const c0 = new Float64Array(bins + 1);
  const c1 = new Float64Array(bins + 1);
  const c2 = new Float64Array(bins + 1);
  for (let i = 0; i < ws.length; i++) {
    const a = Math.abs(ws[i] as number);
    const b = Math.min(bins - 1, Math.floor(a * scale)) + 1;
    c0[b] = (c0[b] as number) + 1;
    c1[b] = (c1[b] as number) + a;
    c2[b] = (c2[b] as number) + a * a;
  }
  for (let b = 1; b <= bins; b++) {
    c0[b] = (c0[b] as number) + (c0[b - 1] as number);
    c1[b] = (c1[b] as number) + (c1[b - 1] as number);
    c2[b] = (c2[b] as number) + (c2[b - 1] as number);
  }
  let best = maxAbs;
  let bestErr = Infinity;
  for (let k = MSE_STEPS; k >= Math.ceil(MSE_STEPS / 5); k--) {
    const t = (maxAbs * k) / MSE_STEPS;
    const s = t / qmax;
    let err = 0;
    let lo = 0;
    for (let j = 0; j <= qmax; j++) {
      const hi = j === qmax ? bins : Math.min(bins, (2 * j + 1) * k);
      const v = j * s;
      err += (c2[hi] as number) - (c2[lo] as number) - 2 * v * ((c1[hi] as number) - (c1[lo] as number)) + v * v * ((c0[hi] as number) - (c0[lo] as number));
      lo = hi;
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
  const maxAbs = channelMaxAbs(w, channels);
  if (clipping === 'mse') {
    const per = w.length / channels;
    const ws = new Float64Array(per);
    for (let c = 0; c < channels; c++) {
      if (!((maxAbs[c] as number) > 0)) continue;
      for (let i = 0; i < per; i++) ws[i] = w[i * channels + c] as number;
      maxAbs[c] = mseThreshold(ws, maxAbs[c] as number, bits);
    }
  }
  return weightChannelParamsFromMax(maxAbs, bits);
}

/** max |w| of each output channel (channel = index % channels), row by row (no modulo per value). */
function channelMaxAbs(w: Float32Array | Float64Array, channels: number): Float64Array {
  const maxAbs = new Float64Array(channels);
  for (let base = 0; base < w.length; base += channels) {
    for (let c = 0; c < channels; c++) {
      const a = Math.abs(w[base + c] as number);
      if (a > (maxAbs[c] as number)) maxAbs[c] = a;
    }
  }
  return maxAbs;
}

/**
 * The per-channel parameters from each channel's range (max |w|, or a clipping threshold): what
 * weightChannelParams returns for them. For a caller that has the ranges already (the trainer takes max |w| on the
 * WASM heap each QAT step instead of reading the weights back).
 */
export function weightChannelParamsFromMax(maxAbs: Float64Array | Float32Array, bits: number): ChannelQuant {
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
