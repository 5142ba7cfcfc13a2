import assert from 'node:assert/strict';
import { HazardError, LifecycleError, RangeCheckError, ShapeError } from '../../quant/errors.ts';
import { Rng } from '../../quant/random.ts';
import { mac, requantize, wrapInt32 } from '../../quant/spec/index.ts';
import { ArraySim, OUT, REG, REG_WORDS_PER_PE, arrayConfig, inWords, oAccOffset, outWords, regWords } from '../../hw-sim/index.ts';
import { BeatBuffer } from '../../hw-sim/compiler/beats.ts';

describe('hw-sim ArraySim', () => {
  it('validates its configuration', () => {
    assert.throws(() => arrayConfig({ rows: 1, cols: 4 }), ShapeError);
    assert.throws(() => arrayConfig({ rows: 4, cols: 33 }), ShapeError);
    assert.throws(() => arrayConfig({ rows: 4, cols: 4, accDepth: 100 }), RangeCheckError);
    assert.throws(() => arrayConfig({ rows: 4, cols: 4, roundingMode: 'nearest' as never }), RangeCheckError);
    // 'ruy' is a quant/spec mode the golden model runs, not (yet) one of the requantizer's: an error, never a substitute
    assert.throws(() => arrayConfig({ rows: 4, cols: 4, roundingMode: 'ruy' }), { name: 'RangeCheckError', message: /implements 'single' and 'double'; 'ruy' .* is not yet a requantizer mode/ });
    assert.throws(() => new ArraySim({ rows: 4, cols: 4, accDepth: 8, roundingMode: 'ruy' as never }), /'ruy' .* is not yet a requantizer mode/);
    assert.equal(inWords({ rows: 3, cols: 5 }), 17 + 5 + 3);
    assert.equal(outWords({ cols: 5 }), 2 + 10);
  });

  it('throws LifecycleError when stepped before reset', () => {
    const sim = new ArraySim(arrayConfig({ rows: 2, cols: 2 }));
    assert.throws(() => sim.step(new Int32Array(sim.inWords), 0, new Int32Array(sim.outWords), 0), LifecycleError);
  });

  for (const [R, C] of [
    [2, 2],
    [3, 5],
    [8, 4],
  ] as const) {
    it(`puts the output row of a beat issued in cycle t on the ports in cycle t + R + C + 1 (${R}x${C})`, () => {
      const cfg = arrayConfig({ rows: R, cols: C, accDepth: 8 });
      const rng = new Rng(7 + R * 100 + C);
      const w = Int8Array.from({ length: R * C }, () => rng.int(-128, 127));
      const x = Int8Array.from({ length: R }, () => rng.int(-128, 127));
      const bias = Int32Array.from({ length: C }, () => rng.int(-5000, 5000));
      const n = 40;
      const bb = new BeatBuffer(cfg, n);
      for (let r = 0; r < R; r++) bb.weightRow(r, 1, r, w, r * C);
      for (let c = 0; c < C; c++) bb.param(c, c, bias[c] as number, 1 << 30, -3);
      bb.config(0, -5, -128, 127);
      const t = Math.max(R, C) + 1;
      bb.activation(t, 1, true, true, 5, x);
      const sim = new ArraySim(cfg, { checkHazards: true });
      sim.reset();
      const out = new Int32Array(n * sim.outWords);
      sim.run(n, bb.beats, out);
      const L = R + C + 1;
      for (let cy = 0; cy < n; cy++) assert.equal(out[cy * sim.outWords + OUT.oValid], cy === t + L ? 1 : 0, `o_valid in cycle ${cy}`);
      const o = (t + L) * sim.outWords;
      assert.equal(out[o + OUT.oAddr], 5);
      for (let c = 0; c < C; c++) {
        let acc = 0;
        for (let r = 0; r < R; r++) acc = mac(acc, x[r] as number, w[r * C + c] as number);
        assert.equal(out[o + oAccOffset(cfg) + c], wrapInt32(acc + (bias[c] as number)));
        assert.equal(out[o + OUT.oData + c], requantize(acc, bias[c] as number, 1 << 30, -3, -5, -128, 127, 'single'));
      }
      // the outputs hold after the valid cycle
      assert.equal(out[o + sim.outWords + OUT.oData], out[o + OUT.oData]);
      const regs = new Int32Array(regWords(cfg));
      sim.readRegisters(regs);
      for (let i = 0; i < R * C; i++) {
        assert.equal(regs[i * REG_WORDS_PER_PE + REG.w1], w[i]);
        assert.equal(regs[i * REG_WORDS_PER_PE + REG.w0], 0);
      }
      assert.equal(sim.counters.beats, 1);
      assert.equal(sim.counters.outputRows, 1);
      assert.match(sim.traceLine(), /^#39 /);
    });
  }

  it('throws HazardError for a weight write inside a beat window (rule 1) and a non-first beat to a closed address (rule 4)', () => {
    const cfg = arrayConfig({ rows: 4, cols: 4, accDepth: 8 });
    const zeros = new Int8Array(8);
    const bb = new BeatBuffer(cfg, 12);
    bb.activation(2, 0, true, true, 0, zeros);
    bb.weightRow(4, 0, 1, zeros); // row 1 is used by the beat in cycles 3..6
    const sim = new ArraySim(cfg, { checkHazards: true });
    sim.reset();
    assert.throws(() => sim.run(12, bb.beats, new Int32Array(12 * sim.outWords)), (e: unknown) => e instanceof HazardError && /cycle 4: weight write/.test(e.message));
    const bb2 = new BeatBuffer(cfg, 6);
    bb2.activation(1, 0, true, true, 3, zeros);
    bb2.activation(2, 0, false, true, 3, zeros);
    sim.reset();
    assert.throws(() => sim.run(6, bb2.beats, new Int32Array(6 * sim.outWords)), /rule 4/);
  });
});
