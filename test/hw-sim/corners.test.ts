import assert from 'node:assert/strict';
import { INT32_MAX, INT32_MIN, mac, requantize, wrapInt32, type RoundingMode } from '../../quant/spec/index.ts';
import { ArraySim, OUT, arrayConfig, compileGemm, gatherOutputs, oAccOffset, type ArrayConfig, type GemmOperands } from '../../hw-sim/index.ts';

function run(cfg: ArrayConfig, m: number, k: number, n: number, ops: GemmOperands): { y: Int8Array; acc: Int32Array } {
  const p = compileGemm(cfg, m, k, n, ops);
  const sim = new ArraySim(cfg, { checkHazards: true });
  sim.reset();
  const out = new Int32Array(p.nCycles * sim.outWords);
  sim.run(p.nCycles, p.beats, out);
  const y = gatherOutputs(p, out);
  // o_acc of every output row (wrap32(acc + bias)), in the order the rows appear
  const acc = new Int32Array(m * n);
  for (const r of p.commands) {
    if (r.op !== 'read') continue;
    for (let i = 0; i < r.rows; i++) {
      const o = (r.cycle + i) * sim.outWords;
      for (let c = 0; c < r.cols; c++) acc[(r.mBase + (out[o + OUT.oAddr] as number)) * n + r.n0 + c] = out[o + oAccOffset(cfg) + c] as number;
    }
  }
  return { y, acc };
}

function expected(ops: GemmOperands, m: number, k: number, n: number, mode: RoundingMode): { y: Int8Array; acc: Int32Array } {
  const y = new Int8Array(m * n);
  const accs = new Int32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let kk = 0; kk < k; kk++) acc = mac(acc, ops.x[i * k + kk] as number, ops.w[kk * n + j] as number);
      accs[i * n + j] = wrapInt32(acc + (ops.bias[j] as number));
      y[i * n + j] = requantize(acc, ops.bias[j] as number, ops.m0[j] as number, ops.shift[j] as number, ops.zp, ops.min, ops.max, mode);
    }
  }
  return { y, acc: accs };
}

describe('hw-sim corner values', () => {
  it('-128 x -128 accumulated over K = 140000 wraps int32 in the accumulator exactly as quant/spec mac', () => {
    const k = 140000; // 16384 * 140000 > 2^31: the sum wraps
    const n = 2;
    const cfg = arrayConfig({ rows: 32, cols: 2 });
    const ops: GemmOperands = {
      x: new Int8Array(k).fill(-128),
      w: new Int8Array(k * n).fill(-128),
      bias: Int32Array.of(0, INT32_MAX),
      m0: Int32Array.of(2 ** 30, INT32_MAX),
      shift: Int32Array.of(0, 30),
      zp: 0,
      min: -128,
      max: 127,
      round: 'single',
    };
    const got = run(cfg, 1, k, n, ops);
    const want = expected(ops, 1, k, n, 'single');
    assert.equal(want.acc[0], wrapInt32(16384 * k));
    assert.notEqual(want.acc[0], 16384 * k);
    assert.deepEqual(got.acc, want.acc);
    assert.deepEqual(got.y, want.y);
  });

  for (const mode of ['single', 'double', 'ruy'] as const) {
    it(`saturates the multiplier and clamps at both ends (${mode})`, () => {
      const cfg = arrayConfig({ rows: 4, cols: 3, accDepth: 8 });
      const m = 3;
      const k = 5;
      const n = 6;
      const x = Int8Array.from({ length: m * k }, (_, i) => [127, -128, 1, -1, 0][i % 5] as number);
      const w = Int8Array.from({ length: k * n }, (_, i) => (i % 2 === 0 ? 127 : -127));
      const ops: GemmOperands = {
        x,
        w,
        // huge biases push acc + bias to both int32 ends (and wrap); m0/shift at their extremes saturate
        bias: Int32Array.of(INT32_MAX, INT32_MIN, INT32_MAX - 5, -5, 0, 1 << 20),
        m0: Int32Array.of(INT32_MAX, INT32_MAX, 2 ** 30, 0, INT32_MAX, 2 ** 30),
        shift: Int32Array.of(30, 30, -31, 0, -31, 10),
        zp: 5,
        min: -100,
        max: 90,
        round: mode,
      };
      const got = run(cfg, m, k, n, ops);
      const want = expected(ops, m, k, n, mode);
      assert.deepEqual(got.acc, want.acc);
      assert.deepEqual(got.y, want.y);
      assert.ok(got.y.includes(-100) && got.y.includes(90), `both clamps reached: ${got.y.join(',')}`);
    });
  }
});
