/** cosim/inputs: int8 inputs from a folder of .bin tensors or a .npy array, labels from a file,label CSV. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readInputs, readLabels } from '../../cosim/inputs.ts';
import { UsageError } from '../../quant/errors.ts';

/** A .npy (version 1) of int8 with the given shape, as numpy.save writes it. */
function npy(shape: number[], data: Int8Array, descr = '|i1'): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const pad = 64 - ((10 + header.length + 1) % 64);
  header += ' '.repeat(pad % 64) + '\n';
  const out = new Uint8Array(10 + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.length), 10 + header.length);
  return out;
}

describe('cosim/inputs', () => {
  let dir = '';
  before(() => (dir = mkdtempSync(join(tmpdir(), 'int8cosim-inputs-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a folder of .bin tensors, in file-name order, with labels by file name', () => {
    const folder = join(dir, 'bins');
    mkdirSync(folder);
    writeFileSync(join(folder, 'b.bin'), Int8Array.from([4, 5, 6, -7]));
    writeFileSync(join(folder, 'a.bin'), Int8Array.from([0, 1, 2, -128]));
    writeFileSync(join(folder, 'notes.txt'), 'ignored');
    const inputs = readInputs(folder, [2, 2]);
    assert.deepEqual(inputs.names, ['a.bin', 'b.bin']);
    assert.deepEqual([...inputs.codes], [0, 1, 2, -128, 4, 5, 6, -7]);
    const csv = join(dir, 'labels.csv');
    writeFileSync(csv, 'file,label\nbins/b.bin,3\na.bin, 1\n');
    assert.deepEqual([...readLabels(csv, inputs, 10)], [1, 3]);
    writeFileSync(csv, 'a.bin,1\n');
    assert.throws(() => readLabels(csv, inputs, 10), /no label for input 'b\.bin'/);
    writeFileSync(csv, 'a.bin,1\nb.bin,12\n');
    assert.throws(() => readLabels(csv, inputs, 10), /line 2: label 12 is not a class of a model with 10 outputs/);
    writeFileSync(join(folder, 'c.bin'), Int8Array.from([1, 2, 3]));
    assert.throws(() => readInputs(folder, [2, 2]), (e: unknown) => e instanceof UsageError && /c\.bin: 3 bytes; expected one int8 input of \[2, 2\] = 4 bytes/.test(e.message));
  });

  it('a .npy of [N, ...shape] or of one input; another dtype, shape or a truncated file is refused', () => {
    const data = Int8Array.from({ length: 3 * 6 }, (_, i) => i - 9);
    const f = join(dir, 'x.npy');
    writeFileSync(f, npy([3, 2, 3], data));
    const inputs = readInputs(f, [2, 3]);
    assert.equal(inputs.count, 3);
    assert.deepEqual([...inputs.codes], [...data]);
    assert.deepEqual(inputs.names, ['0', '1', '2']);
    writeFileSync(f, npy([2, 3], data.subarray(0, 6)));
    assert.equal(readInputs(f, [2, 3]).count, 1);
    writeFileSync(f, npy([3, 6], data));
    assert.throws(() => readInputs(f, [2, 3]), /an array of \[3, 6\]; expected \[N, 2, 3\]/);
    writeFileSync(f, npy([3, 2, 3], data, '<f4'));
    assert.throws(() => readInputs(f, [2, 3]), /dtype is '<f4'; expected int8/);
    const whole = npy([3, 2, 3], data);
    writeFileSync(f, whole.subarray(0, whole.length - 5));
    assert.throws(() => readInputs(f, [2, 3]), /the header says \[3, 2, 3\] = 18 bytes of data, the file holds \d+/);
    writeFileSync(f, 'not numpy');
    assert.throws(() => readInputs(f, [2, 3]), /not a \.npy file/);
    assert.throws(() => readInputs(join(dir, 'missing'), [2, 3]), /no such file or folder/);
  });
});
