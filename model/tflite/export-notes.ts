/**
 * What a .tflite file cannot say about a model exported from here, kept in one metadata entry of the file
 * ('int8cosim_model', JSON) so that importing the file gives the model back field by field:
 *  - the bit widths: TFLite has int8 tensors only, so a 4-bit activation is an int8 tensor whose codes the clamp
 *    keeps in [-8, 7], and 2..7-bit weights are int8 codes; the widths (TensorQuant bits/qmin/qmax, weightBits)
 *    are the model's declaration, not arithmetic;
 *  - the layer names and kinds: a dense layer is written as RESHAPE -> 1x1 CONV_2D -> RESHAPE (model/tflite/
 *    export-tflite.ts says why), a flatten as a RESHAPE, a max pool without a clamp as one with the int8 range;
 *  - the model's name, rounding mode and meta.
 * Every integer (weights, biases, multipliers, shifts, clamps) and every scale comes from the operators and
 * tensors, as for any .tflite file; applyExportNotes only regroups the imported layers and sets the widths, and
 * fails if the graph is not the one the notes describe. A file without the entry imports as any other.
 */
import { intRange, ROUNDING_MODES, type RoundingMode } from '../../quant/spec/index.ts';
import type { Conv2DLayer, DenseLayer, QuantLayer, QuantModel, TensorQuant } from '../../quant/format/types.ts';
import { isMacLayer } from '../../quant/format/types.ts';
import type { TfliteGraph } from './graph.ts';
import { TfliteImportError } from './import-error.ts';

export const EXPORT_NOTES_METADATA = 'int8cosim_model';
export const EXPORT_NOTES_FORMAT = 'int8cosim-tflite-notes';
export const EXPORT_NOTES_VERSION = 1;

export type ExportedLayerType = 'dense' | 'conv2d' | 'maxpool2d' | 'flatten';

export interface ExportedLayerNote {
  name: string;
  type: ExportedLayerType;
  /** The .tflite tensor that holds the layer's output (after its clamp ops and reshapes). */
  tensor: number;
  /** MAC layers: the weights' and the output's bit widths. */
  weightBits?: number;
  bits?: number;
  /** maxpool2d: whether the model's layer has a clamp (actMin/actMax). */
  clamp?: boolean;
}

export interface ExportNotes {
  format: typeof EXPORT_NOTES_FORMAT;
  version: number;
  name: string;
  roundingMode: RoundingMode;
  inputBits: number;
  layers: ExportedLayerNote[];
  meta: Record<string, unknown>;
}

export function encodeExportNotes(notes: ExportNotes): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(notes));
}

const isBits = (b: unknown): boolean => Number.isInteger(b) && (b as number) >= 2 && (b as number) <= 8;

/** The notes of a file written by exportTflite, or undefined for any other file. */
export function readExportNotes(graph: TfliteGraph): ExportNotes | undefined {
  const entry = graph.metadata.find((m) => m.name === EXPORT_NOTES_METADATA);
  if (entry === undefined) return undefined;
  const fail = (what: string): never => {
    throw new TfliteImportError(`${graph.source}: metadata '${EXPORT_NOTES_METADATA}': ${what}`);
  };
  let n: ExportNotes;
  try {
    n = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(entry.data ?? new Uint8Array())) as ExportNotes;
  } catch (err) {
    return fail(`not UTF-8 JSON (${(err as Error).message})`);
  }
  if (typeof n !== 'object' || n === null || n.format !== EXPORT_NOTES_FORMAT) fail(`expected format '${EXPORT_NOTES_FORMAT}'`);
  if (n.version !== EXPORT_NOTES_VERSION) fail(`version ${String(n.version)} is not ${EXPORT_NOTES_VERSION}`);
  if (typeof n.name !== 'string' || n.name === '') fail('expected a non-empty name');
  if (!(ROUNDING_MODES as readonly string[]).includes(n.roundingMode)) fail(`rounding mode ${String(n.roundingMode)} is not one of ${ROUNDING_MODES.join(', ')}`);
  if (!isBits(n.inputBits)) fail(`input bits ${String(n.inputBits)} not in 2..8`);
  if (!Array.isArray(n.layers) || n.layers.length === 0) fail('expected a list of layers');
  if (typeof n.meta !== 'object' || n.meta === null) fail('expected a meta object');
  n.layers.forEach((l, i) => {
    if (typeof l.name !== 'string' || !['dense', 'conv2d', 'maxpool2d', 'flatten'].includes(l.type) || !Number.isInteger(l.tensor)) fail(`layers[${i}]: expected a name, a type and a tensor index`);
    if ((l.type === 'dense' || l.type === 'conv2d') && !(isBits(l.weightBits) && isBits(l.bits))) fail(`layers[${i}] '${l.name}': expected weightBits and bits in 2..8`);
  });
  return n;
}

function withBits(q: TensorQuant, bits: number): TensorQuant {
  const { qmin, qmax } = intRange(bits, false);
  return { ...q, bits, qmin, qmax };
}

/**
 * The imported layers regrouped into the exported model's layers, named, with the declared widths. `tensorOf` is
 * the importer's layer name -> output tensor map.
 */
export function applyExportNotes(model: QuantModel, notes: ExportNotes, graph: TfliteGraph, tensorOf: Record<string, number>): QuantModel {
  const imported = model.layers;
  const fail = (what: string): never => {
    throw new TfliteImportError(`${graph.source}: the graph is not the one its '${EXPORT_NOTES_METADATA}' notes describe: ${what}`);
  };
  const at = (i: number, type: QuantLayer['type'], note: ExportedLayerNote, last: boolean): QuantLayer => {
    const l = imported[i];
    if (l === undefined || l.type !== type) return fail(`layer '${note.name}' (${note.type}) expected an imported ${type} at position ${i}, got ${l?.type ?? 'nothing'}`);
    if (l.inputs !== undefined) fail(`layer '${note.name}': the imported ${type} reads [${l.inputs.join(', ')}], not the previous layer`);
    if (last && tensorOf[l.name] !== note.tensor) fail(`layer '${note.name}' has its output in tensor ${note.tensor}, the imported ${type} in tensor ${String(tensorOf[l.name])}`);
    return l;
  };
  const layers: QuantLayer[] = [];
  let i = 0;
  for (const note of notes.layers) {
    if (note.type === 'dense') {
      const pre = at(i, 'reshape', note, false);
      const conv = at(i + 1, 'conv2d', note, false) as Conv2DLayer;
      const post = at(i + 2, 'reshape', note, true);
      if (conv.kernel.join() !== '1,1' || conv.strides.join() !== '1,1' || pre.outputShape.length !== 3 || pre.outputShape[0] !== 1 || pre.outputShape[1] !== 1 || post.outputShape.length !== 1) {
        fail(`layer '${note.name}': expected RESHAPE to [1, 1, K], a 1x1 CONV_2D and RESHAPE to [N]`);
      }
      const { type: _t, name: _n, kernel: _k, strides: _s, padding: _p, inputShape: _i, outputShape: _o, ...mac } = conv;
      const dense: DenseLayer = { type: 'dense', name: note.name, inputShape: [pre.outputShape[2] as number], outputShape: post.outputShape.slice(), ...mac };
      layers.push(dense);
      i += 3;
    } else if (note.type === 'flatten') {
      const r = at(i, 'reshape', note, true);
      layers.push({ type: 'flatten', name: note.name, inputShape: r.inputShape, outputShape: r.outputShape });
      i += 1;
    } else {
      const l = { ...at(i, note.type, note, true), name: note.name } as QuantLayer;
      if (l.type === 'maxpool2d' && note.clamp === false) {
        if (l.actMin !== -128 || l.actMax !== 127) fail(`layer '${note.name}': a max pool without a clamp has the int8 range, got [${String(l.actMin)}, ${String(l.actMax)}]`);
        delete l.actMin;
        delete l.actMax;
      }
      layers.push(l);
      i += 1;
    }
  }
  if (i !== imported.length) fail(`${imported.length - i} imported layers are left over after the ${notes.layers.length} the notes name`);

  const { shape, ...inQuant } = model.input;
  let q = withBits(inQuant, notes.inputBits);
  layers.forEach((l, k) => {
    const note = notes.layers[k] as ExportedLayerNote;
    if (!isMacLayer(l)) return;
    l.input = q;
    l.output = withBits(l.output, note.bits as number);
    l.weightBits = note.weightBits as number;
    q = l.output;
  });
  return { ...model, name: notes.name, roundingMode: notes.roundingMode, input: { ...withBits(inQuant, notes.inputBits), shape }, layers, meta: { ...model.meta, tfliteTensors: Object.fromEntries(notes.layers.map((n) => [n.name, n.tensor])), exportedModel: notes.meta } };
}
