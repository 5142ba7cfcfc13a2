/**
 * The fixed input quantization (never observed): a pixel p in 0..255 enters the float network as p / 255 and the
 * integer network as the int8 code p - 128, i.e. scale 1/255, zero point -128, 8 bits. The scale is float32(1/255),
 * the value a .tflite file holds (every scale of an exported model is a float32, so that TFLite's Prepare derives
 * the model's multipliers from the file: model/tflite/export-tflite.ts); p / 255 / float32(1/255) still rounds to p.
 */
import { intRange, type AffineParams } from '../../quant/spec/index.ts';
import type { TensorQuant } from '../../quant/format/types.ts';

export const INPUT_SCALE = Math.fround(1 / 255);
export const INPUT_ZERO_POINT = -128;

export function inputParams(): AffineParams {
  return { scale: INPUT_SCALE, zeroPoint: INPUT_ZERO_POINT, ...intRange(8, false) };
}

export function inputTensorQuant(): TensorQuant {
  return { ...inputParams(), bits: 8 };
}
