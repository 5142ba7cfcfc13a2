/**
 * TFLite's own runtime as an oracle: tfjs-tflite-node 0.0.2 (the TfLite 2.9 C library behind a Node binding).
 * openTfliteRuntime loads an int8 model (a file or its bytes) and runs it one image at a time; cutGraph makes any
 * intermediate tensor a graph's only output, so that the runtime can be asked for one layer's output.
 *
 * The package's interpreter class (TFLiteNodeModelRunner, what its loadTFLiteModel constructs; it takes the model
 * as an ArrayBuffer) is used directly: the int8 input bytes are written into the interpreter's input tensor and the
 * output tensor's bytes are read back, with no tfjs tensors in between (tfjs has no int8 dtype: its predict path
 * goes through int32 and warns "converting 'int32' to 'int8'" on every call).
 */
import { readFile } from 'node:fs/promises';
import { TFLiteNodeModelRunner } from 'tfjs-tflite-node';
import { LifecycleError, ShapeError, UsageError } from '../../quant/errors.ts';
import { TfliteFormatError } from './errors.ts';
import type { TfliteGraph } from './graph.ts';
import { readTflite } from './read-tflite.ts';

/** The binding's tensor view: `data()` is the interpreter's own buffer for the tensor. */
interface RunnerTensor {
  name: string;
  shape: string;
  dataType: string;
  data(): Int8Array;
}
interface Runner {
  getInputs(): RunnerTensor[];
  getOutputs(): RunnerTensor[];
  infer(): boolean;
}

export interface TfliteRuntime {
  /** The model's input and output shapes as the file gives them ([1, ...]). */
  readonly inputShape: number[];
  readonly outputShape: number[];
  /** `batch` images, image after image (batch x the input's size int8 values); the outputs the same way. */
  run(input: Int8Array, batch?: number): Int8Array;
  /** Releases the interpreter; run() afterwards is an error. */
  close(): void;
}

export interface RuntimeOptions {
  /** The interpreter's threads (1: the results do not depend on it, and tests run beside each other). */
  numThreads?: number;
}

const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

/**
 * Opens a .tflite model (a path or its bytes) in TFLite's runtime. The file is read with readTflite first, so a
 * malformed one is a TfliteFormatError naming it (not the binding's "Failed to create tflite model"); the model
 * must have one int8 input and one int8 output.
 */
export async function openTfliteRuntime(fileOrBytes: string | Uint8Array, opts: RuntimeOptions = {}): Promise<TfliteRuntime> {
  const source = typeof fileOrBytes === 'string' ? fileOrBytes : '<bytes>';
  const bytes = typeof fileOrBytes === 'string' ? new Uint8Array(await readFile(fileOrBytes)) : fileOrBytes;
  const graph = readTflite(bytes, source);
  for (const [what, list] of [['input', graph.inputs], ['output', graph.outputs]] as const) {
    if (list.length !== 1) throw new TfliteFormatError(`${source}: ${list.length} ${what}s; the runtime wrapper runs models with one input and one output`);
    const t = graph.tensors[list[0]!]!;
    if (t.type !== 'INT8') throw new TfliteFormatError(`${source}: ${what} '${t.name}' is ${t.type}; the runtime wrapper runs int8 models`);
  }
  const model = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer;
  let runner: Runner | undefined = new TFLiteNodeModelRunner(model, { threads: opts.numThreads ?? 1 }) as unknown as Runner;
  const inputShape = [...graph.tensors[graph.inputs[0]!]!.shape];
  const outputShape = [...graph.tensors[graph.outputs[0]!]!.shape];
  const inSize = size(inputShape);
  const outSize = size(outputShape);
  return {
    inputShape,
    outputShape,
    run(input: Int8Array, batch = 1): Int8Array {
      if (runner === undefined) throw new LifecycleError(`${source}: run after close`);
      if (!Number.isInteger(batch) || batch < 1) throw new UsageError(`batch must be a positive integer, got ${batch}`);
      if (input.length !== batch * inSize) {
        throw new ShapeError(`${source}: expected ${batch} x [${inputShape.join(', ')}] = ${batch * inSize} int8 values, got ${input.length}`);
      }
      const out = new Int8Array(batch * outSize);
      for (let i = 0; i < batch; i++) {
        runner.getInputs()[0]!.data().set(input.subarray(i * inSize, (i + 1) * inSize));
        if (!runner.infer()) throw new Error(`${source}: TFLite's interpreter failed on image ${i}`);
        out.set(runner.getOutputs()[0]!.data(), i * outSize);
      }
      return out;
    },
    close(): void {
      if (runner === undefined) throw new LifecycleError(`${source}: closed twice`);
      runner = undefined;
    },
  };
}

/**
 * The graph with `tensorIndex` as its only output and only the operators that tensor needs (in their order);
 * tensors are renumbered to those still used (the graph's inputs stay, so that the cut model takes the same
 * input). Signature defs, which name the old outputs, are dropped.
 */
export function cutGraph(graph: TfliteGraph, tensorIndex: number): TfliteGraph {
  const producer = graph.operators.findIndex((o) => o.outputs.includes(tensorIndex));
  if (producer < 0) {
    throw new UsageError(`${graph.source}: cannot cut at tensor ${tensorIndex}: no operator of the ${graph.operators.length} outputs it (of ${graph.tensors.length} tensors)`);
  }
  const needed = new Set<number>([tensorIndex]);
  const keep: boolean[] = graph.operators.map(() => false);
  for (let k = producer; k >= 0; k--) {
    const o = graph.operators[k]!;
    if (!o.outputs.some((t) => needed.has(t))) continue;
    keep[k] = true;
    for (const t of [...o.inputs, ...o.outputs]) if (t >= 0) needed.add(t);
  }
  for (const t of graph.inputs) needed.add(t);
  const old = [...needed].sort((a, b) => a - b);
  const renumber = new Map(old.map((t, i) => [t, i]));
  const map = (t: number): number => (t < 0 ? t : renumber.get(t)!);
  const operators = graph.operators.filter((_, k) => keep[k]);
  return {
    ...graph,
    tensors: old.map((t, i) => ({ ...structuredClone(graph.tensors[t]!), index: i })),
    operators: operators.map((o, i) => ({ ...structuredClone(o), index: i, inputs: o.inputs.map(map), outputs: o.outputs.map(map) })),
    inputs: graph.inputs.map(map),
    outputs: [map(tensorIndex)],
    signatureDefs: [],
    metadata: structuredClone(graph.metadata),
  };
}
