/**
 * Two WASM kernels rewritten as plain loops over the backend's heap, because the shipped ones are slow for the
 * shapes CNN training produces (measured: MaxPoolGrad ~20% and Sum ~12% of a CNN training step):
 *  - MaxPoolGrad: dx[argmax of each window] += dy, the first maximum in row-major window order winning (as the CPU
 *    backend's maxPoolPositions does), any stride, padding and window; the 2x2 stride-2 case on train-kernels.wat's
 *    maxpool_grad2x2 where the channels are a multiple of 4 (the loops below stay its reference: the same bits);
 *  - Sum over the leading axes of a float32 tensor (all but the last: BatchNorm and bias gradients): where the last
 *    axis is a multiple of 4 train-kernels.wat's col_sums (float32 over 64-row blocks, float64 across them),
 *    elsewhere accumulated in float64 here. Other reductions go to the original kernel.
 */
import { backend_util, MaxPoolGrad, Sum, util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { trainKernels } from './train-kernels.ts';

interface WasmBackend {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
}

export function maxPoolGradConfig(backendName: string, original: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { inputs, attrs, backend } = args;
    const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
    const a = attrs as unknown as { filterSize: [number, number] | number; strides: [number, number] | number; pad: 'valid' | 'same' | number; dimRoundingMode?: 'floor' | 'round' | 'ceil' };
    if (input.dtype !== 'float32') return original.kernelFunc(args);
    const info = backend_util.computePool2DInfo(input.shape as [number, number, number, number], a.filterSize, a.strides, 1, a.pad, a.dimRoundingMode);
    const b = backend as unknown as WasmBackend;
    const out = b.makeOutput(input.shape.slice(), 'float32');
    // views only after makeOutput: growing the heap detaches earlier views
    const x = b.typedArrayFromHeap(input);
    const g = b.typedArrayFromHeap(dy);
    const dx = b.typedArrayFromHeap(out);
    const { batchSize, inHeight, inWidth, inChannels: ch, outHeight, outWidth, strideHeight, strideWidth, filterHeight, filterWidth } = info;
    const top = info.padInfo.top;
    const left = info.padInfo.left;
    if (filterHeight === 2 && filterWidth === 2 && strideHeight === 2 && strideWidth === 2 && top === 0 && left === 0) {
      const k = ch % 4 === 0 && outHeight > 0 && outWidth > 0 ? trainKernels(backend) : null;
      if (k === null) {
        maxPoolGrad2x2(x, g, dx, batchSize, inHeight, inWidth, ch, outHeight, outWidth);
      } else {
        if (2 * outHeight !== inHeight || 2 * outWidth !== inWidth) dx.fill(0);
        k.maxpool_grad2x2(x.byteOffset, g.byteOffset, dx.byteOffset, batchSize, inHeight, inWidth, ch, outHeight, outWidth);
      }
      return out;
    }
    dx.fill(0);
    for (let n = 0; n < batchSize; n++) {
      const xb = n * inHeight * inWidth * ch;
      for (let oh = 0; oh < outHeight; oh++) {
        const r0 = oh * strideHeight - top;
        for (let ow = 0; ow < outWidth; ow++) {
          const c0 = ow * strideWidth - left;
          const gBase = ((n * outHeight + oh) * outWidth + ow) * ch;
          for (let c = 0; c < ch; c++) {
            let best = -Infinity;
            let at = -1;
            for (let r = Math.max(0, r0); r < Math.min(inHeight, r0 + filterHeight); r++) {
              for (let s = Math.max(0, c0); s < Math.min(inWidth, c0 + filterWidth); s++) {
                const i = xb + (r * inWidth + s) * ch + c;
                const v = x[i] as number;
                if (v > best || at < 0) {
                  best = v;
                  at = i;
                }
              }
            }
            if (at >= 0) dx[at] = (dx[at] as number) + (g[gBase + c] as number);
          }
        }
      }
    }
    return out;
  };
  return { ...original, kernelName: MaxPoolGrad, backendName, kernelFunc };
}

/**
 * The 2x2, stride-2, unpadded case (every max-pool of our CNNs), about 30% faster: each window's four gradients are
 * written outright (the window's maximum takes dy, first maximum in row-major order winning, the others 0), so dx
 * needs no clearing but for the last row and column an odd input size leaves outside every window.
 */
function maxPoolGrad2x2(x: Float32Array, g: Float32Array, dx: Float32Array, batch: number, inH: number, inW: number, ch: number, outH: number, outW: number): void {
  if (2 * outH !== inH || 2 * outW !== inW) dx.fill(0);
  const row = inW * ch;
  for (let n = 0; n < batch; n++) {
    const xb = n * inH * row;
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++) {
        const i00 = xb + 2 * oh * row + 2 * ow * ch;
        const gBase = ((n * outH + oh) * outW + ow) * ch;
        for (let c = 0; c < ch; c++) {
          const a = i00 + c;
          const b = a + ch;
          const d = a + row;
          const e = d + ch;
          let at = a;
          let best = x[a] as number;
          let v = x[b] as number;
          if (v > best) {
            best = v;
            at = b;
          }
          v = x[d] as number;
          if (v > best) {
            best = v;
            at = d;
          }
          if ((x[e] as number) > best) at = e;
          dx[a] = 0;
          dx[b] = 0;
          dx[d] = 0;
          dx[e] = 0;
          dx[at] = g[gBase + c] as number;
        }
      }
    }
  }
}

export function sumConfig(backendName: string, original: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { inputs, attrs, backend } = args;
    const { x } = inputs as { x: TensorInfo };
    const { axis, keepDims } = attrs as unknown as { axis: number | number[]; keepDims: boolean };
    const rank = x.shape.length;
    const axes = util.parseAxisParam(axis, x.shape).sort((p, q) => p - q);
    const leading = rank >= 2 && axes.length === rank - 1 && axes.every((v, i) => v === i);
    if (!leading || x.dtype !== 'float32') return original.kernelFunc(args);
    const c = x.shape[rank - 1] as number;
    const m = util.sizeFromShape(x.shape) / c;
    const b = backend as unknown as WasmBackend;
    const out = b.makeOutput(keepDims ? [...new Array<number>(rank - 1).fill(1), c] : [c], 'float32');
    const k = c % 4 === 0 ? trainKernels(backend) : null;
    if (k !== null) {
      const acc = k.malloc(8 * c);
      k.col_sums(k.ptr(x), m, c, acc);
      b.typedArrayFromHeap(out).set(new Float64Array(k.heap(), acc, c));
      k.free(acc);
      return out;
    }
    const v = b.typedArrayFromHeap(x);
    const acc = new Float64Array(c);
    for (let i = 0; i < m; i++) {
      const o = i * c;
      for (let j = 0; j < c; j++) acc[j] = (acc[j] as number) + (v[o + j] as number);
    }
    b.typedArrayFromHeap(out).set(acc);
    return out;
  };
  return { ...original, kernelName: Sum, backendName, kernelFunc };
}
