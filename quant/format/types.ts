/**
 * The exported model, in memory. The manifest on disk (docs/FORMAT.md) carries the same fields, with tensors
 * stored as little-endian binary files referenced by name, shape, dtype and sha256.
 *
 * Conventions: activations are NHWC without the batch axis ([H, W, C] or [K]); dense weights are [K, N]
 * (in, out), conv weights [kh, kw, cin, cout] (tfjs HWIO), row-major; im2col flattens a patch in (kh, kw, cin)
 * order so that a conv is the GEMM X[M = outH*outW, K = kh*kw*cin] * W[K, N = cout].
 */
import type { AddParams, ArithmeticTarget, RoundingMode } from '../spec/index.ts';

export const FORMAT_NAME = 'int8cosim-model';
/** 2 added the layers of imported TFLite models (depthwise2d, add, avgpool2d, softmax, reshape) and `inputs`. */
export const FORMAT_VERSION = 2;
/** Versions the reader takes: a version-1 model is a version-2 model without the new fields. */
export const FORMAT_VERSIONS_READ = [1, 2] as const;

export const LAYER_TYPES = ['dense', 'conv2d', 'depthwise2d', 'maxpool2d', 'avgpool2d', 'add', 'softmax', 'flatten', 'reshape'] as const;
export type LayerType = (typeof LAYER_TYPES)[number];
/** The layers that multiply by weights: a GEMM on the array (depthwise as one GEMM per channel). */
export const MAC_LAYER_TYPES = ['dense', 'conv2d', 'depthwise2d'] as const;
export type MacLayerType = (typeof MAC_LAYER_TYPES)[number];
/** The name `inputs` uses for the model's own input tensor; no layer may take it. */
export const MODEL_INPUT = 'input';

/** Affine quantization of one tensor: real = scale * (q - zeroPoint), q in [qmin, qmax]. */
export interface TensorQuant {
  scale: number;
  zeroPoint: number;
  bits: number;
  qmin: number;
  qmax: number;
}

interface LayerCommon {
  name: string;
  /**
   * The layers whose outputs this layer reads (MODEL_INPUT for the model's input), each earlier in `layers`.
   * Absent: the previous layer's output (the model input for the first layer). Only `add` reads two.
   */
  inputs?: string[];
  /** Shape of one input, batch axis excluded. */
  inputShape: number[];
  /** Shape of one output, batch axis excluded. */
  outputShape: number[];
}

/** Dense and Conv2D share the integer parameters of the output stage (quant/spec `requantize`). */
export interface MacLayerParams {
  /** int8 weights, zero point 0, in [-(2^(b-1)-1), 2^(b-1)-1]. */
  weights: Int8Array;
  /** int32 bias at scale S_in * S_w[c]; NOT folded with the input zero point (the tiler and golden fold it). */
  bias: Int32Array;
  /** Per output channel Q0.31 multiplier m0 and shift (quant/spec `quantizeMultiplier`). */
  multiplier: Int32Array;
  shift: Int32Array;
  /** Per output channel weight scales (float, for documentation and re-derivation). */
  weightScales: Float32Array;
  weightBits: number;
  input: TensorQuant;
  output: TensorQuant;
  /** Output clamp: [output.qmin, output.qmax], or [output.zeroPoint, output.qmax] for a fused ReLU. */
  actMin: number;
  actMax: number;
  relu: boolean;
}

export interface DenseLayer extends LayerCommon, MacLayerParams {
  type: 'dense';
}

export interface Conv2DLayer extends LayerCommon, MacLayerParams {
  type: 'conv2d';
  kernel: [number, number];
  strides: [number, number];
  /** TF semantics; padded positions hold the input zero point (a real 0). */
  padding: 'same' | 'valid';
}

/**
 * Depthwise convolution, depth multiplier 1: output channel c is input channel c convolved with its own kh x kw
 * filter. Weights [kh, kw, C] row-major (TFLite's [1, kh, kw, C] without the 1); bias, multiplier and shift per
 * channel. The same output stage as conv2d (quant/spec `requantize`).
 */
export interface DepthwiseConv2DLayer extends LayerCommon, MacLayerParams {
  type: 'depthwise2d';
  kernel: [number, number];
  strides: [number, number];
  padding: 'same' | 'valid';
}

/** Max over int8 codes; input and output quantization are the same. A 'same' window skips the padded positions. */
export interface MaxPool2DLayer extends LayerCommon {
  type: 'maxpool2d';
  pool: [number, number];
  strides: [number, number];
  padding: 'same' | 'valid';
  /** Output clamp (TFLite's fused activation); absent: the int8 range. */
  actMin?: number;
  actMax?: number;
}

/**
 * Average over the window's positions inside the input (a 'same' window counts only those), rounded as TFLite's
 * integer AveragePool (quant/spec `averagePoolElement`), clamped to [actMin, actMax]. Input and output
 * quantization are the same (TFLite requires it for int8).
 */
export interface AvgPool2DLayer extends LayerCommon {
  type: 'avgpool2d';
  pool: [number, number];
  strides: [number, number];
  padding: 'same' | 'valid';
  actMin: number;
  actMax: number;
}

/**
 * Element-wise sum of two tensors of the same shape with TFLite's fixed-point rescaling (quant/spec `addElement`):
 * `inputs` names both operands, `params` holds the integers TFLite's Prepare derives from the three scales.
 */
export interface AddLayer extends LayerCommon {
  type: 'add';
  inputs: [string, string];
  input1: TensorQuant;
  input2: TensorQuant;
  output: TensorQuant;
  params: AddParams;
}

/**
 * Softmax over the last axis, int8 in and out (output scale 1/256, zero point -128, as TFLite requires). The
 * integers are derived from beta and the input scale by quant/spec: the fixed-point parameters of TFLite Micro's
 * reference kernel, or the float lookup table of TFLite's optimized kernel, as the model's arithmetic says.
 */
export interface SoftmaxLayer extends LayerCommon {
  type: 'softmax';
  beta: number;
  input: TensorQuant;
  output: TensorQuant;
}

export interface FlattenLayer extends LayerCommon {
  type: 'flatten';
}

/** The same codes under another shape (of the same size). */
export interface ReshapeLayer extends LayerCommon {
  type: 'reshape';
}

export type MacLayer = DenseLayer | Conv2DLayer | DepthwiseConv2DLayer;
export type QuantLayer = MacLayer | MaxPool2DLayer | AvgPool2DLayer | AddLayer | SoftmaxLayer | FlattenLayer | ReshapeLayer;

export function isMacLayer(layer: QuantLayer): layer is MacLayer {
  return layer.type === 'dense' || layer.type === 'conv2d' || layer.type === 'depthwise2d';
}

export interface QuantModel {
  name: string;
  /** How a uint8 image pixel p becomes the int8 input code: q = clamp(round(p/255 / scale) + zeroPoint). */
  input: TensorQuant & { shape: number[] };
  /** The requantizer's rounding of every MAC layer, unless `arithmetic` names a TFLite target. */
  roundingMode: RoundingMode;
  /**
   * Imported models: the TFLite arithmetic the model is defined by (quant/spec `macRounding`, `softmaxVariant`):
   * it decides each layer's rounding and the softmax kernel, and roundingMode is then unused.
   */
  arithmetic?: ArithmeticTarget;
  layers: QuantLayer[];
  /** Number of the last layer's outputs (classes for a classifier). */
  classes: number;
  /** Free-form provenance (dataset, network, bits, seed, trainer version, accuracies). */
  meta: Record<string, unknown>;
}
