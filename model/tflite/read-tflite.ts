/**
 * readTflite: a .tflite flatbuffer into a TfliteGraph, read with TFLite's own schema (flatc's code in third_party/tflite-schema/).
 * Everything the graph holds is checked as it is read: the file identifier, every offset (a read outside the
 * bytes is "truncated or corrupt"), the schema version, one subgraph, every tensor, buffer and operator-code index.
 * Parts of the schema the graph cannot carry (sparse tensors, non-affine quantization, external weight files,
 * operators with intermediate tensors or mutated variables, several subgraphs) are errors, never dropped; only
 * what does not change what the model computes is left unread (min/max of quantization, has_rank, debug
 * metadata). Either a whole graph or a TfliteFormatError.
 */
import { CheckedByteBuffer } from './checked-byte-buffer.ts';
import { readBuiltinOptions } from './builtin-options.ts';
import { TfliteFormatError } from './errors.ts';
import type { TfliteGraph, TfliteOperator, TfliteSignatureDef, TfliteTensor, TfliteTensorMap } from './graph.ts';
import { BuiltinOperator } from './third_party/tflite-schema/tflite/builtin-operator.ts';
import { Model } from './third_party/tflite-schema/tflite/model.ts';
import type { SubGraph } from './third_party/tflite-schema/tflite/sub-graph.ts';
import type { Tensor } from './third_party/tflite-schema/tflite/tensor.ts';
import { TensorType } from './third_party/tflite-schema/tflite/tensor-type.ts';

export const TFLITE_IDENTIFIER = 'TFL3';
export const TFLITE_SCHEMA_VERSION = 3;

/** The context of one read: the file's bytes, its name, the model root. */
interface Reader {
  bytes: Uint8Array;
  source: string;
  model: Model;
}

function fail(r: { source: string }, what: string): never {
  throw new TfliteFormatError(`${r.source}: ${what}`);
}

/** n values of a vector through flatc's element accessor (no typed-array view: that needs aligned bytes). */
function vec<T>(n: number, get: (i: number) => T | null): T[] {
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(get(i) as T);
  return out;
}

/** Bytes that the schema stores outside the flatbuffer (models over 2 GB): offset and size from the file's start. */
function outsideBytes(r: Reader, offset: bigint, size: bigint, what: string): Uint8Array {
  const end = offset + size;
  if (end > BigInt(r.bytes.length)) fail(r, `${what} is stored at bytes ${offset}..${end}, beyond the file's ${r.bytes.length} bytes: truncated or corrupt .tflite file`);
  return r.bytes.slice(Number(offset), Number(end));
}

/** The bytes of buffer `index` (undefined when empty), from the flatbuffer or, with offset > 1, from the file. */
function bufferBytes(r: Reader, index: number, what: string): Uint8Array | undefined {
  const n = r.model.buffersLength();
  if (index >= n) fail(r, `${what} refers to buffer ${index}, but the file has ${n} buffers`);
  const b = r.model.buffers(index);
  if (b === null) fail(r, `buffer ${index} is missing`);
  const data = b.offset() > 1n ? outsideBytes(r, b.offset(), b.size(), `buffer ${index}`) : (b.dataArray()?.slice() ?? new Uint8Array(0));
  return data.length > 0 ? data : undefined;
}

function checkTensorIndex(r: Reader, index: number, nTensors: number, what: string, optional = false): number {
  if (!Number.isInteger(index) || index >= nTensors || index < (optional ? -1 : 0)) {
    fail(r, `${what} refers to tensor ${index}, but the subgraph has ${nTensors} tensors`);
  }
  return index;
}

function readTensor(r: Reader, t: Tensor, index: number): TfliteTensor {
  const name = t.name() ?? '';
  const what = `tensor ${index} '${name}'`;
  const type = TensorType[t.type()];
  if (type === undefined) fail(r, `${what}: type ${t.type()} is not in the schema's TensorType`);
  if (t.sparsity() !== null) fail(r, `${what} is sparse; only dense tensors are supported`);
  if (t.externalBuffer() !== 0) fail(r, `${what} keeps its data in an external file (external_buffer ${t.externalBuffer()}); not supported`);
  const tensor: TfliteTensor = { index, name, type, shape: vec(t.shapeLength(), (i) => t.shape(i)), isVariable: t.isVariable() };
  if (t.shapeSignatureLength() > 0) tensor.shapeSignature = vec(t.shapeSignatureLength(), (i) => t.shapeSignature(i));
  const q = t.quantization();
  if (q !== null) {
    if (q.detailsType() !== 0) fail(r, `${what} uses quantization details type ${q.detailsType()}; only affine scale/zero-point quantization is supported`);
    if (q.scaleLength() > 0) {
      const zeroPoint = vec(q.zeroPointLength(), (i) => Number(q.zeroPoint(i)));
      tensor.quant = { scale: vec(q.scaleLength(), (i) => q.scale(i)), zeroPoint, quantizedDimension: q.quantizedDimension() };
    }
  }
  if (t.buffer() !== 0) {
    const data = bufferBytes(r, t.buffer(), what);
    if (data !== undefined) tensor.data = data;
  }
  return tensor;
}

function readOperator(r: Reader, sg: SubGraph, index: number, nTensors: number): TfliteOperator {
  const op = sg.operators(index);
  if (op === null) fail(r, `operator ${index} is missing`);
  const nCodes = r.model.operatorCodesLength();
  const codeIndex = op.opcodeIndex();
  if (codeIndex >= nCodes) fail(r, `operator ${index} refers to operator code ${codeIndex}, but the file has ${nCodes}`);
  const oc = r.model.operatorCodes(codeIndex);
  if (oc === null) fail(r, `operator code ${codeIndex} is missing`);
  // TFLite's GetBuiltinCode: a v3 file has only deprecated_builtin_code (builtin_code reads 0), a code above 127
  // fits only builtin_code; the larger of the two is the code.
  const code = Math.max(oc.builtinCode(), oc.deprecatedBuiltinCode());
  const opcode = BuiltinOperator[code];
  if (opcode === undefined) fail(r, `operator ${index}: builtin code ${code} is not in the schema's BuiltinOperator`);
  const what = `operator ${index} (${opcode})`;
  if (op.intermediatesLength() > 0) fail(r, `${what} has ${op.intermediatesLength()} intermediate tensors; not supported`);
  if (op.mutatingVariableInputsLength() > 0) fail(r, `${what} mutates variable inputs; not supported`);
  const inputs = vec(op.inputsLength(), (i) => op.inputs(i)).map((t, i) => checkTensorIndex(r, t, nTensors, `${what} input ${i}`, true));
  const outputs = vec(op.outputsLength(), (i) => op.outputs(i)).map((t, i) => checkTensorIndex(r, t, nTensors, `${what} output ${i}`));
  const { optionsType, options } = readBuiltinOptions(op, () => `${r.source}: ${what}`);
  const o: TfliteOperator = { index, opcode, version: oc.version(), inputs, outputs, options, optionsType };
  if (opcode === 'CUSTOM') o.customCode = oc.customCode() ?? '';
  const custom = op.largeCustomOptionsOffset() > 1n
    ? outsideBytes(r, op.largeCustomOptionsOffset(), op.largeCustomOptionsSize(), `${what}'s custom options`)
    : (op.customOptionsArray()?.slice() ?? new Uint8Array(0));
  if (custom.length > 0) o.customOptions = custom;
  return o;
}

function readSignature(r: Reader, i: number, nTensors: number): TfliteSignatureDef {
  const s = r.model.signatureDefs(i);
  if (s === null) fail(r, `signature ${i} is missing`);
  const key = s.signatureKey() ?? '';
  const maps = (n: number, get: (j: number) => { name(): string | null; tensorIndex(): number } | null, dir: string): TfliteTensorMap[] =>
    vec(n, get).map((m, j) => ({ name: m.name() ?? '', tensorIndex: checkTensorIndex(r, m.tensorIndex(), nTensors, `signature '${key}' ${dir} ${j}`) }));
  if (s.subgraphIndex() !== 0) fail(r, `signature '${key}' refers to subgraph ${s.subgraphIndex()}, but the file has one subgraph`);
  return {
    signatureKey: key,
    subgraphIndex: s.subgraphIndex(),
    inputs: maps(s.inputsLength(), (j) => s.inputs(j), 'input'),
    outputs: maps(s.outputsLength(), (j) => s.outputs(j), 'output'),
  };
}

function readModel(r: Reader): TfliteGraph {
  const m = r.model;
  if (m.version() !== TFLITE_SCHEMA_VERSION) fail(r, `schema version ${m.version()}; only version ${TFLITE_SCHEMA_VERSION} is supported`);
  const nSubgraphs = m.subgraphsLength();
  if (nSubgraphs !== 1) fail(r, `${nSubgraphs} subgraphs; only single-subgraph models are supported`);
  const sg = m.subgraphs(0);
  if (sg === null) fail(r, 'subgraph 0 is missing');
  const nTensors = sg.tensorsLength();
  const tensors = vec(nTensors, (i) => sg.tensors(i)).map((t, i) => {
    if (t === null) fail(r, `tensor ${i} is missing`);
    return readTensor(r, t, i);
  });
  const operators = vec(sg.operatorsLength(), (i) => i).map((i) => readOperator(r, sg, i, nTensors));
  const io = (n: number, get: (i: number) => number | null, dir: string): number[] =>
    vec(n, get).map((t, i) => checkTensorIndex(r, t, nTensors, `subgraph ${dir} ${i}`));
  const metadata = vec(m.metadataLength(), (i) => m.metadata(i)).map((md, i) => {
    if (md === null) fail(r, `metadata ${i} is missing`);
    const name = md.name() ?? '';
    const data = bufferBytes(r, md.buffer(), `metadata '${name}'`);
    return data === undefined ? { name } : { name, data };
  });
  return {
    source: r.source,
    version: m.version(),
    description: m.description() ?? '',
    tensors,
    operators,
    inputs: io(sg.inputsLength(), (i) => sg.inputs(i), 'input'),
    outputs: io(sg.outputsLength(), (i) => sg.outputs(i), 'output'),
    subgraphName: sg.name() ?? '',
    metadata,
    signatureDefs: vec(m.signatureDefsLength(), (i) => i).map((i) => readSignature(r, i, nTensors)),
  };
}

/** Reads a .tflite file's bytes into a TfliteGraph; `source` (a file name) is named by every error. */
export function readTflite(bytes: Uint8Array, source = '<bytes>'): TfliteGraph {
  const at = { source };
  if (bytes.length < 8) fail(at, `not a flatbuffer (${bytes.length} bytes)`);
  const id = String.fromCharCode(...bytes.subarray(4, 8));
  if (id !== TFLITE_IDENTIFIER) fail(at, `not a .tflite file: file identifier ${JSON.stringify(id)}, expected '${TFLITE_IDENTIFIER}'`);
  // A copy: the graph's tensor data must not alias the caller's bytes, and flatc's typed-array views need the
  // flatbuffer at offset 0 of its ArrayBuffer (a Node Buffer from the pool is not).
  const copy = new Uint8Array(bytes);
  try {
    return readModel({ bytes: copy, source, model: Model.getRootAsModel(new CheckedByteBuffer(copy)) });
  } catch (e) {
    if (e instanceof RangeError) throw new TfliteFormatError(`${source}: truncated or corrupt .tflite file (${bytes.length} bytes)`, { cause: e });
    throw e;
  }
}
