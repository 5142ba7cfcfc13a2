import assert from 'node:assert/strict';
import { Rng } from '../../quant/random.ts';
import { inWords, outWordNames, regWordName, regWords } from '../../hw-sim/index.ts';
import { modelPair } from './model-pair.ts';
import { randomBeat } from './random-beat.ts';

/** Any input words at all: random enables, garbage in every field (high bits included), in-range m0, shift and rounding code. */
function randomStream(rng: Rng, rows: number, cols: number, n: number, busy: number): Int32Array {
  const iw = inWords({ rows, cols });
  const b = new Int32Array(n * iw);
  for (let t = 0; t < n; t++) {
    const o = t * iw;
    randomBeat(rng, b, o, iw, busy);
  }
  return b;
}

describe('hw-sim ArraySim against a naive register-by-register model', () => {
  for (const [R, C, D] of [
    [2, 2, 2],
    [3, 7, 4],
    [7, 3, 8],
    [16, 16, 16],
    [32, 32, 4],
    [32, 2, 2],
  ] as const) {
    for (const busyTag of ['a', 'b'] as const) {
      it(`${R}x${C} D=${D} (${busyTag}): every output word and PE register agree every cycle on random input streams, the rounding switched by every configuration write`, () => {
        const seed = R * 1000 + C * 10 + D + (busyTag === 'b' ? 1 : 0);
        const rng = new Rng(seed);
        const { cfg, fast, naive } = modelPair({ rows: R, cols: C, accDepth: D });
        const n = 300;
        const input = randomStream(rng, R, C, n, rng.pick([0.3, 0.9]));
        const of = new Int32Array(fast.outWords);
        const on = new Int32Array(fast.outWords);
        const rf = new Int32Array(regWords(cfg));
        const rn = new Int32Array(regWords(cfg));
        const names = outWordNames(cfg);
        for (let t = 0; t < n; t++) {
          fast.step(input, t * fast.inWords, of, 0);
          naive.step(input, t * fast.inWords, on, 0);
          for (let i = 0; i < of.length; i++) if (of[i] !== on[i]) assert.fail(`seed ${seed} cycle ${t}: ${names[i]} = ${of[i]}, naive ${on[i]}\n${fast.traceLine()}`);
          fast.readRegisters(rf);
          naive.readRegisters(rn);
          for (let i = 0; i < rf.length; i++) if (rf[i] !== rn[i]) assert.fail(`seed ${seed} after cycle ${t}: ${regWordName(cfg, i)} = ${rf[i]}, naive ${rn[i]}`);
        }
        assert.deepEqual(fast.accMem, naive.accMem);
        assert.deepEqual(fast.counters, naive.counters);
        // the chains decode to the naive model's skew, de-skew and control registers
        for (let r = 1; r < R; r++) for (let j = 0; j < r; j++) {
          const k = (r * (r - 1)) / 2 + j;
          assert.deepEqual(fast.skewQ(r, j), [naive.skewAQ[k], naive.skewVQ[k], naive.skewBankQ[k]], `skew row ${r} reg ${j}`);
        }
        for (let c = 0; c < C - 1; c++) for (let j = 0; j < C - 1 - c; j++) {
          assert.equal(fast.deskewQ(c, j), naive.deskewQ[c * (C - 1) - (c * (c - 1)) / 2 + j], `deskew col ${c} reg ${j}`);
        }
        for (let j = 0; j < R + C - 1; j++) {
          assert.deepEqual(fast.ctrlQ(j), [naive.ctrlEnQ[j], naive.ctrlFirstQ[j], naive.ctrlLastQ[j], naive.ctrlAddrQ[j]], `ctrl reg ${j}`);
        }
      });
    }
  }
});
