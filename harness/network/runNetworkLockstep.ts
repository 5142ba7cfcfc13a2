/**
 * A whole exported model in lockstep, a batch of images at a time, layer by layer: a conv2d layer is compiled
 * with hw-sim's compiler for each image (M = outH*outW rows already fill the array), a dense layer once for the
 * batch (the GEMM X[batch, K] * W: one image alone would leave the array waiting for weights, M = 1); the beats
 * drive hw-sim and the RTL together (Lockstep), the layer output is gathered from the RTL's output rows,
 * maxpool2d/flatten run on the host, next layer. Both sides are reset before each batch, so that the batch's
 * programs alone replay a mismatch (and cycle numbers count from that reset). onBatch receives every layer's
 * outputs of a batch, hw-sim's and the RTL's, for the byte-for-byte check against the golden model.
 */
import { compileLayer, layerGemm } from '../../hw-sim/compiler/compile-layer.ts';
import { compileGemm } from '../../hw-sim/compiler/program.ts';
import { flatten, maxPool2d } from '../../hw-sim/compiler/host-ops.ts';
import { addProgramRun, emptyLayerStats, networkStats, type LayerStats, type NetworkStats } from '../../hw-sim/stats.ts';
import { argmax } from '../../quant/golden/evaluate.ts';
import { shapeSize } from '../../quant/format/shapes.ts';
import type { QuantModel } from '../../quant/format/types.ts';
import { ShapeError } from '../../quant/errors.ts';
import type { Lockstep } from '../lockstep/lockstep.ts';
import type { Verdict } from '../lockstep/scoreboard.ts';

export interface NetworkLockstepResult {
  /** Images run to the end (all of them unless a mismatch stopped the run). */
  images: number;
  /** Predicted class of each image run (RTL outputs). */
  predictions: Int32Array;
  /** The last layer's int8 outputs, image after image (RTL outputs). */
  outputs: Int8Array;
  /** Cycles on the array, all images. */
  cycles: number;
  stats: NetworkStats;
  /** The first mismatch and the (first) image of the program it happened in; the lockstep's history holds the batch's programs. */
  mismatch?: { verdict: Verdict; image: number };
}

export interface NetworkLockstepOptions {
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
}

export async function runNetworkLockstep(
  model: QuantModel,
  lockstep: Lockstep,
  codes: Int8Array,
  opts: NetworkLockstepOptions = {},
): Promise<NetworkLockstepResult> {
  const inSize = shapeSize(model.input.shape);
  if (codes.length === 0 || codes.length % inSize !== 0) {
    throw new ShapeError(`runNetworkLockstep: model '${model.name}' takes [${model.input.shape.join(', ')}] = ${inSize} codes an image; got ${codes.length}`);
  }
  const total = codes.length / inSize;
  const cfg = lockstep.cfg;
  const ref = lockstep.scoreboard.reference;
  const stats: LayerStats[] = model.layers.map((l) => emptyLayerStats(l.name, l.type, l.type === 'dense' || l.type === 'conv2d'));
  const predictions = new Int32Array(total);
  const classes = shapeSize((model.layers[model.layers.length - 1] as QuantModel['layers'][number]).outputShape);
  const outputs = new Int8Array(total * classes);
  let cycles = 0;
  const failed = (verdict: Verdict, image: number, partial: number): NetworkLockstepResult => {
    cycles += partial;
    const done = image - (image % Math.max(1, Math.min(opts.batch ?? 32, cfg.accDepth)));
    return {
      images: done, predictions: predictions.subarray(0, done), outputs: outputs.subarray(0, done * classes), cycles,
      stats: networkStats(cfg, Math.max(done, 1), stats), mismatch: { verdict, image },
    };
  };
  const batchSize = Math.max(1, Math.min(opts.batch ?? 32, cfg.accDepth));
  for (let b0 = 0; b0 < total; b0 += batchSize) {
    const nb = Math.min(batchSize, total - b0);
    lockstep.reset();
    let xs: Int8Array[] = Array.from({ length: nb }, (_, i) => codes.subarray((b0 + i) * inSize, (b0 + i + 1) * inSize));
    const keep = opts.onBatch !== undefined;
    const rtlLayers: Int8Array[] = [];
    const simLayers: Int8Array[] = [];
    const layerOut = (li: number, rtlOf: (i: number) => Int8Array, simOf: (i: number) => Int8Array): void => {
      if (!keep) return;
      const size = shapeSize((model.layers[li] as QuantModel['layers'][number]).outputShape);
      const r = new Int8Array(nb * size);
      const h = new Int8Array(nb * size);
      for (let i = 0; i < nb; i++) {
        r.set(rtlOf(i), i * size);
        h.set(simOf(i), i * size);
      }
      rtlLayers.push(r);
      simLayers.push(h);
    };
    for (let li = 0; li < model.layers.length; li++) {
      const layer = model.layers[li] as QuantModel['layers'][number];
      const s = stats[li] as LayerStats;
      if (layer.type === 'conv2d' || (layer.type === 'dense' && nb === 1)) {
        const sims: Int8Array[] = [];
        for (let i = 0; i < nb; i++) {
          const p = compileLayer(layer, xs[i] as Int8Array, cfg);
          const before = { ...ref.counters };
          const run = await lockstep.runProgram(p, `image ${b0 + i}`);
          if (run.verdict) return failed(run.verdict, b0 + i, lockstep.cycle - run.start);
          cycles += p.nCycles;
          addProgramRun(s, p, before, ref.counters);
          xs[i] = run.output as Int8Array;
          sims.push(run.reference as Int8Array);
        }
        layerOut(li, (i) => xs[i] as Int8Array, (i) => sims[i] as Int8Array);
      } else if (layer.type === 'dense') {
        const g = layerGemm(layer);
        const x = new Int8Array(nb * g.k);
        xs.forEach((v, i) => x.set(v, i * g.k));
        const p = compileGemm(
          cfg, nb, g.k, g.n,
          { x, w: layer.weights, bias: g.foldedBias, m0: layer.multiplier, shift: layer.shift, zp: layer.output.zeroPoint, min: layer.actMin, max: layer.actMax },
          layer.name,
        );
        const before = { ...ref.counters };
        const run = await lockstep.runProgram(p, `images ${b0}..${b0 + nb - 1}`);
        if (run.verdict) return failed(run.verdict, b0, lockstep.cycle - run.start);
        cycles += p.nCycles;
        addProgramRun(s, p, before, ref.counters);
        const y = run.output as Int8Array;
        const h = run.reference as Int8Array;
        xs = xs.map((_, i) => y.subarray(i * g.n, (i + 1) * g.n));
        layerOut(li, (i) => xs[i] as Int8Array, (i) => h.subarray(i * g.n, (i + 1) * g.n));
      } else if (layer.type === 'maxpool2d') {
        xs = xs.map((v) => maxPool2d(layer, v));
        s.images += nb;
        layerOut(li, (i) => xs[i] as Int8Array, (i) => xs[i] as Int8Array);
      } else {
        xs = xs.map((v) => flatten(layer, v));
        s.images += nb;
        layerOut(li, (i) => xs[i] as Int8Array, (i) => xs[i] as Int8Array);
      }
    }
    opts.onBatch?.(b0, codes.subarray(b0 * inSize, (b0 + nb) * inSize), { hwsim: simLayers, rtl: rtlLayers });
    xs.forEach((v, i) => {
      predictions[b0 + i] = argmax(v);
      outputs.set(v, (b0 + i) * classes);
    });
    opts.onImage?.(b0 + nb, total);
  }
  return { images: total, predictions, outputs, cycles, stats: networkStats(cfg, total, stats) };
}
