/**
 * model/backend/identity-kernel.ts: on WASM, Identity (tf.clone, and every tensor tfjs saves for a gradient) shares
 * its input's heap buffer, and the buffer lives as long as either tensor does: disposing the source or assigning a
 * new value to a variable leaves the clone's values as they were. A Cast to the input's own dtype does the same;
 * a real cast still converts.
 */
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../model/backend/backend.ts';

interface HeapBackend {
  getMemoryOffset(dataId: object): number;
  refCount(dataId: object): number;
}

describe('model/backend: Identity shares the buffer', () => {
  before(async () => {
    await initBackend('wasm');
  });

  it('a clone shares the heap buffer and keeps its values after the source is disposed', () => {
    const b = tf.backend() as unknown as HeapBackend;
    const x = tf.tensor1d([1, 2, 3, 4]);
    const y = tf.clone(x);
    assert.equal(b.getMemoryOffset(y.dataId), b.getMemoryOffset(x.dataId));
    assert.equal(b.refCount(x.dataId), 2);
    x.dispose();
    assert.deepEqual(Array.from(y.dataSync()), [1, 2, 3, 4]);
    y.dispose();
    assert.equal(b.refCount(y.dataId), 0, 'the buffer is freed with its last tensor');
  });

  it('a clone of a variable keeps the old values after assign, and gradients are unchanged', () => {
    const v = tf.variable(tf.tensor1d([1, -2, 3, -4]));
    const kept = tf.clone(v);
    v.assign(tf.tensor1d([5, 6, 7, 8]));
    assert.deepEqual(Array.from(kept.dataSync()), [1, -2, 3, -4]);
    assert.deepEqual(Array.from(v.dataSync()), [5, 6, 7, 8]);
    // relu and square save their inputs for the gradient (through Identity)
    const { grads } = tf.variableGrads(() => tf.sum(tf.square(tf.relu(tf.sub(v, 6)))) as tf.Scalar, [v]);
    assert.deepEqual(Array.from(grads[v.name]!.dataSync()), [0, 0, 2, 4]);
    tf.dispose([kept, v, grads[v.name]!]);
  });

  it('a cast to the same dtype shares the buffer; a cast to another dtype converts into a new one', () => {
    const b = tf.backend() as unknown as HeapBackend;
    const x = tf.tensor1d([1.5, -2.5, 3]);
    const same = tf.cast(x, 'float32');
    const other = tf.cast(x, 'int32');
    assert.equal(b.getMemoryOffset(same.dataId), b.getMemoryOffset(x.dataId));
    assert.notEqual(b.getMemoryOffset(other.dataId), b.getMemoryOffset(x.dataId));
    x.dispose();
    assert.deepEqual(Array.from(same.dataSync()), [1.5, -2.5, 3]);
    assert.deepEqual(Array.from(other.dataSync()), [1, -2, 3]);
    tf.dispose([same, other]);
  });
});
