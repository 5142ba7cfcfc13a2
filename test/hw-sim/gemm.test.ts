import assert from 'node:assert/strict';
import { Rng } from '../../quant/random.ts';
import { ROUNDING_MODES, mac, requantize, quantizeMultiplier, type RoundingMode } from '../../quant/spec/index.ts';
import { ArraySim, arrayConfig, type ArrayConfig } from '../../hw-sim/index.ts';
import { compileGemm } from '../../hw-sim/compiler/program.ts';
import { gatherOutputs } from '../../hw-sim/compiler/gather.ts';
import { gemmCycleFormula } from '../../hw-sim/compiler/schedule.ts';
import type { GemmOperands } from '../../hw-sim/compiler/lower.ts';

/** The reference: quant/spec mac over k in order, then requantize. Nothing else. */
function reference(ops: GemmOperands, m: number, k: number, n: number, mode: RoundingMode = ops.round): Int8Array {
  const y = new Int8Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let kk = 0; kk < k; kk++) acc = mac(acc, ops.x[i * k + kk] as number, ops.w[kk * n + j] as number);
      y[i * n + j] = requantize(acc, ops.bias[j] as number, ops.m0[j] as number, ops.shift[j] as number, ops.zp, ops.min, ops.max, mode);
    }
  }
  return y;
}

function randomOperands(rng: Rng, m: number, k: number, n: number, corner: boolean, round: RoundingMode): GemmOperands {
  const i8 = (len: number): Int8Array => Int8Array.from({ length: len }, () => (corner && rng.next() < 0.7 ? -128 : rng.int(-128, 127)));
  const m0 = new Int32Array(n);
  const shift = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    const q = quantizeMultiplier(corner ? rng.pick([1e-9, 0.5, 3, 2 ** 29, 1e-4]) : Math.exp(rng.next() * 8 - 12));
    m0[j] = q.m0;
    shift[j] = q.shift;
  }
  const lo = rng.int(-128, 0);
  return {
    x: i8(m * k),
    w: i8(k * n),
    bias: Int32Array.from({ length: n }, () => (corner ? rng.int32() : rng.int(-100000, 100000))),
    m0,
    shift,
    zp: rng.int(-128, 127),
    min: lo,
    max: rng.int(lo, 127),
    round,
  };
}

function runOnSim(cfg: ArrayConfig, m: number, k: number, n: number, ops: GemmOperands, sim = new ArraySim(cfg, { checkHazards: true })): { y: Int8Array; cycles: number } {
  const p = compileGemm(cfg, m, k, n, ops);
  const out = new Int32Array(p.nCycles * sim.outWords);
  sim.reset();
  sim.run(p.nCycles, p.beats, out);
  return { y: gatherOutputs(p, out), cycles: p.nCycles };
}

describe('hw-sim GEMM on the array', () => {
  it('is bit-exact against quant/spec mac + requantize for random GEMMs over many array shapes, each program in a rounding mode of its own', function () {
    const seed = 20261125;
    const rng = new Rng(seed);
    for (let trial = 0; trial < 60; trial++) {
      const cfg = arrayConfig({ rows: rng.int(2, 12), cols: rng.int(2, 12), accDepth: rng.pick([4, 8, 64]) });
      const m = rng.pick([1, 1, 2, rng.int(1, 20), rng.int(1, 90)]);
      const k = rng.int(1, 40);
      const n = rng.int(1, 30);
      const ops = randomOperands(rng, m, k, n, trial % 5 === 0, rng.pick(ROUNDING_MODES));
      if (process.env.DBG) console.log(trial, cfg, m, k, n);
      const { y, cycles } = runOnSim(cfg, m, k, n, ops);
      const expected = reference(ops, m, k, n);
      assert.deepEqual(y, expected, `seed ${seed} trial ${trial}: ${cfg.rows}x${cfg.cols} D=${cfg.accDepth} ${ops.round} M=${m} K=${k} N=${n}`);
      assert.equal(cycles, gemmCycleFormula(cfg, m, k, n));
    }
  });

  it('runs programs back to back on one array, each in its own rounding mode, bit-exact (the mode register carries no state across)', () => {
    const rng = new Rng(77);
    const cfg = arrayConfig({ rows: 4, cols: 3, accDepth: 16 });
    const sim = new ArraySim(cfg, { checkHazards: true });
    sim.reset();
    const modes: RoundingMode[] = ['ruy', 'double', 'double', 'single', 'ruy', 'single'];
    for (const [i, round] of modes.entries()) {
      const [m, k, n] = [rng.int(1, 20), rng.int(1, 12), rng.int(1, 8)];
      const ops = randomOperands(rng, m, k, n, i % 2 === 0, round);
      const p = compileGemm(cfg, m, k, n, ops, `layer ${i}`);
      const out = new Int32Array(p.nCycles * sim.outWords);
      sim.run(p.nCycles, p.beats, out); // no reset between programs
      assert.deepEqual(gatherOutputs(p, out), reference(ops, m, k, n), `program ${i} (${round})`);
    }
  });

  it("does not compile a program whose rounding the array does not implement: the message names the layer, its mode and the array's modes", () => {
    const cfg = arrayConfig({ rows: 4, cols: 4, roundingModes: ['single', 'double'] });
    const ops = randomOperands(new Rng(1), 2, 3, 4, false, 'ruy');
    assert.throws(() => compileGemm(cfg, 2, 3, 4, ops, 'conv1'), {
      name: 'RangeCheckError',
      message: "layer 'conv1' needs 'ruy' rounding, which this array does not implement (roundingModes single, double)",
    });
    compileGemm(arrayConfig({ rows: 4, cols: 4, roundingModes: ['ruy'] }), 2, 3, 4, ops, 'conv1');
  });
});
