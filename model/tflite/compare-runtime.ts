/**
 * compareWithRuntime: the golden model (quant/golden) in a TFLite arithmetic against TFLite's own runtime
 * (tfjs-tflite-node, model/tflite/runtime.ts) on every output byte of a .tflite model, over seeded random and
 * extreme int8 inputs. Zero differing bytes is the bar. The first difference names the input, the output index and
 * both values; then, for that input, the runtime is asked for each layer's output (its graph cut at the layer's
 * tensor) to say which layer first differs.
 */
import { readFileSync } from 'node:fs';
import { GoldenModel } from '../../quant/golden/run.ts';
import { shapeSize } from '../../quant/format/shapes.ts';
import type { QuantModel } from '../../quant/format/types.ts';
import type { ArithmeticTarget } from '../../quant/spec/index.ts';
import { importTfliteGraph } from './import-tflite.ts';
import { readTflite } from './read-tflite.ts';
import { cutGraph, openTfliteRuntime } from './runtime.ts';
import { writeTflite } from './write-tflite.ts';
import { extremeInputs, randomInputs, type ProbeInput } from './probe-inputs.ts';

export interface RuntimeDifference {
  input: string;
  /** Index into the output (or, for a layer, into that layer's output). */
  index: number;
  golden: number;
  runtime: number;
}

export interface LayerDifference extends RuntimeDifference {
  layer: string;
  layerIndex: number;
  /** The TFLite tensor the runtime's graph was cut at. */
  tensor: number;
}

export interface RuntimeComparison {
  model: string;
  arithmetic: ArithmeticTarget;
  inputs: number;
  bytesCompared: number;
  bytesDiffering: number;
  inputsDiffering: number;
  first?: RuntimeDifference;
  /** For the first differing input: the first layer whose output differs (absent if only the last does...). */
  firstLayer?: LayerDifference;
  /** Milliseconds a single inference took, on average: golden and runtime. */
  goldenMs: number;
  runtimeMs: number;
}

export interface CompareOptions {
  /** Seeded random inputs (default 1000). */
  count?: number;
  seed?: number;
  /** Also the extreme inputs of probe-inputs.ts (default true). */
  extremes?: boolean;
  arithmetic?: ArithmeticTarget;
  onProgress?: (done: number, total: number) => void;
}

function firstDifference(a: Int8Array, b: Int8Array): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

export async function compareWithRuntime(file: string, opts: CompareOptions = {}): Promise<RuntimeComparison> {
  const bytes = readFileSync(file);
  const graph = readTflite(bytes, file);
  const arithmetic = opts.arithmetic ?? 'tflite-runtime';
  const model = importTfliteGraph(graph, { arithmetic });
  const golden = new GoldenModel(model);
  const size = shapeSize(model.input.shape);
  const seed = opts.seed ?? 1;
  const inputs: ProbeInput[] = [...((opts.extremes ?? true) ? extremeInputs(size, model.input.zeroPoint, seed) : []), ...randomInputs(size, opts.count ?? 1000, seed)];
  const runtime = await openTfliteRuntime(bytes);
  const result: RuntimeComparison = { model: model.name, arithmetic, inputs: inputs.length, bytesCompared: 0, bytesDiffering: 0, inputsDiffering: 0, goldenMs: 0, runtimeMs: 0 };
  let goldenTime = 0;
  let runtimeTime = 0;
  try {
    for (let i = 0; i < inputs.length; i++) {
      const probe = inputs[i] as ProbeInput;
      let t = performance.now();
      const want = runtime.run(probe.codes, 1);
      runtimeTime += performance.now() - t;
      t = performance.now();
      const got = golden.run(probe.codes).output;
      goldenTime += performance.now() - t;
      result.bytesCompared += want.length;
      let differing = 0;
      for (let j = 0; j < want.length; j++) if (want[j] !== got[j]) differing++;
      if (differing > 0) {
        result.bytesDiffering += differing;
        result.inputsDiffering++;
        if (result.first === undefined) {
          const index = firstDifference(got, want);
          result.first = { input: probe.label, index, golden: got[index] as number, runtime: want[index] as number };
          result.firstLayer = await firstDifferingLayer(model, golden, graph, probe);
        }
      }
      opts.onProgress?.(i + 1, inputs.length);
    }
  } finally {
    runtime.close();
  }
  result.goldenMs = goldenTime / inputs.length;
  result.runtimeMs = runtimeTime / inputs.length;
  return result;
}

/** Cuts the runtime's graph at each layer's tensor in turn and compares that layer's output on one input. */
export async function firstDifferingLayer(model: QuantModel, golden: GoldenModel, graph: ReturnType<typeof readTflite>, probe: ProbeInput): Promise<LayerDifference | undefined> {
  const tensors = (model.meta.tfliteTensors ?? {}) as Record<string, number>;
  const ours = golden.run(probe.codes, { collect: true }).layers as Int8Array[];
  for (let li = 0; li < model.layers.length; li++) {
    const layer = model.layers[li];
    const tensor = layer === undefined ? undefined : tensors[layer.name];
    if (layer === undefined || tensor === undefined) continue;
    const cut = await openTfliteRuntime(writeTflite(cutGraph(graph, tensor)));
    try {
      const want = cut.run(probe.codes, 1);
      const got = ours[li] as Int8Array;
      const index = firstDifference(got, want);
      if (index >= 0 || want.length !== got.length) {
        return { input: probe.label, layer: layer.name, layerIndex: li, tensor, index, golden: got[index] as number, runtime: want[index] as number };
      }
    } finally {
      cut.close();
    }
  }
  return undefined;
}
