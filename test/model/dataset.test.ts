import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { loadDataset, readIdx } from '../../model/index.ts';
import { FormatError, UsageError } from '../../quant/errors.ts';

function idx(shape: number[], data: number[]): Uint8Array {
  const head = new DataView(new ArrayBuffer(4 + 4 * shape.length));
  head.setUint8(2, 0x08);
  head.setUint8(3, shape.length);
  shape.forEach((d, i) => head.setUint32(4 + 4 * i, d));
  return new Uint8Array([...new Uint8Array(head.buffer), ...data]);
}

describe('model/data: datasets', () => {
  it('reads raw and gzip IDX files, and rejects bad ones', () => {
    const file = idx([2, 3], [1, 2, 3, 4, 5, 6]);
    for (const f of [file, new Uint8Array(gzipSync(file))]) {
      const a = readIdx(f);
      assert.deepEqual(a.shape, [2, 3]);
      assert.deepEqual(Array.from(a.data), [1, 2, 3, 4, 5, 6]);
    }
    assert.throws(() => readIdx(idx([2, 3], [1, 2, 3])), FormatError);
    assert.throws(() => readIdx(new Uint8Array([0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0])), FormatError);
  });

  it('MNIST: the official 60,000 / 10,000 split, pixels 0..255, every digit present', () => {
    const d = loadDataset('mnist');
    assert.equal(d.train.labels.length, 60000);
    assert.equal(d.test.labels.length, 10000);
    assert.equal(d.train.images.length, 60000 * 784);
    assert.equal(d.test.images.length, 10000 * 784);
    assert.deepEqual(d.shape, [28, 28, 1]);
    // The first training labels of MNIST are famous: 5 0 4 1 9 2 1 3 1 4.
    assert.deepEqual(Array.from(d.train.labels.subarray(0, 10)), [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    const counts = new Array(10).fill(0);
    for (const l of d.test.labels) counts[l]++;
    assert.deepEqual(counts, [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  });

  it('Fashion-MNIST: the documented deterministic split, 6,000 / 1,000 per class', () => {
    const d = loadDataset('fashion');
    assert.equal(d.train.labels.length, 60000);
    assert.equal(d.test.labels.length, 10000);
    const counts = new Array(10).fill(0);
    for (const l of d.train.labels) counts[l]++;
    assert.deepEqual(counts, new Array(10).fill(6000));
    assert.deepEqual(Array.from(d.test.labels.subarray(0, 12)), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
  });

  it('rejects an unknown dataset with one clear error', () => {
    assert.throws(() => loadDataset('cifar'), (e: Error) => e instanceof UsageError && /unknown dataset 'cifar'/.test(e.message));
  });
});
