/**
 * Stimulus beyond the compiler's programs, still inside the contract (docs/ARCHITECTURE.md sections 3, 5 and 7):
 *  - idleNoise: random values on every port word of a group whose enable is 0 in that cycle (the contract says
 *    they are ignored; a compiled program drives zeros there, which would hide an RTL that looks at them). An
 *    idle activation slot just before a non-`first` beat always carries that beat's address with `a_first` set,
 *    the one idle combination that turns into a wrong sum if an RTL lets an idle slot touch the accumulator;
 *  - rawBeats: a hand-rolled beat stream the compiler never produces: static weights in both banks, beats in
 *    random banks on most cycles, accumulate chains on a few addresses with consecutive beats to the same address
 *    (the accumulator's read-during-write forwarding; the stream opens with such a chain, then one with an idle
 *    cycle between two of its beats), first/last in every combination rule 4 allows, and configuration writes
 *    mid-stream that switch the requantizer's rounding between the rows in flight;
 *  - resetStateBeats: a stream that reads, before writing them, the registers the contract resets to 0 (section 3):
 *    both weight banks, every column's parameters, the output configuration.
 */
import { IN, ROUND_CODE, aDataOffset, inWords, type ArrayConfig } from '../hw-sim/index.ts';
import type { Rng } from '../quant/random.ts';
import type { RoundingMode } from '../quant/spec/index.ts';
import { pickBias, pickMultiplier, pickRound } from './gemm-draws.ts';

/** Overwrites the words of disabled port groups with random values in their port's range, in place. */
export function idleNoise(rng: Rng, cfg: ArrayConfig, beats: Int32Array): void {
  const iw = inWords(cfg);
  const aOff = aDataOffset(cfg);
  const nCycles = beats.length / iw;
  const i8 = (): number => rng.int(-128, 127);
  for (let t = 0; t < nCycles; t++) {
    const o = t * iw;
    if (beats[o + IN.wEn] === 0) {
      beats[o + IN.wBank] = rng.int(0, 1);
      beats[o + IN.wRow] = rng.int(0, cfg.rows - 1);
      for (let c = 0; c < cfg.cols; c++) beats[o + IN.wData + c] = i8();
    }
    if (beats[o + IN.aEn] === 0) {
      const n = o + iw; // the next cycle
      const aimed = t + 1 < nCycles && beats[n + IN.aEn] === 1 && beats[n + IN.aFirst] === 0;
      beats[o + IN.aBank] = rng.int(0, 1);
      beats[o + IN.aFirst] = aimed ? 1 : rng.int(0, 1);
      beats[o + IN.aLast] = rng.int(0, 1);
      beats[o + IN.aAddr] = aimed ? (beats[n + IN.aAddr] as number) : rng.int(0, cfg.accDepth - 1);
      for (let r = 0; r < cfg.rows; r++) beats[o + aOff + r] = i8();
    }
    if (beats[o + IN.pEn] === 0) {
      beats[o + IN.pCol] = rng.int(0, cfg.cols - 1);
      beats[o + IN.pBias] = rng.int32();
      beats[o + IN.pM0] = rng.int(0, 2 ** 31 - 1);
      beats[o + IN.pShift] = rng.int(-31, 30);
    }
    if (beats[o + IN.cEn] === 0) {
      beats[o + IN.cZp] = i8();
      beats[o + IN.cMin] = i8();
      beats[o + IN.cMax] = i8();
      beats[o + IN.cRound] = rng.int(0, 3); // the reserved code and unimplemented modes too: ignored without c_en
    }
  }
}

/** Writes the port groups of a hand-rolled stream, one cycle at a time, keeping rule 4's open addresses. */
class StreamWriter {
  readonly beats: Int32Array;
  private readonly iw: number;
  private readonly aOff: number;
  /** Accumulator addresses a `first` beat opened and no `last` beat closed yet. */
  private readonly open = new Set<number>();

  constructor(private readonly rng: Rng, readonly cfg: ArrayConfig, nCycles: number) {
    this.iw = inWords(cfg);
    this.aOff = aDataOffset(cfg);
    this.beats = new Int32Array(nCycles * this.iw);
  }

  weightRow(t: number, bank: number, row: number): void {
    const o = t * this.iw;
    this.beats[o + IN.wEn] = 1;
    this.beats[o + IN.wBank] = bank;
    this.beats[o + IN.wRow] = row;
    for (let c = 0; c < this.cfg.cols; c++) this.beats[o + IN.wData + c] = this.rng.int(-128, 127);
  }

  /** Column col's parameters: those of the random mix, or (`scaling`) a small bias and a multiplier that keeps int8 x int8 sums in view. */
  params(t: number, col: number, scaling = false): void {
    const o = t * this.iw;
    const rng = this.rng;
    const q = scaling ? { m0: rng.int(2 ** 30, 2 ** 31 - 1), shift: rng.int(-8, -5) } : pickMultiplier(rng, this.cfg.rows, { w: 8, a: 8, o: 8 });
    this.beats[o + IN.pEn] = 1;
    this.beats[o + IN.pCol] = col;
    this.beats[o + IN.pBias] = scaling ? rng.int(-5000, 5000) : pickBias(rng); // scaling: x takes the sign of the sum
    this.beats[o + IN.pM0] = q.m0;
    this.beats[o + IN.pShift] = q.shift;
  }

  config(t: number, zp: number, min: number, max: number, round: RoundingMode): void {
    const o = t * this.iw;
    this.beats[o + IN.cEn] = 1;
    this.beats[o + IN.cZp] = zp;
    this.beats[o + IN.cMin] = min;
    this.beats[o + IN.cMax] = max;
    this.beats[o + IN.cRound] = ROUND_CODE[round];
  }

  /** A beat on `bank`: to address `addr` (an open one is continued, otherwise opened), else to a random one. */
  beat(t: number, bank: number, opts: { addr?: number; last?: boolean } = {}): void {
    const rng = this.rng;
    const addrs = Math.min(this.cfg.accDepth, 4);
    const reuse = opts.addr === undefined ? this.open.size > 0 && rng.next() < 0.6 : this.open.has(opts.addr);
    const addr = opts.addr ?? (reuse ? rng.pick([...this.open]) : rng.int(0, addrs - 1));
    const last = opts.last ?? rng.next() < 0.35;
    const o = t * this.iw;
    this.beats[o + IN.aEn] = 1;
    this.beats[o + IN.aBank] = bank;
    this.beats[o + IN.aFirst] = reuse ? 0 : 1;
    this.beats[o + IN.aLast] = last ? 1 : 0;
    this.beats[o + IN.aAddr] = addr;
    for (let r = 0; r < this.cfg.rows; r++) this.beats[o + this.aOff + r] = rng.int(-128, 127);
    if (last) this.open.delete(addr);
    else this.open.add(addr);
  }

  /** Closes every open address with `last` beats from cycle t on (one a cycle); returns the next free cycle. */
  closeAll(t: number, bank: number): number {
    for (const a of [...this.open]) this.beat(t++, bank, { addr: a, last: true });
    return t;
  }
}

/** A raw stream of `streamCycles` beat cycles after the loads, then the drain; idle groups carry noise. */
export function rawBeats(rng: Rng, cfg: ArrayConfig, streamCycles: number): Int32Array {
  const { rows: R, cols: C } = cfg;
  const start = 2 * R; // both banks loaded (rows in order), so rule 2 holds for every beat from here
  const s = new StreamWriter(rng, cfg, start + streamCycles + R + C + 2);
  for (let t = 0; t < 2 * R; t++) s.weightRow(t, t < R ? 0 : 1, t % R);
  for (let c = 0; c < C; c++) s.params(c, c);
  const [zp, min, max] = [rng.int(-20, 20), rng.int(-128, -60), rng.int(60, 127)];
  s.config(0, zp, min, max, pickRound(rng, cfg));
  // a chain on one address in consecutive cycles (first, add, add + last): read-during-write forwarding twice;
  // then a chain with an idle cycle between its beats (which idleNoise aims at: a_first and the chain's address)
  const addrs = Math.min(cfg.accDepth, 4);
  const a0 = rng.int(0, addrs - 1);
  const a1 = rng.int(0, addrs - 1);
  s.beat(start, rng.int(0, 1), { addr: a0, last: false });
  s.beat(start + 1, rng.int(0, 1), { addr: a0, last: false });
  s.beat(start + 2, rng.int(0, 1), { addr: a0, last: true });
  s.beat(start + 4, rng.int(0, 1), { addr: a1, last: false });
  s.beat(start + 6, rng.int(0, 1), { addr: a1 });
  for (let t = start + 7; t < start + streamCycles; t++) if (rng.next() >= 0.15) s.beat(t, rng.int(0, 1));
  // the rounding switched between the rows in flight: one configuration write is a set of one cycle (rule 3)
  for (let i = rng.int(1, 3); i > 0; i--) s.config(rng.int(start, start + streamCycles + R + C), zp, min, max, pickRound(rng, cfg));
  idleNoise(rng, cfg, s.beats);
  return s.beats;
}

/**
 * Reads reset state before writing it (every `_q` resets to 0, ARCHITECTURE.md sections 3 and 4). Four phases;
 * each is a burst of beats on both banks whose chains all close, then R + C + 1 idle cycles in which the burst's
 * last rows are requantized, so that every row sees exactly the state of its phase:
 *  1. nothing written since reset: all weights are 0, every row is requantized with bias 0, m0 0, shift 0 and
 *     zp = min = max = 0, so o_acc_o and o_data_o show 0 (a weight or a bias that kept a value shows);
 *  2. bank 0 and the parameters of every other column (even or odd, drawn) are written, the configuration is not:
 *     those columns make y != 0, which the reset clamp min = max = 0 must still turn into 0 (a min or max that kept
 *     a value shows);
 *  3. the configuration is written: the other columns keep their reset parameters to the end, so bank 0's x != 0
 *     meets m0 = 0 and gives o_data_o = zp (a multiplier that kept a value shows);
 *  4. bank 1 is written except its last row, which keeps its reset weights to the end.
 * Weights are written only after an idle drain (rule 1), parameters one column a cycle with gaps (no parameter set
 * spans a requantization, rule 3), and beats follow the writes (rule 2).
 */
export function resetStateBeats(rng: Rng, cfg: ArrayConfig): Int32Array {
  const { rows: R, cols: C } = cfg;
  const burst = Math.max(16, 2 * (R + C)); // about 6 output rows and more
  const phase = burst + 4 + R + C + 1; // beats, at most 4 closing beats, the drain
  const p2 = phase; // bank 0 rows and every other column's parameters
  const p3 = p2 + Math.max(R, C) + phase; // the configuration
  const p4 = p3 + 1 + phase; // bank 1 rows 0 .. R-2
  const end = p4 + R + phase;
  const s = new StreamWriter(rng, cfg, end + 1);
  const burstAt = (t0: number): void => {
    for (let t = t0; t < t0 + burst; t++) if (rng.next() >= 0.1) s.beat(t, rng.int(0, 1));
    s.closeAll(t0 + burst, rng.int(0, 1));
  };
  burstAt(0);
  for (let r = 0; r < R; r++) s.weightRow(p2 + r, 0, r);
  for (let c = rng.int(0, 1); c < C; c += 2) s.params(p2 + c, c, true);
  burstAt(p2 + Math.max(R, C));
  s.config(p3, rng.int(-50, 50), rng.int(-128, -100), rng.int(100, 127), pickRound(rng, cfg));
  burstAt(p3 + 1);
  for (let r = 0; r < R - 1; r++) s.weightRow(p4 + r, 1, r);
  burstAt(p4 + R);
  idleNoise(rng, cfg, s.beats);
  return s.beats;
}
