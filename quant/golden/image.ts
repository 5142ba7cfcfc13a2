/**
 * How a uint8 pixel becomes the model's int8 input code (quant/format/types.ts QuantModel.input):
 *   q = clamp(roundHalfAwayFromZero((p / 255) / scale) + zeroPoint, qmin, qmax)       (quant/spec quantizeValue)
 */
import { quantizeValue } from '../spec/index.ts';
import type { QuantModel } from '../format/types.ts';

/** The 256 input codes of the pixel values 0..255. */
export function pixelTable(model: QuantModel): Int8Array {
  const table = new Int8Array(256);
  for (let p = 0; p < 256; p++) table[p] = quantizeValue(p / 255, model.input);
  return table;
}

/** Quantizes pixels (one image or many, any length) to input codes. */
export function quantizeImage(model: QuantModel, pixels: Uint8Array, table = pixelTable(model)): Int8Array {
  const out = new Int8Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) out[i] = table[pixels[i] as number] as number;
  return out;
}
