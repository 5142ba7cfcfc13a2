/**
 * BatchNorm in training mode as two kernels of the WASM backend (the tf-op composition it replaces, tf.moments
 * then sub/div/sqrt/mul/add and autograd's backward of all of it, was about half of a CNN training step: Sum,
 * Multiply, Sub, Mean, Add, RealDiv). x is float32 [..., C] (NHWC or NC), reduced over every axis but the last,
 * M = size / C elements per channel, accumulated in float64:
 *
 *  forward  (two passes):  mean = sum x / M,  var = sum x^2 / M - mean^2 (biased, as tf.moments),
 *                          invstd = 1 / sqrt(var + eps),  y = (x - mean) * invstd * gamma + beta
 *                          outputs y, mean [C], variance [C], invstd [C]
 *  backward (two passes):  xhat = (x - mean) * invstd,  dbeta = sum dy,  dgamma = sum dy * xhat,
 *                          dx = gamma * invstd * (dy - dbeta / M - xhat * dgamma / M)
 *                          outputs dx, dgamma [C], dbeta [C]
 *
 * Each pass runs on train-kernels.wat (float64x2 SIMD lanes, each channel's sums over the rows in order) where C is
 * a multiple of 4, and otherwise as the plain loops below, which are its reference: the same float64 operations in
 * the same order, so both give the same bits (test/model/batch-norm-train.test.ts).
 */
import { util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { trainKernels, type TrainKernels, type WasmBackend } from './train-kernels.ts';

export const BATCH_NORM_TRAIN = 'Int8cosimBatchNormTrain';
export const BATCH_NORM_TRAIN_GRAD = 'Int8cosimBatchNormTrainGrad';

function channelsOf(x: TensorInfo, gamma: TensorInfo, kernel: string): { c: number; m: number } {
  const c = x.shape[x.shape.length - 1] as number;
  if (x.shape.length < 2 || x.dtype !== 'float32' || gamma.shape.length !== 1 || gamma.shape[0] !== c) {
    throw new Error(`${kernel}: expected float32 x [..., C] and gamma [C], got x [${x.shape}] ${x.dtype}, gamma [${gamma.shape}]`);
  }
  return { c, m: util.sizeFromShape(x.shape) / c };
}

/** Per-channel sums of a and of a * (b - shift) (b = a, shift = 0: the sums of x and x^2), over the rows. */
export function channelSumsLoops(a: Float32Array, b: Float32Array, shift: Float64Array | null, c: number, s1: Float64Array, s2: Float64Array): void {
  const n = a.length;
  // one channel at a time, strided: scalar accumulators run about twice as fast in V8 as per-channel arrays
  for (let j = 0; j < c; j++) {
    const mu = shift === null ? 0 : (shift[j] as number);
    let u = 0;
    let v = 0;
    for (let i = j; i < n; i += c) {
      const d = a[i] as number;
      u += d;
      v += d * (shift === null ? d : (b[i] as number) - mu);
    }
    s1[j] = u;
    s2[j] = v;
  }
}

/** The forward's per-channel mean, variance, invstd, and y = x * scale + shift's scale and shift (float64). */
export function forwardParams(s1: Float64Array, s2: Float64Array, m: number, g: Float32Array, bt: Float32Array, epsilon: number) {
  const c = s1.length;
  const p = { mean: new Float64Array(c), variance: new Float64Array(c), invstd: new Float64Array(c), scale: new Float64Array(c), shift: new Float64Array(c) };
  for (let j = 0; j < c; j++) {
    const mu = (s1[j] as number) / m;
    const va = Math.max(0, (s2[j] as number) / m - mu * mu);
    const is = 1 / Math.sqrt(va + epsilon);
    const scale = is * (g[j] as number);
    p.mean[j] = mu;
    p.variance[j] = va;
    p.invstd[j] = is;
    p.scale[j] = scale;
    p.shift[j] = (bt[j] as number) - mu * scale;
  }
  return p;
}

/** The backward's per-channel k = gamma * invstd, a = dbeta / M, r = dgamma * invstd / M and dgamma. */
export function backwardParams(s: Float64Array, sx: Float64Array, m: number, g: Float32Array, invstd: Float32Array) {
  const c = s.length;
  const p = { k: new Float64Array(c), a: new Float64Array(c), r: new Float64Array(c), dgamma: new Float64Array(c) };
  for (let j = 0; j < c; j++) {
    const is = invstd[j] as number;
    const sxj = sx[j] as number;
    p.dgamma[j] = sxj * is;
    p.k[j] = (g[j] as number) * is;
    p.a[j] = (s[j] as number) / m;
    p.r[j] = (sxj * is * is) / m;
  }
  return p;
}

/** y = x * scale + shift per channel, the plain loops. */
export function applyLoops(x: Float32Array, y: Float32Array, scale: Float64Array, shift: Float64Array): void {
  const c = scale.length;
  for (let i = 0; i < x.length; i += c) for (let j = 0; j < c; j++) y[i + j] = (x[i + j] as number) * (scale[j] as number) + (shift[j] as number);
}

/** dx = k * ((dy - a) - (x - mean) * r) per channel, the plain loops. */
export function gradApplyLoops(dy: Float32Array, x: Float32Array, dx: Float32Array, mean: Float32Array, p: { k: Float64Array; a: Float64Array; r: Float64Array }): void {
  const c = p.k.length;
  for (let i = 0; i < x.length; i += c) {
    for (let j = 0; j < c; j++) {
      dx[i + j] = (p.k[j] as number) * ((dy[i + j] as number) - (p.a[j] as number) - ((x[i + j] as number) - (mean[j] as number)) * (p.r[j] as number));
    }
  }
}

/** `count` float64 [c] vectors on the heap for a WASM pass: pointer `at(i)`, a view `view(i)` (take it after any malloc). */
function heapF64(k: TrainKernels, c: number, count: number): { base: number; at(i: number): number; view(i: number): Float64Array } {
  const base = k.malloc(count * c * 8);
  return { base, at: (i) => base + i * c * 8, view: (i) => new Float64Array(k.heap(), base + i * c * 8, c) };
}

export function batchNormTrainConfig(backendName: string): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, attrs, backend }) => {
    const { x, gamma, beta } = inputs as { x: TensorInfo; gamma: TensorInfo; beta: TensorInfo };
    const { epsilon } = attrs as unknown as { epsilon: number };
    const { c, m } = channelsOf(x, gamma, BATCH_NORM_TRAIN);
    const b = backend as unknown as WasmBackend;
    const outs = [b.makeOutput(x.shape.slice(), 'float32'), b.makeOutput([c], 'float32'), b.makeOutput([c], 'float32'), b.makeOutput([c], 'float32')];
    const k = c % 4 === 0 ? trainKernels(backend) : null;
    let p: ReturnType<typeof forwardParams>;
    if (k !== null) {
      const f = heapF64(k, c, 2);
      try {
        k.bn_sums(k.ptr(x), m, c, f.at(0), f.at(1));
        p = forwardParams(f.view(0).slice(), f.view(1).slice(), m, b.typedArrayFromHeap(gamma), b.typedArrayFromHeap(beta), epsilon);
        f.view(0).set(p.scale);
        f.view(1).set(p.shift);
        k.bn_apply(k.ptr(x), k.ptr(outs[0]!), m, c, f.at(0), f.at(1));
      } finally {
        k.free(f.base);
      }
    } else {
      // views only after every makeOutput: growing the heap detaches earlier views
      const xv = b.typedArrayFromHeap(x);
      const s1 = new Float64Array(c);
      const s2 = new Float64Array(c);
      channelSumsLoops(xv, xv, null, c, s1, s2);
      p = forwardParams(s1, s2, m, b.typedArrayFromHeap(gamma), b.typedArrayFromHeap(beta), epsilon);
      applyLoops(xv, b.typedArrayFromHeap(outs[0]!), p.scale, p.shift);
    }
    b.typedArrayFromHeap(outs[1]!).set(p.mean);
    b.typedArrayFromHeap(outs[2]!).set(p.variance);
    b.typedArrayFromHeap(outs[3]!).set(p.invstd);
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
    const k = c % 4 === 0 ? trainKernels(backend) : null;
    let p: ReturnType<typeof backwardParams>;
    let s: Float64Array;
    if (k !== null) {
      const f = heapF64(k, c, 5);
      try {
        f.view(0).set(b.typedArrayFromHeap(mean));
        k.bn_grad_sums(k.ptr(dy), k.ptr(x), m, c, f.at(0), f.at(1), f.at(2));
        s = f.view(1).slice();
        p = backwardParams(s, f.view(2).slice(), m, b.typedArrayFromHeap(gamma), b.typedArrayFromHeap(invstd));
        f.view(1).set(p.k);
        f.view(2).set(p.a);
        f.view(3).set(p.r);
        k.bn_grad_apply(k.ptr(dy), k.ptr(x), k.ptr(outs[0]!), m, c, f.at(0), f.at(1), f.at(2), f.at(3));
      } finally {
        k.free(f.base);
      }
    } else {
      const dyv = b.typedArrayFromHeap(dy);
      const xv = b.typedArrayFromHeap(x);
      const muv = b.typedArrayFromHeap(mean);
      s = new Float64Array(c);
      const sx = new Float64Array(c);
      channelSumsLoops(dyv, xv, Float64Array.from(muv), c, s, sx);
      p = backwardParams(s, sx, m, b.typedArrayFromHeap(gamma), b.typedArrayFromHeap(invstd));
      gradApplyLoops(dyv, xv, b.typedArrayFromHeap(outs[0]!), muv, p);
    }
    b.typedArrayFromHeap(outs[1]!).set(p.dgamma);
    b.typedArrayFromHeap(outs[2]!).set(s);
    return outs;
  };
  return { kernelName: BATCH_NORM_TRAIN_GRAD, backendName, kernelFunc };
}
