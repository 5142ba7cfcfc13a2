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
import type { ArrayConfig } from '../contract/index.ts';
import type { BeatPool } from './beat-pool.ts';
import { GemmTemplate } from './gemm-template.ts';
import { im2colMap } from './im2col-map.ts';
import type { Program } from './program.ts';

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

/** Each layer's templates (gemm-template.ts), by array, rounding and M. */
const templates = new WeakMap<MacLayer, WeakMap<ArrayConfig, Map<string, GemmTemplate>>>();

/** The template of `layer`'s GEMM with M = m on an array of `cfg` in `rounding` (made on first use). */
function layerTemplate(layer: MacLayer, m: number, cfg: ArrayConfig, rounding: RoundingMode): GemmTemplate {
  let byCfg = templates.get(layer);
  if (byCfg === undefined) templates.set(layer, (byCfg = new WeakMap()));
  let byKey = byCfg.get(cfg);
  if (byKey === undefined) byCfg.set(cfg, (byKey = new Map()));
  const key = `${rounding} ${m}`;
  let t = byKey.get(key);
  if (t === undefined) {
    const g = layerGemm(layer);
    t = new GemmTemplate(
      cfg, m, g.k, g.n,
      { w: layer.weights, bias: g.foldedBias, m0: layer.multiplier, shift: layer.shift, zp: layer.output.zeroPoint, min: layer.actMin, max: layer.actMax, round: rounding },
      layer.name,
    );
    byKey.set(key, t);
  }
  return t;
}

/**
 * The program of `layer`'s GEMM X[M, K] * W on an array of `cfg` in `rounding` (X: M rows of the layer's K, int8
 * row-major; M = 1 for one dense input, the batch for a dense layer over a batch, outH*outW for conv2d's im2col).
 * Compiled from the layer's template for that M (the beats compileGemm lowers, word for word), its beats from
 * `pool` when given.
 */
export function compileLayerGemm(layer: MacLayer, x: Int8Array, m: number, cfg: ArrayConfig, rounding: RoundingMode, pool?: BeatPool): Program {
  return layerTemplate(layer, m, cfg, rounding).compile(x, pool);
}

/**
 * The program that computes `layer` on one input (int8 codes, the layer's inputShape) on an array of `cfg`, its
 * configuration command choosing `rounding` (the layer's, quant/format modelArithmetic); a rounding the array does
 * not implement is a RangeCheckError naming the layer (compileGemm). The beats come from `pool` when given.
 */
export function compileLayer(layer: MacLayer, input: Int8Array, cfg: ArrayConfig, rounding: RoundingMode, pool?: BeatPool): Program {
  const inSize = shapeSize(layer.inputShape);
  if (input.length !== inSize) {
    throw new ShapeError(`layer '${layer.name}' (${layer.type}): expected an input of [${layer.inputShape.join(', ')}] = ${inSize} codes, got ${input.length}`);
  }
  const g = layerGemm(layer);
  const t = layerTemplate(layer, g.m, cfg, rounding);
  if (g.geometry === undefined) return t.compile(input, pool);
  let source = im2colSources.get(layer);
  if (source === undefined) im2colSources.set(layer, (source = im2colMap(g.geometry)));
  return t.compileGathered(input, source, layer.input.zeroPoint, pool);
}

/** Each conv layer's im2col as an index map (im2col-map.ts): its programs gather X from the input as they are lowered. */
const im2colSources = new WeakMap<MacLayer, Int32Array>();
