/**
 * One layer of the integer golden model, exactly as the hardware computes it:
 *   dense / conv2d:  acc = wrap32(sum_k x[m][k] * w[k][c])             (conv through im2col; pads = input zero point)
 *                    y   = requantize(acc, bias'[c], m0[c], shift[c], zOut, actMin, actMax, mode)   (quant/spec)
 *                    with bias' = bias - Z_in * sum_k w[k][c] (quant/spec foldInputZeroPoint)
 *   maxpool2d:       max over the window of int8 codes (input and output quantization are the same)
 *   flatten:         the NHWC buffer read as [H*W*C]
 * Every function takes a batch of images laid out one after the other.
 */
import { ShapeError } from '../errors.ts';
import { foldInputZeroPoint, requantize, type RoundingMode } from '../spec/index.ts';
import { convGeometry, shapeSize, type ConvGeometry } from '../format/shapes.ts';
import type { Conv2DLayer, DenseLayer, QuantLayer } from '../format/types.ts';
import { gemmInt8Packed, packB, type PackedB } from './gemm/gemm.ts';
import { im2col } from '../format/im2col.ts';

/** A layer with its weights packed and its bias folded: build once, run on many batches. */
export interface PreparedLayer {
  layer: QuantLayer;
  inSize: number;
  outSize: number;
  geometry?: ConvGeometry;
  packed?: PackedB;
  foldedBias?: Int32Array;
}

export function prepareLayer(layer: QuantLayer): PreparedLayer {
  const inSize = shapeSize(layer.inputShape);
  const outSize = shapeSize(layer.outputShape);
  if (layer.type === 'dense' || layer.type === 'conv2d') {
    const geometry = layer.type === 'conv2d' ? convGeometry(layer.inputShape, layer.kernel, layer.strides, layer.padding) : undefined;
    const n = layer.bias.length;
    const k = geometry ? geometry.kh * geometry.kw * geometry.inC : inSize;
    if (layer.weights.length !== k * n) {
      throw new ShapeError(`layer '${layer.name}': expected weights [K=${k}, N=${n}] = ${k * n} values, got ${layer.weights.length}`);
    }
    const packed = packB(layer.weights, k, n);
    const foldedBias = foldInputZeroPoint(layer.bias, layer.weights, k, n, layer.input.zeroPoint);
    return geometry ? { layer, inSize, outSize, geometry, packed, foldedBias } : { layer, inSize, outSize, packed, foldedBias };
  }
  if (layer.type === 'maxpool2d') {
    return { layer, inSize, outSize, geometry: convGeometry(layer.inputShape, layer.pool, layer.strides, layer.padding) };
  }
  return { layer, inSize, outSize };
}

let scratchCols = new Int8Array(0);
let scratchAcc = new Int32Array(0);

function runMac(p: PreparedLayer, layer: DenseLayer | Conv2DLayer, input: Int8Array, batch: number, mode: RoundingMode): Int8Array {
  const packed = p.packed as PackedB;
  const bias = p.foldedBias as Int32Array;
  const { k, n } = packed;
  let a = input;
  let m = batch;
  if (p.geometry) {
    const g = p.geometry;
    m = batch * g.outH * g.outW;
    if (scratchCols.length < m * k) scratchCols = new Int8Array(m * k);
    a = im2col(input, g, layer.input.zeroPoint, batch, scratchCols).subarray(0, m * k);
  }
  if (scratchAcc.length < m * n) scratchAcc = new Int32Array(m * n);
  const acc = gemmInt8Packed(a, m, packed, scratchAcc);
  const out = new Int8Array(m * n);
  const { multiplier, shift, actMin, actMax } = layer;
  const zp = layer.output.zeroPoint;
  for (let r = 0, o = 0; r < m; r++) {
    for (let c = 0; c < n; c++, o++) {
      out[o] = requantize(acc[o] as number, bias[c] as number, multiplier[c] as number, shift[c] as number, zp, actMin, actMax, mode);
    }
  }
  return out;
}

function runMaxPool(g: ConvGeometry, input: Int8Array, batch: number): Int8Array {
  const { inH, inW, inC, kh, kw, strideH, strideW, outH, outW } = g;
  const out = new Int8Array(batch * outH * outW * inC);
  if (kh === 2 && kw === 2 && strideH === 2 && strideW === 2) return maxPool2x2(g, input, batch, out);
  let o = 0;
  for (let b = 0; b < batch; b++) {
    const base = b * inH * inW * inC;
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        const corner = base + (oy * strideH * inW + ox * strideW) * inC;
        for (let c = 0; c < inC; c++) {
          let best = -129;
          for (let ky = 0; ky < kh; ky++) {
            let s = corner + ky * inW * inC + c;
            for (let kx = 0; kx < kw; kx++, s += inC) {
              const v = input[s] as number;
              if (v > best) best = v;
            }
          }
          out[o++] = best;
        }
      }
    }
  }
  return out;
}

/** The common 2x2 stride-2 pool, unrolled. */
function maxPool2x2(g: ConvGeometry, input: Int8Array, batch: number, out: Int8Array): Int8Array {
  const { inH, inW, inC, outH, outW } = g;
  const rowStride = inW * inC;
  let o = 0;
  for (let b = 0; b < batch; b++) {
    const base = b * inH * rowStride;
    for (let oy = 0; oy < outH; oy++) {
      let s = base + 2 * oy * rowStride;
      for (let ox = 0; ox < outW; ox++, s += 2 * inC) {
        for (let c = 0; c < inC; c++) {
          const a = input[s + c] as number;
          const b1 = input[s + inC + c] as number;
          const c1 = input[s + rowStride + c] as number;
          const d = input[s + rowStride + inC + c] as number;
          const m1 = a > b1 ? a : b1;
          const m2 = c1 > d ? c1 : d;
          out[o++] = m1 > m2 ? m1 : m2;
        }
      }
    }
  }
  return out;
}

/** Runs a prepared layer on `batch` inputs laid out one after the other. */
export function runPreparedLayer(p: PreparedLayer, input: Int8Array, mode: RoundingMode, batch = 1): Int8Array {
  const layer = p.layer;
  if (input.length !== batch * p.inSize) {
    throw new ShapeError(`layer '${layer.name}' (${layer.type}): expected ${batch} x [${layer.inputShape.join(', ')}] = ${batch * p.inSize} values, got ${input.length}`);
  }
  switch (layer.type) {
    case 'dense':
    case 'conv2d':
      return runMac(p, layer, input, batch, mode);
    case 'maxpool2d':
      return runMaxPool(p.geometry as ConvGeometry, input, batch);
    case 'flatten':
      return input.slice();
  }
}

/** Runs one layer on `batch` inputs (packs its weights on every call; use prepareLayer to run it often). */
export function runLayer(layer: QuantLayer, input: Int8Array, roundingMode: RoundingMode, batch = 1): Int8Array {
  return runPreparedLayer(prepareLayer(layer), input, roundingMode, batch);
}
