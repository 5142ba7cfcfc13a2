/**
 * Conv2DBackpropFilter for the WASM backend, which ships without it (so no conv layer could train there). Built
 * only from the backend's own Conv2D, Transpose and Slice kernels:
 *
 *   dW[kh, kw, ci, co] = sum_{n, oh, ow} x[n, oh*sh + kh - padTop, ow*sw + kw - padLeft, ci] * dy[n, oh, ow, co]
 *
 * is a stride-1 convolution of x' = x^T [ci, H, W, n] (batch and channels swapped) with the filter
 * dy' = [oh, ow, n, co], dilated by the forward strides, padded top/left as the forward pass was; its first
 * kh x kw outputs are dW^T [ci, kh, kw, co].
 */
import { backend_util, getKernel, Conv2DBackpropFilter, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';

interface Backend {
  disposeData(dataId: object): boolean;
}

function kernel(name: string, backendName: string): KernelFunc {
  const k = getKernel(name, backendName);
  if (k === undefined) throw new Error(`backend '${backendName}' has no ${name} kernel to build Conv2DBackpropFilter from`);
  return k.kernelFunc;
}

export function conv2dBackpropFilterConfig(backendName: string): KernelConfig {
  const kernelFunc: KernelFunc = ({ inputs, attrs, backend }) => {
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as {
      strides: [number, number] | number;
      pad: backend_util.ExplicitPadding[] | 'valid' | 'same' | number;
      dataFormat: 'NHWC' | 'NCHW';
      dimRoundingMode?: 'floor' | 'round' | 'ceil';
      filterShape: [number, number, number, number];
    };
    if (dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter (wasm): only NHWC is supported');
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number], filterShape, strides, 1, pad as 'same', dimRoundingMode, false, 'channelsLast');
    const transpose = kernel('Transpose', backendName);
    const conv = kernel('Conv2D', backendName);
    const slice = kernel('Slice', backendName);
    const b = backend as unknown as Backend;
    const [kh, kw, ci, co] = filterShape;
    const inH = info.inHeight;
    const inW = info.inWidth;
    const top = info.padInfo.top;
    const left = info.padInfo.left;
    // Bottom/right padding so that the dilated correlation yields at least kh x kw outputs.
    const bottom = Math.max(0, kh + (info.outHeight - 1) * info.strideHeight - inH - top);
    const right = Math.max(0, kw + (info.outWidth - 1) * info.strideWidth - inW - left);
    const xT = transpose({ inputs: { x }, attrs: { perm: [3, 1, 2, 0] }, backend }) as TensorInfo;
    const dyT = transpose({ inputs: { x: dy }, attrs: { perm: [1, 2, 0, 3] }, backend }) as TensorInfo;
    const full = conv({
      inputs: { x: xT, filter: dyT },
      attrs: {
        strides: [1, 1],
        pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
        dataFormat: 'NHWC',
        dilations: [info.strideHeight, info.strideWidth],
      },
      backend,
    }) as TensorInfo;
    const cut = slice({ inputs: { x: full }, attrs: { begin: [0, 0, 0, 0], size: [ci, kh, kw, co] }, backend }) as TensorInfo;
    const out = transpose({ inputs: { x: cut }, attrs: { perm: [1, 2, 0, 3] }, backend }) as TensorInfo;
    for (const t of [xT, dyT, full, cut]) if (t.dataId !== out.dataId) b.disposeData(t.dataId);
    return out;
  };
  return { kernelName: Conv2DBackpropFilter, backendName, kernelFunc };
}
