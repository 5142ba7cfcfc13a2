/** quant/format: the exported model (types, shapes, im2col order, validation, reader, writer, random valid models). */
export * from './types.ts';
export * from './shapes.ts';
export * from './arithmetic.ts';
export { inputSlots } from './graph.ts';
export { MANIFEST_FILE, layerStem, type Manifest, type ManifestLayer, type TensorEntry, type HexEntry } from './manifest.ts';
export { hexText, encodeTensor, decodeTensor, sha256, type DType, type TypedTensor } from './tensor-file.ts';
export { validateModel } from './validate.ts';
export { readModel } from './read.ts';
export { writeModel, weightShape } from './write.ts';
export { im2col, im2colRows, im2colCols } from './im2col.ts';
export { randomModel, type RandomModelOptions, type RandomLayerKind } from './random-model.ts';
