/**
 * BatchNorm in training mode as two WASM kernels, plain loops over the backend's heap (the tf-op composition it
 * replaces, tf.moments then sub/div/sqrt/mul/add and autograd's backward of all of it, was about half of a CNN
 * training step: Sum, Multiply, Sub, Mean, Add, RealDiv). x is float32 [..., C] (NHWC or NC), reduced over every
 * axis but the last, M = size / C elements per channel, accumulated in float64:
 *
 *  forward  (two passes):  mean = sum x / M,  var = sum x^2 / M - mean^2 (biased, as tf.moments),
 *                          invstd = 1 / sqrt(var + eps),  y = (x - mean) * invstd * gamma + beta
 *                          outputs y, mean [C], variance [C], invstd [C]
 *  backward (two passes):  xhat = (x - mean) * invstd,  dbeta = sum dy,  dgamma = sum dy * xhat,
 *                          dx = gamma * invstd * (dy - dbeta / M - xhat * dgamma / M)
 *                          outputs dx, dgamma [C], dbeta [C]
 */
import { util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';

export const BATCH_NORM_TRAIN = 'Int8cosimBatchNormTrain';
export const BATCH_NORM_TRAIN_GRAD = 'Int8cosimBatchNormTrainGrad';

interface WasmBackend {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
}

function channelsOf(x: TensorInfo, gamma: TensorInfo, kernel: string): { c: number; m: number } {
  const c = x.shape[x.shape.length - 1] as number;
  if (x.shape.length < 2 || x.dtype !== 'float32' || gamma.shape.length !== 1 || gamma.shape[0] !== c) {
    throw new Error(`${kernel}: expected float32 x [..., C] and gamma [C], got x [${x.shape}] ${x.dtype}, gamma [${gamma.shape}]`);
  }
  return { c, m: util.sizeFromShape(x.shape) / c };
}

export function batchNormTrainConfig(backendName: string): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, attrs, backend }) => {
    const { x, gamma, beta } = inputs as { x: TensorInfo; gamma: TensorInfo; beta: TensorInfo };
    const { epsilon } = attrs as unknown as { epsilon: number };
    const { c, m } = channelsOf(x, gamma, BATCH_NORM_TRAIN);
    const b = backend as unknown as WasmBackend;
    const outs = [b.makeOutput(x.shape.slice(), 'float32'), b.makeOutput([c], 'float32'), b.makeOutput([c], 'float32'), b.makeOutput([c], 'float32')];
    // views only after every makeOutput: growing the heap detaches earlier views
    const xv = b.typedArrayFromHeap(x);
    const yv = b.typedArrayFromHeap(outs[0]!);
    const g = b.typedArrayFromHeap(gamma);
    const bt = b.typedArrayFromHeap(beta);
    const n = m * c;
    const mean = new Float64Array(c);
    const variance = new Float64Array(c);
    const invstd = new Float64Array(c);
    // one channel at a time, strided: scalar accumulators run about twice as fast in V8 as per-channel arrays
    for (let j = 0; j < c; j++) {
      let s1 = 0;
      let s2 = 0;
      for (let i = j; i < n; i += c) {
        const v = xv[i] as number;
        s1 += v;
        s2 += v * v;
      }
      const mu = s1 / m;
      const va = Math.max(0, s2 / m - mu * mu);
      const is = 1 / Math.sqrt(va + epsilon);
      mean[j] = mu;
      variance[j] = va;
      invstd[j] = is;
      const scale = is * (g[j] as number);
      const shift = (bt[j] as number) - mu * scale;
      for (let i = j; i < n; i += c) yv[i] = (xv[i] as number) * scale + shift;
    }
    b.typedArrayFromHeap(outs[1]!).set(mean);
    b.typedArrayFromHeap(outs[2]!).set(variance);
    b.typedArrayFromHeap(outs[3]!).set(invstd);
    return outs;
  };
  return { kernelName: BATCH_NORM_TRAIN, backendName, kernelFunc };
}

export function batchNormTrainGradConfig(backendName: string): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, backend }) => {
    const { dy, x, mean, invstd, gamma } = inputs as { dy: TensorInfo; x: TensorInfo; mean: TensorInfo; invstd: TensorInfo; gamma: TensorInfo };
    const { c, m } = channelsOf(x, gamma, BATCH_NORM_TRAIN_GRAD);
    if (!util.arraysEqual(dy.shape, x.shape)) throw new Error(`${BATCH_NORM_TRAIN_GRAD}: dy [${dy.shape}] and x [${x.shape}] differ`);
    const b = backend as unknown as WasmBackend;
    const outs = [b.makeOutput(x.shape.slice(), 'float32'), b.makeOutput([c], 'float32'), b.makeOutput([c], 'float32')];
    const dyv = b.typedArrayFromHeap(dy);
    const xv = b.typedArrayFromHeap(x);
    const dxv = b.typedArrayFromHeap(outs[0]!);
    const muv = b.typedArrayFromHeap(mean);
    const isv = b.typedArrayFromHeap(invstd);
    const g = b.typedArrayFromHeap(gamma);
    const n = m * c;
    const sdy = new Float64Array(c);
    const dgamma = new Float64Array(c);
    for (let j = 0; j < c; j++) {
      const mu = muv[j] as number;
      const is = isv[j] as number;
      let s = 0;
      let sx = 0;
      for (let i = j; i < n; i += c) {
        const d = dyv[i] as number;
        s += d;
        sx += d * ((xv[i] as number) - mu);
      }
      sdy[j] = s;
      dgamma[j] = sx * is;
      // dx = k * (dy - a - (x - mean) * r): k = gamma * invstd, a = dbeta / M, r = dgamma * invstd / M
      const k = (g[j] as number) * is;
      const a = s / m;
      const r = (sx * is * is) / m;
      for (let i = j; i < n; i += c) dxv[i] = k * ((dyv[i] as number) - a - ((xv[i] as number) - mu) * r);
    }
    b.typedArrayFromHeap(outs[1]!).set(dgamma);
    b.typedArrayFromHeap(outs[2]!).set(sdy);
    return outs;
  };
  return { kernelName: BATCH_NORM_TRAIN_GRAD, backendName, kernelFunc };
}
