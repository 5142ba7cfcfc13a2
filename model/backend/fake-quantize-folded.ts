/**
 * The per-step weight fake-quant of a QAT MAC layer with BatchNorm, as one taped op instead of four:
 *   wf = W * sf (BatchNorm folded, per output channel: the last axis),  scales from max |wf| per channel
 *   (quant/fakequant's weightChannelParamsFromMax),  wq = FQ(wf) (quant/fakequant's fused kernel, zero point 0)
 * Inside the op nothing is recorded on the tape, so tfjs neither saves (clones) the intermediate tensors nor keeps
 * tape nodes for them; the gradient is autograd's through the same chain, in the same float32 operations:
 *   g = dy * mask (the straight-through estimator),  dW = g * sf,  dsf = Sum over every axis but the last of g * W
 * (tfjs's Mul gradient; the backend's Sum). Where the pieces are missing (another backend, channels not a multiple
 * of 4) the caller keeps its op-by-op chain, which is this op's reference.
 */
import * as tf from '@tensorflow/tfjs';
import { FAKE_QUANTIZE_KERNEL, HALF_MINUS, weightChannelParamsFromMax, type ChannelQuant } from '../../quant/fakequant/index.ts';
import { channelMaxAbs, channelMaxAbsRuns } from './channel-max-abs.ts';

export interface FoldedFakeQuant {
  /** The fake-quantized folded weights. */
  wq: tf.Tensor;
  /** Their per-channel parameters (as the export computes them). */
  cq: ChannelQuant;
}

/** FQ(W * sf) as above, or null where the fused pieces cannot run here. */
export function fakeQuantizeFolded(w: tf.Tensor, sf: tf.Tensor, bits: number): FoldedFakeQuant | null {
  const c = w.shape[w.rank - 1] as number;
  if (!channelMaxAbsRuns(w) || sf.rank !== 1 || sf.shape[0] !== c || tf.getKernel(FAKE_QUANTIZE_KERNEL, tf.getBackend()) === undefined) return null;
  let cq: ChannelQuant | undefined;
  const leading = Array.from({ length: w.rank - 1 }, (_, i) => i);
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [wv, sv, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const wf = tf.mul(wv, sv);
    const q = weightChannelParamsFromMax(channelMaxAbs(wf) as Float32Array, bits);
    cq = q;
    const p0 = q.params[0] as { qmin: number; qmax: number };
    const attrs = { scale: 0, lo: p0.qmin, hi: p0.qmax, half: HALF_MINUS, nonNegative: false };
    const scales = tf.tensor1d(Float32Array.from(q.scales));
    const [wq, mask] = tf.engine().runKernel(FAKE_QUANTIZE_KERNEL, { x: wf, scales }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
    save([wv, sv, mask as tf.Tensor]);
    return {
      value: wq as tf.Tensor,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [ws, ss, m] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
        const g = tf.mul(dy as tf.Tensor, m);
        return [tf.mul(g, ss), tf.sum(tf.mul(g, ws), leading)];
      },
    };
  });
  const wq = op(w, sf) as tf.Tensor;
  return { wq, cq: cq as unknown as ChannelQuant };
}
