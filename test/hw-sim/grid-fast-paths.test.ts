import assert from 'node:assert/strict';
import { Rng } from '../../quant/random.ts';
import { ArraySim, IN, arrayConfig, compileGemm, inWords, outWordNames, regWordName, regWords } from '../../hw-sim/index.ts';
import { quantizeMultiplier } from '../../quant/spec/index.ts';
import { modelPair } from './model-pair.ts';
import { randomBeat } from './random-beat.ts';

/**
 * A stream in stretches of one kind, as a compiled program runs and more: busy on one bank (a_en 1), idle (a_en 0,
 * any bank), a_en toggling, the bank flapping; weight writes now and then, mostly to the bank not in use and
 * sometimes to the one in use (no hazard check: any stream is the model's to get right); parameter and configuration
 * writes; garbage in every data word (random-beat.ts).
 */
function stretchStream(rng: Rng, rows: number, cols: number, n: number): Int32Array {
  const iw = inWords({ rows, cols });
  const b = new Int32Array(n * iw);
  let t = 0;
  while (t < n) {
    const kind = rng.pick(['busy', 'busy', 'idle', 'toggle', 'flap'] as const);
    const bank = rng.int(0, 1);
    const len = rng.pick([1, 2, rows + cols - 2, rows + cols - 1, rows + cols, rng.int(3, 400)]);
    const writeRate = rng.pick([0, 0.05, 0.3]);
    for (const end = Math.min(n, t + len); t < end; t++) {
      const o = t * iw;
      randomBeat(rng, b, o, iw, 0);
      b[o + IN.aEn] = kind === 'busy' ? 1 : kind === 'idle' ? 0 : kind === 'toggle' ? rng.int(0, 1) : 1;
      b[o + IN.aBank] = kind === 'flap' ? rng.int(0, 1) : kind === 'idle' ? rng.int(0, 1) : bank;
      b[o + IN.wEn] = rng.next() < writeRate ? 1 : 0;
      b[o + IN.wBank] = rng.next() < 0.8 ? 1 - bank : bank;
      b[o + IN.pEn] = rng.next() < 0.02 ? 1 : 0;
      b[o + IN.cEn] = rng.next() < 0.01 ? 1 : 0;
    }
  }
  return b;
}

describe('hw-sim ArraySim grid fast paths (uniform beats, lazy cycles, idle) against the naive register-by-register model', () => {
  const geometries = [[2, 2, 2], [3, 7, 4], [6, 5, 8], [8, 8, 16], [16, 16, 8], [32, 4, 4]] as const;
  for (const [R, C, D] of geometries) {
    it(`${R}x${C} D=${D}: run() in chunks agrees on every output word every cycle, and on every register where read between chunks`, () => {
      const seed = 77 + R * 1000 + C * 10 + D;
      const rng = new Rng(seed);
      const { cfg, fast, naive } = modelPair({ rows: R, cols: C, accDepth: D });
      const n = 4000;
      const input = stretchStream(rng, R, C, n);
      const iw = fast.inWords;
      const ow = fast.outWords;
      const of = new Int32Array(n * ow);
      const on = new Int32Array(ow);
      const rf = new Int32Array(regWords(cfg));
      const rn = new Int32Array(regWords(cfg));
      const names = outWordNames(cfg);
      let reads = 0;
      for (let t = 0; t < n; ) {
        // chunks longer than the eager stretch a register read buys, so that lazy cycles come between reads
        const len = Math.min(n - t, rng.pick([1, 5, 200, 300, 700]));
        fast.run(len, input, of, t * iw, t * ow);
        for (let u = t; u < t + len; u++) {
          naive.step(input, u * iw, on, 0);
          for (let i = 0; i < ow; i++) {
            if (of[u * ow + i] !== on[i]) assert.fail(`seed ${seed} cycle ${u}: ${names[i]} = ${of[u * ow + i]}, naive ${on[i]}`);
          }
        }
        t += len;
        if (rng.next() < 0.5) {
          reads++;
          fast.readRegisters(rf);
          naive.readRegisters(rn);
          for (let i = 0; i < rf.length; i++) if (rf[i] !== rn[i]) assert.fail(`seed ${seed} after cycle ${t - 1}: ${regWordName(cfg, i)} = ${rf[i]}, naive ${rn[i]}`);
          assert.deepEqual(fast.psumQ, naive.psumQ, `psum_q after cycle ${t - 1}`);
        }
      }
      assert.ok(reads > 2, 'the registers were read between chunks');
      assert.ok(fast.rowsAheadUsed > 0, 'some lazy cycles took their rows computed ahead (the WebAssembly kernel)');
      fast.readRegisters(rf);
      naive.readRegisters(rn);
      assert.deepEqual(rf, rn, 'every PE register at the end');
      assert.deepEqual(fast.accMem, naive.accMem);
      assert.deepEqual(fast.counters, naive.counters);
    });
  }

  it('rows computed ahead: a weight write to the bank in use, another to the other bank, and a bank switch in the middle of one run', () => {
    const R = 8;
    const C = 8;
    const { fast, naive } = modelPair({ rows: R, cols: C, accDepth: 16 });
    const rng = new Rng(4242);
    const iw = fast.inWords;
    const ow = fast.outWords;
    const n = 1200;
    const b = new Int32Array(n * iw);
    for (let t = 0; t < n; t++) {
      const o = t * iw;
      randomBeat(rng, b, o, iw, 0);
      b[o + IN.aEn] = 1;
      b[o + IN.aBank] = t < 800 ? 0 : 1;
      b[o + IN.pEn] = 0;
      b[o + IN.cEn] = 0;
      // weights into both banks first; later one row of the bank in use (cycle 400) and of the other (cycle 500)
      const write = t < 2 * R ? 1 : t === 400 || t === 500 ? 1 : 0;
      b[o + IN.wEn] = write;
      b[o + IN.wBank] = t < 2 * R ? (t < R ? 0 : 1) : t === 400 ? 0 : 1;
      b[o + IN.wRow] = t < 2 * R ? t % R : 3;
    }
    const of = new Int32Array(n * ow);
    const on = new Int32Array(ow);
    fast.reset();
    naive.reset();
    fast.run(n, b, of);
    for (let t = 0; t < n; t++) {
      naive.step(b, t * iw, on, 0);
      for (let i = 0; i < ow; i++) if (of[t * ow + i] !== on[i]) assert.fail(`cycle ${t}: output word ${i} = ${of[t * ow + i]}, naive ${on[i]}`);
    }
    assert.ok(fast.rowsAheadUsed > 900, `${fast.rowsAheadUsed} of ${n} cycles took rows computed ahead`);
  });

  /**
   * A compiled GEMM: each bank is loaded row by row in the cycles its first beats enter, and both banks take turns.
   * AccDepth 64: every M-tile is at least R+C-1 beats long, so that a bank's beats have left the grid before its next
   * load (with shorter tiles the load meets them in flight, and those cycles run the grid register by register).
   */
  function compiledGemm(R: number, C: number, seed: number): Int32Array {
    const rng = new Rng(seed);
    const m = 3 * (R + C) + 5;
    const k = 3 * R + 1;
    const n = 2 * C + 1;
    const q = quantizeMultiplier(0.0011);
    return compileGemm(arrayConfig({ rows: R, cols: C, accDepth: 64 }), m, k, n, {
      x: Int8Array.from({ length: m * k }, () => rng.int(-128, 127)),
      w: Int8Array.from({ length: k * n }, () => rng.int(-127, 127)),
      bias: Int32Array.from({ length: n }, () => rng.int(-5000, 5000)),
      m0: new Int32Array(n).fill(q.m0),
      shift: new Int32Array(n).fill(q.shift),
      zp: 2, min: -128, max: 127, round: 'single',
    }).beats;
  }

  /** Runs fast and naive over the stream in chunks of 97 cycles, comparing every output word every cycle. */
  function agree(fast: ArraySim, naive: ReturnType<typeof modelPair>['naive'], b: Int32Array, what: string): void {
    const iw = fast.inWords;
    const ow = fast.outWords;
    const n = b.length / iw;
    const of = new Int32Array(n * ow);
    const on = new Int32Array(ow);
    for (let t = 0; t < n; t += 97) fast.run(Math.min(97, n - t), b, of, t * iw, t * ow);
    for (let t = 0; t < n; t++) {
      naive.step(b, t * iw, on, 0);
      for (let i = 0; i < ow; i++) if (of[t * ow + i] !== on[i]) assert.fail(`${what} cycle ${t}: output word ${i} = ${of[t * ow + i]}, naive ${on[i]}`);
    }
    assert.deepEqual(fast.accMem, naive.accMem, what);
    assert.deepEqual(fast.counters, naive.counters, what);
  }

  for (const [R, C] of [[4, 4], [8, 8], [5, 3], [16, 16]] as const) {
    it(`${R}x${C}: a compiled GEMM, whose banks are written row by row just ahead of their first beats, runs with no cycle of the grid register by register`, () => {
      const { fast, naive } = modelPair({ rows: R, cols: C, accDepth: 64 });
      const b = compiledGemm(R, C, 31 + R * C);
      agree(fast, naive, b, `${R}x${C}`);
      assert.equal(fast.gridCycles, 0, 'every cycle lazy: each beat met one set of weights at every PE');
      let writeFree = 0;
      for (let o = 0; o < b.length; o += fast.inWords) if (((b[o + IN.wEn] as number) | (b[o + IN.pEn] as number) | (b[o + IN.cEn] as number)) === 0) writeFree++;
      assert.ok(fast.quietCycles > writeFree / 2, `${fast.quietCycles} cycles quiet of ${writeFree} without a port write`);
    });
  }

  it('a weight write to a row that beats of its bank have already met makes the grid run register by register, and both models still agree', () => {
    const R = 8;
    const C = 8;
    const { fast, naive } = modelPair({ rows: R, cols: C, accDepth: 64 });
    const b = compiledGemm(R, C, 99);
    const iw = fast.inWords;
    // a beat on bank 0 enters at cycle t; rewrite row 5 of bank 0 at t + 5, when the beat meets PE (5, 0) with the
    // old weight: the grid runs register by register until that beat has left (cycle t + R + C - 1)
    let t = 2 * (R + C);
    while (!((b[t * iw + IN.aEn] as number) === 1 && (b[t * iw + IN.aBank] as number) === 0 && (b[(t + 5) * iw + IN.wEn] as number) === 0)) t++;
    b[(t + 5) * iw + IN.wEn] = 1;
    b[(t + 5) * iw + IN.wBank] = 0;
    b[(t + 5) * iw + IN.wRow] = 5;
    for (let c = 0; c < C; c++) b[(t + 5) * iw + IN.wData + c] = 7 * c - 20;
    agree(fast, naive, b, 'a write behind the wavefront');
    assert.ok(fast.gridCycles >= R + C - 1 - 5, `${fast.gridCycles} grid cycles`);
  });

  it('step() and run() give the same outputs, registers and counters on a stream whose cycles are mostly lazy', () => {
    const rng = new Rng(5);
    const cfg = arrayConfig({ rows: 8, cols: 8, accDepth: 16 });
    const n = 3000;
    const input = stretchStream(rng, 8, 8, n);
    const a = new ArraySim(cfg);
    const b = new ArraySim(cfg);
    a.reset();
    b.reset();
    const oa = new Int32Array(n * a.outWords);
    const ob = new Int32Array(n * b.outWords);
    a.run(n, input, oa);
    for (let t = 0; t < n; t++) b.step(input, t * b.inWords, ob, t * b.outWords);
    assert.deepEqual(oa, ob);
    assert.deepEqual(a.counters, b.counters);
    assert.deepEqual(a.psumQ, b.psumQ);
    assert.equal(a.traceLine(), b.traceLine());
  });
});
