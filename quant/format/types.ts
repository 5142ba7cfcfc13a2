/**
 * The exported model, in memory. The manifest on disk (docs/FORMAT.md) carries the same fields, with tensors
 * stored as little-endian binary files referenced by name, shape, dtype and sha256.
 *
 * Conventions: activations are NHWC without the batch axis ([H, W, C] or [K]); dense weights are [K, N]
 * (in, out), conv weights [kh, kw, cin, cout] (tfjs HWIO), row-major; im2col flattens a patch in (kh, kw, cin)
 * order so that a conv is the GEMM X[M = outH*outW, K = kh*kw*cin] * W[K, N = cout].
 */
import type { RoundingMode } from '../spec/index.ts';

export const FORMAT_NAME = 'int8cosim-model';
export const FORMAT_VERSION = 1;

export const LAYER_TYPES = ['dense', 'conv2d', 'maxpool2d', 'flatten'] as const;
export type LayerType = (typeof LAYER_TYPES)[number];

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

/** Max over int8 codes; input and output quantization are the same. */
export interface MaxPool2DLayer extends LayerCommon {
  type: 'maxpool2d';
  pool: [number, number];
  strides: [number, number];
  padding: 'valid';
}

export interface FlattenLayer extends LayerCommon {
  type: 'flatten';
}

export type QuantLayer = DenseLayer | Conv2DLayer | MaxPool2DLayer | FlattenLayer;

export interface QuantModel {
  name: string;
  /** How a uint8 image pixel p becomes the int8 input code: q = clamp(round(p/255 / scale) + zeroPoint). */
  input: TensorQuant & { shape: number[] };
  roundingMode: RoundingMode;
  layers: QuantLayer[];
  /** Number of classes (the last layer's outputs). */
  classes: number;
  /** Free-form provenance (dataset, network, bits, seed, trainer version, accuracies). */
  meta: Record<string, unknown>;
}
