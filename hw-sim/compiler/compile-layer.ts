/**
 * Lowering one layer of an exported model (quant/format) to a Program for the array: dense as the GEMM
 * X[1, K] * W[K, N]; conv2d through im2col (quant/golden/im2col: pads with the input zero point, K ordered
 * (kh, kw, cin)) as X[outH*outW, kh*kw*cin] * W; the input zero point folded into the bias (quant/spec
 * foldInputZeroPoint). The output matrix Y[M, N] is the layer's NHWC output as it is.
 */
import { ShapeError } from '../../quant/errors.ts';
import { foldInputZeroPoint, type RoundingMode } from '../../quant/spec/index.ts';
import { convGeometry, shapeSize, type ConvGeometry } from '../../quant/format/shapes.ts';
import type { Conv2DLayer, DenseLayer } from '../../quant/format/types.ts';
import { im2col } from '../../quant/format/im2col.ts';
import type { ArrayConfig } from '../contract/index.ts';
import { compileGemm, type Program } from './program.ts';

export type MacLayer = DenseLayer | Conv2DLayer;

interface LayerGemm {
  m: number;
  k: number;
  n: number;
  geometry?: ConvGeometry;
  foldedBias: Int32Array;
}

const prepared = new WeakMap<MacLayer, LayerGemm>();

/** The GEMM shape of a layer and its folded bias (computed once per layer object). */
export function layerGemm(layer: MacLayer): LayerGemm {
  const hit = prepared.get(layer);
  if (hit !== undefined) return hit;
  const n = layer.bias.length;
  let g: LayerGemm;
  if (layer.type === 'conv2d') {
    const geometry = convGeometry(layer.inputShape, layer.kernel, layer.strides, layer.padding);
    const k = geometry.kh * geometry.kw * geometry.inC;
    g = { m: geometry.outH * geometry.outW, k, n, geometry, foldedBias: new Int32Array(0) };
  } else {
    if (layer.inputShape.length !== 1) throw new ShapeError(`dense layer '${layer.name}' expects a [K] input, got [${layer.inputShape.join(', ')}]`);
    g = { m: 1, k: shapeSize(layer.inputShape), n, foldedBias: new Int32Array(0) };
  }
  if (layer.weights.length !== g.k * n) {
    throw new ShapeError(`layer '${layer.name}': expected weights [K=${g.k}, N=${n}] = ${g.k * n} values, got ${layer.weights.length}`);
  }
  g.foldedBias = foldInputZeroPoint(layer.bias, layer.weights, g.k, n, layer.input.zeroPoint);
  prepared.set(layer, g);
  return g;
}

/**
 * The program that computes `layer` on one input (int8 codes, the layer's inputShape) on an array of `cfg`, its
 * configuration command choosing `rounding` (the layer's, quant/format modelArithmetic); a rounding the array does
 * not implement is a RangeCheckError naming the layer (compileGemm).
 */
export function compileLayer(layer: MacLayer, input: Int8Array, cfg: ArrayConfig, rounding: RoundingMode): Program {
  const inSize = shapeSize(layer.inputShape);
  if (input.length !== inSize) {
    throw new ShapeError(`layer '${layer.name}' (${layer.type}): expected an input of [${layer.inputShape.join(', ')}] = ${inSize} codes, got ${input.length}`);
  }
  const g = layerGemm(layer);
  const x = g.geometry !== undefined ? im2col(input, g.geometry, layer.input.zeroPoint) : input;
  return compileGemm(
    cfg,
    g.m,
    g.k,
    g.n,
    { x, w: layer.weights, bias: g.foldedBias, m0: layer.multiplier, shift: layer.shift, zp: layer.output.zeroPoint, min: layer.actMin, max: layer.actMax, round: rounding },
    layer.name,
  );
}
