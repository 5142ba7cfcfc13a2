/**
 * Shape rules of the layers, TF semantics. Shared by the reader's validation, the random model builder, the golden
 * model's im2col and the tiler, so that every one of them derives the same output shapes and paddings.
 *
 *  valid:  out = floor((in - k) / s) + 1                              (no padding; needs in >= k)
 *  same:   out = ceil(in / s),  padTotal = max((out - 1) * s + k - in, 0),
 *          padBefore = floor(padTotal / 2), padAfter = padTotal - padBefore   (the extra row goes after, as in TF)
 */
import { ShapeError } from '../errors.ts';
import type { QuantLayer } from './types.ts';

export type Padding = 'same' | 'valid';

/** Output size and leading padding along one spatial axis. */
export function convAxis(inSize: number, kernel: number, stride: number, padding: Padding): { out: number; padBefore: number } {
  if (padding === 'valid') {
    if (inSize < kernel) return { out: 0, padBefore: 0 };
    return { out: Math.floor((inSize - kernel) / stride) + 1, padBefore: 0 };
  }
  const out = Math.ceil(inSize / stride);
  const padTotal = Math.max((out - 1) * stride + kernel - inSize, 0);
  return { out, padBefore: Math.floor(padTotal / 2) };
}

/** Geometry of a 2-D window op (conv or pool) over an NHWC input without the batch axis. */
export interface ConvGeometry {
  inH: number;
  inW: number;
  inC: number;
  kh: number;
  kw: number;
  strideH: number;
  strideW: number;
  padTop: number;
  padLeft: number;
  outH: number;
  outW: number;
}

export function convGeometry(inputShape: readonly number[], kernel: readonly [number, number], strides: readonly [number, number], padding: Padding): ConvGeometry {
  if (inputShape.length !== 3) throw new ShapeError(`expected an [H, W, C] input, got [${inputShape.join(', ')}]`);
  const [inH, inW, inC] = inputShape as [number, number, number];
  const [kh, kw] = kernel;
  const [strideH, strideW] = strides;
  const h = convAxis(inH, kh, strideH, padding);
  const w = convAxis(inW, kw, strideW, padding);
  if (h.out <= 0 || w.out <= 0) {
    throw new ShapeError(`a ${kh}x${kw} '${padding}' window does not fit an input of [${inputShape.join(', ')}]`);
  }
  return { inH, inW, inC, kh, kw, strideH, strideW, padTop: h.padBefore, padLeft: w.padBefore, outH: h.out, outW: w.out };
}

export function shapeSize(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * The output shape a layer must have given its input shape and its own parameters. Throws ShapeError when the
 * input shape does not suit the layer.
 */
export function expectedOutputShape(layer: QuantLayer): number[] {
  const inShape = layer.inputShape;
  switch (layer.type) {
    case 'dense': {
      if (inShape.length !== 1) throw new ShapeError(`dense layer '${layer.name}' expects a [K] input, got [${inShape.join(', ')}]`);
      return [layer.bias.length];
    }
    case 'conv2d': {
      const g = convGeometry(inShape, layer.kernel, layer.strides, layer.padding);
      return [g.outH, g.outW, layer.bias.length];
    }
    case 'depthwise2d': {
      const g = convGeometry(inShape, layer.kernel, layer.strides, layer.padding);
      if (layer.bias.length !== g.inC) throw new ShapeError(`depthwise2d layer '${layer.name}' has ${layer.bias.length} channels of bias for an input of ${g.inC} channels (depth multiplier 1)`);
      return [g.outH, g.outW, g.inC];
    }
    case 'maxpool2d':
    case 'avgpool2d': {
      const g = convGeometry(inShape, layer.pool, layer.strides, layer.padding);
      return [g.outH, g.outW, g.inC];
    }
    case 'add':
    case 'softmax':
      return [...inShape];
    case 'flatten':
      return [shapeSize(inShape)];
    case 'reshape':
      if (shapeSize(layer.outputShape) !== shapeSize(inShape)) {
        throw new ShapeError(`reshape layer '${layer.name}' maps [${inShape.join(', ')}] (${shapeSize(inShape)} values) to [${layer.outputShape.join(', ')}] (${shapeSize(layer.outputShape)})`);
      }
      return [...layer.outputShape];
  }
}
