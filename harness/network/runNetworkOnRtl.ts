/**
 * A whole exported model on the RTL, a batch of images at a time, whichever way the RTL is checked: hw-sim's network
 * walk (hw-sim/network/walk-network.ts: conv2d per image, dense as one GEMM per batch, host layers between) with an
 * executor that runs each program on the RTL beside hw-sim, in cycle lockstep (lockstepExecutor.ts) or in
 * transaction mode (transactionExecutor.ts); both reset the RTL before each batch. onBatch receives every layer's
 * outputs of a batch, hw-sim's and the RTL's, for the byte-for-byte check against the golden model (layerCheck.ts).
 */
import { runNetworkOnAsync } from '../../hw-sim/network/walk-network.ts';
import type { ProgramExecutor } from '../../hw-sim/network/executor.ts';
import type { NetworkStats } from '../../hw-sim/stats.ts';
import { argmax } from '../../quant/golden/evaluate.ts';
import type { QuantModel } from '../../quant/format/types.ts';

export interface NetworkRtlResult<F> {
  /** Images run to the end (all of them unless a failure stopped the run). */
  images: number;
  /** Predicted class of each image run (RTL outputs). */
  predictions: Int32Array;
  /** The last layer's int8 outputs, image after image (RTL outputs). */
  outputs: Int8Array;
  /** Cycles of the programs as compiled (hw-sim's cycles), all images. */
  cycles: number;
  stats: NetworkStats;
  /** The first failure and the (first) image of the program it happened in. */
  failure?: { failure: F; image: number };
}

export interface NetworkRtlOptions {
  /** Images per batch (dense layers run as one GEMM per batch); default 32, at most the accumulator depth. */
  batch?: number;
  /** Called after each batch (progress). */
  onImage?: (done: number, total: number) => void;
  /**
   * Called after each batch with every layer's outputs of its images (nb x the layer's output size each, image
   * after image): hw-sim's own output rows and the RTL's for array layers; for host layers both are the host's
   * output (computed once, from the RTL's rows). For the byte-for-byte check against the golden model (layerCheck.ts).
   */
  onBatch?: (firstImage: number, codes: Int8Array, layers: { hwsim: Int8Array[]; rtl: Int8Array[] }) => void;
  /** The executor keeps no program past its batch: the walk reuses their beat buffers (hw-sim/network/walk-network.ts WalkOptions.recycle). */
  recycle?: boolean;
}

export async function runNetworkOnRtl<F>(model: QuantModel, exec: ProgramExecutor<F>, codes: Int8Array, opts: NetworkRtlOptions = {}): Promise<NetworkRtlResult<F>> {
  const { onBatch, onImage } = opts;
  const run = await runNetworkOnAsync(model, exec, codes, {
    batch: opts.batch ?? 32,
    recycle: opts.recycle === true,
    ...(onImage !== undefined ? { onProgress: onImage } : {}),
    ...(onBatch !== undefined ? { onBatch: (b0: number, x: Int8Array, l: { output: Int8Array[]; reference: Int8Array[] }) => onBatch(b0, x, { hwsim: l.reference, rtl: l.output }) } : {}),
  });
  const classes = run.images === 0 ? 0 : run.output.length / run.images;
  const predictions = Int32Array.from({ length: run.images }, (_, i) => argmax(run.output.subarray(i * classes, (i + 1) * classes)));
  const result: NetworkRtlResult<F> = { images: run.images, predictions, outputs: run.output, cycles: run.cycles, stats: run.stats };
  if (run.failure !== undefined) result.failure = run.failure;
  return result;
}
