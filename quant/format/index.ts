/** quant/format: the exported model (types, shape rules, random valid models; reader and writer). */
export * from './types.ts';
export * from './shapes.ts';
export { randomModel, type RandomModelOptions, type RandomLayerKind } from './random-model.ts';
