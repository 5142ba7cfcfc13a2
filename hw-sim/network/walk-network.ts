/**
 * The one walk of an exported model over the array, layer kind by layer kind, a batch of images at a time: a
 * conv2d layer is compiled for each image (M = outH*outW rows already fill the array), a dense layer once for the
 * batch (the GEMM X[batch, K] * W; alone, one image would leave the array waiting for weights, M = 1), maxpool2d
 * and flatten run on the host. Each program goes to a ProgramExecutor (executor.ts): hw-sim alone, hw-sim with the
 * RTL in lockstep, ... A new layer kind is added here once and runs on every executor.
 *
 * The walk is a generator that yields each program and takes its result back, so that one walk serves executors
 * on the calling thread (runNetworkOn) and asynchronous ones (runNetworkOnAsync).
 */
import { ShapeError } from '../../quant/errors.ts';
import { shapeSize } from '../../quant/format/shapes.ts';
import type { QuantLayer, QuantModel } from '../../quant/format/types.ts';
import { compileLayer, layerGemm, type MacLayer } from '../compiler/compile-layer.ts';
import { flatten, maxPool2d } from '../compiler/host-ops.ts';
import { compileGemm, type Program } from '../compiler/program.ts';
import { addProgramRun, emptyLayerStats, networkStats, type LayerStats, type NetworkStats } from '../stats.ts';
import { validateArrayConfig, type ArrayConfig } from '../contract/index.ts';
import type { ProgramContext, ProgramExecutor, ProgramResult, SyncProgramExecutor } from './executor.ts';

export interface WalkOptions {
  /** Images per batch (dense layers run as one GEMM per batch); default 1, at most the accumulator depth. */
  batch?: number;
  /** Keep every layer's outputs of all images (NetworkRun.layers). Default false. */
  collect?: boolean;
  /** Called after every program. */
  onProgram?: (p: Program, ctx: ProgramContext) => void;
  /**
   * Called after each batch with every layer's outputs of its images (nb x the layer's output size each, image
   * after image): the executor's outputs and its reference (hw-sim's own rows, where the executor has them; else
   * the outputs again). Host layers give their one output twice.
   */
  onBatch?: (firstImage: number, codes: Int8Array, layers: { output: Int8Array[]; reference: Int8Array[] }) => void;
  /** Called after each batch (progress). */
  onProgress?: (done: number, total: number) => void;
}

export interface NetworkRun<F> {
  /** Images run to the end (all unless a failure stopped the walk: then the batches before the failing one). */
  images: number;
  /** The last layer's int8 outputs, image after image (the executor's outputs). */
  output: Int8Array;
  /** With collect: layer i's outputs, image after image (the layout of quant/golden runGolden's `layers`). */
  layers: Int8Array[];
  /** Cycles on the array, the failing program's cycles run included. */
  cycles: number;
  stats: NetworkStats;
  /** The failure that stopped the walk and the (first) image of its program. */
  failure?: { failure: F; image: number };
}

type Step<F> = Generator<{ program: Program; ctx: ProgramContext }, NetworkRun<F>, ProgramResult<F>>;

function* walkNetwork<F>(model: QuantModel, exec: ProgramExecutor<F>, codes: Int8Array, opts: WalkOptions): Step<F> {
  const cfg = exec.cfg;
  validateArrayConfig(cfg);
  const inSize = shapeSize(model.input.shape);
  if (codes.length === 0 || codes.length % inSize !== 0) {
    throw new ShapeError(`runNetwork: model '${model.name}' takes images of [${model.input.shape.join(', ')}] = ${inSize} codes; got ${codes.length} codes`);
  }
  const total = codes.length / inSize;
  const batchSize = Math.max(1, Math.min(opts.batch ?? 1, cfg.accDepth));
  const stats: LayerStats[] = model.layers.map((l) => emptyLayerStats(l.name, l.type, l.type === 'dense' || l.type === 'conv2d'));
  const outSizes = model.layers.map((l) => shapeSize(l.outputShape));
  const collect = opts.collect ?? false;
  const layers = collect ? outSizes.map((n) => new Int8Array(total * n)) : [];
  const classes = outSizes[outSizes.length - 1] ?? 0;
  const output = new Int8Array(total * classes);
  let cycles = 0;

  for (let b0 = 0; b0 < total; b0 += batchSize) {
    const nb = Math.min(batchSize, total - b0);
    exec.startBatch(b0, nb);
    let xs: Int8Array[] = Array.from({ length: nb }, (_, i) => codes.subarray((b0 + i) * inSize, (b0 + i + 1) * inSize));
    const batchOut: Int8Array[] = [];
    const batchRef: Int8Array[] = [];
    for (let li = 0; li < model.layers.length; li++) {
      const layer = model.layers[li] as QuantLayer;
      const s = stats[li] as LayerStats;
      let refs: Int8Array[];
      if (layer.type === 'dense' || layer.type === 'conv2d') {
        // one program per image, or (dense, a batch of more than one) one GEMM over the batch
        const perImage = layer.type === 'conv2d' || nb === 1;
        const programs = perImage ? xs.map((x, i) => ({ p: compileLayer(layer, x, cfg), image: b0 + i, images: 1 })) : [{ p: batchGemm(layer, xs, cfg), image: b0, images: nb }];
        const ys: Int8Array[] = [];
        refs = [];
        for (const { p, image, images } of programs) {
          const ctx: ProgramContext = { image, images, layerIndex: li, label: images === 1 ? `image ${image}` : `images ${image}..${image + images - 1}` };
          const before = { ...exec.counters };
          const r: ProgramResult<F> = yield { program: p, ctx };
          if ('failure' in r) {
            cycles += r.cycles;
            return { images: b0, output: output.subarray(0, b0 * classes), layers, cycles, stats: networkStats(cfg, Math.max(b0, 1), stats), failure: { failure: r.failure, image } };
          }
          cycles += p.nCycles;
          addProgramRun(s, p, before, exec.counters);
          opts.onProgram?.(p, ctx);
          const w = (p.m / images) * p.n; // one image's outputs
          const ref = r.reference ?? r.output;
          for (let i = 0; i < images; i++) {
            ys.push(r.output.subarray(i * w, (i + 1) * w));
            refs.push(ref.subarray(i * w, (i + 1) * w));
          }
        }
        xs = ys;
      } else {
        xs = xs.map((x) => (layer.type === 'maxpool2d' ? maxPool2d(layer, x) : flatten(layer, x)));
        refs = xs;
        s.images += nb;
      }
      const size = outSizes[li] as number;
      if (collect) xs.forEach((y, i) => (layers[li] as Int8Array).set(y, (b0 + i) * size));
      if (opts.onBatch !== undefined) {
        batchOut.push(concat(xs, size));
        batchRef.push(concat(refs, size));
      }
    }
    opts.onBatch?.(b0, codes.subarray(b0 * inSize, (b0 + nb) * inSize), { output: batchOut, reference: batchRef });
    xs.forEach((y, i) => output.set(y, (b0 + i) * classes));
    opts.onProgress?.(b0 + nb, total);
  }
  return { images: total, output, layers, cycles, stats: networkStats(cfg, total, stats) };
}

/** The GEMM X[batch, K] * W of a dense layer over a batch of inputs. */
function batchGemm(layer: MacLayer, xs: Int8Array[], cfg: ArrayConfig): Program {
  const g = layerGemm(layer);
  const x = concat(xs, g.k);
  return compileGemm(
    cfg, xs.length, g.k, g.n,
    { x, w: layer.weights, bias: g.foldedBias, m0: layer.multiplier, shift: layer.shift, zp: layer.output.zeroPoint, min: layer.actMin, max: layer.actMax },
    layer.name,
  );
}

function concat(parts: Int8Array[], size: number): Int8Array {
  const out = new Int8Array(parts.length * size);
  parts.forEach((v, i) => out.set(v, i * size));
  return out;
}

/** Walks the model over `codes` (images x the input size) on an executor that runs on the calling thread. */
export function runNetworkOn<F>(model: QuantModel, exec: SyncProgramExecutor<F>, codes: Int8Array, opts: WalkOptions = {}): NetworkRun<F> {
  const walk = walkNetwork(model, exec, codes, opts);
  for (let step = walk.next(); ; ) {
    if (step.done === true) return step.value;
    step = walk.next(exec.run(step.value.program, step.value.ctx));
  }
}

/** Walks the model over `codes` on any executor (awaiting each program). */
export async function runNetworkOnAsync<F>(model: QuantModel, exec: ProgramExecutor<F>, codes: Int8Array, opts: WalkOptions = {}): Promise<NetworkRun<F>> {
  const walk = walkNetwork(model, exec, codes, opts);
  for (let step = walk.next(); ; ) {
    if (step.done === true) return step.value;
    step = walk.next(await exec.run(step.value.program, step.value.ctx));
  }
}
