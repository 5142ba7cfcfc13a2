/**
 * The one walk of an exported model over the array, layer kind by layer kind, a batch of images at a time, each
 * layer reading the outputs its `inputs` name (quant/format `inputSlots`): a conv2d layer is compiled for each
 * image (M = outH*outW rows already fill the array), a dense layer once for the batch (the GEMM X[batch, K] * W;
 * alone, one image would leave the array waiting for weights, M = 1), a depthwise2d layer as one GEMM per group of
 * Cols channels (compiler/compile-depthwise.ts); pooling, add, softmax, flatten and reshape run on the host with
 * the golden model's kernels (quant/kernels). Each MAC layer's rounding is the model's arithmetic's
 * (quant/format `modelArithmetic`), and must be the array's. Each program goes to a ProgramExecutor (executor.ts): hw-sim alone, hw-sim with the
 * RTL in lockstep, ... A new layer kind is added here once and runs on every executor.
 *
 * The walk is a generator that yields each program and takes its result back, so that one walk serves executors
 * on the calling thread (runNetworkOn) and asynchronous ones (runNetworkOnAsync).
 */
import { ShapeError } from '../../quant/errors.ts';
import type { RoundingMode } from '../../quant/spec/index.ts';
import { modelArithmetic, type ArithmeticChoice } from '../../quant/format/arithmetic.ts';
import { inputSlots } from '../../quant/format/graph.ts';
import { shapeSize } from '../../quant/format/shapes.ts';
import { isMacLayer, type DepthwiseConv2DLayer, type QuantLayer, type QuantModel } from '../../quant/format/types.ts';
import { add, averagePool2d, maxPool2d, prepareSoftmax } from '../../quant/kernels/index.ts';
import { compileLayer, compileLayerGemm, layerGemm, type MacLayer } from '../compiler/compile-layer.ts';
import { compileDepthwiseGroup, depthwisePlan, scatterGroup } from '../compiler/compile-depthwise.ts';
import { reshape } from '../compiler/host-ops.ts';
import { BeatPool } from '../compiler/beat-pool.ts';
import type { Program } from '../compiler/program.ts';
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
  /** The arithmetic to run in, over the model's own (quant/format `modelArithmetic`). */
  arithmetic?: ArithmeticChoice;
  /** Called after each batch (progress). */
  onProgress?: (done: number, total: number) => void;
  /**
   * Reuse the beat buffers of a batch's programs for the next batch's (compiler/beat-pool.ts), once the executor's
   * startBatch has been called for it: only for an executor that keeps no program past its batch, nor may the
   * callbacks. Default false.
   */
  recycle?: boolean;
  /**
   * Take the programs' beat buffers from this pool (stale words; the compiler overwrites every one) instead of
   * allocating them: for a caller that gets its programs' buffers back from elsewhere and gives them to the pool
   * itself (a reference worker, whose programs leave its thread). With `recycle` the walk also gives a batch's
   * buffers back to it.
   */
  pool?: BeatPool;
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

/** One array program of a layer: the images it computes and where its output rows go in theirs. */
interface Job {
  /** Compiles the program, right before it runs (its beats are still in the cache when the engines read them). */
  compile(): Program;
  image: number;
  images: number;
  /** Puts the program's output (and hw-sim's reference of it) into the per-image outputs of the batch. */
  place(y: Int8Array, into: Int8Array[]): void;
  /** Images the job completes (its layer's last program for them) and its useful MACs. */
  run: { images: number; macs?: number };
}

/** The programs of a MAC layer over the batch's inputs xs (b0: the batch's first image). */
function macJobs(layer: MacLayer | DepthwiseConv2DLayer, xs: Int8Array[], b0: number, cfg: ArrayConfig, rounding: RoundingMode, pool: BeatPool | undefined): Job[] {
  if (layer.type === 'depthwise2d') {
    const plan = depthwisePlan(layer, cfg.cols);
    const channels = plan.geometry.inC;
    const taps = plan.geometry.kh * plan.geometry.kw;
    return xs.flatMap((x, i) =>
      plan.groups.map((g, gi) => ({
        compile: () => compileDepthwiseGroup(layer, g, x, cfg, rounding),
        image: b0 + i,
        images: 1,
        place: (y: Int8Array, into: Int8Array[]) => scatterGroup(g, y, into[i] as Int8Array, channels),
        run: { images: gi === plan.groups.length - 1 ? 1 : 0, macs: plan.geometry.outH * plan.geometry.outW * taps * g.cw },
      })),
    );
  }
  // one program per image, or (dense, a batch of more than one) one GEMM over the batch
  if (layer.type === 'conv2d' || xs.length === 1) {
    return xs.map((x, i) => ({ compile: () => compileLayer(layer, x, cfg, rounding, pool), image: b0 + i, images: 1, place: (y, into) => (into[i] as Int8Array).set(y), run: { images: 1 } }));
  }
  const n = layer.bias.length;
  return [{
    compile: () => batchGemm(layer, xs, cfg, rounding, pool),
    image: b0,
    images: xs.length,
    place: (y, into) => into.forEach((t, i) => t.set(y.subarray(i * n, (i + 1) * n))),
    run: { images: xs.length },
  }];
}

/** A layer that runs on the host (beside the array), one image at a time, on the kernels the golden model runs. */
function hostLayer(layer: HostLayer, operands: Int8Array[], softmax: (x: Int8Array) => Int8Array): Int8Array {
  const x = operands[0] as Int8Array;
  switch (layer.type) {
    case 'maxpool2d':
      return maxPool2d(layer, x);
    case 'avgpool2d':
      return averagePool2d(layer, x);
    case 'add':
      return add(layer, x, operands[1] as Int8Array);
    case 'softmax':
      return softmax(x);
    case 'flatten':
    case 'reshape':
      return reshape(layer, x);
  }
}

type HostLayer = Exclude<QuantLayer, MacLayer | DepthwiseConv2DLayer>;

function* walkNetwork<F>(model: QuantModel, exec: ProgramExecutor<F>, codes: Int8Array, opts: WalkOptions): Step<F> {
  const cfg = exec.cfg;
  validateArrayConfig(cfg);
  const inSize = shapeSize(model.input.shape);
  if (codes.length === 0 || codes.length % inSize !== 0) {
    throw new ShapeError(`runNetwork: model '${model.name}' takes images of [${model.input.shape.join(', ')}] = ${inSize} codes; got ${codes.length} codes`);
  }
  const total = codes.length / inSize;
  const batchSize = Math.max(1, Math.min(opts.batch ?? 1, cfg.accDepth));
  const arithmetic = modelArithmetic(model, opts.arithmetic);
  const slots = inputSlots(model);
  const softmax = model.layers.map((l) => (l.type === 'softmax' ? prepareSoftmax(l, arithmetic.softmax) : (x: Int8Array) => x));
  const stats: LayerStats[] = model.layers.map((l) => emptyLayerStats(l.name, l.type, isMacLayer(l)));
  const outSizes = model.layers.map((l) => shapeSize(l.outputShape));
  const collect = opts.collect ?? false;
  const layers = collect ? outSizes.map((n) => new Int8Array(total * n)) : [];
  const classes = outSizes[outSizes.length - 1] ?? 0;
  const output = new Int8Array(total * classes);
  let cycles = 0;
  const pool = opts.pool ?? (opts.recycle === true ? new BeatPool() : undefined);
  const giveBack = opts.recycle === true;
  let spent: Program[] = [];

  for (let b0 = 0; b0 < total; b0 += batchSize) {
    const nb = Math.min(batchSize, total - b0);
    exec.startBatch(b0, nb);
    if (pool !== undefined && giveBack) {
      for (const p of spent) pool.give(p.beats);
      spent = [];
    }
    // values[slot][image]: slot 0 the model input, slot li + 1 layer li's outputs; refs: hw-sim's own rows
    const input = Array.from({ length: nb }, (_, i) => codes.subarray((b0 + i) * inSize, (b0 + i + 1) * inSize));
    const values: Int8Array[][] = [input];
    const refValues: Int8Array[][] = [input];
    const batchOut: Int8Array[] = [];
    const batchRef: Int8Array[] = [];
    for (let li = 0; li < model.layers.length; li++) {
      const layer = model.layers[li] as QuantLayer;
      const s = stats[li] as LayerStats;
      const size = outSizes[li] as number;
      const operands = (slots[li] as number[]).map((slot) => values[slot] as Int8Array[]);
      let xs: Int8Array[];
      let refs: Int8Array[];
      if (isMacLayer(layer)) {
        xs = Array.from({ length: nb }, () => new Int8Array(size));
        refs = Array.from({ length: nb }, () => new Int8Array(size));
        for (const job of macJobs(layer, operands[0] as Int8Array[], b0, cfg, arithmetic.rounding(layer), pool)) {
          const { image, images } = job;
          const p = job.compile();
          if (giveBack) spent.push(p);
          const ctx: ProgramContext = { image, images, layerIndex: li, label: images === 1 ? `image ${image}` : `images ${image}..${image + images - 1}` };
          const before = { ...exec.counters };
          const r: ProgramResult<F> = yield { program: p, ctx };
          if ('failure' in r) {
            cycles += r.cycles;
            return { images: b0, output: output.subarray(0, b0 * classes), layers, cycles, stats: networkStats(cfg, Math.max(b0, 1), stats), failure: { failure: r.failure, image } };
          }
          cycles += p.nCycles;
          addProgramRun(s, p, before, exec.counters, job.run);
          opts.onProgram?.(p, ctx);
          job.place(r.output, xs);
          job.place(r.reference ?? r.output, refs);
        }
      } else {
        xs = Array.from({ length: nb }, (_, i) => hostLayer(layer, operands.map((o) => o[i] as Int8Array), softmax[li] as (x: Int8Array) => Int8Array));
        refs = xs;
        s.images += nb;
      }
      values.push(xs);
      refValues.push(refs);
      if (collect) xs.forEach((y, i) => (layers[li] as Int8Array).set(y, (b0 + i) * size));
      if (opts.onBatch !== undefined) {
        batchOut.push(concat(xs, size));
        batchRef.push(concat(refs, size));
      }
    }
    opts.onBatch?.(b0, codes.subarray(b0 * inSize, (b0 + nb) * inSize), { output: batchOut, reference: batchRef });
    (values[values.length - 1] as Int8Array[]).forEach((y, i) => output.set(y, (b0 + i) * classes));
    opts.onProgress?.(b0 + nb, total);
  }
  return { images: total, output, layers, cycles, stats: networkStats(cfg, total, stats) };
}

/** The GEMM X[batch, K] * W of a dense layer over a batch of inputs. */
function batchGemm(layer: MacLayer, xs: Int8Array[], cfg: ArrayConfig, rounding: RoundingMode, pool: BeatPool | undefined): Program {
  return compileLayerGemm(layer, concat(xs, layerGemm(layer).k), xs.length, cfg, rounding, pool);
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
