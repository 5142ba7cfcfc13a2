/** quant/format: the exported model (types, shape rules, validation, reader, writer, random valid models). */
export * from './types.ts';
export * from './shapes.ts';
export { MANIFEST_FILE, layerStem, type Manifest, type ManifestLayer, type TensorEntry, type HexEntry } from './manifest.ts';
export { hexText, encodeTensor, decodeTensor, sha256, type DType, type TypedTensor } from './tensor-file.ts';
export { validateModel } from './validate.ts';
export { readModel } from './read.ts';
export { writeModel, weightShape } from './write.ts';
export { randomModel, type RandomModelOptions, type RandomLayerKind } from './random-model.ts';
