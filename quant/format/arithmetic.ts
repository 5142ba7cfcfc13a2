/**
 * Which arithmetic a model runs in, resolved once: the requantizer's rounding of each MAC layer and the softmax
 * kernel. A model trained here names one rounding mode for every layer (roundingMode); an imported TFLite model
 * names a target (arithmetic), whose rule per layer kind is quant/spec's `macRounding` and `softmaxVariant`
 * (TFLite's optimized x86 kernels round CONV_2D and FULLY_CONNECTED one way and DEPTHWISE_CONV_2D another).
 * The golden model and hw-sim both ask this file, so that they can never disagree on a layer's rounding.
 */
import { macRounding, softmaxVariant, type ArithmeticTarget, type RoundingMode } from '../spec/index.ts';
import type { MacLayer, QuantModel } from './types.ts';

export type SoftmaxVariant = ReturnType<typeof softmaxVariant>;

/** A run's choice over the model's own: a target wins over a rounding mode; either wins over the model's. */
export interface ArithmeticChoice {
  roundingMode?: RoundingMode;
  arithmetic?: ArithmeticTarget;
}

export interface ModelArithmetic {
  /** 'tflite-runtime', 'tflite-reference', or the uniform rounding mode ('single', 'double', 'ruy'). */
  readonly name: ArithmeticTarget | RoundingMode;
  rounding(layer: MacLayer): RoundingMode;
  readonly softmax: SoftmaxVariant;
}

/** The arithmetic of a target: each layer kind's rounding as TFLite's kernels for that target do it. */
export function targetArithmetic(target: ArithmeticTarget): ModelArithmetic {
  return { name: target, rounding: (layer) => macRounding(target, layer.type), softmax: softmaxVariant(target) };
}

/** One rounding mode for every MAC layer (the trained models'); a softmax, if any, in the fixed-point kernel. */
export function uniformArithmetic(mode: RoundingMode): ModelArithmetic {
  return { name: mode, rounding: () => mode, softmax: 'fixed-point' };
}

export function modelArithmetic(model: QuantModel, choice: ArithmeticChoice = {}): ModelArithmetic {
  if (choice.arithmetic !== undefined) return targetArithmetic(choice.arithmetic);
  if (choice.roundingMode !== undefined) return uniformArithmetic(choice.roundingMode);
  if (model.arithmetic !== undefined) return targetArithmetic(model.arithmetic);
  return uniformArithmetic(model.roundingMode);
}
