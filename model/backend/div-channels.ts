/**
 * x / s per channel (s [C] along x's last axis: the QAT MAC output over its folded BatchNorm scale), as one WASM
 * kernel each way where the backend has train-kernels.wat and C is a multiple of 4; tf.div (and autograd) elsewhere,
 * which is its reference. The same bits as tf.div and tfjs's RealDiv gradient:
 *   dx = dy / s,   ds = -(S / (s * s))  with S the backend's Sum over every axis but the last of dy * x
 * (wasm-js-kernels.ts's Sum: col_sums), in one pass for dx and the products instead of five to seven ops.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackend } from './train-kernels.ts';
import { fitsPerChannel, kernelsOf, perChannelKernel } from './per-channel.ts';

const DIV = 'Int8cosimDivChannels';
const DIV_GRAD = 'Int8cosimDivChannelsGrad';

export function divChannelsConfigs(backendName: string): KernelConfig[] {
  const forward = perChannelKernel(DIV, 'div_channels');
  const backward: KernelFunc = ({ inputs, backend }) => {
    const { dy, x, s } = inputs as { dy: TensorInfo; x: TensorInfo; s: TensorInfo };
    const k = kernelsOf(backend, DIV_GRAD);
    const b = backend as unknown as WasmBackend;
    const c = s.shape[0] as number;
    const m = tf.util.sizeFromShape(x.shape) / c;
    const dx = b.makeOutput(x.shape.slice(), 'float32');
    const ds = b.makeOutput([c], 'float32');
    const scratch = k.malloc(m * c * 4 + c * 8);
    try {
      k.div_channels_grad(k.ptr(dy), k.ptr(x), k.ptr(s), m, c, k.ptr(dx), scratch);
      k.col_sums(scratch, m, c, scratch + m * c * 4);
      const total = new Float64Array(k.heap(), scratch + m * c * 4, c);
      const sv = b.typedArrayFromHeap(s);
      const out = b.typedArrayFromHeap(ds);
      const f = Math.fround;
      for (let j = 0; j < c; j++) {
        const sj = sv[j] as number;
        out[j] = -f(f(total[j] as number) / f(sj * sj));
      }
    } finally {
      k.free(scratch);
    }
    return [dx, ds];
  };
  return [
    { kernelName: DIV, backendName, kernelFunc: forward },
    { kernelName: DIV_GRAD, backendName, kernelFunc: backward },
  ];
}

/** x / s with s [C] broadcast along x's last axis. */
export function divChannels(x: tf.Tensor, s: tf.Tensor): tf.Tensor {
  if (!fitsPerChannel(x, s, DIV)) return tf.div(x, s);
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xv, sv, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    save([xv, sv]);
    return {
      value: tf.engine().runKernel(DIV, { x: xv, s: sv }, {}) as tf.Tensor,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) =>
        tf.engine().runKernel(DIV_GRAD, { dy: dy as tf.Tensor, x: saved[0] as tf.Tensor, s: saved[1] as tf.Tensor }, {}) as tf.Tensor[],
    };
  });
  return op(x, s) as tf.Tensor;
}
