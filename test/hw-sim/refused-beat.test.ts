import assert from 'node:assert/strict';
import { Rng } from '../../quant/random.ts';
import { ArraySim, IN, arrayConfig, regWords } from '../../hw-sim/index.ts';

describe('hw-sim ArraySim: a beat it refuses', () => {
  it('changes no register, counter or accumulator word (a bad p_m0 after busy cycles, every enable set)', () => {
    const cfg = arrayConfig({ rows: 4, cols: 3, accDepth: 4 });
    const sim = new ArraySim(cfg);
    sim.reset();
    const rng = new Rng(11);
    const n = 40;
    const iw = sim.inWords;
    const beats = new Int32Array(n * iw);
    for (let t = 0; t < n; t++) {
      const o = t * iw;
      for (let i = 0; i < iw; i++) beats[o + i] = rng.int(-100, 100);
      beats[o + IN.wEn] = rng.int(0, 1);
      beats[o + IN.aEn] = 1;
      beats[o + IN.aFirst] = t % 2 === 0 ? 1 : 0;
      beats[o + IN.aLast] = t % 2;
      beats[o + IN.pEn] = 0;
      beats[o + IN.cEn] = 0;
    }
    const out = new Int32Array(n * sim.outWords);
    sim.run(n - 1, beats, out);
    const bad = (n - 1) * iw;
    for (const k of [IN.wEn, IN.aEn, IN.pEn, IN.cEn]) beats[bad + k] = 1;
    beats[bad + IN.cRound] = 0;
    beats[bad + IN.pM0] = -1;
    const before = { regs: new Int32Array(regWords(cfg)), counters: { ...sim.counters }, acc: sim.accMem.slice(), cycle: sim.cycle, psum: sim.psumQ };
    sim.readRegisters(before.regs);
    assert.throws(() => sim.step(beats, bad, out, 0), { name: 'RangeCheckError', message: /cycle 39: p_m0 must be in \[0, 2\^31-1\]/ });
    const regs = new Int32Array(regWords(cfg));
    sim.readRegisters(regs);
    assert.deepEqual(regs, before.regs);
    assert.deepEqual(sim.counters, before.counters);
    assert.deepEqual(sim.accMem, before.acc);
    assert.deepEqual(sim.psumQ, before.psum);
    assert.equal(sim.cycle, before.cycle);
  });
});
