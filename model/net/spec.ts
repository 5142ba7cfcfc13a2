/**
 * The networks, each defined once as a list of layers. The same definition runs as float, as fake-quant and,
 * once exported, as integers (model/export builds the quant/format layers from it).
 *
 *  tfc: the FINN/Brevitas "TFC" MLP 784-64-64-64-10 (Dense, BatchNorm, ReLU; a plain Dense 10 at the end).
 *  cnn: 3x3 conv 8 (same), BN, ReLU, 2x2 max-pool, 3x3 conv 16 (same), BN, ReLU, 2x2 max-pool, flatten, dense 10.
 * BatchNorm is optional (batchNorm: false gives biased layers instead).
 */
import { UsageError } from '../../quant/errors.ts';

export const NETWORKS = ['tfc', 'cnn'] as const;
export type NetworkName = (typeof NETWORKS)[number];

export interface DenseSpec {
  kind: 'dense';
  name: string;
  units: number;
  batchNorm: boolean;
  relu: boolean;
}
export interface ConvSpec {
  kind: 'conv2d';
  name: string;
  filters: number;
  kernel: [number, number];
  strides: [number, number];
  padding: 'same' | 'valid';
  batchNorm: boolean;
  relu: boolean;
}
export interface PoolSpec {
  kind: 'maxpool2d';
  name: string;
  pool: [number, number];
}
export interface FlattenSpec {
  kind: 'flatten';
  name: string;
}
export type LayerSpec = DenseSpec | ConvSpec | PoolSpec | FlattenSpec;
export type MacSpec = DenseSpec | ConvSpec;

export interface NetworkSpec {
  name: NetworkName;
  inputShape: [number, number, number];
  classes: number;
  layers: LayerSpec[];
}

export function checkNetworkName(name: string): NetworkName {
  if (!(NETWORKS as readonly string[]).includes(name)) throw new UsageError(`unknown network '${name}'; networks: ${NETWORKS.join(', ')}`);
  return name as NetworkName;
}

export function networkSpec(name: string, opts: { batchNorm?: boolean } = {}): NetworkSpec {
  const net = checkNetworkName(name);
  const bn = opts.batchNorm ?? true;
  const dense = (n: string, units: number, last = false): DenseSpec => ({ kind: 'dense', name: n, units, batchNorm: bn && !last, relu: !last });
  const conv = (n: string, filters: number): ConvSpec => ({
    kind: 'conv2d', name: n, filters, kernel: [3, 3], strides: [1, 1], padding: 'same', batchNorm: bn, relu: true,
  });
  const pool = (n: string): PoolSpec => ({ kind: 'maxpool2d', name: n, pool: [2, 2] });
  const layers: LayerSpec[] =
    net === 'tfc'
      ? [{ kind: 'flatten', name: 'flatten' }, dense('fc1', 64), dense('fc2', 64), dense('fc3', 64), dense('fc4', 10, true)]
      : [conv('conv1', 8), pool('pool1'), conv('conv2', 16), pool('pool2'), { kind: 'flatten', name: 'flatten' }, dense('fc', 10, true)];
  return { name: net, inputShape: [28, 28, 1], classes: 10, layers };
}

/** Output shape of a layer (batch axis excluded) for a given input shape. */
export function layerOutputShape(l: LayerSpec, inShape: number[]): number[] {
  switch (l.kind) {
    case 'dense':
      return [l.units];
    case 'flatten':
      return [inShape.reduce((a, b) => a * b, 1)];
    case 'maxpool2d':
      return [Math.floor((inShape[0] as number) / l.pool[0]), Math.floor((inShape[1] as number) / l.pool[1]), inShape[2] as number];
    case 'conv2d': {
      const [h, w] = inShape as [number, number, number];
      const out = (n: number, k: number, s: number): number => (l.padding === 'same' ? Math.ceil(n / s) : Math.floor((n - k) / s) + 1);
      return [out(h, l.kernel[0], l.strides[0]), out(w, l.kernel[1], l.strides[1]), l.filters];
    }
  }
}
