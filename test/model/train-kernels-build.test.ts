/**
 * model/backend/train-kernels.wasm is what its source train-kernels.wat compiles to: tools/build-wasm.ts --check
 * rebuilds it with wabt and compares the bytes (regenerate: node --import tsx tools/build-wasm.ts
 * model/backend/train-kernels.wat). And the binary instantiates on the tfjs WASM backend's heap with the kernels
 * model/backend/train-kernels.ts declares.
 */
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../model/backend/backend.ts';
import { trainKernels } from '../../model/backend/train-kernels.ts';
import { assertWasmUpToDate } from '../wasm-build-check.ts';


describe('model/backend/train-kernels.wasm', () => {
  it('is what train-kernels.wat compiles to (regenerate: node --import tsx tools/build-wasm.ts model/backend/train-kernels.wat)', function () {
    this.timeout(60000);
    assertWasmUpToDate(['model/backend/train-kernels.wat'], /train-kernels\.wasm is up to date/);
  });

  it('instantiates on the WASM backend heap, exporting its kernels; none on the CPU backend', async () => {
    await initBackend('wasm');
    const k = trainKernels(tf.backend());
    assert.ok(k !== null);
    for (const name of ['conv_filter_grad', 'bn_sums', 'bn_apply', 'bn_grad_sums', 'bn_grad_apply', 'fq_vec', 'fq_channel', 'col_sums', 'minmax', 'adam', 'maxpool_grad2x2', 'div_channels', 'div_channels_grad', 'add_channels', 'col_absmax'] as const) {
      assert.equal(typeof k[name], 'function', name);
    }
    // a tensor's heap view and a kernel see the same bytes
    const t = tf.tensor1d([3, -2, 7, 0.5, -9]);
    const out = k.malloc(8);
    k.minmax(k.ptr({ dataId: t.dataId, shape: t.shape, dtype: t.dtype }), 5, out);
    assert.deepEqual(Array.from(new Float32Array(k.heap(), out, 2)), [-9, 7]);
    k.free(out);
    t.dispose();
    await initBackend('cpu');
    assert.equal(trainKernels(tf.backend()), null);
    await initBackend('wasm');
  });
});
