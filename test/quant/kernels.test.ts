/**
 * quant/kernels: the fast forms of the host-op kernels against their plain element loops over quant/spec: the ADD
 * lookup table against addElement on every one of the 65,536 operand pairs, for seeded random parameter sets
 * (scales from 1e-3 to 1, any zero points, fused clamps).
 */
import assert from 'node:assert/strict';
import { add, addDirect } from '../../quant/kernels/index.ts';
import type { AddLayer, TensorQuant } from '../../quant/format/types.ts';
import { Rng } from '../../quant/random.ts';
import { addParams } from '../../quant/spec/index.ts';

function quant(rng: Rng): TensorQuant {
  return { scale: Math.fround(10 ** (rng.next() * 3 - 3)), zeroPoint: rng.int(-128, 127), bits: 8, qmin: -128, qmax: 127 };
}

describe('quant/kernels', () => {
  it('add: the 64 KiB table = addElement on all 65,536 int8 pairs, 12 seeded parameter sets', () => {
    const a = Int8Array.from({ length: 65536 }, (_, i) => (i >> 8) - 128);
    const b = Int8Array.from({ length: 65536 }, (_, i) => (i & 255) - 128);
    for (let seed = 1; seed <= 12; seed++) {
      const rng = new Rng(seed);
      const [q1, q2, out] = [quant(rng), quant(rng), quant(rng)];
      const actMin = rng.next() < 0.5 ? -128 : out.zeroPoint;
      const layer: AddLayer = { type: 'add', name: `add_${seed}`, inputs: ['x', 'y'], inputShape: [65536], outputShape: [65536], input1: q1, input2: q2, output: out, params: addParams(q1, q2, out, actMin, 127) };
      assert.deepEqual(add(layer, a, b), addDirect(layer, a, b), `seed ${seed}`);
    }
  });
});
