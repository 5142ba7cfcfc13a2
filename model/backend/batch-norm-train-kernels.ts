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
 * The sums are float32 over blocks of 64 rows, float64 across blocks, around a shift (the first row, near the mean,
 * so that sum x^2 / M - mean^2 does not cancel); the element-wise passes are float32. Each pass runs on
 * train-kernels.wat (four channels a v128) where C is a multiple of 4, and otherwise as the plain loops below,
 * which are its reference: the same float32 operations in the same order, so the same bits
 * (test/model/batch-norm-train.test.ts). (Float64 lanes throughout cost 4x the CPU of these passes.)
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

const f = Math.fround;
/** Rows per float32 block sum (train-kernels.wat's $sums: 64). */
const BLOCK = 64;

/**
 * Per-channel sums u = sum (a - ka) and v = sum (a - ka) * (b - kb) over the rows, float32 within blocks of 64 rows,
 * float64 across them (ka null: 0). bn_sums is (x, x, k, k), bn_grad_sums (dy, x, null, mean).
 */
export function channelSumsLoops(a: Float32Array, b: Float32Array, ka: Float32Array | null, kb: Float32Array, c: number, u: Float64Array, v: Float64Array): void {
  const m = a.length / c;
  for (let j = 0; j < c; j++) {
    const sa = ka === null ? 0 : (ka[j] as number);
    const sb = kb[j] as number;
    let tu = 0;
    let tv = 0;
    for (let i0 = 0; i0 < m; i0 += BLOCK) {
      let acc1 = 0;
      let acc2 = 0;
      for (let i = i0, e = Math.min(m, i0 + BLOCK); i < e; i++) {
        const d = f((a[i * c + j] as number) - sa);
        acc1 = f(acc1 + d);
        acc2 = f(acc2 + f(d * f((b[i * c + j] as number) - sb)));
      }
      tu += acc1;
      tv += acc2;
    }
    u[j] = tu;
    v[j] = tv;
  }
}

/**
 * The forward's per-channel mean, variance and invstd (float64, from the sums around the shift k), and y = x *
 * scale + shift's scale and shift (float32).
 */
export function forwardParams(s1: Float64Array, s2: Float64Array, k: Float32Array, m: number, g: Float32Array, bt: Float32Array, epsilon: number) {
  const c = s1.length;
  const p = { mean: new Float64Array(c), variance: new Float64Array(c), invstd: new Float64Array(c), scale: new Float32Array(c), shift: new Float32Array(c) };
  for (let j = 0; j < c; j++) {
    const d = (s1[j] as number) / m;
    const mu = (k[j] as number) + d;
    const va = Math.max(0, (s2[j] as number) / m - d * d);
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

/** The backward's per-channel k = gamma * invstd, a = dbeta / M, r = dgamma * invstd / M (float32) and dgamma. */
export function backwardParams(s: Float64Array, sx: Float64Array, m: number, g: Float32Array, invstd: Float32Array) {
  const c = s.length;
  const p = { k: new Float32Array(c), a: new Float32Array(c), r: new Float32Array(c), dgamma: new Float64Array(c) };
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

/** y = x * scale + shift per channel in float32, the plain loops. */
export function applyLoops(x: Float32Array, y: Float32Array, scale: Float32Array, shift: Float32Array): void {
  const c = scale.length;
  for (let i = 0; i < x.length; i += c) for (let j = 0; j < c; j++) y[i + j] = f((x[i + j] as number) * (scale[j] as number)) + (shift[j] as number);
}

/** dx = k * ((dy - a) - (x - mean) * r) per channel in float32, the plain loops. */
export function gradApplyLoops(dy: Float32Array, x: Float32Array, dx: Float32Array, mean: Float32Array, p: { k: Float32Array; a: Float32Array; r: Float32Array }): void {
  const c = p.k.length;
  for (let i = 0; i < x.length; i += c) {
    for (let j = 0; j < c; j++) {
      const t = f(f((dy[i + j] as number) - (p.a[j] as number)) - f(f((x[i + j] as number) - (mean[j] as number)) * (p.r[j] as number)));
      dx[i + j] = (p.k[j] as number) * t;
    }
  }
}

/** Scratch on the heap for a WASM pass: `bytes` at `base`, views taken after the malloc. */
function scratch(k: TrainKernels, bytes: number): { base: number; f64(at: number, n: number): Float64Array; f32(at: number, n: number): Float32Array } {
  const base = k.malloc(bytes);
  return { base, f64: (at, n) => new Float64Array(k.heap(), base + at, n), f32: (at, n) => new Float32Array(k.heap(), base + at, n) };
}

export function batchNormTrainConfig(backendName: string): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, attrs, backend }) => {
    const { x, gamma, beta } = inputs as { x: TensorInfo; gamma: TensorInfo; beta: TensorInfo };
    const { epsilon } = attrs as unknown as { epsilon: number };
    const { c, m } = channelsOf(x, gamma, BATCH_NORM_TRAIN);
    const b = backend as unknown as WasmBackend;
    const outs = [b.makeOutput(x.shape.slice(), 'float32'), b.makeOutput([c], 'float32'), b.makeOutput([c], 'float32'), b.makeOutput([c], 'float32')];
    const k = c % 4 === 0 ? trainKernels(backend) : null;
    // the shift of the sums: the first row, near the mean (no cancellation in sum x^2 / M - mean^2)
    const shift = b.typedArrayFromHeap(x).slice(0, c);
    let p: ReturnType<typeof forwardParams>;
    if (k !== null) {
      // [s1, s2: f64 c] [shift, scale, offset: f32 c]
      const t = scratch(k, 16 * c + 12 * c);
      try {
        t.f32(16 * c, c).set(shift);
        k.bn_sums(k.ptr(x), m, c, t.base + 16 * c, t.base, t.base + 8 * c);
        p = forwardParams(t.f64(0, c).slice(), t.f64(8 * c, c).slice(), shift, m, b.typedArrayFromHeap(gamma), b.typedArrayFromHeap(beta), epsilon);
        t.f32(20 * c, c).set(p.scale);
        t.f32(24 * c, c).set(p.shift);
        k.bn_apply(k.ptr(x), k.ptr(outs[0]!), m, c, t.base + 20 * c, t.base + 24 * c);
      } finally {
        k.free(t.base);
      }
    } else {
      // views only after every makeOutput: growing the heap detaches earlier views
      const xv = b.typedArrayFromHeap(x);
      const s1 = new Float64Array(c);
      const s2 = new Float64Array(c);
      channelSumsLoops(xv, xv, shift, shift, c, s1, s2);
      p = forwardParams(s1, s2, shift, m, b.typedArrayFromHeap(gamma), b.typedArrayFromHeap(beta), epsilon);
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
      // [s, sx: f64 c] [mean, k, a, r: f32 c]
      const t = scratch(k, 16 * c + 16 * c);
      try {
        t.f32(16 * c, c).set(b.typedArrayFromHeap(mean));
        k.bn_grad_sums(k.ptr(dy), k.ptr(x), m, c, t.base + 16 * c, t.base, t.base + 8 * c);
        s = t.f64(0, c).slice();
        p = backwardParams(s, t.f64(8 * c, c).slice(), m, b.typedArrayFromHeap(gamma), b.typedArrayFromHeap(invstd));
        t.f32(20 * c, c).set(p.k);
        t.f32(24 * c, c).set(p.a);
        t.f32(28 * c, c).set(p.r);
        k.bn_grad_apply(k.ptr(dy), k.ptr(x), k.ptr(outs[0]!), m, c, t.base + 16 * c, t.base + 20 * c, t.base + 24 * c, t.base + 28 * c);
      } finally {
        k.free(t.base);
      }
    } else {
      const dyv = b.typedArrayFromHeap(dy);
      const xv = b.typedArrayFromHeap(x);
      const muv = b.typedArrayFromHeap(mean);
      s = new Float64Array(c);
      const sx = new Float64Array(c);
      channelSumsLoops(dyv, xv, null, muv, c, s, sx);
      p = backwardParams(s, sx, m, b.typedArrayFromHeap(gamma), b.typedArrayFromHeap(invstd));
      gradApplyLoops(dyv, xv, b.typedArrayFromHeap(outs[0]!), muv, p);
    }
    b.typedArrayFromHeap(outs[1]!).set(p.dgamma);
    b.typedArrayFromHeap(outs[2]!).set(s);
    return outs;
  };
  return { kernelName: BATCH_NORM_TRAIN_GRAD, backendName, kernelFunc };
}
