/**
 * Lowering a depthwise2d layer (depth multiplier 1) to array programs, one per group of up to Cols channels
 * (docs/ARCHITECTURE.md, "Depthwise convolution on the array"). Channel c of the output only sees channel c of the
 * input, so a group g of channels [c0, c0 + cw) is the GEMM
 *   X_g[M = outH*outW, K = kh*kw*cw] * W_g[K, cw],   W_g[(p, j), j'] = w[p][c0 + j] if j = j', else 0
 * with X_g the im2col of the group's channels (pads = the input zero point, K ordered (kh, kw, channel) as for
 * conv2d) and W_g block-diagonal. Column j' of the array sums only its own channel's kh*kw taps; the other rows of
 * its column multiply zeros. The output Y_g[M, cw] is channels c0..c0+cw-1 of the layer's NHWC output.
 * Cost: each group streams kh*kw*cw rows of K through the array where a conv of the same shape would use them
 * all, so at most 1/cw of the MACs performed are useful.
 */
import { ShapeError } from '../../quant/errors.ts';
import { foldInputZeroPoint, type RoundingMode } from '../../quant/spec/index.ts';
import { convGeometry, type ConvGeometry } from '../../quant/format/shapes.ts';
import type { DepthwiseConv2DLayer } from '../../quant/format/types.ts';
import { im2col } from '../../quant/format/im2col.ts';
import type { ArrayConfig } from '../contract/index.ts';
import { compileGemm, type Program } from './program.ts';

/** One channel group's GEMM operands (weights block-diagonal, bias folded), built once per layer and array width. */
export interface DepthwiseGroup {
  c0: number;
  cw: number;
  k: number;
  w: Int8Array;
  foldedBias: Int32Array;
  m0: Int32Array;
  shift: Int32Array;
}

interface DepthwisePlan {
  geometry: ConvGeometry;
  groups: DepthwiseGroup[];
}

const plans = new WeakMap<DepthwiseConv2DLayer, Map<number, DepthwisePlan>>();

/** The layer's channel groups for an array of `cols` columns. */
export function depthwisePlan(layer: DepthwiseConv2DLayer, cols: number): DepthwisePlan {
  let byCols = plans.get(layer);
  if (byCols === undefined) plans.set(layer, (byCols = new Map()));
  const hit = byCols.get(cols);
  if (hit !== undefined) return hit;
  const geometry = convGeometry(layer.inputShape, layer.kernel, layer.strides, layer.padding);
  const taps = geometry.kh * geometry.kw;
  const channels = geometry.inC;
  if (layer.bias.length !== channels || layer.weights.length !== taps * channels) {
    throw new ShapeError(`depthwise2d layer '${layer.name}': expected weights [${geometry.kh}, ${geometry.kw}, C=${channels}] and ${channels} biases, got ${layer.weights.length} weights and ${layer.bias.length} biases`);
  }
  const groups: DepthwiseGroup[] = [];
  for (let c0 = 0; c0 < channels; c0 += cols) {
    const cw = Math.min(cols, channels - c0);
    const k = taps * cw;
    const w = new Int8Array(k * cw);
    for (let p = 0; p < taps; p++) {
      for (let j = 0; j < cw; j++) w[(p * cw + j) * cw + j] = layer.weights[p * channels + c0 + j] as number;
    }
    const bias = layer.bias.subarray(c0, c0 + cw);
    groups.push({
      c0, cw, k, w,
      foldedBias: foldInputZeroPoint(bias, w, k, cw, layer.input.zeroPoint),
      m0: layer.multiplier.slice(c0, c0 + cw),
      shift: layer.shift.slice(c0, c0 + cw),
    });
  }
  const plan = { geometry, groups };
  byCols.set(cols, plan);
  return plan;
}

/** The input's channels [c0, c0 + cw) as an [H, W, cw] tensor. */
function sliceChannels(input: Int8Array, g: ConvGeometry, c0: number, cw: number): Int8Array {
  const out = new Int8Array(g.inH * g.inW * cw);
  for (let s = 0, o = 0; s < input.length; s += g.inC, o += cw) out.set(input.subarray(s + c0, s + c0 + cw), o);
  return out;
}

/** The program of one channel group on one input image, its configuration command choosing the layer's `rounding`. */
export function compileDepthwiseGroup(layer: DepthwiseConv2DLayer, group: DepthwiseGroup, input: Int8Array, cfg: ArrayConfig, rounding: RoundingMode): Program {
  const { geometry } = depthwisePlan(layer, cfg.cols);
  if (input.length !== geometry.inH * geometry.inW * geometry.inC) {
    throw new ShapeError(`layer '${layer.name}' (depthwise2d): expected an input of [${layer.inputShape.join(', ')}] codes, got ${input.length}`);
  }
  const g: ConvGeometry = { ...geometry, inC: group.cw };
  const x = im2col(sliceChannels(input, geometry, group.c0, group.cw), g, layer.input.zeroPoint);
  const m = geometry.outH * geometry.outW;
  return compileGemm(
    cfg, m, group.k, group.cw,
    { x, w: group.w, bias: group.foldedBias, m0: group.m0, shift: group.shift, zp: layer.output.zeroPoint, min: layer.actMin, max: layer.actMax, round: rounding },
    `${layer.name} channels ${group.c0}..${group.c0 + group.cw - 1}`,
  );
}

/** Writes a group's output Y_g[M, cw] into its channels of the layer's [M, C] output. */
export function scatterGroup(group: DepthwiseGroup, y: Int8Array, out: Int8Array, channels: number): void {
  for (let m = 0, s = 0; s < y.length; m++, s += group.cw) out.set(y.subarray(s, s + group.cw), m * channels + group.c0);
}
