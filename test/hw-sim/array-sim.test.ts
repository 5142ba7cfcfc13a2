import assert from 'node:assert/strict';
import { HazardError, LifecycleError, RangeCheckError, ShapeError } from '../../quant/errors.ts';
import { Rng } from '../../quant/random.ts';
import { mac, requantize, wrapInt32, type RoundingMode } from '../../quant/spec/index.ts';
import { ArraySim, IN, OUT, REG, REG_WORDS_PER_PE, arrayConfig, inWords, oAccOffset, outWords, regWords } from '../../hw-sim/index.ts';
import { BeatBuffer } from '../../hw-sim/compiler/beats.ts';

describe('hw-sim ArraySim', () => {
  it('validates its configuration', () => {
    assert.throws(() => arrayConfig({ rows: 1, cols: 4 }), ShapeError);
    assert.throws(() => arrayConfig({ rows: 4, cols: 33 }), ShapeError);
    assert.throws(() => arrayConfig({ rows: 4, cols: 4, accDepth: 100 }), RangeCheckError);
    assert.throws(() => arrayConfig({ rows: 4, cols: 4, roundingModes: ['nearest' as never] }), { name: 'RangeCheckError', message: /unknown rounding mode 'nearest'/ });
    assert.throws(() => arrayConfig({ rows: 4, cols: 4, roundingModes: [] }), { name: 'RangeCheckError', message: /at least one of single, double, ruy/ });
    assert.throws(() => new ArraySim({ rows: 4, cols: 4, accDepth: 8, roundingModes: ['double', 'single'] }), /each mode once in code order/);
    assert.deepEqual(arrayConfig({ rows: 4, cols: 4 }).roundingModes, ['single', 'double', 'ruy'], 'every mode by default');
    assert.deepEqual(arrayConfig({ rows: 4, cols: 4, roundingModes: ['ruy', 'single', 'ruy'] }).roundingModes, ['single', 'ruy'], 'arrayConfig orders them');
    assert.equal(inWords({ rows: 3, cols: 5 }), 18 + 5 + 3);
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
      bb.config(0, -5, -128, 127, 'single');
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

  it('requantizes every row in the rounding of the last configuration written before its requantize cycle (ties of both signs, modes switched between rows)', () => {
    // acc = 0 and bias = x with m0 = 2^30, shift -1: exact halves where the modes part (-6: double -2, ruy and
    // single -1; 5: single 1, double and ruy 2)
    const R = 3;
    const C = 5;
    const cfg = arrayConfig({ rows: R, cols: C, accDepth: 8 });
    const xs = [-6, 6, -10, 5, -2];
    const n = 60;
    const bb = new BeatBuffer(cfg, n);
    for (let c = 0; c < C; c++) bb.param(c, c, xs[c] as number, 2 ** 30, -1);
    bb.config(0, 0, -128, 127, 'double');
    const t0 = C + 1;
    const rows = 8;
    for (let i = 0; i < rows; i++) bb.activation(t0 + i, 0, true, true, i, new Int8Array(R));
    // beat i is requantized in cycle t0 + i + R + C: a write in the cycle before applies to it, one in that cycle does not
    const writes: Array<[number, RoundingMode]> = [[t0 + 2 + R + C - 1, 'ruy'], [t0 + 4 + R + C, 'single'], [t0 + 6 + R + C - 1, 'double']];
    for (const [t, mode] of writes) bb.config(t, 0, -128, 127, mode);
    const modeOfRow = (i: number): RoundingMode => ['double', 'double', 'ruy', 'ruy', 'ruy', 'single', 'double', 'double'][i] as RoundingMode;
    const sim = new ArraySim(cfg, { checkHazards: true });
    sim.reset();
    const out = new Int32Array(n * sim.outWords);
    sim.run(n, bb.beats, out);
    const seen = new Set<string>();
    for (let i = 0; i < rows; i++) {
      const o = (t0 + i + R + C + 1) * sim.outWords;
      assert.equal(out[o + OUT.oValid], 1);
      assert.equal(out[o + OUT.oAddr], i);
      const got = xs.map((_, c) => out[o + OUT.oData + c] as number);
      const want = xs.map((x) => requantize(0, x, 2 ** 30, -1, 0, -128, 127, modeOfRow(i)));
      assert.deepEqual(got, want, `row ${i} in ${modeOfRow(i)} rounding`);
      seen.add(want.join(','));
    }
    assert.equal(seen.size, 3, 'the three modes give three different rows here (the test can tell them apart)');
    assert.equal(sim.roundQ, 1, "round_q holds the last write's code (double)");
    sim.reset();
    assert.equal(sim.roundQ, 0, 'round_q resets to 0 (single)');
  });

  it('refuses a configuration write that selects a mode the array does not implement, or the reserved code 3', () => {
    const cfg = arrayConfig({ rows: 2, cols: 2, accDepth: 4, roundingModes: ['double', 'ruy'] });
    const sim = new ArraySim(cfg);
    const b = new Int32Array(sim.inWords);
    const out = new Int32Array(sim.outWords);
    sim.reset();
    b[IN.cEn] = 1;
    b[IN.cRound] = 2;
    sim.step(b, 0, out, 0);
    b[IN.cRound] = 0;
    assert.throws(() => sim.step(b, 0, out, 0), { name: 'RangeCheckError', message: /cycle 1: c_round 0 \('single'\) selects a rounding mode this array does not implement \(roundingModes double, ruy\)/ });
    sim.reset();
    b[IN.cRound] = 3;
    assert.throws(() => sim.step(b, 0, out, 0), /c_round 3 \(reserved\)/);
    // without c_en the word is ignored, whatever it holds
    sim.reset();
    b[IN.cEn] = 0;
    b[IN.cRound] = 3;
    sim.step(b, 0, out, 0);
  });

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
