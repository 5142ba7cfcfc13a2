/**
 * The cycle-accurate model of the weight-stationary systolic array of docs/ARCHITECTURE.md.
 *
 * State holds only registers, named after their RTL flops (`psumQ` for `psum_q`), in flat Int32Arrays. One cycle
 * (ArrayModel.step, array-model.ts) is the next-state functions (read the registers and the input beat, write next
 * values into `D` buffers and pending writes) and the clock edge (swaps `D` and `Q`, lands the pending writes,
 * advances the cycle); this file holds the grid's and the chains' part of both. Nothing allocates per cycle.
 *
 * Storage of the shift-register chains (docs/ARCHITECTURE.md section 12; `readRegisters` and the accessors `aQ`,
 * `vQ`, `bankQ`, `skewQ`, `deskewQ`, `ctrlQ` decode it). A chain of registers that only shifts (each register
 * copies its neighbour) is stored as a circular buffer over time: the value that entered the chain in cycle t sits in
 * slot t mod H, and register k of the chain (0 = the one the ports feed) holds, in cycle τ, the value that entered in
 * cycle τ-1-k. Shifting the whole chain is then one write of the new value at the edge. This covers:
 *  - row r's activation chain: its r input-skew registers, then a_q/v_q/bank_q of PE (r, 0), (r, 1), ... (r, C-1),
 *    so a_q of PE (r, c) is register r + c of row r's chain. Its a values are row r's own chain; its valid and bank
 *    bits are those of the beat that entered with them, the same in every row, so that every row reads them from one
 *    pair of chains (the beat's a_en and a_bank of cycle t at slot t);
 *  - the de-skew lines: column c's C-1-c registers hold psum_q of PE (R-1, c) of earlier cycles. A value is stored
 *    under the cycle it leaves its line (it enters in cycle t, leaves in t + C-1-c), so that the sums the accumulate
 *    stage takes in cycle τ are one contiguous row, slot τ mod H;
 *  - the control line: R+C-1 registers of a_en (the beat's valid chain above), a_first, a_last, a_addr.
 * `nextLines()` writes the slot of the current cycle in each chain: no register holds that slot (every chain is shorter
 * than H - 1), so the registers keep their values until the edge. Registers that compute (psum_q, the accumulate
 * and requantize stages) are double-buffered; registers with a write enable (the weights, parameters and configuration of
 * programmed-registers.ts; acc_q, o_data_q, o_acc_q of output-stages.ts) take a pending write at the edge, and the
 * accumulator memory its row in the accumulate cycle (output-stages.ts says why that is the same).
 *
 * The grid's fast path. psum_q of PE (r, c) in cycle τ belongs to the beat e = τ-1-r-c: it is 0 when that beat's
 * a_en was 0, else the column's dot product over rows 0..r of the beat's a with the weights of its bank as each PE row
 * saw them. So while no weight write to a row of a bank has landed after a beat of that bank still in flight met
 * the row (the beats of the last R+C-1 cycles; beats of both banks, and idle ones, may be among them; a write just
 * ahead of a bank's first beats, as compiled programs load a bank row by row, is seen by all of them), the current
 * weights are the ones every beat met, and the grid needs no register by register update: a cycle computes only what leaves
 * the grid, the de-skew lines' values, a beat's whole row of them at once (the vector-matrix product of its a with
 * its bank's weights: `lazy` cycles, nextDeskewLazy). `psumBuf` is then stale; the first cycle that needs the grid
 * register by register (a write to a bank with beats in flight) and `psumQ` / `readRegisters` first fill it from the
 * same dot products (`fillPsum`). Every register has the value of
 * the register-by-register update in every cycle either way. Inside run(), whose input holds the beats to come, a
 * lazy cycle takes its beat's row from rows computed ahead in one call of hw-sim's WebAssembly kernel
 * (wasm/beat-rows.wat) for up to ROWS_AHEAD beats of its bank (`rowAhead`): at 8x8 about 25 ns a row in the kernel
 * and 50 in copying the beats in and the rows out (a 2,000-image cosim profile), against 200-300 ns of JavaScript
 * multiply-adds. And a run of lazy cycles whose beats write no register through the ports runs `quiet` (runQuiet):
 * the chains and de-skew rows of up to H-(R+C-1) cycles in one loop, then the back end's cycles in one call of
 * OutputStages.runQuiet, instead of a step() a cycle.
 */
import { RangeCheckError } from '../quant/errors.ts';
import { mac } from '../quant/spec/index.ts';
import { ArrayModel, type ArraySimOptions } from './array-model.ts';
import { IN, REG_WORDS_PER_PE, regWords, type ArrayConfig } from './contract/index.ts';
import { formatTrace } from './trace.ts';
import { beatRowsKernel, beatRowsMemory } from './wasm/beat-rows.ts';

export type { ArraySimOptions } from './array-model.ts';

/** Slots of every circular chain: a power of two above the longest chain (R + C - 1 <= 63) plus the slot written. */
export const CHAIN_SLOTS = 128;
const MASK = CHAIN_SLOTS - 1;

/** Beats whose de-skew rows a lazy cycle computes ahead in one call of the WebAssembly kernel (at most). */
export const ROWS_AHEAD = 256;
/** Fewer beats of one lane left in the run than this: the lazy cycles compute their rows one at a time in JavaScript. */
const MIN_ROWS_AHEAD = 8;


/**
 * The first cycle from t (before end) of a run whose beat (in b from inStart, iw words a cycle) writes a register
 * through the ports (w_en, p_en or c_en), or end.
 */
function quietFrom(b: Int32Array, inStart: number, iw: number, t: number, end: number): number {
  for (let o = inStart + t * iw; t < end; t++, o += iw) {
    if ((((b[o + IN.wEn] as number) | (b[o + IN.pEn] as number) | (b[o + IN.cEn] as number)) & 1) === 1) return t;
  }
  return end;
}

/** The kernel's memory as words (one view for every ArraySim of this thread; a new one after the memory grows). */
let kernelWords: Int32Array | undefined;

/** What a PE does with a beat, in one number: 0 when its a_en was 0 (psum_d = 0 whatever its bank), else 1 + a_bank. */
function laneOf(en: number, bank: number): number {
  return en === 1 ? 1 + bank : 0;
}

/**
 * The PE array's next state when every PE sees a valid beat on one bank (wb = bank * R*C, the bank's offset in w):
 * PE (r, c) multiplies the a of the beat that entered row r in cycle τ-r-c (at h0 - c, each chain holding every slot
 * twice) with its weight and adds psum_in. psum_in of PE (r, c) is at cur + r*C + c, its psum_d at nxt + C + r*C + c.
 */
function peArrayNextUniform(act: Int32Array, ps: Int32Array, w: Int32Array, R: number, C: number, tau: number, cur: number, nxt: number, wb: number): void {
  const H = CHAIN_SLOTS;
  for (let r = 0; r < R; r++) {
    const base = r * C;
    const h0 = r * 2 * H + H + ((tau - r) & MASK);
    const up = cur + base;
    const dn = nxt + C + base;
    const wr = wb + base;
    for (let c = 0; c < C; c++) ps[dn + c] = mac(ps[up + c] as number, act[h0 - c] as number, w[wr + c] as number);
  }
}

/** The same for beats of different valid bits or banks in flight: each PE reads its beat's (en and bank: one chain each, slot h0 - c). */
function peArrayNextMixed(act: Int32Array, en: Int32Array, bank: Int32Array, ps: Int32Array, w: Int32Array, R: number, C: number, tau: number, cur: number, nxt: number): void {
  const H = CHAIN_SLOTS;
  const n = R * C;
  for (let r = 0; r < R; r++) {
    const base = r * C;
    const h0 = H + ((tau - r) & MASK);
    const a0 = r * 2 * H + h0;
    const up = cur + base;
    const dn = nxt + C + base;
    for (let c = 0; c < C; c++) {
      const h = h0 - c;
      ps[dn + c] = en[h] === 1 ? mac(ps[up + c] as number, act[a0 - c] as number, w[(bank[h] as number) * n + base + c] as number) : 0;
    }
  }
}

/**
 * One beat's column sums (the beat in slot s of the activation chains, the weights of a bank at wb): out[row + c] =
 * mac over rows 0 .. R-1 of a[r] * w[wb + r*C + c], row 0 first, as the grid's columns add them. Four rows at a
 * time (in order), so that each column's sum is loaded and stored once per four rows.
 */
function beatRow(act: Int32Array, w: Int32Array, out: Int32Array, R: number, C: number, s: number, wb: number, row: number): void {
  const H2 = 2 * CHAIN_SLOTS;
  for (let c = 0; c < C; c++) out[row + c] = 0; // a loop, not fill(): C words are shorter than the call
  let r = 0;
  for (; r + 3 < R; r += 4) {
    const a0 = act[r * H2 + s] as number;
    const a1 = act[(r + 1) * H2 + s] as number;
    const a2 = act[(r + 2) * H2 + s] as number;
    const a3 = act[(r + 3) * H2 + s] as number;
    const w0 = wb + r * C;
    const w1 = w0 + C;
    const w2 = w1 + C;
    const w3 = w2 + C;
    for (let c = 0; c < C; c++) {
      const x = mac(mac(out[row + c] as number, a0, w[w0 + c] as number), a1, w[w1 + c] as number);
      out[row + c] = mac(mac(x, a2, w[w2 + c] as number), a3, w[w3 + c] as number);
    }
  }
  for (; r < R; r++) {
    const a = act[r * H2 + s] as number;
    const wr = wb + r * C;
    for (let c = 0; c < C; c++) out[row + c] = mac(out[row + c] as number, a, w[wr + c] as number);
  }
}

export class ArraySim extends ArrayModel {
  /**
   * psum_q of PE (r, c) at psumCur + C + r*C + c; the other half of the buffer (R*C + C words each) holds the next
   * values (psum_d). Each half begins with a row of zeros, psum_in of PE row 0.
   */
  readonly psumBuf: Int32Array;
  psumCur = 0;
  /** Row r's activation chain (skew registers, then a_q of the PEs): slots r*2H .. r*2H+2H-1, each value twice (slot s and s+H). */
  readonly actChain: Int32Array;
  /** The beats' a_en (v_q of the activation chains, the control line's en) and a_bank (bank_q) of cycle t at slots t mod H and that + H. */
  readonly enChain: Int32Array;
  readonly bankChain: Int32Array;
  /** The de-skew lines: psum_q of PE (R-1, c) of cycle t at ((t + C-1-c) mod H)*C + c (a row of C per exit cycle). */
  readonly deskewChain: Int32Array;
  /** The rest of the control line (a_first, a_last, a_addr of cycle t at t mod H). */
  readonly ctrlFirstChain: Int32Array;
  readonly ctrlLastChain: Int32Array;
  readonly ctrlAddrChain: Int32Array;

  /** laneOf() of the beat that entered last, and the cycle it became that (the grid is uniform R+C-2 cycles later). */
  private lane = 0;
  private laneSince = -CHAIN_SLOTS;
  /**
   * Bank 0 / 1: the last beat on that bank that met a PE of a row before a write to the row landed
   * (lastBeatReaching), over every write sampled: the last beat of the bank whose PEs may not all have met the same
   * weights.
   */
  private readonly beatAtWrite = new Float64Array(2);
  /** psumBuf holds psum_q (false after a lazy cycle, until fillPsum). */
  private psumValid = true;
  /** No lazy cycle before this one: psum_q was read (a deep-mode caller reads it every cycle, and would pay a fillPsum each). */
  private eagerUntil = 0;
  /** The last lazy cycle (the de-skew rows of the beats up to τ-R are entered while the cycles are lazy). */
  private lastLazy = -CHAIN_SLOTS;
  /** Weight writes sampled to bank 0 / 1 since the object was made: a row computed ahead is good while its bank's count is unchanged. */
  private readonly bankWrites = new Float64Array(2);
  /**
   * Rows computed ahead (rowAhead): the de-skew rows of the beats of cycles rowsFrom .. rowsFrom+rowsCount-1, all
   * on bank rowsBank with a_en 1, from that bank's weights after bankWrites of it was rowsWrites.
   */
  private readonly rowsAhead: Int32Array;
  /** Lazy cycles that took their row from rowsAhead (a statistic for tests and benches; not reset). */
  rowsAheadUsed = 0;
  /** Cycles runQuiet takes at most in one call: H - (R+C-1), at least 65 (runQuiet says why). */
  private readonly quietBlock: number;
  /** Cycles run quiet (runQuiet; a statistic for tests and benches; not reset). */
  quietCycles = 0;
  /** Cycles that were not lazy: the grid ran register by register (a statistic for tests and benches; not reset). */
  gridCycles = 0;
  private rowsFrom = 0;
  private rowsCount = 0;
  private rowsBank = -1;
  private rowsWrites = -1;
  /** The run() in progress (undefined outside one): its input, where the beat of cycle runCycle0 starts, the cycle after its last. */
  private runIn: Int32Array | undefined;
  private runInStart = 0;
  private runCycle0 = 0;
  private runEnd = 0;

  constructor(cfg: ArrayConfig, opts: ArraySimOptions = {}) {
    super(cfg, opts);
    const R = this.rows;
    const C = this.cols;
    this.psumBuf = new Int32Array(2 * (R * C + C));
    this.actChain = new Int32Array(R * 2 * CHAIN_SLOTS);
    this.enChain = new Int32Array(2 * CHAIN_SLOTS);
    this.bankChain = new Int32Array(2 * CHAIN_SLOTS);
    this.deskewChain = new Int32Array(C * CHAIN_SLOTS);
    this.ctrlFirstChain = new Int32Array(CHAIN_SLOTS);
    this.ctrlLastChain = new Int32Array(CHAIN_SLOTS);
    this.ctrlAddrChain = new Int32Array(CHAIN_SLOTS);
    this.rowsAhead = new Int32Array(ROWS_AHEAD * C);
    this.quietBlock = CHAIN_SLOTS - (R + C - 1);
  }

  /**
   * As ArrayModel.run; while it runs, a lazy cycle may compute the rows of the beats still to come in this run
   * (rowAhead), since they are in inBuf already.
   */
  override run(nCycles: number, inBuf: Int32Array, outBuf: Int32Array, inStart = 0, outStart = 0): void {
    this.checkRun(nCycles, inBuf, outBuf, inStart, outStart);
    const iw = this.inWords;
    const ow = this.outWords;
    this.runIn = inBuf;
    this.runInStart = inStart;
    this.runCycle0 = this.cycle;
    this.runEnd = this.cycle + nCycles;
    const hazards = this.checksHazards;
    try {
      let quietEnd = 0; // cycles t .. quietEnd-1 of this run write no register through the ports
      for (let t = 0; t < nCycles; ) {
        if (!hazards && t >= quietEnd) quietEnd = quietFrom(inBuf, inStart, iw, t, nCycles);
        if (!hazards && t < quietEnd && this.mayRunQuiet()) {
          const n = Math.min(quietEnd - t, this.quietBlock);
          this.runQuiet(n, inBuf, inStart + t * iw, outBuf, outStart + t * ow);
          t += n;
        } else {
          this.step(inBuf, inStart + t * iw, outBuf, outStart + t * ow);
          t++;
        }
      }
    } finally {
      this.runIn = undefined;
    }
  }

  /**
   * Whether the cycles to come may run quiet (runQuiet) while their beats write no register: this one is lazy, the
   * one before was (so the de-skew rows of the beats in flight are in the chain), and no one reads psum_q now.
   * Without writes, a lazy cycle's successors are lazy too.
   */
  private mayRunQuiet(): boolean {
    return this.lastLazy === this.cycle - 1 && this.cycle >= this.eagerUntil && this.lazyCycle();
  }

  /**
   * n lazy cycles whose beats (in b from o, inWords each) write no weight, parameter or configuration register (n
   * at most quietBlock): the same registers and outputs as n step()s. Nothing in them can be refused (only a write
   * can be, and no hazard checker runs), and with no write ProgrammedRegisters' sample() and commit() do nothing.
   * First the chains and the de-skew rows of all n cycles (the rows of the beats of τ-R, as nextDeskewLazy), then the
   * back end's n cycles in one call. What the back end reads is there, and not yet overwritten, while n <= H-(R+C-1):
   * its rows (slots τ0 .. τ0+n-1) were entered by cycle τ0+n-C at the latest, and the ones entered here (up to slot
   * τ0+n+C-2) wrap onto none of them while n + C - 1 <= H; its beats at the end of the control line (slots τ0-(R+C-1)
   * .. τ0+n-1-(R+C-1)) are not overwritten by the chains' slots τ0 .. τ0+n-1 while n <= H - (R+C-1).
   */
  private runQuiet(n: number, b: Int32Array, o: number, out: Int32Array, outOff: number): void {
    const iw = this.inWords;
    const tau0 = this.cycle;
    // The a values of a beat are read from the chains only by the registers (the beats of the last R+C-1 cycles)
    // and by a row computed in JavaScript (beatRow, when the rows ahead do not hold it); the rows ahead and the
    // kernel read them from b. So only the beats from actFrom on enter theirs here, and a row computed in
    // JavaScript enters its beat's first.
    const actFrom = tau0 + n - (this.rows + this.cols - 1);
    for (let i = 0; i < n; i++) {
      const tau = tau0 + i;
      this.nextChainsAt(b, o + i * iw, tau, tau >= actFrom);
      const e = tau - this.rows;
      this.deskewRowLazy(tau, b, e >= tau0 && e < actFrom ? o + (e - tau0) * iw : -1);
    }
    this.lastLazy = tau0 + n - 1;
    this.psumValid = false;
    this.quietCycles += n;
    // psumCur stays: psum_q is stale after lazy cycles (psumValid), and fillPsum fills whichever half is current
    this.stages.runQuiet(n, tau0, this.enChain, this.ctrlFirstChain, this.ctrlLastChain, this.ctrlAddrChain, this.rows + this.cols - 1, MASK, this.deskewChain, out, outOff, this.outWords, this.counters);
    this.advance(n, b, o + (n - 1) * iw, out, outOff + (n - 1) * this.outWords);
  }

  protected resetLines(): void {
    for (const a of [this.psumBuf, this.actChain, this.enChain, this.bankChain, this.deskewChain, this.ctrlFirstChain, this.ctrlLastChain, this.ctrlAddrChain]) {
      a.fill(0);
    }
    this.psumCur = 0;
    this.lane = 0;
    this.laneSince = -CHAIN_SLOTS;
    this.beatAtWrite.fill(-CHAIN_SLOTS);
    this.psumValid = true;
    this.eagerUntil = 0;
    this.lastLazy = -CHAIN_SLOTS;
    this.rowsCount = 0; // the weights are 0 again
  }

  /** The slot of register k of a chain (the value that entered in cycle τ-1-k). */
  private slot(k: number): number {
    return (this.cycle - 1 - k) & MASK;
  }

  /** a_q of PE (r, c). */
  aQ(r: number, c: number): number {
    return this.actChain[r * 2 * CHAIN_SLOTS + this.slot(r + c)] as number;
  }
  /** v_q of PE (r, c). */
  vQ(r: number, c: number): number {
    return this.enChain[this.slot(r + c)] as number;
  }
  /** bank_q of PE (r, c). */
  bankQ(r: number, c: number): number {
    return this.bankChain[this.slot(r + c)] as number;
  }
  /** Input skew register j (0 = fed by the ports) of row r, 1 <= r < R, j < r: [a, v, bank]. */
  skewQ(r: number, j: number): [number, number, number] {
    const s = this.slot(j);
    return [this.actChain[r * 2 * CHAIN_SLOTS + s] as number, this.enChain[s] as number, this.bankChain[s] as number];
  }
  /** De-skew register j (0 = fed by PE (R-1, c)) of column c, j < C-1-c. */
  deskewQ(c: number, j: number): number {
    return this.deskewChain[((this.cycle - 1 - j + this.cols - 1 - c) & MASK) * this.cols + c] as number;
  }
  /** Control-line register j (0 = fed by the ports), j < R+C-1: [en, first, last, addr]. */
  ctrlQ(j: number): [number, number, number, number] {
    const s = this.slot(j);
    return [this.enChain[s] as number, this.ctrlFirstChain[s] as number, this.ctrlLastChain[s] as number, this.ctrlAddrChain[s] as number];
  }

  /** psum_q of every PE (r*C + c), a copy. */
  get psumQ(): Int32Array {
    this.readPsum();
    const q = this.psumCur + this.cols;
    return this.psumBuf.slice(q, q + this.rows * this.cols);
  }

  /** The PE registers in the readout layout of section 6 (REG_WORDS_PER_PE words per PE). */
  readRegisters(out: Int32Array, off = 0): void {
    const R = this.rows;
    const C = this.cols;
    const { w0Q, w1Q } = this.programmed;
    if (out.length < off + regWords(this.cfg)) {
      throw new RangeCheckError(`readRegisters: needs ${regWords(this.cfg)} words, got ${out.length - off}`);
    }
    this.readPsum();
    const q = this.psumCur + C;
    for (let r = 0; r < R; r++) {
      for (let c = 0; c < C; c++) {
        const i = r * C + c;
        const o = off + i * REG_WORDS_PER_PE;
        const s = this.slot(r + c);
        out[o] = w0Q[i] as number;
        out[o + 1] = w1Q[i] as number;
        out[o + 2] = this.actChain[r * 2 * CHAIN_SLOTS + s] as number;
        out[o + 3] = this.enChain[s] as number;
        out[o + 4] = this.bankChain[s] as number;
        out[o + 5] = this.psumBuf[q + i] as number;
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
    const wRow = this.programmed.weightWriteRow; // sample() ran
    if (wRow >= 0) {
      const bank = this.programmed.weightWriteBank;
      const e = this.lastBeatReaching(bank, wRow);
      if (e > (this.beatAtWrite[bank] as number)) this.beatAtWrite[bank] = e;
      this.bankWrites[bank] = (this.bankWrites[bank] as number) + 1;
    }
    if (this.lazyCycle()) {
      this.nextDeskewLazy();
      this.psumValid = false;
    } else {
      if (!this.psumValid) this.fillPsum();
      this.gridCycles++;
      this.nextDeskew();
      this.nextGrid();
    }
    this.nextAccumulate();
  }

  /** Register 0 of the activation chains and of the control line takes its input from the ports. */
  private nextChains(b: Int32Array, o: number): void {
    this.nextChainsAt(b, o, this.cycle, true);
  }

  /**
   * The same in cycle tau (runQuiet's cycles, which do not advance `cycle` one by one); without `act`, the beat's a
   * values stay out of the activation chains (enterActivations enters them when they are needed).
   */
  private nextChainsAt(b: Int32Array, o: number, tau: number, act: boolean): void {
    const R = this.rows;
    const H = CHAIN_SLOTS;
    const slot = tau & MASK;
    const aEn = (b[o + IN.aEn] as number) & 1;
    // bank_d = bank_in whatever the valid bit (ARCHITECTURE.md section 4): a_bank_i enters the line even when a_en_i is 0.
    const aBank = (b[o + IN.aBank] as number) & 1;
    this.enChain[slot] = aEn;
    this.enChain[slot + H] = aEn;
    this.bankChain[slot] = aBank;
    this.bankChain[slot + H] = aBank;
    const lane = laneOf(aEn, aBank);
    if (lane !== this.lane) {
      this.lane = lane;
      this.laneSince = tau;
    }
    if (act) this.enterActivations(b, o, tau);
    // the control line
    const first = (b[o + IN.aFirst] as number) & 1;
    const last = (b[o + IN.aLast] as number) & 1;
    this.ctrlFirstChain[slot] = first;
    this.ctrlLastChain[slot] = last;
    this.ctrlAddrChain[slot] = (b[o + IN.aAddr] as number) & (this.depth - 1);
    if (aEn === 1) {
      const cnt = this.counters;
      cnt.beats++;
      cnt.peMacs += R * this.cols;
      if (first === 1) cnt.firstBeats++;
      if (last === 1) cnt.lastBeats++;
    }
  }

  /** The a values of the beat at b[o ..] into the activation chains, slot tau (row r's register 0 is its first skew register, a_q of PE (0, 0) for row 0). */
  private enterActivations(b: Int32Array, o: number, tau: number): void {
    const R = this.rows;
    const H = CHAIN_SLOTS;
    const slot = tau & MASK;
    const chain = this.actChain;
    const aOff = o + this.aOff;
    for (let r = 0; r < R; r++) {
      const a = ((b[aOff + r] as number) << 24) >> 24;
      const s = r * 2 * H + slot;
      chain[s] = a;
      chain[s + H] = a;
    }
  }

  /**
   * The last beat on `bank` still in flight (entered in τ-(R+C-1) .. τ) that has met PE (row, 0) before a weight
   * write sampled in this cycle τ lands: the beat of cycle e meets it in cycle e + row, with the old weight when
   * e + row <= τ (PE (0, 0) takes this cycle's beat with the old weight). A later beat meets the new weight at
   * every PE of the row, and so do all the beats after it: a write just ahead of its bank's first beat, as the
   * compiler loads a bank row by row in the cycles its first beats enter, leaves every beat on one set of weights.
   * -CHAIN_SLOTS when there is none.
   */
  private lastBeatReaching(bank: number, row: number): number {
    const tau = this.cycle;
    const oldest = tau - (this.rows + this.cols - 1);
    for (let e = tau - row; e >= oldest; e--) {
      const s = e & MASK;
      if (this.enChain[s] === 1 && this.bankChain[s] === bank) return e;
    }
    return -CHAIN_SLOTS;
  }

  /**
   * Whether this cycle may be lazy: for the beats in the registers and the one entering (cycles τ-(R+C-1) .. τ), no
   * write to a row of their bank landed after one of them met that row, nor lands at this edge (see
   * lastBeatReaching), so that every PE of every beat in flight met the weights the registers hold now. (Until
   * 2026-12-01 every beat in flight also had to be of one lane: a stream switches bank every 48 cycles or so at 8x8.
   * Until 2026-12-03 any write to a bank with a beat in flight counted, the rows not yet reached included: each bank
   * load of a compiled program then cost R+C-1 cycles or more of the grid register by register, 18% of the cycles
   * of a 32x32 GEMM.)
   */
  private lazyCycle(): boolean {
    const tau = this.cycle;
    const span = this.rows + this.cols;
    if (tau < this.eagerUntil) return false;
    // Beats of both lanes may be in flight: each meets only its own bank's weights (a beat with a_en 0, none). So
    // for each bank, the last beat of it that met a row before a write to the row landed (beatAtWrite) has left.
    const oldest = tau - (span - 1);
    return (this.beatAtWrite[0] as number) < oldest && (this.beatAtWrite[1] as number) < oldest;
  }

  /** psum_q of PE (r, c) from its beat (the one that entered in cycle τ-1-r-c) and the weights it met (see the file's comment). */
  private psumOf(r: number, c: number): number {
    const s = this.slot(r + c);
    if (this.enChain[s] !== 1) return 0;
    return this.columnDot(s, (this.bankChain[s] as number) * this.rows * this.cols + c, r + 1);
  }

  /** mac over rows 0 .. k-1 of the beat in slot s with the weights from wi (w[wi + row*C]), in the grid's order (row 0 first). */
  private columnDot(s: number, wi: number, k: number): number {
    const act = this.actChain;
    const w = this.programmed.wQ;
    const C = this.cols;
    let acc = 0;
    for (let r = 0; r < k; r++) acc = mac(acc, act[r * 2 * CHAIN_SLOTS + s] as number, w[wi + r * C] as number);
    return acc;
  }

  /** psumBuf from the beats in flight, after lazy cycles. */
  private fillPsum(): void {
    const R = this.rows;
    const C = this.cols;
    const q = this.psumCur + C;
    for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) this.psumBuf[q + r * C + c] = this.psumOf(r, c);
    this.psumValid = true;
  }

  /** psum_q is about to be read from psumBuf (psumQ, readRegisters). */
  private readPsum(): void {
    if (!this.psumValid) this.fillPsum();
    this.eagerUntil = this.cycle + CHAIN_SLOTS;
  }

  /** Column c's de-skew line takes psum_q of PE (R-1, c) (its slot: the cycle it leaves the line). */
  private nextDeskew(): void {
    const C = this.cols;
    const slot = this.cycle & MASK;
    const bottom = this.psumCur + this.rows * C;
    const ps = this.psumBuf;
    const dsk = this.deskewChain;
    for (let c = 0; c < C; c++) dsk[((slot + C - 1 - c) & MASK) * C + c] = ps[bottom + c] as number;
  }

  /**
   * The same in a lazy cycle, a beat at a time: the beat of cycle τ-R, whose column c leaves PE (R-1, c) in cycle
   * τ+c and the de-skew lines in τ+C-1, enters its whole row of the de-skew chain now (slot τ+C-1, which no register
   * holds yet), as the vector-matrix product of its a with the lane's weights; the first lazy cycle after others
   * also enters the columns still due of the C-1 beats before it. Should a later cycle not be lazy (a weight write
   * to the bank in use), it enters its column of those rows again from the grid.
   */
  private nextDeskewLazy(): void {
    const R = this.rows;
    const C = this.cols;
    const tau = this.cycle;
    const n = R * C;
    if (this.lastLazy !== tau - 1) {
      for (let d = 1; d < C; d++) {
        const row = ((tau - R - d + R + C - 1) & MASK) * C;
        const s = (tau - R - d) & MASK;
        const on = this.enChain[s] === 1;
        const wb = (this.bankChain[s] as number) * n;
        for (let c = d; c < C; c++) this.deskewChain[row + c] = on ? this.columnDot(s, wb + c, R) : 0;
      }
    }
    this.lastLazy = tau;
    this.deskewRowLazy(tau);
  }

  /**
   * The de-skew row a lazy cycle τ enters: the beat of τ-R's, at slot τ+C-1 (0 for a beat with a_en 0). beat: where
   * that beat is in b when its a values are not in the activation chains (runQuiet), else -1.
   */
  private deskewRowLazy(tau: number, b?: Int32Array, beat = -1): void {
    const R = this.rows;
    const C = this.cols;
    const row = ((tau + C - 1) & MASK) * C;
    const s = (tau - R) & MASK;
    if (this.enChain[s] !== 1) this.deskewChain.fill(0, row, row + C);
    else {
      const bank = this.bankChain[s] as number;
      if (!this.rowAhead(tau - R, bank, row)) {
        if (b !== undefined && beat >= 0) this.enterActivations(b, beat, tau - R);
        beatRow(this.actChain, this.programmed.wQ, this.deskewChain, R, C, s, bank * R * C, row);
      }
    }
  }

  /**
   * The de-skew row of the beat of cycle e (a_en 1 on `bank`, in a lazy cycle) into deskewChain at dst, from the
   * rows computed ahead; when they do not hold it, computes them first for the beats from e on that are in this
   * run and on this bank (at most ROWS_AHEAD) with the WebAssembly kernel, from the bank's weights now: a lazy
   * cycle means that no write to that bank is pending, so they are the weights each of those beats will meet if
   * its cycle is lazy too (a later write to the bank changes bankWrites, and the rows after it are computed again).
   * false: not done (no kernel, not in a run, too few beats left); the caller computes the row itself.
   */
  private rowAhead(e: number, bank: number, dst: number): boolean {
    let i = e - this.rowsFrom;
    if (i < 0 || i >= this.rowsCount || this.rowsBank !== bank || this.rowsWrites !== this.bankWrites[bank]) {
      if (!this.computeRowsAhead(e, bank)) return false;
      i = 0;
    }
    const C = this.cols;
    const src = this.rowsAhead;
    const d = this.deskewChain;
    const from = i * C;
    for (let c = 0; c < C; c++) d[dst + c] = src[from + c] as number;
    this.rowsAheadUsed++;
    return true;
  }

  /** rowsAhead from the beat of cycle e on (see rowAhead); false when it cannot. */
  private computeRowsAhead(e: number, bank: number): boolean {
    const b = this.runIn;
    const k = beatRowsKernel();
    if (b === undefined || k === null || e < this.runCycle0) return false;
    const R = this.rows;
    const C = this.cols;
    const iw = this.inWords;
    const wOff = ROWS_AHEAD * R; // words: the beats' activations at 0, the bank's weights, the rows
    const outOff = wOff + ((R * C + 3) & ~3);
    const buf = beatRowsMemory(k, 4 * (outOff + ROWS_AHEAD * C));
    if (kernelWords === undefined || kernelWords.buffer !== buf) kernelWords = new Int32Array(buf);
    const m = kernelWords;
    const limit = Math.min(ROWS_AHEAD, this.runEnd - e);
    let n = 0;
    for (let o = this.runInStart + (e - this.runCycle0) * iw; n < limit; n++, o += iw) {
      if (((b[o + IN.aEn] as number) & 1) !== 1 || ((b[o + IN.aBank] as number) & 1) !== bank) break;
      const src = o + this.aOff;
      const dst = n * R;
      for (let r = 0; r < R; r++) m[dst + r] = ((b[src + r] as number) << 24) >> 24;
    }
    if (n < MIN_ROWS_AHEAD) return false;
    m.set(this.programmed.wQ.subarray(bank * R * C, (bank + 1) * R * C), wOff);
    k.rows(0, 4 * wOff, 4 * outOff, n, R, C);
    this.rowsAhead.set(m.subarray(outOff, outOff + n * C));
    this.rowsFrom = e;
    this.rowsCount = n;
    this.rowsBank = bank;
    this.rowsWrites = this.bankWrites[bank] as number;
    return true;
  }

  /** psum_d of every PE: uniform when the beats of cycles τ-(R+C-2) .. τ (the ones the PEs take) are of one lane. */
  private nextGrid(): void {
    const R = this.rows;
    const C = this.cols;
    const n = R * C + C;
    const cur = this.psumCur;
    const nxt = n - cur;
    const ps = this.psumBuf;
    const tau = this.cycle;
    const uniform = this.laneSince <= tau - (R + C - 2);
    if (uniform && this.lane === 0) {
      ps.fill(0, nxt + C, nxt + n);
      return;
    }
    const w = this.programmed.wQ;
    if (uniform) peArrayNextUniform(this.actChain, ps, w, R, C, tau, cur, nxt, (this.lane - 1) * R * C);
    else peArrayNextMixed(this.actChain, this.enChain, this.bankChain, ps, w, R, C, tau, cur, nxt);
  }

  /** Accumulate stage: the beat at the end of the control line meets its de-skewed sums (the row of this cycle's exit slot). */
  private nextAccumulate(): void {
    const s = (this.cycle - (this.rows + this.cols - 1)) & MASK;
    const sums = (this.cycle & MASK) * this.cols;
    this.stages.nextAccumulate(this.enChain[s] as number, this.ctrlFirstChain[s] as number, this.ctrlLastChain[s] as number, this.ctrlAddrChain[s] as number, this.deskewChain, sums, this.counters);
  }

  /** The clock edge: psum_d becomes psum_q (the chains shift by the slot nextLines() wrote). */
  protected commitLines(): void {
    this.psumCur = this.rows * this.cols + this.cols - this.psumCur;
  }
}
