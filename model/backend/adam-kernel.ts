/**
 * One Adam step of a variable as one WASM kernel (train-kernels.wat's adam) instead of tf.train.adam's dozen ops
 * a variable (each a pass and an engine round trip): inputs w, m, v, g (float32, one shape), attrs b1, c1, b2, c2,
 * d1, d2, eps, nlr (train-kernels.wat gives the formula: tfjs's AdamOptimizer's float32 operations and order);
 * outputs w', m', v'. Where the WASM kernels cannot run, the same float32 operations as plain loops.
 */
import { type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { trainKernels, type WasmBackend } from './train-kernels.ts';

export const ADAM_KERNEL = 'Int8cosimAdam';

export interface AdamAttrs {
  b1: number;
  c1: number;
  b2: number;
  c2: number;
  d1: number;
  d2: number;
  eps: number;
  nlr: number;
}

/** The plain loops (float32 after every operation, as the kernel). */
export function adamLoops(w: Float32Array, m: Float32Array, v: Float32Array, g: Float32Array, ow: Float32Array, om: Float32Array, ov: Float32Array, a: AdamAttrs): void {
  const f = Math.fround;
  const [b1, c1, b2, c2, d1, d2, eps, nlr] = [a.b1, a.c1, a.b2, a.c2, a.d1, a.d2, a.eps, a.nlr].map(f) as [number, number, number, number, number, number, number, number];
  for (let i = 0; i < w.length; i++) {
    const gi = g[i] as number;
    const mi = f(f((m[i] as number) * b1) + f(gi * c1));
    const vi = f(f((v[i] as number) * b2) + f(f(gi * gi) * c2));
    om[i] = mi;
    ov[i] = vi;
    ow[i] = f(f(f(f(mi / d1) / f(f(Math.sqrt(f(vi / d2))) + eps)) * nlr) + (w[i] as number));
  }
}

export function adamConfig(backendName: string): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, attrs, backend }) => {
    const { w, m, v, g } = inputs as { w: TensorInfo; m: TensorInfo; v: TensorInfo; g: TensorInfo };
    for (const t of [m, v, g]) {
      if (t.dtype !== 'float32' || w.dtype !== 'float32' || t.shape.join() !== w.shape.join()) {
        throw new Error(`${ADAM_KERNEL}: expected float32 w, m, v, g of one shape, got w [${w.shape}] ${w.dtype}, [${t.shape}] ${t.dtype}`);
      }
    }
    const a = attrs as unknown as AdamAttrs;
    const b = backend as unknown as WasmBackend;
    const outs = [b.makeOutput(w.shape.slice(), 'float32'), b.makeOutput(w.shape.slice(), 'float32'), b.makeOutput(w.shape.slice(), 'float32')] as const;
    const n = w.shape.reduce((p, q) => p * q, 1);
    const k = trainKernels(backend);
    if (k !== null) {
      k.adam(k.ptr(w), k.ptr(m), k.ptr(v), k.ptr(g), n, k.ptr(outs[0]), k.ptr(outs[1]), k.ptr(outs[2]), a.b1, a.c1, a.b2, a.c2, a.d1, a.d2, a.eps, a.nlr);
    } else {
      const h = (t: TensorInfo): Float32Array => b.typedArrayFromHeap(t);
      adamLoops(h(w), h(m), h(v), h(g), h(outs[0]), h(outs[1]), h(outs[2]), a);
    }
    return [...outs];
  };
  return { kernelName: ADAM_KERNEL, backendName, kernelFunc };
}
