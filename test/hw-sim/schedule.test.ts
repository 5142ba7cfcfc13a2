import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { HazardError, MismatchError } from '../../quant/errors.ts';
import { Rng } from '../../quant/random.ts';
import { ArraySim, BeatBuffer, IN, OUT, arrayConfig, compileGemm, formatCommand, gatherOutputs, gemmCycleFormula, tileAt, tileOfOutput, type ArrayConfig, type GemmOperands } from '../../hw-sim/index.ts';

function ops(rng: Rng, m: number, k: number, n: number): GemmOperands {
  return {
    x: Int8Array.from({ length: m * k }, () => rng.int(-128, 127)),
    w: Int8Array.from({ length: k * n }, () => rng.int(-127, 127)),
    bias: Int32Array.from({ length: n }, () => rng.int(-999, 999)),
    m0: new Int32Array(n).fill(1 << 30),
    shift: new Int32Array(n).fill(-8),
    zp: 0,
    min: -128,
    max: 127,
    round: 'single',
  };
}

/** Runs exactly `formula` cycles and returns the outputs; gatherOutputs throws if a row is missing or extra. */
function simulate(cfg: ArrayConfig, m: number, k: number, n: number, seed: number): { cycles: number; lastValid: number; nCycles: number } {
  const p = compileGemm(cfg, m, k, n, ops(new Rng(seed), m, k, n));
  const cycles = gemmCycleFormula(cfg, m, k, n);
  const sim = new ArraySim(cfg, { checkHazards: true });
  sim.reset();
  const out = new Int32Array(cycles * sim.outWords);
  sim.run(cycles, p.beats, out);
  gatherOutputs(p, out);
  return { cycles, lastValid: out[(cycles - 1) * sim.outWords + OUT.oValid] as number, nCycles: p.nCycles };
}

/** Compiles an M x K x N GEMM of random operands (seeded) and runs its program on hw-sim: the program, the simulator and every output word. */
function runCompiled(cfg: ArrayConfig, m: number, k: number, n: number, seed: number): { p: ReturnType<typeof compileGemm>; sim: ArraySim; out: Int32Array } {
  const p = compileGemm(cfg, m, k, n, ops(new Rng(seed), m, k, n));
  const sim = new ArraySim(cfg);
  sim.reset();
  const out = new Int32Array(p.nCycles * sim.outWords);
  sim.run(p.nCycles, p.beats, out);
  return { p, sim, out };
}

describe('hw-sim schedule and cycle formula', () => {
  // [R, C, D, M, K, N]: stream-bound, weight-load-bound (M = 1), one K-tile (parameter-bound), several passes
  const cases: [number, number, number, number, number, number][] = [
    [8, 8, 1024, 1, 784, 10],
    [8, 8, 1024, 1, 5, 3],
    [8, 8, 1024, 784, 9, 8],
    [8, 8, 1024, 196, 72, 16],
    [4, 16, 1024, 3, 40, 40],
    [16, 4, 8, 20, 17, 9],
    [2, 2, 2, 7, 3, 5],
    [32, 32, 64, 100, 33, 65],
    [5, 3, 4, 9, 11, 7],
  ];
  for (const [R, C, D, M, K, N] of cases) {
    it(`${R}x${C} D=${D}, M=${M} K=${K} N=${N}: the simulator's last output row is in the formula's last cycle`, () => {
      const cfg = arrayConfig({ rows: R, cols: C, accDepth: D });
      const r = simulate(cfg, M, K, N, R * C + M);
      assert.equal(r.nCycles, r.cycles);
      assert.equal(r.lastValid, 1);
    });
  }

  it('spells out the formula for two examples by hand', () => {
    // 2x2, M=4, K=4, N=2 (the waveform of ARCHITECTURE.md 4a): J=2, P=max(4,2,ceil(5/2))=4 -> 4 + 4 + 2 + 2 + 2
    assert.equal(gemmCycleFormula(arrayConfig({ rows: 2, cols: 2 }), 4, 4, 2), 14);
    // 8x8 dense 784 -> 10: J = 98 * 2 = 196 tiles, P = max(1, 8, ceil(8/2)) = 8 -> 195*8 + 1 + 18
    assert.equal(gemmCycleFormula(arrayConfig({ rows: 8, cols: 8 }), 1, 784, 10), 195 * 8 + 1 + 18);
  });

  it('the second waveform of ARCHITECTURE.md 4a is the compiled program, port by port', () => {
    const doc = readFileSync(new URL('../../docs/ARCHITECTURE.md', import.meta.url), 'utf8');
    const blocks = [...doc.matchAll(/```wavedrom\n([\s\S]*?)```/g)].map((b) => JSON.parse(b[1] as string) as { signal: { name: string; wave: string; data?: string[] }[] });
    const wave = blocks[1];
    assert.ok(wave, 'two wavedrom blocks');
    const { p, sim, out } = runCompiled(arrayConfig({ rows: 2, cols: 2 }), 4, 4, 2, 1);
    const port: Record<string, (t: number) => number> = {
      w_en_i: (t) => p.beats[t * sim.inWords + IN.wEn] as number,
      p_en_i: (t) => p.beats[t * sim.inWords + IN.pEn] as number,
      c_en_i: (t) => p.beats[t * sim.inWords + IN.cEn] as number,
      a_en_i: (t) => p.beats[t * sim.inWords + IN.aEn] as number,
      a_first_i: (t) => p.beats[t * sim.inWords + IN.aFirst] as number,
      a_last_i: (t) => p.beats[t * sim.inWords + IN.aLast] as number,
      o_valid_o: (t) => out[t * sim.outWords + OUT.oValid] as number,
    };
    assert.equal(p.nCycles, 14);
    for (const s of wave.signal) {
      const f = port[s.name];
      if (f === undefined) continue;
      let level = 'x';
      for (let t = 0; t < p.nCycles; t++) {
        const ch = s.wave[t] ?? '.';
        if (ch !== '.') level = ch;
        if (level === '0' || level === '1') assert.equal(f(t), Number(level), `${s.name} in cycle ${t}`);
      }
    }
    assert.match(p.commands.map(formatCommand).join('\n'), /@5 STREAM bank=1 tile\(p0 n0 k1\) rows=4 last/);
  });

  it('names the tile of a cycle and reports a missing output row as a MismatchError', () => {
    const { p, sim, out } = runCompiled(arrayConfig({ rows: 3, cols: 3 }), 5, 7, 4, 3);
    const read = p.commands.find((c) => c.op === 'read');
    assert.ok(read !== undefined && read.op === 'read');
    assert.deepEqual(tileOfOutput(p, read.cycle + 1), p.plan.tiles.find((t) => t.n === 0 && t.last));
    assert.equal(tileAt(p, p.plan.tiles[1]!.streamCycle)?.index, 1);
    out[(read.cycle + 1) * sim.outWords + OUT.oValid] = 0;
    assert.throws(() => gatherOutputs(p, out), (e: unknown) => e instanceof MismatchError && e.cycle === read.cycle + 1 && e.where === 'o_valid_o' && /n0 k2/.test(e.tile));
  });

  it('HazardError for a beat that comes before its weights (rule 2) and a requantization inside a parameter set (rule 3)', () => {
    const cfg = arrayConfig({ rows: 3, cols: 3, accDepth: 4 });
    const x = new Int8Array(3);
    const bb = new BeatBuffer(cfg, 20);
    for (let r = 0; r < 3; r++) bb.weightRow(2 + r, 0, r, x);
    bb.activation(3, 0, true, true, 0, x); // fine: meets row r (written in 2 + r) from cycle 3 + r on
    bb.activation(2, 0, true, true, 1, x); // meets row 0 in cycles 2..4, but row 0 is written in cycle 2: rule 2 broken
    const sim = new ArraySim(cfg, { checkHazards: true });
    sim.reset();
    assert.throws(() => sim.run(20, bb.beats, new Int32Array(20 * sim.outWords)), (e: unknown) => e instanceof HazardError && /cycle 2: weight write to bank 0 row 0/.test(e.message));
    const bb2 = new BeatBuffer(cfg, 20);
    bb2.activation(0, 0, true, true, 0, x); // requantized in cycle 0 + R + C = 6
    for (let c = 0; c < 3; c++) bb2.param(5 + c, c, 0, 1 << 30, 0); // a set written in cycles 5..7
    sim.reset();
    assert.throws(() => sim.run(20, bb2.beats, new Int32Array(20 * sim.outWords)), (e: unknown) => e instanceof HazardError && /rule 3/.test(e.message));
  });
});
