/**
 * The cycle-accurate model of the weight-stationary systolic array of docs/ARCHITECTURE.md.
 *
 * State holds only registers, named after their RTL flops (`psumQ` for `psum_q`), in flat Int32Arrays. One cycle
 * (ArrayModel.step, array-model.ts) is the next-state functions (read the registers and the input beat, write next
 * values into `D` buffers and pending writes) and the clock edge (swaps `D` and `Q`, lands the pending writes,
 * advances the cycle); this file holds the grid's and the chains' part of both. Nothing allocates per cycle.
 *
 * Storage of the shift-register chains (docs/ARCHITECTURE.md section 12; `readRegisters` and the accessors `aQ`,
 * `vQ`, `bankQ`, `skewQ`, `deskewQ`, `ctrlQ` decode it). A chain of registers that only shifts (each register copies its neighbour) is stored as a
 * circular buffer over time: the value that entered the chain in cycle t sits in slot t mod H, and register k of the
 * chain (0 = the one the ports feed) holds, in cycle τ, the value that entered in cycle τ-1-k. Shifting the whole
 * chain is then one write of the new value at the edge. This covers:
 *  - row r's activation chain: its r input-skew registers, then a_q/v_q/bank_q of PE (r, 0), (r, 1), ... (r, C-1),
 *    so a_q of PE (r, c) is register r + c of row r's chain. Slots hold a token a & 0xff | v << 8 | bank << 9;
 *  - the de-skew lines: column c's C-1-c registers hold psum_q of PE (R-1, c) of earlier cycles. A value is stored
 *    under the cycle it leaves its line (it enters in cycle t, leaves in t + C-1-c), so that the sums the accumulate
 *    stage takes in cycle τ are one contiguous row, slot τ mod H;
 *  - the control line: R+C-1 registers of a_en, a_first, a_last, a_addr.
 * `nextLines()` writes the slot of the current cycle in each chain: no register holds that slot (every chain is shorter
 * than H - 1), so the registers keep their values until the edge. Registers that compute (psum_q, the accumulate
 * and requantize stages) are double-buffered; registers with a write enable (the weights, parameters and configuration of
 * programmed-registers.ts; the accumulator memory, acc_q, o_data_q, o_acc_q of output-stages.ts) take a pending write at
 * the edge.
 */
import { RangeCheckError } from '../quant/errors.ts';
import { mac } from '../quant/spec/index.ts';
import { ArrayModel, type ArraySimOptions } from './array-model.ts';
import { IN, REG_WORDS_PER_PE, regWords, type ArrayConfig } from './contract/index.ts';
import { formatTrace } from './trace.ts';

export type { ArraySimOptions } from './array-model.ts';

/** Slots of every circular chain: a power of two above the longest chain (R + C - 1 <= 63) plus the slot written. */
export const CHAIN_SLOTS = 128;
const MASK = CHAIN_SLOTS - 1;

/** Token bits of the activation chain. */
export const TOKEN_V = 0x100;
export const TOKEN_BANK_SHIFT = 9;

/**
 * The PE array's next state: PE (r, c) multiplies the token that entered row r in cycle τ-r-c with its weight of
 * that token's bank and adds psum_q of the PE above; psum_q is the half of ps at cur, psum_d is written to the other.
 */
function peArrayNext(chain: Int32Array, ps: Int32Array, w: Int32Array, R: number, C: number, tau: number, cur: number): void {
  const H = CHAIN_SLOTS;
  const n = R * C;
  const nxt = n - cur;
  for (let c = 0, h0 = H + (tau & MASK); c < C; c++) {
    const tok = chain[h0 - c] as number;
    ps[nxt + c] = (tok & TOKEN_V) !== 0 ? mac(0, (tok << 24) >> 24, w[c + (tok >> TOKEN_BANK_SHIFT) * n] as number) : 0;
  }
  for (let r = 1; r < R; r++) {
    const base = r * C;
    const h0 = r * 2 * H + H + ((tau - r) & MASK);
    const up = cur + base - C;
    const dn = nxt + base;
    for (let c = 0; c < C; c++) {
      const tok = chain[h0 - c] as number;
      ps[dn + c] = (tok & TOKEN_V) !== 0 ? mac(ps[up + c] as number, (tok << 24) >> 24, w[base + c + (tok >> TOKEN_BANK_SHIFT) * n] as number) : 0;
    }
  }
}

export class ArraySim extends ArrayModel {
  /** psum_q of PE (r, c) at psumCur + r*C + c; the other half of the buffer holds the next values (psum_d). */
  readonly psumBuf: Int32Array;
  psumCur = 0;
  /** Row r's activation chain (skew registers, then a_q/v_q/bank_q of the PEs): slots r*2H .. r*2H+2H-1, each token twice (slot s and s+H). */
  readonly actChain: Int32Array;
  /** The de-skew lines: psum_q of PE (R-1, c) of cycle t at ((t + C-1-c) mod H)*C + c (a row of C per exit cycle). */
  readonly deskewChain: Int32Array;
  /** The control line (a_en, a_first, a_last, a_addr of cycle t at t mod H). */
  readonly ctrlEnChain: Int32Array;
  readonly ctrlFirstChain: Int32Array;
  readonly ctrlLastChain: Int32Array;
  readonly ctrlAddrChain: Int32Array;

  constructor(cfg: ArrayConfig, opts: ArraySimOptions = {}) {
    super(cfg, opts);
    const R = this.rows;
    const C = this.cols;
    this.psumBuf = new Int32Array(2 * R * C);
    this.actChain = new Int32Array(R * 2 * CHAIN_SLOTS);
    this.deskewChain = new Int32Array(C * CHAIN_SLOTS);
    this.ctrlEnChain = new Int32Array(CHAIN_SLOTS);
    this.ctrlFirstChain = new Int32Array(CHAIN_SLOTS);
    this.ctrlLastChain = new Int32Array(CHAIN_SLOTS);
    this.ctrlAddrChain = new Int32Array(CHAIN_SLOTS);
  }

  protected resetLines(): void {
    for (const a of [this.psumBuf, this.actChain, this.deskewChain, this.ctrlEnChain, this.ctrlFirstChain, this.ctrlLastChain, this.ctrlAddrChain]) {
      a.fill(0);
    }
    this.psumCur = 0;
  }

  /** The token (a & 0xff | v << 8 | bank << 9) in register k of row r's activation chain. */
  private token(r: number, k: number): number {
    return this.actChain[r * 2 * CHAIN_SLOTS + ((this.cycle - 1 - k) & MASK)] as number;
  }

  /** a_q of PE (r, c). */
  aQ(r: number, c: number): number {
    return (this.token(r, r + c) << 24) >> 24;
  }
  /** v_q of PE (r, c). */
  vQ(r: number, c: number): number {
    return (this.token(r, r + c) >> 8) & 1;
  }
  /** bank_q of PE (r, c). */
  bankQ(r: number, c: number): number {
    return (this.token(r, r + c) >> TOKEN_BANK_SHIFT) & 1;
  }
  /** Input skew register j (0 = fed by the ports) of row r, 1 <= r < R, j < r: [a, v, bank]. */
  skewQ(r: number, j: number): [number, number, number] {
    const t = this.token(r, j);
    return [(t << 24) >> 24, (t >> 8) & 1, (t >> TOKEN_BANK_SHIFT) & 1];
  }
  /** De-skew register j (0 = fed by PE (R-1, c)) of column c, j < C-1-c. */
  deskewQ(c: number, j: number): number {
    return this.deskewChain[((this.cycle - 1 - j + this.cols - 1 - c) & MASK) * this.cols + c] as number;
  }
  /** Control-line register j (0 = fed by the ports), j < R+C-1: [en, first, last, addr]. */
  ctrlQ(j: number): [number, number, number, number] {
    const s = (this.cycle - 1 - j) & MASK;
    return [this.ctrlEnChain[s] as number, this.ctrlFirstChain[s] as number, this.ctrlLastChain[s] as number, this.ctrlAddrChain[s] as number];
  }

  /** psum_q of every PE (r*C + c), a copy. */
  get psumQ(): Int32Array {
    return this.psumBuf.slice(this.psumCur, this.psumCur + this.rows * this.cols);
  }

  /** The PE registers in the readout layout of section 6 (REG_WORDS_PER_PE words per PE). */
  readRegisters(out: Int32Array, off = 0): void {
    const R = this.rows;
    const C = this.cols;
    const { w0Q, w1Q } = this.programmed;
    if (out.length < off + regWords(this.cfg)) {
      throw new RangeCheckError(`readRegisters: needs ${regWords(this.cfg)} words, got ${out.length - off}`);
    }
    for (let r = 0; r < R; r++) {
      for (let c = 0; c < C; c++) {
        const i = r * C + c;
        const o = off + i * REG_WORDS_PER_PE;
        const t = this.token(r, r + c);
        out[o] = w0Q[i] as number;
        out[o + 1] = w1Q[i] as number;
        out[o + 2] = (t << 24) >> 24;
        out[o + 3] = (t >> 8) & 1;
        out[o + 4] = (t >> TOKEN_BANK_SHIFT) & 1;
        out[o + 5] = this.psumBuf[this.psumCur + i] as number;
      }
    }
  }

  /** The one-line trace of the cycle last stepped (inputs, accumulate and requantize stages, outputs). */
  traceLine(): string {
    return formatTrace(this, this.lastIn, this.lastInOff, this.lastOut, this.lastOutOff);
  }

  /**
   * Next-state function of the chains and the grid. Writes only psum_d and the chain slots of the current cycle (slot
   * τ mod H, which no register holds: the longest chain is shorter than H - 1).
   */
  protected nextLines(b: Int32Array, o: number): void {
    this.nextChains(b, o);
    peArrayNext(this.actChain, this.psumBuf, this.programmed.wQ, this.rows, this.cols, this.cycle, this.psumCur);
    this.nextAccumulate();
  }

  /** Register 0 of every chain takes its input: the activation rows and the control line from the ports, the de-skew lines from the bottom PE row. */
  private nextChains(b: Int32Array, o: number): void {
    const R = this.rows;
    const C = this.cols;
    const H = CHAIN_SLOTS;
    const slot = this.cycle & MASK;
    const aEn = (b[o + IN.aEn] as number) & 1;
    // bank_d = bank_in whatever the valid bit (ARCHITECTURE.md section 4): a_bank_i enters the line even when a_en_i is 0.
    const tokHi = (aEn === 1 ? TOKEN_V : 0) | (((b[o + IN.aBank] as number) & 1) << TOKEN_BANK_SHIFT);
    // row r's register 0 is its first skew register (a_q of PE (0, 0) for row 0)
    const chain = this.actChain;
    const aOff = o + this.aOff;
    for (let r = 0; r < R; r++) {
      const tok = ((b[aOff + r] as number) & 0xff) | tokHi;
      const s = r * 2 * H + slot;
      chain[s] = tok;
      chain[s + H] = tok;
    }
    // column c's de-skew line takes psum_q of PE (R-1, c)
    const bottom = this.psumCur + (R - 1) * C;
    const ps = this.psumBuf;
    const dsk = this.deskewChain;
    for (let c = 0; c < C; c++) dsk[((slot + C - 1 - c) & MASK) * C + c] = ps[bottom + c] as number;
    // the control line
    const first = (b[o + IN.aFirst] as number) & 1;
    const last = (b[o + IN.aLast] as number) & 1;
    this.ctrlEnChain[slot] = aEn;
    this.ctrlFirstChain[slot] = first;
    this.ctrlLastChain[slot] = last;
    this.ctrlAddrChain[slot] = (b[o + IN.aAddr] as number) & (this.depth - 1);
    if (aEn === 1) {
      const cnt = this.counters;
      cnt.beats++;
      cnt.peMacs += R * C;
      if (first === 1) cnt.firstBeats++;
      if (last === 1) cnt.lastBeats++;
    }
  }

  /** Accumulate stage: the beat at the end of the control line meets its de-skewed sums (the row of this cycle's exit slot). */
  private nextAccumulate(): void {
    const s = (this.cycle - (this.rows + this.cols - 1)) & MASK;
    const sums = (this.cycle & MASK) * this.cols;
    this.stages.nextAccumulate(this.ctrlEnChain[s] as number, this.ctrlFirstChain[s] as number, this.ctrlLastChain[s] as number, this.ctrlAddrChain[s] as number, this.deskewChain, sums, this.counters);
  }

  /** The clock edge: psum_d becomes psum_q (the chains shift by the slot nextLines() wrote). */
  protected commitLines(): void {
    this.psumCur = this.rows * this.cols - this.psumCur;
  }
}
