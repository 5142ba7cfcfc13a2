/**
 * The inputs of a cosim run on a model that brings no dataset (an imported .tflite model): a folder of raw int8
 * tensors (`*.bin`, each exactly one input's bytes, taken in file-name order), or one NumPy `.npy` file of int8
 * (`|i1`) holding [N, ...input shape] (or one input without the batch axis); optional labels as a CSV of
 * `file,label` lines (a header line `file,label` is allowed; for a .npy, the file column is the row index). Every
 * defect is one UsageError naming the file and what was expected.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { UsageError } from '../quant/errors.ts';

export interface ModelInputs {
  /** The inputs, one after the other (count x the input size). */
  codes: Int8Array;
  count: number;
  /** Each input's name: the .bin file's name, or the .npy's row index. */
  names: string[];
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Reads a .npy header (versions 1-3) and checks it holds C-order int8. Returns the shape and the data offset. */
export function npyInt8(path: string, bytes: Uint8Array): { shape: number[]; data: Int8Array } {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (bytes.length < 10 || !magic.every((b, i) => bytes[i] === b)) throw new UsageError(`${path}: not a .npy file (no \\x93NUMPY magic)`);
  const major = bytes[6] as number;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  if (start + headerLen > bytes.length) throw new UsageError(`${path}: truncated .npy header`);
  const header = new TextDecoder().decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr !== '|i1') throw new UsageError(`${path}: the array's dtype is '${descr ?? '?'}'; expected int8 ('|i1': np.int8 input codes, already quantized)`);
  if (fortran !== 'False') throw new UsageError(`${path}: the array is in Fortran order; expected C order`);
  if (shapeText === undefined) throw new UsageError(`${path}: the .npy header has no shape`);
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '').map(Number);
  const offset = start + headerLen;
  const n = sizeOf(shape);
  if (bytes.length - offset !== n) throw new UsageError(`${path}: the header says [${shape.join(', ')}] = ${n} bytes of data, the file holds ${bytes.length - offset}`);
  return { shape, data: new Int8Array(bytes.buffer, bytes.byteOffset + offset, n) };
}

export function readInputs(path: string, inputShape: readonly number[]): ModelInputs {
  if (!existsSync(path)) throw new UsageError(`--inputs ${path}: no such file or folder`);
  const size = sizeOf(inputShape);
  const want = `[${inputShape.join(', ')}]`;
  if (statSync(path).isDirectory()) {
    const files = readdirSync(path).filter((f) => f.endsWith('.bin')).sort();
    if (files.length === 0) throw new UsageError(`--inputs ${path}: the folder holds no .bin files (one raw int8 tensor of ${want} = ${size} bytes each)`);
    const codes = new Int8Array(files.length * size);
    files.forEach((f, i) => {
      const b = readFileSync(join(path, f));
      if (b.length !== size) throw new UsageError(`${join(path, f)}: ${b.length} bytes; expected one int8 input of ${want} = ${size} bytes`);
      codes.set(new Int8Array(b.buffer, b.byteOffset, b.length), i * size);
    });
    return { codes, count: files.length, names: files };
  }
  if (!path.endsWith('.npy')) throw new UsageError(`--inputs ${path}: expected a folder of .bin files or a .npy file`);
  const { shape, data } = npyInt8(path, readFileSync(path));
  const batched = shape.length === inputShape.length + 1 && shape.slice(1).every((d, i) => d === inputShape[i]);
  const single = shape.length === inputShape.length && shape.every((d, i) => d === inputShape[i]);
  if (!batched && !single) throw new UsageError(`${path}: an array of [${shape.join(', ')}]; expected [N, ${inputShape.join(', ')}] (or one input of ${want})`);
  const count = batched ? (shape[0] as number) : 1;
  if (count === 0) throw new UsageError(`${path}: the array holds no inputs`);
  return { codes: data.slice(), count, names: Array.from({ length: count }, (_, i) => String(i)) };
}

/** Labels for the inputs from a CSV of `file,label` (every input needs one; a name the inputs lack is an error). */
export function readLabels(path: string, inputs: ModelInputs, classes: number): Int32Array {
  if (!existsSync(path)) throw new UsageError(`--labels ${path}: no such file`);
  const byName = new Map<string, number>();
  readFileSync(path, 'utf8').split(/\r?\n/).forEach((line, i) => {
    const text = line.trim();
    if (text === '' || (i === 0 && /^file\s*,\s*label$/i.test(text))) return;
    const m = /^([^,]+),\s*(-?\d+)$/.exec(text);
    if (m === null) throw new UsageError(`${path} line ${i + 1}: expected 'file,label', got '${text.slice(0, 60)}'`);
    const label = Number(m[2]);
    if (label < 0 || label >= classes) throw new UsageError(`${path} line ${i + 1}: label ${label} is not a class of a model with ${classes} outputs`);
    byName.set(basename((m[1] as string).trim()), label);
  });
  return Int32Array.from(inputs.names, (n) => {
    const label = byName.get(n);
    if (label === undefined) throw new UsageError(`${path}: no label for input '${n}'`);
    return label;
  });
}
