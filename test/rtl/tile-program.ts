/**
 * Random tile programs for the array tests: a cycle-by-cycle input stream (docs/ARCHITECTURE.md section 7) that
 * runs a few GEMM passes of random shapes through the array while keeping every host duty of section 5, with
 * double-buffered weights loaded while the other bank computes, random idle gaps, random address orders (so that
 * an address is sometimes accumulated in two consecutive cycles) and random garbage on every port whose enable is
 * low; every pass writes the configuration with a rounding mode of the array's, drawn. It also returns the output rows a pure quant/spec computation expects, independent of any simulator.
 */
import { ROUNDING_MODES, requantize, type RoundingMode } from '../../quant/spec/index.ts';
import { Rng } from '../../quant/random.ts';
import { IN, ROUND_CODE, aDataOffset, inWords as beatWords } from '../../hw-sim/contract/index.ts';

export interface TileShape {
  rows: number;
  cols: number;
  accDepth: number;
  /** The modes the build implements (its RoundingModes); each pass draws one. Default all three. */
  roundingModes?: readonly RoundingMode[];
}

export interface ExpectedRow {
  /** The cycle in which the row must be on o_*. */
  cycle: number;
  addr: number;
  data: number[];
  acc: number[];
}

export interface TileProgram {
  cycles: number;
  inWords: number;
  /** cycles * inWords words. */
  input: Int32Array;
  expected: ExpectedRow[];
  passes: number;
}

/** The input beat's word offsets (section 7), from the contract. */
const F = IN;

class Timeline {
  private readonly beats: Int32Array[] = [];
  constructor(private readonly shape: TileShape, private readonly rng: Rng, readonly inWords: number) {}

  /** The beat of cycle t, created (with in-range garbage on disabled ports) if needed. */
  at(t: number): Int32Array {
    while (this.beats.length <= t) this.beats.push(this.garbage());
    return this.beats[t] as Int32Array;
  }

  get length(): number {
    return this.beats.length;
  }

  private garbage(): Int32Array {
    const { rows: R, cols: C, accDepth: D } = this.shape;
    const rng = this.rng;
    const b = new Int32Array(this.inWords);
    b[F.wBank] = rng.int(0, 1);
    b[F.wRow] = rng.int(0, R - 1);
    b[F.aBank] = rng.int(0, 1);
    b[F.aFirst] = rng.int(0, 1);
    b[F.aLast] = rng.int(0, 1);
    b[F.aAddr] = rng.int(0, D - 1);
    b[F.pCol] = rng.int(0, C - 1);
    b[F.pBias] = rng.int32();
    b[F.pM0] = rng.int(0, 2 ** 31 - 1);
    b[F.pShift] = rng.int(-31, 30);
    b[F.cZp] = rng.int(-128, 127);
    b[F.cMin] = rng.int(-128, 127);
    b[F.cMax] = rng.int(-128, 127);
    b[F.cRound] = rng.int(0, 3); // the reserved code too: ignored without c_en
    for (let i = F.wData; i < this.inWords; i++) b[i] = rng.int(-128, 127);
    return b;
  }

  flatten(extra: number): Int32Array {
    this.at(this.beats.length + extra - 1);
    const out = new Int32Array(this.beats.length * this.inWords);
    this.beats.forEach((b, t) => out.set(b, t * this.inWords));
    return out;
  }
}

/** A random program of `passes` GEMM passes (M <= min(accDepth, 12), 1..3 K-tiles each). */
export function tileProgram(shape: TileShape, seed: number, passes = 4): TileProgram {
  const { rows: R, cols: C, accDepth: D } = shape;
  const rng = new Rng(seed);
  const inWords = beatWords({ rows: R, cols: C });
  const tl = new Timeline(shape, rng, inWords);
  const L = R + C + 1;
  const expected: ExpectedRow[] = [];
  const lastBeatOfBank = [-1e9, -1e9];
  let wFree = 0; // next cycle free for a weight-row write
  let aFree = 0; // next cycle free for a beat
  let prevLastBeat = -1e9; // the latest `last` beat of the previous parameter set
  let prevParamEnd = -2; // hw-sim's hazard checker takes adjacent parameter runs as one set: keep a gap
  let bank = 0;

  for (let p = 0; p < passes; p++) {
    const M = rng.int(1, Math.min(D, 12));
    const KT = rng.int(1, 3);
    // Parameters: one run of C consecutive p_en writes (plus c_en in its first cycle), after every `last` beat of
    // the previous set has been requantized (rule 3).
    const pStart = Math.max(aFree - 3, prevLastBeat + R + C, prevParamEnd + 2, 0);
    const zp = rng.int(-20, 20);
    const lo = rng.next() < 0.3 ? zp : rng.int(-128, -60);
    const hi = rng.int(60, 127);
    const round = rng.pick(shape.roundingModes ?? ROUNDING_MODES);
    const bias: number[] = [];
    const m0: number[] = [];
    const shift: number[] = [];
    for (let c = 0; c < C; c++) {
      bias.push(rng.next() < 0.2 ? rng.int32() : rng.int(-20000, 20000));
      m0.push(rng.next() < 0.1 ? rng.int(0, 2 ** 31 - 1) : rng.int(2 ** 30, 2 ** 31 - 1));
      shift.push(rng.next() < 0.1 ? rng.int(-31, 30) : rng.int(-14, -6));
    }
    for (let c = 0; c < C; c++) {
      const b = tl.at(pStart + c);
      b[F.pEn] = 1;
      b[F.pCol] = c;
      b[F.pBias] = bias[c] as number;
      b[F.pM0] = m0[c] as number;
      b[F.pShift] = shift[c] as number;
    }
    const cb = tl.at(pStart);
    cb[F.cEn] = 1;
    cb[F.cZp] = zp;
    cb[F.cMin] = lo;
    cb[F.cMax] = hi;
    cb[F.cRound] = ROUND_CODE[round];
    const pEnd = pStart + C - 1;
    prevParamEnd = pEnd;

    const X: number[][] = Array.from({ length: M }, () => Array.from({ length: KT * R }, () => rng.int(-128, 127)));
    const W: number[][] = Array.from({ length: KT * R }, () => Array.from({ length: C }, () => rng.int(-128, 127)));
    const addrs = Array.from({ length: D }, (_, i) => i);
    // The pass's rows live at M distinct random addresses.
    for (let i = D - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [addrs[i], addrs[j]] = [addrs[j] as number, addrs[i] as number];
    }

    let prevM = -1;
    for (let k = 0; k < KT; k++) {
      bank ^= 1;
      // Weight rows 0..R-1 of this K-tile into `bank` (rule 1: after the old contents' last use).
      let ready = 0;
      for (let r = 0; r < R; r++) {
        const s = Math.max(wFree, (lastBeatOfBank[bank] as number) + r + C - 1) + (rng.next() < 0.1 ? 1 : 0);
        const b = tl.at(s);
        b[F.wEn] = 1;
        b[F.wBank] = bank;
        b[F.wRow] = r;
        for (let c = 0; c < C; c++) b[F.wData + c] = (W[k * R + r] as number[])[c] as number;
        wFree = s + 1;
        ready = Math.max(ready, s - r + 1); // rule 2
      }
      let t = Math.max(aFree, ready);
      if (k === KT - 1) t = Math.max(t, pEnd + 1 - R - C); // rule 3: the new parameters serve these last beats
      // Beats in a random order of the pass's rows, with occasional idle cycles.
      const order = Array.from({ length: M }, (_, i) => i);
      for (let i = M - 1; i > 0; i--) {
        const j = rng.int(0, i);
        [order[i], order[j]] = [order[j] as number, order[i] as number];
      }
      // Often start with the row the previous K-tile ended with: a read of the address written the cycle before.
      const at = order.indexOf(prevM);
      if (k > 0 && at > 0 && rng.next() < 0.5) [order[0], order[at]] = [order[at] as number, order[0] as number];
      for (const [i, m] of order.entries()) {
        if (i > 0 && rng.next() < 0.15) t += rng.int(1, 3);
        prevM = m;
        const b = tl.at(t);
        b[F.aEn] = 1;
        b[F.aBank] = bank;
        b[F.aFirst] = k === 0 ? 1 : 0;
        b[F.aLast] = k === KT - 1 ? 1 : 0;
        b[F.aAddr] = addrs[m] as number;
        for (let r = 0; r < R; r++) b[aDataOffset({ cols: C }) + r] = (X[m] as number[])[k * R + r] as number;
        if (k === KT - 1) {
          const data: number[] = [];
          const acc: number[] = [];
          for (let c = 0; c < C; c++) {
            let sum = 0;
            for (let i = 0; i < KT * R; i++) sum = (sum + (X[m] as number[])[i]! * (W[i] as number[])[c]!) | 0;
            acc.push((sum + (bias[c] as number)) | 0);
            data.push(requantize(sum, bias[c] as number, m0[c] as number, shift[c] as number, zp, lo, hi, round));
          }
          expected.push({ cycle: t + L, addr: addrs[m] as number, data, acc });
          prevLastBeat = Math.max(prevLastBeat, t);
        }
        lastBeatOfBank[bank] = t;
        t++;
      }
      aFree = t;
    }
  }
  const input = tl.flatten(L + 2);
  expected.sort((a, b) => a.cycle - b.cycle);
  return { cycles: input.length / inWords, inWords, input, expected, passes };
}
