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

export function weightChannelParams(w: Float32Array | Float64Array, channels: number, bits: number): ChannelQuant {
  if (channels <= 0 || w.length % channels !== 0) {
    throw new RangeError(`weightChannelParams: ${w.length} weights do not split into ${channels} output channels`);
  }
  const maxAbs = new Float64Array(channels);
  for (let i = 0; i < w.length; i++) {
    const c = i % channels;
    const a = Math.abs(w[i] as number);
    if (a > (maxAbs[c] as number)) maxAbs[c] = a;
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
