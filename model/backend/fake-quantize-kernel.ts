/**
 * quant/fakequant's fused fake-quant kernel (FAKE_QUANTIZE_KERNEL: its contract is written there) for the WASM
 * backend: train-kernels.wat's fq_vec (four lanes at a time: one scale, or C a multiple of 4) or fq_channel on the
 * backend's heap, and where those kernels cannot run the same float32 operations as plain loops (Math.fround after
 * each, which is exact: a float64 quotient, sum or product of float32 values rounds to the float32 one).
 */
import { type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { FAKE_QUANTIZE_KERNEL } from '../../quant/fakequant/index.ts';
import { trainKernels, type WasmBackend } from './train-kernels.ts';

interface Attrs {
  scale: number;
  lo: number;
  hi: number;
  half: number;
  nonNegative: boolean;
}

const f = Math.fround;
/** wasm's pmin / pmax (b < a ? b : a, a < b ? b : a); clamps as pmin(bound, v), pmax(bound, v), as XNNPACK's. */
const pmin = (a: number, b: number): number => (b < a ? b : a);
const pmax = (a: number, b: number): number => (a < b ? b : a);

/** The plain loops: y and the mask of x with scale scales[i % c]. */
export function fakeQuantizeLoops(x: Float32Array, y: Float32Array, mask: Float32Array, scales: Float32Array, a: Attrs): void {
  const c = scales.length;
  const half = f(a.half);
  for (let i = 0, j = 0; i < x.length; i++) {
    const s = scales[j] as number;
    const t = f((x[i] as number) / s);
    let r: number;
    let rc: number;
    if (a.nonNegative) {
      r = Math.floor(f(t + half));
      rc = pmin(a.hi, r);
    } else {
      r = f(pmin(1, pmax(-1, f(t * 4))) * Math.floor(f(Math.abs(t) + half)));
      rc = pmin(a.hi, pmax(a.lo, r));
    }
    y[i] = rc * s;
    mask[i] = r === rc ? 1 : 0;
    if (++j === c) j = 0;
  }
}

export function fakeQuantizeConfig(backendName: string): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, attrs, backend }) => {
    const { x, scales } = inputs as { x: TensorInfo; scales?: TensorInfo };
    const a = attrs as unknown as Attrs;
    const c = scales === undefined ? 1 : channelCount(scales, x);
    const b = backend as unknown as WasmBackend;
    const y = b.makeOutput(x.shape.slice(), 'float32');
    const mask = b.makeOutput(x.shape.slice(), 'float32');
    const n = y.shape.reduce((p, q) => p * q, 1);
    const k = trainKernels(backend);
    const nonNeg = a.nonNegative ? 1 : 0;
    if (k !== null && scales === undefined) {
      // one scale: four copies of it for fq_vec, and the n % 4 tail one lane at a time
      const body = n - (n % 4);
      const s = k.malloc(16);
      new Float32Array(k.heap(), s, 4).fill(a.scale);
      k.fq_vec(k.ptr(x), k.ptr(y), k.ptr(mask), body, s, 4, a.lo, a.hi, a.half, nonNeg);
      if (body < n) k.fq_channel(k.ptr(x) + body * 4, k.ptr(y) + body * 4, k.ptr(mask) + body * 4, n - body, s, 1, a.lo, a.hi, a.half, nonNeg);
      k.free(s);
    } else if (k !== null && scales !== undefined) {
      const fq = c % 4 === 0 ? k.fq_vec : k.fq_channel;
      fq(k.ptr(x), k.ptr(y), k.ptr(mask), n, k.ptr(scales), c, a.lo, a.hi, a.half, nonNeg);
    } else {
      const sv = scales === undefined ? Float32Array.of(a.scale) : b.typedArrayFromHeap(scales);
      fakeQuantizeLoops(b.typedArrayFromHeap(x), b.typedArrayFromHeap(y), b.typedArrayFromHeap(mask), sv, a);
    }
    return [y, mask];
  };
  return { kernelName: FAKE_QUANTIZE_KERNEL, backendName, kernelFunc };
}

/** The channel count of per-channel scales [C] for x [..., C]. */
function channelCount(scales: TensorInfo, x: TensorInfo): number {
  const c = x.shape[x.shape.length - 1];
  if (scales.shape.length !== 1 || scales.shape[0] !== c || scales.dtype !== 'float32' || x.dtype !== 'float32') {
    throw new Error(`${FAKE_QUANTIZE_KERNEL}: expected float32 x [..., C] and scales [C], got x [${x.shape}] ${x.dtype}, scales [${scales.shape}] ${scales.dtype}`);
  }
  return c as number;
}
