/**
 * The importer's MINIMUM and MAXIMUM: a clamp of a CONV_2D's (or a pool's) int8 output against a one-value
 * constant of the same quantization, folded into that layer's actMin/actMax; the golden model then gives TFLite's
 * runtime's bytes. Anything else (another quantization, a tensor operand, a tensor read elsewhere) is refused.
 */
import assert from 'node:assert/strict';
import { TfliteGraphBuilder } from '../../../model/tflite/build-graph.ts';
import { importTfliteGraph } from '../../../model/tflite/import-tflite.ts';
import { TfliteImportError } from '../../../model/tflite/import-error.ts';
import { openTfliteRuntime } from '../../../model/tflite/runtime.ts';
import { writeTflite } from '../../../model/tflite/write-tflite.ts';
import type { Conv2DLayer } from '../../../quant/format/types.ts';
import { GoldenModel } from '../../../quant/golden/run.ts';
import { lcg } from './helpers.ts';

const IN = { scale: [0.02], zeroPoint: [3] };
const OUT = { scale: [0.05], zeroPoint: [-20] };

/** input [1,4,4,2] -> CONV_2D 3x3 (3 channels, fused `fused`) -> the clamp ops given -> output. */
function clampedConv(fused: string, clamps: Array<['MINIMUM' | 'MAXIMUM', number, { scale: number[]; zeroPoint: number[] }?]>, otherReader = false) {
  const b = new TfliteGraphBuilder('<clamp>');
  const next = lcg(9);
  const x = b.input('input', 'INT8', [1, 4, 4, 2], IN);
  const w = b.constant('w', [3, 3, 3, 2], Int8Array.from({ length: 54 }, () => Math.floor(next() * 255) - 127), { scale: [0.01, 0.02, 0.015] });
  const bias = b.constant('b', [3], Int32Array.of(100, -300, 0), { scale: [0.0002, 0.0004, 0.0003] });
  let y = b.tensor('conv', 'INT8', [1, 2, 2, 3], OUT);
  b.op('CONV_2D', [x, w, bias], [y], 'Conv2DOptions', { padding: 'VALID', strideW: 1, strideH: 1, fusedActivationFunction: fused }, 3);
  clamps.forEach(([opcode, v, q], i) => {
    const c = b.constant(`bound${i}`, [1], Int8Array.of(v), q ?? OUT);
    const z = b.tensor(`clamp${i}`, 'INT8', [1, 2, 2, 3], OUT);
    b.op(opcode, [y, c], [z], 'MaximumMinimumOptions', {}, 2);
    y = z;
  });
  if (otherReader) b.op('RESHAPE', [3], [b.tensor('other reader', 'INT8', [1, 12], OUT)]); // tensor 3: the conv's output
  b.output(y);
  return b.graph();
}

describe('model/tflite/ops/minimum-maximum: clamps folded into the layer', function () {
  this.timeout(30000);

  it('RELU then MINIMUM 7: the conv2d layer clamps to [zp, 7], stays relu, and equals the runtime on every byte', async () => {
    const g = clampedConv('RELU', [['MINIMUM', 7]]);
    const m = importTfliteGraph(g);
    assert.equal(m.layers.length, 1);
    const l = m.layers[0] as Conv2DLayer;
    assert.deepEqual([l.actMin, l.actMax, l.relu], [-20, 7, true]);
    const rt = await openTfliteRuntime(writeTflite(g));
    const golden = new GoldenModel(m);
    const next = lcg(3);
    let clampedBytes = 0;
    try {
      for (let k = 0; k < 300; k++) {
        const x = Int8Array.from({ length: 32 }, () => Math.floor(next() * 256) - 128);
        const want = rt.run(x);
        assert.deepEqual(golden.run(x).output, want, `input ${k}`);
        clampedBytes += want.filter((v) => v === 7).length;
      }
    } finally {
      rt.close();
    }
    assert.ok(clampedBytes > 0, 'some outputs reach the clamp');
  });

  it('NONE, MAXIMUM -5 and MINIMUM 40: [-5, 40], not relu even where -5 would be', () => {
    const l = importTfliteGraph(clampedConv('NONE', [['MAXIMUM', -5], ['MINIMUM', 40]])).layers[0] as Conv2DLayer;
    assert.deepEqual([l.actMin, l.actMax, l.relu], [-5, 40, false]);
  });

  it('RELU then MAXIMUM above the zero point: the clamp narrows and the layer is no longer relu', () => {
    const l = importTfliteGraph(clampedConv('RELU', [['MAXIMUM', -10]])).layers[0] as Conv2DLayer;
    assert.deepEqual([l.actMin, l.actMax, l.relu], [-10, 127, false]);
  });

  it('refuses a constant of another quantization, an empty range and a tensor read elsewhere', () => {
    assert.throws(() => importTfliteGraph(clampedConv('NONE', [['MINIMUM', 7, { scale: [0.1], zeroPoint: [-20] }]])), (e: Error) => e instanceof TfliteImportError && /is not quantized as its first operand/.test(e.message));
    assert.throws(() => importTfliteGraph(clampedConv('NONE', [['MAXIMUM', 10], ['MINIMUM', 5]])), /an empty range/);
    assert.throws(() => importTfliteGraph(clampedConv('NONE', [['MINIMUM', 7]], true)), /also read elsewhere/);
  });
});
