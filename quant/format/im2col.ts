/**
 * im2col for NHWC int8 activations: turns a 2-D convolution into the GEMM X[M, K] * W[K, N] with
 *   M = batch * outH * outW   (row m = ((b * outH) + oy) * outW + ox)
 *   K = kh * kw * inC          (column k = (ky * kw + kx) * inC + ci, the order of HWIO weights flattened to [K, N])
 * Padded positions (TF 'same' padding, see quant/format/shapes.ts) hold padValue, the input zero point: a real 0.
 * The patch order is part of the exported format (the HWIO weights flatten to it), shared by the golden model and
 * hw-sim's compiler; it lives here beside the conv geometry because hw-sim may import quant/spec and quant/format only.
 */
import { ShapeError } from '../errors.ts';
import type { ConvGeometry } from './shapes.ts';

export function im2colRows(g: ConvGeometry, batch = 1): number {
  return batch * g.outH * g.outW;
}

export function im2colCols(g: ConvGeometry): number {
  return g.kh * g.kw * g.inC;
}

/**
 * Writes the [M, K] patch matrix of `batch` NHWC images (each [inH, inW, inC]) into out (allocated when absent)
 * and returns it.
 */
export function im2col(input: Int8Array, g: ConvGeometry, padValue: number, batch = 1, out?: Int8Array): Int8Array {
  const { inH, inW, inC, kh, kw, strideH, strideW, padTop, padLeft, outH, outW } = g;
  const imageSize = inH * inW * inC;
  if (input.length !== batch * imageSize) {
    throw new ShapeError(`im2col: expected ${batch} x [${inH}, ${inW}, ${inC}] = ${batch * imageSize} values, got ${input.length}`);
  }
  const K = kh * kw * inC;
  const M = batch * outH * outW;
  const dst = out ?? new Int8Array(M * K);
  if (dst.length < M * K) throw new ShapeError(`im2col: output buffer holds ${dst.length} values, needs [M=${M}, K=${K}]`);
  // Column by column (one kernel tap (ky, kx, c) at a time) so that the inner loop runs over a whole output row
  // with fixed strides and no per-element bounds tests: the taps that fall in the padding are a prefix and a
  // suffix of the row, computed once.
  const outPlane = outH * outW;
  const rowStep = outW * K;
  const srcStep = strideW * inC;
  for (let b = 0; b < batch; b++) {
    const base = b * imageSize;
    const planeStart = b * outPlane * K;
    for (let ky = 0; ky < kh; ky++) {
      for (let kx = 0; kx < kw; kx++) {
        // ox whose input column ix = ox * strideW - padLeft + kx lies in [0, inW)
        const oxLo = Math.min(outW, Math.max(0, Math.ceil((padLeft - kx) / strideW)));
        const oxHi = Math.max(oxLo, Math.min(outW, Math.floor((inW - 1 + padLeft - kx) / strideW) + 1));
        for (let c = 0; c < inC; c++) {
          const tap = (ky * kw + kx) * inC + c;
          for (let oy = 0; oy < outH; oy++) {
            const iy = oy * strideH - padTop + ky;
            let d = planeStart + oy * rowStep + tap;
            if (iy < 0 || iy >= inH) {
              for (let ox = 0; ox < outW; ox++, d += K) dst[d] = padValue;
              continue;
            }
            for (let ox = 0; ox < oxLo; ox++, d += K) dst[d] = padValue;
            let s = base + (iy * inW + oxLo * strideW - padLeft + kx) * inC + c;
            for (let ox = oxLo; ox < oxHi; ox++, d += K, s += srcStep) dst[d] = input[s] as number;
            for (let ox = oxHi; ox < outW; ox++, d += K) dst[d] = padValue;
          }
        }
      }
    }
  }
  return dst;
}
