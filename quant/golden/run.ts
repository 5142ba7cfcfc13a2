/**
 * The integer golden model: runs an exported QuantModel on int8 input codes exactly as the hardware would, layer
 * after layer in the model's order (quant/golden/layers.ts), each reading the outputs its `inputs` name.
 * Optionally returns every layer's int8 output, the evidence a mismatch bisection walks through. A conv layer
 * read by the max pool after it and by nothing else runs with that pool as one (the same bits: fuseMaxPool in
 * wasm/layers/mac-layer.ts), except in a run that collects every layer's output.
 */
import { concat } from '../concat.ts';
import { ShapeError } from '../errors.ts';
import type { ArithmeticTarget, RoundingMode } from '../spec/index.ts';
import { modelArithmetic, type ModelArithmetic } from '../format/arithmetic.ts';
import { shapeSize } from '../format/shapes.ts';
import { inputSlots } from '../format/graph.ts';
import type { QuantModel } from '../format/types.ts';
import { prepareLayer, runPreparedLayer, type PreparedLayer } from './layers.ts';
import { fuseMaxPool, runWasmMac, type WasmPoolFusion } from './wasm/layers/mac-layer.ts';

export interface GoldenOptions {
  /** Also return every layer's output (index i = output of model.layers[i]). */
  collect?: boolean;
  /** Number of images in input, laid out one after the other. Default 1. */
  batch?: number;
  /** Overrides the model's arithmetic with one rounding mode for every MAC layer (to compare the modes). */
  roundingMode?: RoundingMode;
  /** Overrides the model's arithmetic with a TFLite target (wins over roundingMode). */
  arithmetic?: ArithmeticTarget;
}

export interface GoldenResult {
  /** The last layer's output, batch x [classes]. */
  output: Int8Array;
  /** With collect: every layer's int8 output, batch-major like output. */
  layers?: Int8Array[];
}

const EMPTY = new Int8Array(0);

/** Images a run takes at once: a larger batch runs as sub-batches of this many (the layers stay in cache). */
const SUB_BATCH = 32;

/** A model with all its layers prepared (weights packed, biases folded): compile once, run many batches. */
export class GoldenModel {
  readonly inputSize: number;
  readonly arithmetic: ModelArithmetic;
  private readonly slots: number[][];
  /** Prepared layers, per arithmetic name (the model's own, and any a run asked for). */
  private readonly prepared = new Map<string, PreparedLayer[]>();
  /**
   * Per arithmetic name, per layer: the max pool after it run with it (a conv layer read by that pool alone; see
   * wasm/layers/mac-layer.ts fuseMaxPool), else undefined. A run that collects every layer's output runs them apart.
   */
  private readonly fusions = new Map<string, (WasmPoolFusion | undefined)[]>();
  /** Per layer, the buffer its output goes to in runs that do not collect (all layers but the last). */
  private readonly buffers: (Int8Array | undefined)[] = [];

  constructor(readonly model: QuantModel) {
    this.inputSize = shapeSize(model.input.shape);
    this.slots = inputSlots(model);
    this.arithmetic = modelArithmetic(model);
    this.layersFor(this.arithmetic);
  }

  private layersFor(arithmetic: ModelArithmetic): PreparedLayer[] {
    let layers = this.prepared.get(arithmetic.name);
    if (layers === undefined) {
      layers = this.model.layers.map((l) => prepareLayer(l, arithmetic));
      this.prepared.set(arithmetic.name, layers);
      this.fusions.set(arithmetic.name, layers.map((p, i) => this.poolFusion(p, i)));
    }
    return layers;
  }

  /** Indices of the conv layers that run with the max pool after them (in the model's own arithmetic). */
  fusedPools(): number[] {
    const fusions = this.fusions.get(this.arithmetic.name) ?? [];
    return fusions.flatMap((f, i) => (f === undefined ? [] : [i]));
  }

  /** The fusion of layer i with the max pool after it, where that pool is its output's only reader. */
  private poolFusion(p: PreparedLayer, i: number): WasmPoolFusion | undefined {
    const next = this.model.layers[i + 1];
    if (p.wasm === undefined || p.layer.type !== 'conv2d' || next?.type !== 'maxpool2d') return undefined;
    const readers = this.slots.filter((s) => s.includes(i + 1));
    if (readers.length !== 1 || this.slots[i + 1]?.length !== 1 || this.slots[i + 1]?.[0] !== i + 1) return undefined;
    return fuseMaxPool(p.wasm, p.layer.weights, next);
  }

  /** Layer i's reusable output buffer of `size` values (intermediate layers of runs that do not collect). */
  private buffer(i: number, size: number): Int8Array {
    let b = this.buffers[i];
    if (b === undefined || b.length < size) {
      b = new Int8Array(size);
      this.buffers[i] = b;
    }
    return b.subarray(0, size);
  }

  run(input: Int8Array, opts: GoldenOptions = {}): GoldenResult {
    const batch = opts.batch ?? 1;
    const arithmetic = opts.arithmetic !== undefined || opts.roundingMode !== undefined ? modelArithmetic(this.model, opts) : this.arithmetic;
    if (!Number.isInteger(batch) || batch < 1) throw new ShapeError(`runGolden: batch must be a positive integer, got ${batch}`);
    if (input.length !== batch * this.inputSize) {
      throw new ShapeError(`runGolden: model '${this.model.name}' expects ${batch} x [${this.model.input.shape.join(', ')}] = ${batch * this.inputSize} input codes, got ${input.length}`);
    }
    const prepared = this.layersFor(arithmetic);
    const fusions = this.fusions.get(arithmetic.name) as (WasmPoolFusion | undefined)[];
    if (batch <= SUB_BATCH) return this.runBatch(prepared, fusions, input, batch, opts.collect === true);
    // every layer treats each image alone: sub-batches keep each layer's output in cache, same bits
    const parts: GoldenResult[] = [];
    for (let b0 = 0; b0 < batch; b0 += SUB_BATCH) {
      const b = Math.min(SUB_BATCH, batch - b0);
      parts.push(this.runBatch(prepared, fusions, input.subarray(b0 * this.inputSize, (b0 + b) * this.inputSize), b, opts.collect === true));
    }
    const output = concat(Int8Array, parts.map((p) => p.output));
    if (!opts.collect) return { output };
    return { output, layers: prepared.map((_, i) => concat(Int8Array, parts.map((p) => (p.layers as Int8Array[])[i] as Int8Array))) };
  }

  private runBatch(prepared: PreparedLayer[], fusions: (WasmPoolFusion | undefined)[], input: Int8Array, batch: number, collect: boolean): GoldenResult {
    const values: Int8Array[] = [input];
    for (let i = 0; i < prepared.length; i++) {
      const p = prepared[i] as PreparedLayer;
      const operands = (this.slots[i] as number[]).map((s) => values[s] as Int8Array);
      const fused = collect ? undefined : fusions[i];
      if (fused !== undefined && p.wasm !== undefined) {
        const x = operands[0] as Int8Array;
        if (x.length !== batch * p.inSize) throw new ShapeError(`layer '${p.layer.name}': expected ${batch * p.inSize} values, got ${x.length}`);
        // the conv's own output is read by nothing else: its slot stays empty
        values.push(EMPTY, runWasmMac(p.wasm, x, batch, fused));
        i++;
        continue;
      }
      // a layer before the last writes into this model's buffer for it (where the native kernels run it): it
      // dies with this batch, and allocating it anew each time made V8 collect garbage on a second core
      const last = i === prepared.length - 1;
      values.push(runPreparedLayer(p, operands, batch, collect || last ? undefined : this.buffer(i, batch * p.outSize)));
    }
    const output = values[values.length - 1] as Int8Array;
    return collect ? { output, layers: values.slice(1) } : { output };
  }
}

export function compileGolden(model: QuantModel): GoldenModel {
  return new GoldenModel(model);
}

/** Runs the model once on int8 input codes (one image unless opts.batch says more). */
export function runGolden(model: QuantModel, input: Int8Array, opts: GoldenOptions = {}): GoldenResult {
  return new GoldenModel(model).run(input, opts);
}
