/**
 * The integer golden model: runs an exported QuantModel on int8 input codes exactly as the hardware would, layer
 * after layer (quant/golden/layers.ts). Optionally returns every layer's int8 output, the evidence a mismatch
 * bisection walks through.
 */
import { ShapeError } from '../errors.ts';
import type { RoundingMode } from '../spec/index.ts';
import { shapeSize } from '../format/shapes.ts';
import type { QuantModel } from '../format/types.ts';
import { prepareLayer, runPreparedLayer, type PreparedLayer } from './layers.ts';

export interface GoldenOptions {
  /** Also return every layer's output (index i = output of model.layers[i]). */
  collect?: boolean;
  /** Number of images in input, laid out one after the other. Default 1. */
  batch?: number;
  /** Overrides model.roundingMode (to compare the modes on one model). */
  roundingMode?: RoundingMode;
}

export interface GoldenResult {
  /** The last layer's output, batch x [classes]. */
  output: Int8Array;
  /** With collect: every layer's int8 output, batch-major like output. */
  layers?: Int8Array[];
}

/** A model with all its layers prepared (weights packed, biases folded): compile once, run many batches. */
export class GoldenModel {
  readonly inputSize: number;
  private readonly prepared: PreparedLayer[];

  constructor(readonly model: QuantModel) {
    this.inputSize = shapeSize(model.input.shape);
    this.prepared = model.layers.map(prepareLayer);
  }

  run(input: Int8Array, opts: GoldenOptions = {}): GoldenResult {
    const batch = opts.batch ?? 1;
    const mode = opts.roundingMode ?? this.model.roundingMode;
    if (!Number.isInteger(batch) || batch < 1) throw new ShapeError(`runGolden: batch must be a positive integer, got ${batch}`);
    if (input.length !== batch * this.inputSize) {
      throw new ShapeError(`runGolden: model '${this.model.name}' expects ${batch} x [${this.model.input.shape.join(', ')}] = ${batch * this.inputSize} input codes, got ${input.length}`);
    }
    const layers: Int8Array[] | undefined = opts.collect ? [] : undefined;
    let x = input;
    for (const p of this.prepared) {
      x = runPreparedLayer(p, x, mode, batch);
      layers?.push(x);
    }
    return layers ? { output: x, layers } : { output: x };
  }
}

export function compileGolden(model: QuantModel): GoldenModel {
  return new GoldenModel(model);
}

/** Runs the model once on int8 input codes (one image unless opts.batch says more). */
export function runGolden(model: QuantModel, input: Int8Array, opts: GoldenOptions = {}): GoldenResult {
  return new GoldenModel(model).run(input, opts);
}
