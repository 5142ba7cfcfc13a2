/**
 * Reader for the IDX files of MNIST (http://yann.lecun.com/exdb/mnist/): a big-endian header (0x0000, type 0x08
 * = uint8, rank, then one uint32 per dimension) followed by the raw bytes. Gzip'd files are inflated first.
 */
import { gunzipSync } from 'node:zlib';
import { FormatError } from '../../quant/errors.ts';

export interface IdxArray {
  shape: number[];
  data: Uint8Array;
}

export function readIdx(file: Uint8Array, name = 'IDX file'): IdxArray {
  const buf = file[0] === 0x1f && file[1] === 0x8b ? gunzipSync(file) : file;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (buf.length < 4 || view.getUint16(0) !== 0 || buf[2] !== 0x08) {
    throw new FormatError(`${name}: not a uint8 IDX file (magic ${buf.length >= 4 ? view.getUint32(0).toString(16) : 'missing'})`);
  }
  const rank = buf[3] as number;
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) shape.push(view.getUint32(4 + 4 * i));
  const offset = 4 + 4 * rank;
  const count = shape.reduce((a, b) => a * b, 1);
  if (buf.length !== offset + count) {
    throw new FormatError(`${name}: header says [${shape.join(', ')}] = ${count} bytes, file holds ${buf.length - offset}`);
  }
  return { shape, data: new Uint8Array(buf.buffer, buf.byteOffset + offset, count) };
}
