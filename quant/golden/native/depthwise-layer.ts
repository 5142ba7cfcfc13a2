/**
 * A depthwise2d layer (depth multiplier 1) on the native kernels' ic_golden_depthwise_requant (./depthwise.h): the
 * windows and the output stage in one pass, two taps of 16 channels a vpdpwssd, straight into the int8 output. Same bits as
 * runDepthwise in ../layers.ts; the WebAssembly layer (../wasm/layers/depthwise-layer.ts) runs where the library
 * is absent or the stage is outside what the kernel takes.
 */
import type { ConvGeometry } from '../../format/shapes.ts';
import { nativeStages } from '../gemm/native-gemm.ts';
import type { OutputParams } from '../wasm/output-stages.ts';
import { nativeGeometry } from '../wasm/layers/mac-layer.ts';
import { nativeKernels } from './kernels.ts';
import { uninitializedInt8 } from './uninitialized.ts';

export interface NativeDepthwisePlan {
  geometry: ConvGeometry;
  /** ic_golden_conv's geometry vector. */
  geometryVector: Int32Array;
  /** int8 [kh * kw][C rounded up to 32], zero past C. */
  weights: Int8Array;
  /** nativeStages of the layer's output stage. */
  stages: Int32Array;
  pad: number;
}

/** The plan, or undefined where the native kernels are absent or the stage is outside what they take. */
export function prepareNativeDepthwise(geometry: ConvGeometry, weights: Int8Array, out: OutputParams, pad: number): NativeDepthwisePlan | undefined {
  if (nativeKernels() === null) return undefined;
  const stages = nativeStages(out.bias, out.multiplier, out.shift, out.mode, out.zp, out.actMin, out.actMax);
  if (stages === undefined) return undefined;
  const { inC, kh, kw } = geometry;
  const cp = (inC + 31) & ~31;
  const packed = new Int8Array(kh * kw * cp);
  for (let t = 0; t < kh * kw; t++) packed.set(weights.subarray(t * inC, (t + 1) * inC), t * cp);
  return { geometry, geometryVector: nativeGeometry(geometry), weights: packed, stages, pad };
}

/** Runs the layer on `batch` inputs laid out one after the other (the caller has checked the sizes); into `out` when given. */
export function runNativeDepthwise(plan: NativeDepthwisePlan, input: Int8Array, batch: number, out?: Int8Array): Int8Array {
  const kern = nativeKernels();
  if (kern === null) throw new RangeError('runNativeDepthwise: the native kernels are not loaded (run make native)');
  const g = plan.geometry;
  const result = out ?? uninitializedInt8(batch * g.outH * g.outW * g.inC); // the kernel writes every element
  kern.depthwiseRequant(input, plan.geometryVector, plan.pad, plan.weights, plan.stages, result, batch);
  return result;
}
