/**
 * The float32 scales of an exported MAC layer. TFLite does not read a requantizer's integers from the file: at
 * Prepare time CONV_2D computes each channel's (m0, shift) from the float32 scales, as
 *     QuantizeMultiplier(double(S_in) * double(S_w[c]) / double(S_out))          (quant/spec effectiveOutputScale)
 * So the file must hold float32 scales from which that gives exactly the model's integers. A model trained here
 * computes its multipliers from float32 scales in that very expression (model/net/forward.ts outputParams), so the
 * model's own weight scale works; otherwise the nearest float32 values around it are tried.
 *
 * Why the search rarely rescues a model whose multipliers came from wider (double) scales: one float32 step of S_w
 * (a relative 2^-24..2^-23) moves m0 (a 31-bit integer, relative step 2^-31..2^-30) by 64 to 256 units, so the
 * float32 weight scales reach only one m0 in 64-256, and the nearest neighbours are the only ones near the target.
 * A channel no candidate reaches is an error that names the layer and the channel.
 */
import { effectiveOutputScale, quantizeMultiplier } from '../../quant/spec/index.ts';
import { TfliteExportError } from './export-error.ts';

/** How many float32 steps either side of the model's weight scale are tried. */
export const WEIGHT_SCALE_SEARCH_STEPS = 64;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The positive float32 `steps` representable values away from x (a positive float32). */
function float32Step(x: number, steps: number): number {
  f32[0] = x;
  u32[0] = (u32[0] as number) + steps;
  return f32[0] as number;
}

function derives(sIn: number, sW: number, sOut: number, m0: number, shift: number): boolean {
  if (!(sW > 0) || !Number.isFinite(sW)) return false;
  const q = quantizeMultiplier(effectiveOutputScale(sIn, sW, sOut));
  return q.m0 === m0 && q.shift === shift;
}

/**
 * The float32 weight scale nearest to `weightScale` (in float32 steps, the lower first at equal distance) from
 * which TFLite's CONV_2D Prepare gives (m0, shift) with these float32 activation scales; undefined if none within
 * WEIGHT_SCALE_SEARCH_STEPS.
 */
export function float32WeightScale(inputScale: number, weightScale: number, outputScale: number, m0: number, shift: number): number | undefined {
  const sIn = Math.fround(inputScale);
  const sOut = Math.fround(outputScale);
  const start = Math.fround(weightScale);
  if (derives(sIn, start, sOut, m0, shift)) return start;
  for (let k = 1; k <= WEIGHT_SCALE_SEARCH_STEPS; k++) {
    for (const s of [float32Step(start, -k), float32Step(start, k)]) if (derives(sIn, s, sOut, m0, shift)) return s;
  }
  return undefined;
}

/** The float32 weight scales of a layer, channel by channel; a channel none reaches is a TfliteExportError. */
export function exportWeightScales(
  layer: { name: string; weightScales: Float32Array; multiplier: Int32Array; shift: Int32Array; input: { scale: number }; output: { scale: number } },
): Float32Array {
  const out = new Float32Array(layer.weightScales.length);
  for (let c = 0; c < out.length; c++) {
    const m0 = layer.multiplier[c] as number;
    const shift = layer.shift[c] as number;
    const s = float32WeightScale(layer.input.scale, layer.weightScales[c] as number, layer.output.scale, m0, shift);
    if (s === undefined) {
      const got = quantizeMultiplier(effectiveOutputScale(layer.input.scale, layer.weightScales[c] as number, layer.output.scale));
      throw new TfliteExportError(
        `layer '${layer.name}' channel ${c}: no float32 weight scale within ${WEIGHT_SCALE_SEARCH_STEPS} steps of ${layer.weightScales[c]} makes TFLite derive the model's multiplier ` +
          `(m0 ${m0}, shift ${shift}) from S_in ${Math.fround(layer.input.scale)} and S_out ${Math.fround(layer.output.scale)} (float32; the model's weight scale gives m0 ${got.m0}, shift ${got.shift}). ` +
          `TFLite recomputes every multiplier from the file's float32 scales; a model whose multipliers came from wider scales cannot be written exactly: retrain it (the trainer keeps every scale a float32)`,
      );
    }
    out[c] = s;
  }
  return out;
}
