/**
 * Seeded random QuantModels that pass readModel's validation: dense / conv2d / depthwise2d / maxpool2d / avgpool2d /
 * flatten stacks with
 * consistent shapes, per-channel weight scales, multipliers from quant/spec `quantizeMultiplier` of realistic reals
 * (chosen so that outputs span the int8 range rather than saturate or vanish), biases, zero points, ReLU clamps and
 * chosen bit widths. The hw-sim, harness and regression tests run the golden model and the hardware on them.
 */
import {
  activationParams,
  intRange,
  quantizeMultiplier,
  roundHalfAwayFromZero,
  type RoundingMode,
} from '../spec/index.ts';
import { Rng } from '../random.ts';
import { convGeometry, shapeSize } from './shapes.ts';
import type { AvgPool2DLayer, Conv2DLayer, DenseLayer, DepthwiseConv2DLayer, MaxPool2DLayer, QuantLayer, QuantModel, TensorQuant } from './types.ts';

/** The layer kinds of a random stack ('depthwise2d' and 'avgpool2d' only when asked for by `layers`). */
export type RandomLayerKind = 'dense' | 'conv2d' | 'depthwise2d' | 'maxpool2d' | 'avgpool2d';

export interface RandomModelOptions {
  /**
   * The layer stack, e.g. ['conv2d', 'maxpool2d', 'conv2d', 'dense']; a flatten is inserted before the first dense
   * after spatial layers. Default: a random stack of 1..4 layers ending in dense.
   */
  layers?: RandomLayerKind[];
  /** [H, W, C] or [K]. Default: random [4..10, 4..10, 1..3], or [8..64] for a dense-only stack. */
  inputShape?: number[];
  /** Outputs of the last dense layer. Default 2..10. */
  classes?: number;
  /** Weight bit width (2..8) of every MAC layer; default random per layer in 2..8. */
  weightBits?: number;
  /** Activation bit width (2..8) of every tensor; default random per tensor in 2..8. */
  activationBits?: number;
  /** Default 'single'. */
  roundingMode?: RoundingMode;
  /** Largest output channel count of a hidden MAC layer. Default 12. */
  maxChannels?: number;
  /** Probability of a fused ReLU on a hidden MAC layer. Default 0.6. */
  reluProbability?: number;
  /**
   * Corner-case stress: about a third of the output channels get a bias anywhere in int32 (acc + bias wraps), a
   * multiplier anywhere in [2^-32, 2^30) (shift over its whole range, saturation in single mode, the wrapping left
   * shift in double mode), and weights at the ends of their range. Still a valid model; useless as a classifier.
   */
  extreme?: boolean;
}

function bitsOr(rng: Rng, fixed: number | undefined): number {
  return fixed ?? rng.int(2, 8);
}

function randomStack(rng: Rng, spatial: boolean): RandomLayerKind[] {
  if (!spatial) return Array.from({ length: rng.int(1, 3) }, () => 'dense' as const);
  const stack: RandomLayerKind[] = [];
  const convs = rng.int(1, 2);
  for (let i = 0; i < convs; i++) {
    stack.push('conv2d');
    if (rng.next() < 0.5) stack.push('maxpool2d');
  }
  if (rng.next() < 0.3) stack.push('dense');
  stack.push('dense');
  return stack;
}

function tensorQuant(rng: Rng, bits: number, scale: number): TensorQuant {
  const { qmin, qmax } = intRange(bits, false);
  // Realistic zero points: most tensors are near-symmetric or ReLU-like (zero point at the bottom).
  const zeroPoint = rng.next() < 0.4 ? qmin : rng.int(qmin, qmin + Math.floor((qmax - qmin) / 2));
  return { scale, zeroPoint, bits, qmin, qmax };
}

/** Log-uniform in [lo, hi]. */
function logUniform(rng: Rng, lo: number, hi: number): number {
  return lo * (hi / lo) ** rng.next();
}

function macLayer(
  rng: Rng,
  kind: 'dense' | 'conv2d' | 'depthwise2d',
  index: number,
  inputShape: number[],
  input: TensorQuant,
  outChannels: number,
  opts: RandomModelOptions,
  relu: boolean,
  outBits: number,
): DenseLayer | Conv2DLayer | DepthwiseConv2DLayer {
  const weightBits = bitsOr(rng, opts.weightBits);
  const w = intRange(weightBits, true);
  let kernel: [number, number] = [1, 1];
  let strides: [number, number] = [1, 1];
  let padding: 'same' | 'valid' = 'same';
  let outputShape: number[];
  let K: number;
  if (kind === 'conv2d' || kind === 'depthwise2d') {
    const [h, wd, c] = inputShape as [number, number, number];
    const kh = rng.int(1, Math.min(3, h));
    const kw = rng.int(1, Math.min(3, wd));
    kernel = [kh, kw];
    strides = [rng.pick([1, 1, 2]), rng.pick([1, 1, 2])];
    padding = rng.pick(['same', 'valid'] as const);
    const g = convGeometry(inputShape, kernel, strides, padding);
    outputShape = [g.outH, g.outW, outChannels];
    K = kind === 'conv2d' ? kh * kw * c : kh * kw;
  } else {
    K = inputShape[0] as number;
    outputShape = [outChannels];
  }
  const N = outChannels;
  const weights = new Int8Array(K * N);
  for (let i = 0; i < weights.length; i++) {
    // Roughly Gaussian codes that use the whole narrow range now and then.
    const v = roundHalfAwayFromZero(rng.normal() * w.qmax * 0.4);
    weights[i] = v < w.qmin ? w.qmin : v > w.qmax ? w.qmax : v;
  }
  // Size the multiplier so that the typical accumulator lands across the output range.
  const xStd = (input.qmax - input.qmin) / 4;
  const wStd = Math.max(1, w.qmax * 0.4);
  const accStd = Math.sqrt(K) * xStd * wStd;
  const outRange = tensorQuant(rng, outBits, 1);
  const baseMultiplier = (outRange.qmax - outRange.qmin) / 4 / accStd;
  const outputScale = logUniform(rng, 0.01, 0.2);
  const output: TensorQuant = { ...outRange, scale: outputScale };
  const weightScales = new Float32Array(N);
  const multiplier = new Int32Array(N);
  const shift = new Int32Array(N);
  const bias = new Int32Array(N);
  for (let c = 0; c < N; c++) {
    const real = baseMultiplier * logUniform(rng, 0.5, 2);
    weightScales[c] = (real * outputScale) / input.scale;
    const q = quantizeMultiplier(real);
    multiplier[c] = q.m0;
    shift[c] = q.shift;
    bias[c] = roundHalfAwayFromZero(rng.normal() * accStd * 0.5);
    if (opts.extreme && rng.next() < 0.35) {
      bias[c] = rng.int32();
      const q2 = quantizeMultiplier(2 ** (rng.next() * 62 - 32));
      multiplier[c] = q2.m0;
      shift[c] = q2.shift;
      for (let i = c; i < weights.length; i += N) weights[i] = rng.next() < 0.5 ? w.qmin : w.qmax;
    }
  }
  const actMin = relu ? output.zeroPoint : output.qmin;
  const common = {
    name: `${kind}_${index}`,
    inputShape,
    outputShape,
    weights,
    bias,
    multiplier,
    shift,
    weightScales,
    weightBits,
    input,
    output,
    actMin,
    actMax: output.qmax,
    relu,
  };
  if (kind === 'dense') return { type: 'dense', ...common };
  return { type: kind, ...common, kernel, strides, padding };
}

/** A random valid model; the same rng state always gives the same model. */
export function randomModel(rng: Rng, opts: RandomModelOptions = {}): QuantModel {
  const wantSpatial = opts.inputShape ? opts.inputShape.length === 3 : opts.layers ? opts.layers.some((l) => l !== 'dense') : rng.next() < 0.7;
  const inputShape = opts.inputShape ?? (wantSpatial ? [rng.int(4, 10), rng.int(4, 10), rng.int(1, 3)] : [rng.int(8, 64)]);
  const stack = opts.layers ?? randomStack(rng, inputShape.length === 3);
  const classes = opts.classes ?? rng.int(2, 10);
  const maxChannels = opts.maxChannels ?? 12;
  const reluP = opts.reluProbability ?? 0.6;
  const inBits = bitsOr(rng, opts.activationBits);
  const pixel = activationParams(0, 1, inBits);
  const modelInput = { scale: pixel.scale, zeroPoint: pixel.zeroPoint, bits: inBits, qmin: pixel.qmin, qmax: pixel.qmax, shape: [...inputShape] };

  const layers: QuantLayer[] = [];
  let shape = [...inputShape];
  let quant: TensorQuant = { scale: pixel.scale, zeroPoint: pixel.zeroPoint, bits: inBits, qmin: pixel.qmin, qmax: pixel.qmax };
  const lastMac = stack.reduce((last, k, i) => (k === 'maxpool2d' || k === 'avgpool2d' ? last : i), -1);
  stack.forEach((kind, i) => {
    const isLast = i === lastMac;
    if (kind === 'avgpool2d') {
      if (shape.length !== 3) throw new RangeError(`randomModel: avgpool2d needs an [H, W, C] input, got [${shape.join(', ')}]`);
      const [h, w] = shape as [number, number, number];
      const pool: [number, number] = [rng.int(1, Math.min(3, h)), rng.int(1, Math.min(3, w))];
      const strides: [number, number] = [rng.int(1, 2), rng.int(1, 2)];
      const padding = rng.pick(['same', 'valid'] as const);
      const g = convGeometry(shape, pool, strides, padding);
      const actMin = rng.next() < 0.5 ? quant.qmin : rng.int(quant.qmin, quant.zeroPoint);
      const layer: AvgPool2DLayer = { type: 'avgpool2d', name: `avgpool2d_${i}`, inputShape: shape, outputShape: [g.outH, g.outW, g.inC], pool, strides, padding, actMin, actMax: quant.qmax };
      layers.push(layer);
      shape = layer.outputShape;
      return;
    }
    if (kind === 'maxpool2d') {
      if (shape.length !== 3) throw new RangeError(`randomModel: maxpool2d needs an [H, W, C] input, got [${shape.join(', ')}]`);
      const [h, w] = shape as [number, number, number];
      const ph = Math.min(2, h);
      const pw = Math.min(2, w);
      const g = convGeometry(shape, [ph, pw], [ph, pw], 'valid');
      const pool: MaxPool2DLayer = { type: 'maxpool2d', name: `maxpool2d_${i}`, inputShape: shape, outputShape: [g.outH, g.outW, g.inC], pool: [ph, pw], strides: [ph, pw], padding: 'valid' };
      layers.push(pool);
      shape = pool.outputShape;
      return;
    }
    if (kind === 'dense' && shape.length !== 1) {
      layers.push({ type: 'flatten', name: `flatten_${i}`, inputShape: shape, outputShape: [shapeSize(shape)] });
      shape = [shapeSize(shape)];
    }
    if (kind !== 'dense' && shape.length !== 3) throw new RangeError(`randomModel: ${kind} needs an [H, W, C] input, got [${shape.join(', ')}]`);
    const channels = isLast && kind === 'dense' ? classes : kind === 'depthwise2d' ? (shape[2] as number) : rng.int(1, maxChannels);
    const relu = !isLast && rng.next() < reluP;
    const outBits = bitsOr(rng, opts.activationBits);
    const layer = macLayer(rng, kind, i, shape, quant, channels, opts, relu, outBits);
    layers.push(layer);
    shape = layer.outputShape;
    quant = layer.output;
  });
  if (shape.length !== 1) {
    layers.push({ type: 'flatten', name: `flatten_${stack.length}`, inputShape: shape, outputShape: [shapeSize(shape)] });
    shape = [shapeSize(shape)];
  }
  return {
    name: `random-${rng.seed}`,
    input: modelInput,
    roundingMode: opts.roundingMode ?? 'single',
    layers,
    classes: shape[0] as number,
    meta: { generator: 'randomModel', seed: rng.seed, stack },
  };
}
