/**
 * importTflite: a .tflite graph (model/tflite/read-tflite.ts) into the project's model format (quant/format),
 * one op importer per operator (model/tflite/ops/, one file an op). The graph must be one int8 subgraph with one
 * input and one output, its operators in execution order, each of a supported op and version. Every check names
 * the file, the operator (index, opcode, version) and what is supported; the result is validated like any model.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createHash } from 'node:crypto';
import type { ArithmeticTarget } from '../../quant/spec/index.ts';
import { validateModel } from '../../quant/format/validate.ts';
import { MODEL_INPUT, type QuantModel } from '../../quant/format/types.ts';
import type { TfliteGraph, TfliteOperator } from './graph.ts';
import { readTflite } from './read-tflite.ts';
import { applyExportNotes, readExportNotes } from './export-notes.ts';
import { ImportContext } from './ops/context.ts';
import { importAdd } from './ops/add.ts';
import { importConv2d } from './ops/conv2d.ts';
import { importDepthwiseConv2d } from './ops/depthwise-conv2d.ts';
import { importFullyConnected } from './ops/fully-connected.ts';
import { importMinimumMaximum } from './ops/minimum-maximum.ts';
import { importPool2d } from './ops/pool2d.ts';
import { importReshape } from './ops/reshape.ts';
import { importSoftmax } from './ops/softmax.ts';

type OpImporter = (ctx: ImportContext, op: TfliteOperator) => void;

/**
 * The supported operators and their versions: the int8 kernels of each op up to the version that added another
 * input type or feature the importer does not take (CONV_2D v4: hybrid per-channel, v5: grouped; DEPTHWISE v4+:
 * int16 activations and int4 weights; FULLY_CONNECTED v6: sparse weights; ADD, pools, SOFTMAX v3: int16).
 */
export const SUPPORTED_OPS: Readonly<Record<string, { maxVersion: number; run: OpImporter }>> = {
  CONV_2D: { maxVersion: 3, run: importConv2d },
  DEPTHWISE_CONV_2D: { maxVersion: 3, run: importDepthwiseConv2d },
  FULLY_CONNECTED: { maxVersion: 5, run: importFullyConnected },
  ADD: { maxVersion: 2, run: importAdd },
  AVERAGE_POOL_2D: { maxVersion: 2, run: importPool2d },
  MAX_POOL_2D: { maxVersion: 2, run: importPool2d },
  RESHAPE: { maxVersion: 2, run: importReshape },
  SOFTMAX: { maxVersion: 2, run: importSoftmax },
  // a clamp against a one-value constant (v2: int8; v3 adds int16, v4 5-D broadcasting)
  MAXIMUM: { maxVersion: 2, run: importMinimumMaximum },
  MINIMUM: { maxVersion: 2, run: importMinimumMaximum },
};

function supportedList(): string {
  return Object.entries(SUPPORTED_OPS).map(([op, s]) => `${op} (v1-${s.maxVersion})`).join(', ');
}

export interface ImportOptions {
  /** The model's name (default: the graph source's file name without .tflite). */
  name?: string;
  /** The TFLite arithmetic the model is defined by; default 'tflite-runtime'. */
  arithmetic?: ArithmeticTarget;
}

/** Maps a read graph onto a QuantModel. Throws TfliteImportError on anything it cannot take. */
export function importTfliteGraph(graph: TfliteGraph, opts: ImportOptions = {}): QuantModel {
  const arithmetic = opts.arithmetic ?? 'tflite-runtime';
  const ctx: ImportContext = new ImportContext(graph, arithmetic);
  if (graph.inputs.length !== 1 || graph.outputs.length !== 1) {
    ctx.fail(undefined, `the graph has ${graph.inputs.length} inputs and ${graph.outputs.length} outputs; only one input and one output are supported`);
  }
  const inTensor = ctx.tensor(undefined, graph.inputs[0], 'graph input');
  const inQuant = ctx.activationQuant(undefined, inTensor, 'graph input');
  const input = { ...inQuant, shape: ctx.unbatched(undefined, inTensor, 'graph input') };
  ctx.produced.set(inTensor.index, { layer: MODEL_INPUT, shape: input.shape, quant: inQuant });
  if (graph.operators.length === 0) ctx.fail(undefined, 'the graph has no operators');
  for (const op of graph.operators) {
    const s = SUPPORTED_OPS[op.opcode];
    if (s === undefined) ctx.fail(op, `is not supported; supported: ${supportedList()}`);
    if (op.version < 1 || op.version > s.maxVersion) ctx.fail(op, `version ${op.version} is not supported; ${op.opcode} is supported up to version ${s.maxVersion}`);
    if (op.outputs.length !== 1) ctx.fail(op, `has ${op.outputs.length} outputs; expected 1`);
    s.run(ctx, op);
  }
  const out = ctx.tensor(undefined, graph.outputs[0], 'graph output');
  const last = ctx.layers[ctx.layers.length - 1];
  if (last === undefined || ctx.layerTensors[last.name] !== out.index) {
    ctx.fail(undefined, `the graph output '${out.name}' (tensor ${out.index}) is not the last operator's output; only graphs whose last operator makes the output are supported`);
  }
  const name = opts.name ?? basename(graph.source).replace(/\.tflite$/i, '');
  let model: QuantModel = {
    name,
    input,
    roundingMode: 'double',
    arithmetic,
    layers: ctx.layers,
    classes: last.outputShape.reduce((a, b) => a * b, 1),
    meta: {
      importedFrom: 'tflite',
      source: graph.source,
      description: graph.description,
      /** Layer name -> the .tflite tensor index of its output (for cutting the runtime's graph at a layer). */
      tfliteTensors: { ...ctx.layerTensors },
    },
  };
  // a file exportTflite wrote: its notes regroup the layers and restore the names and bit widths (export-notes.ts)
  const notes = readExportNotes(graph);
  if (notes !== undefined) model = { ...applyExportNotes(model, notes, graph, ctx.layerTensors), ...(opts.name !== undefined ? { name: opts.name } : {}) };
  validateModel(model, graph.source);
  return model;
}

/** Reads and imports a .tflite file. */
export function importTflite(path: string, opts: ImportOptions = {}): QuantModel {
  const bytes = readFileSync(path);
  const model = importTfliteGraph(readTflite(bytes, path), opts);
  model.meta.sha256 = createHash('sha256').update(bytes).digest('hex');
  return model;
}
