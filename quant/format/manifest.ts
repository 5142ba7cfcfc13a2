/**
 * The on-disk manifest (manifest.json), version 2 (version 1 lacks `inputs`, `arithmetic` and the layers after
 * maxpool2d and flatten in LAYER_TYPES). docs/FORMAT.md is its specification; this file is its
 * TypeScript shape. Scalars live in the manifest, arrays in little-endian tensor files it references by path,
 * dtype, shape and sha256.
 */
import type { AddParams, ArithmeticTarget, RoundingMode } from '../spec/index.ts';
import type { DType } from './tensor-file.ts';
import type { LayerType, TensorQuant } from './types.ts';

export const MANIFEST_FILE = 'manifest.json';

/** A binary tensor: little-endian values of dtype, row-major in shape. */
export interface TensorEntry {
  file: string;
  dtype: DType;
  shape: number[];
  sha256: string;
}

/** A $readmemh file: one two's-complement hex value per line. */
export interface HexEntry {
  file: string;
  dtype: 'int8' | 'int32';
  shape: number[];
  sha256: string;
}

export const MAC_TENSORS = ['weights', 'bias', 'multiplier', 'shift', 'weightScales'] as const;
export type MacTensor = (typeof MAC_TENSORS)[number];
/** Hex files of a MAC layer; foldedBias = bias - Z_in * sum_k w[k][c] is what the array's p_bias_i takes. */
export const MAC_HEX = ['weights', 'foldedBias', 'multiplier', 'shift'] as const;
export type MacHex = (typeof MAC_HEX)[number];

export interface ManifestLayer {
  type: LayerType;
  name: string;
  inputs?: string[];
  inputShape: number[];
  outputShape: number[];
  // dense, conv2d
  weightBits?: number;
  input?: TensorQuant;
  output?: TensorQuant;
  actMin?: number;
  actMax?: number;
  relu?: boolean;
  tensors?: Record<MacTensor, TensorEntry>;
  hex?: Record<MacHex, HexEntry>;
  // add
  input1?: TensorQuant;
  input2?: TensorQuant;
  params?: AddParams;
  // softmax
  beta?: number;
  // conv2d, depthwise2d, maxpool2d, avgpool2d
  kernel?: [number, number];
  pool?: [number, number];
  strides?: [number, number];
  padding?: 'same' | 'valid';
}

export interface Manifest {
  format: string;
  version: number;
  name: string;
  roundingMode: RoundingMode;
  arithmetic?: ArithmeticTarget;
  classes: number;
  input: TensorQuant & { shape: number[] };
  layers: ManifestLayer[];
  meta: Record<string, unknown>;
}

/** A layer's file stem: its index and its name made safe for any file system. */
export function layerStem(index: number, name: string): string {
  const safe = name.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 64);
  return `${String(index).padStart(3, '0')}-${safe}`;
}
