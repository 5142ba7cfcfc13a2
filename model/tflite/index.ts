/**
 * model/tflite: the .tflite file layer. readTflite reads a file into a TfliteGraph (plain data, schema names) and
 * writeTflite writes one back (TfliteGraphBuilder assembles one in code),
 * with every check a malformed file deserves; the importer (import.ts, ops/) maps the graph onto quant/format.
 */
export { readTflite, TFLITE_IDENTIFIER, TFLITE_SCHEMA_VERSION } from './read-tflite.ts';
export { TfliteFormatError, ModelFetchError } from './errors.ts';
export type { TfliteGraph, TfliteOperator, TfliteOptions, TfliteQuant, TfliteSignatureDef, TfliteTensor, TfliteTensorMap } from './graph.ts';
export { writeTflite } from './write-tflite.ts';
export { TfliteGraphBuilder, conv2dGraph, type Conv2dModelSpec, type ConstantData, type QuantSpec } from './build-graph.ts';
export { withDefaultOptions } from './builtin-options.ts';
export { openTfliteRuntime, cutGraph, type TfliteRuntime, type RuntimeOptions } from './runtime.ts';
export { mlperfTinyModel, mlperfTinyFile, defaultLocalDirs, MLPERF_TINY_MODELS, MLPERF_TINY_COMMIT, MLPERF_TINY_REPO, MLPERF_TINY_BASE_URL, type MlperfTinyName, type MlperfTinyFile, type FetchOptions } from './fetch-models.ts';
