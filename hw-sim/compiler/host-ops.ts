/**
 * The layers that run on the host, between two array programs (docs/ARCHITECTURE.md section 9): maxpool2d (a max
 * over int8 codes; input and output quantization are the same, so no arithmetic of quant/spec is involved) and
 * flatten (NHWC is already the [H*W*C] order).
 */
import { ShapeError } from '../../quant/errors.ts';
import { convGeometry, shapeSize } from '../../quant/format/shapes.ts';
import type { FlattenLayer, MaxPool2DLayer } from '../../quant/format/types.ts';

export function maxPool2d(layer: MaxPool2DLayer, input: Int8Array): Int8Array {
  const g = convGeometry(layer.inputShape, layer.pool, layer.strides, layer.padding);
  if (input.length !== g.inH * g.inW * g.inC) {
    throw new ShapeError(`maxpool2d '${layer.name}': expected [${layer.inputShape.join(', ')}] = ${g.inH * g.inW * g.inC} codes, got ${input.length}`);
  }
  const { inW, inC, kh, kw, strideH, strideW, outH, outW } = g;
  const out = new Int8Array(outH * outW * inC);
  let o = 0;
  for (let oy = 0; oy < outH; oy++) {
    for (let ox = 0; ox < outW; ox++) {
      for (let c = 0; c < inC; c++) {
        let best = -128;
        for (let ky = 0; ky < kh; ky++) {
          for (let kx = 0; kx < kw; kx++) {
            const v = input[((oy * strideH + ky) * inW + ox * strideW + kx) * inC + c] as number;
            if (v > best) best = v;
          }
        }
        out[o++] = best;
      }
    }
  }
  return out;
}

export function flatten(layer: FlattenLayer, input: Int8Array): Int8Array {
  const n = shapeSize(layer.inputShape);
  if (input.length !== n) throw new ShapeError(`flatten '${layer.name}': expected ${n} codes, got ${input.length}`);
  return input.slice();
}
