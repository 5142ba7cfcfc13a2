/**
 * One layer of the integer golden model, exactly as the hardware computes it:
 *   dense / conv2d:  acc = wrap32(sum_k x[m][k] * w[k][c])             (conv through im2col; pads = input zero point)
 *                    y   = requantize(acc, bias'[c], m0[c], shift[c], zOut, actMin, actMax, mode)   (quant/spec)
 *                    with bias' = bias - Z_in * sum_k w[k][c] (quant/spec foldInputZeroPoint)
 *   depthwise2d:     the same per channel c over its own kh x kw window (pads = input zero point)
 *   maxpool2d, avgpool2d, add, softmax: the kernels of quant/kernels (quant/spec's element-wise arithmetic)
 *   flatten, reshape: the NHWC buffer under another shape
 * The rounding of each MAC layer and the softmax kernel come from the model's arithmetic (quant/format
 * `modelArithmetic`). Every function takes a batch of images laid out one after the other.
 */
import { ShapeError } from '../errors.ts';
import { foldInputZeroPoint, requantize, type RoundingMode } from '../spec/index.ts';
import { uniformArithmetic, type ModelArithmetic } from '../format/arithmetic.ts';
import { convGeometry, shapeSize, type ConvGeometry } from '../format/shapes.ts';
import type { Conv2DLayer, DenseLayer, DepthwiseConv2DLayer, QuantLayer } from '../format/types.ts';
import { add, averagePool2d, maxPool2d, prepareSoftmax, type PreparedSoftmax } from '../kernels/index.ts';
import { defaultGemmEngine, gemmInt8Packed, packB, type PackedB } from './gemm/gemm.ts';
import { nativeAddTable, runNativeAdd } from './native/add-layer.ts';
import { prepareNativeDepthwise, runNativeDepthwise, type NativeDepthwisePlan } from './native/depthwise-layer.ts';
import type { WasmPackedB } from './gemm/wasm-gemm.ts';
import { im2col } from '../format/im2col.ts';
import { prepareWasmMac, runWasmMac, type WasmMacPlan } from './wasm/layers/mac-layer.ts';
import type { OutputParams } from './wasm/output-stages.ts';
import { prepareWasmMaxPool, runWasmMaxPool, type WasmPoolPlan } from './wasm/layers/max-pool.ts';
import { prepareWasmDepthwise, runWasmDepthwise, type WasmDepthwisePlan } from './wasm/layers/depthwise-layer.ts';
import { prepareWasmAvgPool, runWasmAvgPool, type WasmAvgPoolPlan } from './wasm/layers/avg-pool.ts';
import { runWasmAdd } from './wasm/layers/add-layer.ts';
import { wasmKernels } from './wasm/kernels.ts';

/** A layer with its weights packed and its bias folded: build once, run on many batches. */
export interface PreparedLayer {
  layer: QuantLayer;
  inSize: number;
  outSize: number;
  geometry?: ConvGeometry;
  packed?: PackedB;
  foldedBias?: Int32Array;
  /** The requantizer's rounding (MAC layers). */
  rounding?: RoundingMode;
  softmax?: PreparedSoftmax;
  /** The layer on the WebAssembly kernels (MAC layers whose GEMM engine is wasm), else the JS path runs. */
  wasm?: WasmMacPlan;
  /** A max pool on the WebAssembly kernels, else quant/kernels' runs. */
  wasmPool?: WasmPoolPlan;
  /** An average pool on the WebAssembly kernels, else quant/kernels' runs. */
  wasmAvgPool?: WasmAvgPoolPlan;
  /** An add on the WebAssembly kernels (its table looked up there), else quant/kernels' runs. */
  wasmAdd?: boolean;
  /** An add on the native kernels: its table as ic_golden_add takes it. */
  nativeAdd?: Int8Array;
  /** A depthwise layer on the WebAssembly kernels, else runDepthwise's JS loops run. */
  wasmDepthwise?: WasmDepthwisePlan;
  /** A depthwise layer on the native kernels (before the WebAssembly ones). */
  nativeDepthwise?: NativeDepthwisePlan;
}

/** A MAC layer's output stage for the WASM kernels. */
function outputParams(layer: DenseLayer | Conv2DLayer | DepthwiseConv2DLayer, bias: Int32Array, mode: RoundingMode): OutputParams {
  return { bias, multiplier: layer.multiplier, shift: layer.shift, mode, zp: layer.output.zeroPoint, actMin: layer.actMin, actMax: layer.actMax };
}

export function prepareLayer(layer: QuantLayer, arithmetic: ModelArithmetic = uniformArithmetic('single')): PreparedLayer {
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
    const rounding = arithmetic.rounding(layer);
    const wasm = packed.native || packed.wasm
      ? prepareWasmMac(packed.native ? { native: packed.native } : { wasm: packed.wasm as WasmPackedB }, outputParams(layer, foldedBias, rounding), layer.input.zeroPoint, geometry)
      : undefined;
    const prepared: PreparedLayer = geometry ? { layer, inSize, outSize, geometry, packed, foldedBias, rounding } : { layer, inSize, outSize, packed, foldedBias, rounding };
    if (wasm) prepared.wasm = wasm;
    return prepared;
  }
  if (layer.type === 'depthwise2d') {
    const geometry = convGeometry(layer.inputShape, layer.kernel, layer.strides, layer.padding);
    const n = layer.bias.length;
    const k = geometry.kh * geometry.kw;
    if (n !== geometry.inC || layer.weights.length !== k * n) {
      throw new ShapeError(`depthwise2d layer '${layer.name}': expected weights [${geometry.kh}, ${geometry.kw}, C=${geometry.inC}] and ${geometry.inC} biases, got ${layer.weights.length} weights and ${n} biases`);
    }
    const foldedBias = foldInputZeroPoint(layer.bias, layer.weights, k, n, layer.input.zeroPoint);
    const rounding = arithmetic.rounding(layer);
    const prepared: PreparedLayer = { layer, inSize, outSize, geometry, foldedBias, rounding };
    const native = defaultGemmEngine() === 'native'
      ? prepareNativeDepthwise(geometry, layer.weights, outputParams(layer, foldedBias, rounding), layer.input.zeroPoint)
      : undefined;
    if (native) {
      prepared.nativeDepthwise = native;
      return prepared;
    }
    const wasm = process.env.INT8COSIM_GEMM !== 'js'
      ? prepareWasmDepthwise(geometry, layer.weights, outputParams(layer, foldedBias, rounding), layer.input.zeroPoint)
      : undefined;
    if (wasm) prepared.wasmDepthwise = wasm;
    return prepared;
  }
  if (layer.type === 'maxpool2d' && process.env.INT8COSIM_GEMM !== 'js') {
    const wasmPool = prepareWasmMaxPool(layer);
    if (wasmPool) return { layer, inSize, outSize, geometry: wasmPool.geometry, wasmPool };
  }
  if (layer.type === 'avgpool2d' && process.env.INT8COSIM_GEMM !== 'js') {
    const wasmAvgPool = prepareWasmAvgPool(layer);
    if (wasmAvgPool) return { layer, inSize, outSize, geometry: wasmAvgPool.geometry, wasmAvgPool };
  }
  if (layer.type === 'maxpool2d' || layer.type === 'avgpool2d') {
    return { layer, inSize, outSize, geometry: convGeometry(layer.inputShape, layer.pool, layer.strides, layer.padding) };
  }
  if (layer.type === 'add' && defaultGemmEngine() === 'native') return { layer, inSize, outSize, nativeAdd: nativeAddTable(layer.params) };
  if (layer.type === 'add' && process.env.INT8COSIM_GEMM !== 'js' && wasmKernels() !== null) return { layer, inSize, outSize, wasmAdd: true };
  if (layer.type === 'softmax') return { layer, inSize, outSize, softmax: prepareSoftmax(layer, arithmetic.softmax) };
  return { layer, inSize, outSize };
}

let scratchCols = new Int8Array(0);
let scratchAcc = new Int32Array(0);

function runMac(p: PreparedLayer, layer: DenseLayer | Conv2DLayer, input: Int8Array, batch: number, into?: Int8Array): Int8Array {
  if (p.wasm) return runWasmMac(p.wasm, input, batch, undefined, into);
  const mode = p.rounding as RoundingMode;
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

/** Depthwise convolution, depth multiplier 1: channel c's window times its own filter, then the output stage. */
function runDepthwise(p: PreparedLayer, layer: DepthwiseConv2DLayer, input: Int8Array, batch: number): Int8Array {
  const g = p.geometry as ConvGeometry;
  const bias = p.foldedBias as Int32Array;
  const mode = p.rounding as RoundingMode;
  const { inH, inW, inC, kh, kw, strideH, strideW, padTop, padLeft, outH, outW } = g;
  const { weights, multiplier, shift, actMin, actMax } = layer;
  const zIn = layer.input.zeroPoint;
  const zOut = layer.output.zeroPoint;
  const out = new Int8Array(batch * outH * outW * inC);
  let o = 0;
  for (let b = 0; b < batch; b++) {
    const base = b * inH * inW * inC;
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++) {
        for (let c = 0; c < inC; c++) {
          let acc = 0;
          for (let ky = 0; ky < kh; ky++) {
            const y = oy * strideH - padTop + ky;
            for (let kx = 0; kx < kw; kx++) {
              const x = ox * strideW - padLeft + kx;
              const v = y >= 0 && y < inH && x >= 0 && x < inW ? (input[base + (y * inW + x) * inC + c] as number) : zIn;
              acc = (acc + v * (weights[(ky * kw + kx) * inC + c] as number)) | 0;
            }
          }
          out[o++] = requantize(acc, bias[c] as number, multiplier[c] as number, shift[c] as number, zOut, actMin, actMax, mode);
        }
      }
    }
  }
  return out;
}

/**
 * Runs a prepared layer on `batch` inputs laid out one after the other; `inputs` holds one tensor per operand
 * (two for add, one otherwise), each batch x the layer's input size. With `out` (batch x the output size, no
 * operand's memory), a layer on the native kernels writes its output there and returns it; every other path
 * returns a new array.
 */
export function runPreparedLayer(p: PreparedLayer, inputs: readonly Int8Array[], batch = 1, out?: Int8Array): Int8Array {
  const layer = p.layer;
  const count = layer.type === 'add' ? 2 : 1;
  if (inputs.length !== count) throw new ShapeError(`layer '${layer.name}' (${layer.type}): expected ${count} operand(s), got ${inputs.length}`);
  if (out !== undefined && out.length !== batch * p.outSize) throw new ShapeError(`layer '${layer.name}' (${layer.type}): an output of ${batch * p.outSize} values, got room for ${out.length}`);
  for (const input of inputs) {
    if (input.length !== batch * p.inSize) {
      throw new ShapeError(`layer '${layer.name}' (${layer.type}): expected ${batch} x [${layer.inputShape.join(', ')}] = ${batch * p.inSize} values, got ${input.length}`);
    }
  }
  const input = inputs[0] as Int8Array;
  switch (layer.type) {
    case 'dense':
    case 'conv2d':
      return runMac(p, layer, input, batch, out);
    case 'depthwise2d':
      if (p.nativeDepthwise) return runNativeDepthwise(p.nativeDepthwise, input, batch, out);
      return p.wasmDepthwise ? runWasmDepthwise(p.wasmDepthwise, input, batch) : runDepthwise(p, layer, input, batch);
    case 'maxpool2d':
      return p.wasmPool ? runWasmMaxPool(p.wasmPool, input, batch) : maxPool2d(layer, input, batch);
    case 'avgpool2d':
      return p.wasmAvgPool ? runWasmAvgPool(p.wasmAvgPool, input, batch) : averagePool2d(layer, input, batch);
    case 'add':
      if (p.nativeAdd) return runNativeAdd(layer, p.nativeAdd, input, inputs[1] as Int8Array, out);
      return p.wasmAdd ? runWasmAdd(layer, input, inputs[1] as Int8Array) : add(layer, input, inputs[1] as Int8Array);
    case 'softmax':
      return (p.softmax as PreparedSoftmax)(input);
    case 'flatten':
    case 'reshape':
      return input.slice();
  }
}

/** Runs one single-operand layer on `batch` inputs in one rounding mode (packs its weights on every call). */
export function runLayer(layer: QuantLayer, input: Int8Array, roundingMode: RoundingMode, batch = 1): Int8Array {
  return runPreparedLayer(prepareLayer(layer, uniformArithmetic(roundingMode)), [input], batch);
}
