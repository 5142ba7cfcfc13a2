/**
 * quant/spec: the one definition of the bits. Everything that computes an integer of the model (the golden model,
 * the cycle simulator, the trainer's fake-quant, the tests of the RTL) calls these functions. Names follow
 * TFLite/gemmlowp so that readers recognise them. Imports nothing but the language.
 */
export * from './int32.ts';
export * from './rounding.ts';
export * from './multiplier.ts';
export * from './output.ts';
export * from './params.ts';
export * from './arithmetic.ts';
export * from './conv-params.ts';
export * from './activation-range.ts';
export * from './add.ts';
export * from './average-pool.ts';
export * from './fixed-point.ts';
export * from './softmax.ts';
export * from './expf.ts';
