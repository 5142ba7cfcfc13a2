/**
 * quant: the exported-model format and the integer golden model. The arithmetic itself is quant/spec (its own
 * entry point, `int8cosim/quant/spec`).
 */
export * from './errors.ts';
export { Rng } from './random.ts';
export * from './format/index.ts';
export * from './golden/index.ts';
