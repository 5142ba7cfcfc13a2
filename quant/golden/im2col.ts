/**
 * im2col for NHWC int8 activations: turns a 2-D convolution into the GEMM X[M, K] * W[K, N] with
 *   M = batch * outH * outW   (row m = ((b * outH) + oy) * outW + ox)
 *   K = kh * kw * inC          (column k = (ky * kw + kx) * inC + ci, the order of HWIO weights flattened to [K, N])
 * Padded positions (TF 'same' padding, see quant/format/shapes.ts) hold padValue, the input zero point: a real 0.
 */
import { ShapeError } from '../errors.ts';
import type { ConvGeometry } from '../format/shapes.ts';

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
  let p = 0;
  for (let b = 0; b < batch; b++) {
    const base = b * imageSize;
    for (let oy = 0; oy < outH; oy++) {
      const iy0 = oy * strideH - padTop;
      for (let ox = 0; ox < outW; ox++) {
        const ix0 = ox * strideW - padLeft;
        for (let ky = 0; ky < kh; ky++) {
          const iy = iy0 + ky;
          const rowInside = iy >= 0 && iy < inH;
          for (let kx = 0; kx < kw; kx++) {
            const ix = ix0 + kx;
            if (rowInside && ix >= 0 && ix < inW) {
              let s = base + (iy * inW + ix) * inC;
              for (let c = 0; c < inC; c++) dst[p++] = input[s++] as number;
            } else {
              for (let c = 0; c < inC; c++) dst[p++] = padValue;
            }
          }
        }
      }
    }
  }
  return dst;
}
