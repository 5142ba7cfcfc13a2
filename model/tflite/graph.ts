/**
 * A .tflite model as plain data: one subgraph, its tensors (constant ones with their bytes) and operators, with
 * every name taken from TFLite's schema (schema.fbs; model/tflite/third_party/tflite-schema/README.md) but no
 * dependence on the generated code. readTflite makes one from a file, writeTflite writes one back; the importer maps
 * it onto the project's format.
 */

/** Affine quantization: real = scale * (q - zeroPoint), per tensor (one entry) or along quantizedDimension. */
export interface TfliteQuant {
  scale: number[];
  zeroPoint: number[];
  quantizedDimension: number;
}

export interface TfliteTensor {
  /** The tensor's index in the subgraph (operators, inputs and outputs refer to it). */
  index: number;
  name: string;
  /** The schema's TensorType name: 'INT8', 'FLOAT32', 'INT32', ... */
  type: string;
  shape: number[];
  /** The shape with -1 for dimensions unknown at conversion, when the file has one. */
  shapeSignature?: number[];
  /** Present when the file gives at least one scale. */
  quant?: TfliteQuant;
  /** The constant buffer's bytes (little-endian), when the tensor has a non-empty buffer. */
  data?: Uint8Array;
  isVariable: boolean;
}

/** A builtin options table decoded generically: the schema's fields by camelCase name (see TfliteOperator.options). */
export type TfliteOptions = Record<string, number | boolean | string | number[]>;

export interface TfliteOperator {
  /** The operator's position in execution order. */
  index: number;
  /** The BuiltinOperator name, e.g. 'CONV_2D'; 'CUSTOM' with customCode. */
  opcode: string;
  customCode?: string;
  /** The operator code's version (the kernel version the converter asks for). */
  version: number;
  /** Tensor indices; -1 marks an optional input that is absent. */
  inputs: number[];
  outputs: number[];
  /**
   * Every field of the builtin options table (defaults filled in, deprecated fields left out), by the camelCase
   * names of flatc's accessors: `strideW`, `fusedActivationFunction`. Enum values as their schema names (padding
   * 'SAME', fusedActivationFunction 'RELU6'), 64-bit integers as numbers, vectors as number[] (a vector of bools
   * as 0/1, of enums as their values), an absent string as ''. Empty when optionsType is 'NONE'.
   */
  options: TfliteOptions;
  /** The BuiltinOptions (or BuiltinOptions2) union member name, e.g. 'Conv2DOptions', or 'NONE'. */
  optionsType: string;
  /** A custom operator's options bytes (flexbuffer), when it has any. */
  customOptions?: Uint8Array;
}

/** A signature's named tensor. */
export interface TfliteTensorMap {
  name: string;
  tensorIndex: number;
}

/** A SignatureDef (as the SavedModel's): named inputs and outputs of a subgraph. */
export interface TfliteSignatureDef {
  signatureKey: string;
  subgraphIndex: number;
  inputs: TfliteTensorMap[];
  outputs: TfliteTensorMap[];
}

export interface TfliteGraph {
  /** Where the graph was read from (a file name, or '<bytes>'): the errors about it name it. */
  source: string;
  /** The schema version (3). */
  version: number;
  description: string;
  tensors: TfliteTensor[];
  operators: TfliteOperator[];
  /** The subgraph's input and output tensor indices. */
  inputs: number[];
  outputs: number[];
  subgraphName: string;
  /** The model's metadata entries ('min_runtime_version', ...), with their buffer's bytes when non-empty. */
  metadata: { name: string; data?: Uint8Array }[];
  signatureDefs: TfliteSignatureDef[];
}
