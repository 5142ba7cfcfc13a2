/**
 * model/tflite: the .tflite file layer. readTflite reads a file into a TfliteGraph (plain data, schema names) and
 * writeTflite writes one back (TfliteGraphBuilder assembles one in code),
 * with every check a malformed file deserves; the importer (import.ts, ops/) maps the graph onto quant/format.
 */
export { readTflite, TFLITE_IDENTIFIER, TFLITE_SCHEMA_VERSION } from './read-tflite.ts';
export { TfliteFormatError } from './errors.ts';
export type { TfliteGraph, TfliteOperator, TfliteOptions, TfliteQuant, TfliteSignatureDef, TfliteTensor, TfliteTensorMap } from './graph.ts';
export { writeTflite } from './write-tflite.ts';
export { TfliteGraphBuilder, conv2dGraph, type Conv2dModelSpec, type ConstantData, type QuantSpec } from './build-graph.ts';
export { withDefaultOptions } from './builtin-options.ts';
export { openTfliteRuntime, cutGraph, type TfliteRuntime, type RuntimeOptions } from './runtime.ts';
