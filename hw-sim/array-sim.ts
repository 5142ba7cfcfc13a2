/**
 * The cycle-accurate model of the weight-stationary systolic array of docs/ARCHITECTURE.md.
 *
 * State holds only registers, named after their RTL flops (`psumQ` for `psum_q`), in flat Int32Arrays. One cycle
 * is `next()` (reads the registers and the input beat, writes next values into `D` buffers and pending writes) and
 * `commit()` (the clock edge: swaps `D` and `Q`, lands the pending writes, advances the cycle). Nothing allocates
 * per cycle.
 *
 * Storage of the shift-register chains (docs/ARCHITECTURE.md section 12; `readRegisters` and the accessors `aQ`,
 * `vQ`, `bankQ`, `skewQ`, `deskewQ`, `ctrlQ` decode it). A chain of registers that only shifts (each register copies its neighbour) is stored as a
 * circular buffer over time: the value that entered the chain in cycle t sits in slot t mod H, and register k of the
 * chain (0 = the one the ports feed) holds, in cycle τ, the value that entered in cycle τ-1-k. Shifting the whole
 * chain is then one write of the new value at the edge. This covers:
 *  - row r's activation chain: its r input-skew registers, then a_q/v_q/bank_q of PE (r, 0), (r, 1), ... (r, C-1),
 *    so a_q of PE (r, c) is register r + c of row r's chain. Slots hold a token a & 0xff | v << 8 | bank << 9;
 *  - the de-skew lines: column c's C-1-c registers hold psum_q of PE (R-1, c) of earlier cycles;
 *  - the control line: R+C-1 registers of a_en, a_first, a_last, a_addr.
 * `next()` writes the slot of the current cycle in each chain: no register holds that slot (every chain is shorter
 * than H - 1), so the registers keep their values until the edge. Registers that compute (psum_q, the accumulate
 * and requantize stages) are double-buffered; registers with a write enable (weights, parameters, accumulator
 * memory, acc_q, o_data_q, o_acc_q) take a pending write at the edge.
 */
import { LifecycleError, RangeCheckError } from '../quant/errors.ts';
import {
  mac,
  wrapInt32,
  outputStage,
  multiplyByQuantizedMultiplierSingle,
  multiplyByQuantizedMultiplierDouble,
  multiplyByQuantizedMultiplierRuy,
  SHIFT_MIN,
  SHIFT_MAX,
} from '../quant/spec/index.ts';
import { zeroCounters, type ArrayCounters } from './counters.ts';
import { HazardChecker } from './hazards.ts';
import {
  IN, OUT, REG_WORDS_PER_PE, ROUND_CODE, aDataOffset, clog2, formatRoundingModes, inWords, oAccOffset, outWords, regWords, roundingModeOfCode,
  validateArrayConfig, type ArrayConfig,
} from './contract/index.ts';
import { formatTrace } from './trace.ts';

export interface ArraySimOptions {
  /** Check the hazard rules of section 5 and the port ranges every cycle (slower; for tests and debugging). */
  checkHazards?: boolean;
}

/** Slots of every circular chain: a power of two above the longest chain (R + C - 1 <= 63) plus the slot written. */
export const CHAIN_SLOTS = 128;
const MASK = CHAIN_SLOTS - 1;

/** The requantizer's multiplier of each c_round_i code (docs/ARCHITECTURE.md section 3; code 3 is reserved). */
const MULTIPLIER_OF_CODE: ReadonlyArray<(x: number, m0: number, shift: number) => number> = [
  multiplyByQuantizedMultiplierSingle,
  multiplyByQuantizedMultiplierDouble,
  multiplyByQuantizedMultiplierRuy,
];
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

export class ArraySim {
  readonly cfg: ArrayConfig;
  readonly rows: number;
  readonly cols: number;
  readonly depth: number;
  readonly inWords: number;
  readonly outWords: number;
  /** Clock edges since reset (= the index of the cycle the next step() runs). */
  cycle = 0;
  readonly counters: ArrayCounters = zeroCounters();

  /** w0_q then w1_q of every PE (r*C + c): bank b of PE i is wQ[b*R*C + i]; w0Q and w1Q are views. */
  readonly wQ: Int32Array;
  readonly w0Q: Int32Array;
  readonly w1Q: Int32Array;
  /** psum_q of PE (r, c) at psumCur + r*C + c; the other half of the buffer holds the next values (psum_d). */
  readonly psumBuf: Int32Array;
  psumCur = 0;
  /** Row r's activation chain (skew registers, then a_q/v_q/bank_q of the PEs): slots r*2H .. r*2H+2H-1, each token twice (slot s and s+H). */
  readonly actChain: Int32Array;
  /** Column c's de-skew chain: psum_q of PE (R-1, c) of cycle t at c*H + t mod H. */
  readonly deskewChain: Int32Array;
  /** The control line (a_en, a_first, a_last, a_addr of cycle t at t mod H). */
  readonly ctrlEnChain: Int32Array;
  readonly ctrlFirstChain: Int32Array;
  readonly ctrlLastChain: Int32Array;
  readonly ctrlAddrChain: Int32Array;
  /** Accumulator memory of column c, address a at a*C + c (not reset). */
  readonly accMem: Int32Array;
  accQ: Int32Array;
  accValidQ = 0;
  accAddrQ = 0;
  readonly biasQ: Int32Array;
  readonly m0Q: Int32Array;
  readonly shiftQ: Int32Array;
  zpQ = 0;
  minQ = 0;
  maxQ = 0;
  /** The rounding mode's code (c_round_i) of the last configuration write: the requantizer's mode for every row after it. */
  roundQ = 0;
  oValidQ = 0;
  oAddrQ = 0;
  oDataQ: Int32Array;
  oAccQ: Int32Array;

  private accD: Int32Array;
  private oDataD: Int32Array;
  private oAccD: Int32Array;
  private accValidD = 0;
  private accAddrD = 0;
  private oValidD = 0;
  private oAddrD = 0;
  private accWe = 0; // 1: accMem row <= accD; 2: also acc_q <= accD
  private accWeAddr = 0;
  private oWe = 0;
  private wWe = 0;
  private wWeBank = 0;
  private wWeRow = 0;
  private readonly wWeData: Int32Array;
  private pWe = 0;
  private pWeCol = 0;
  private pWeBias = 0;
  private pWeM0 = 0;
  private pWeShift = 0;
  private cWe = 0;
  private cWeZp = 0;
  private cWeMin = 0;
  private cWeMax = 0;
  private cWeRound = 0;

  private readonly rowMask: number;
  private readonly colMask: number;
  private readonly aOff: number;
  private readonly oAccOff: number;
  /** Bit c set: the array implements the mode of code c (the RTL's RoundingModes). */
  private readonly roundMask: number;
  private readonly hazards: HazardChecker | undefined;
  private isReset = false;
  private lastIn: Int32Array | undefined;
  private lastInOff = 0;
  private lastOut: Int32Array | undefined;
  private lastOutOff = 0;

  constructor(cfg: ArrayConfig, opts: ArraySimOptions = {}) {
    this.cfg = validateArrayConfig({ ...cfg });
    const R = cfg.rows;
    const C = cfg.cols;
    this.rows = R;
    this.cols = C;
    this.depth = cfg.accDepth;
    this.inWords = inWords(cfg);
    this.outWords = outWords(cfg);
    this.rowMask = (1 << clog2(R)) - 1;
    this.colMask = (1 << clog2(C)) - 1;
    this.aOff = aDataOffset(cfg);
    this.oAccOff = oAccOffset(cfg);
    this.roundMask = cfg.roundingModes.reduce((mask, m) => mask | (1 << ROUND_CODE[m]), 0);
    this.hazards = opts.checkHazards === true ? new HazardChecker(cfg) : undefined;
    const pe = R * C;
    this.wQ = new Int32Array(2 * pe);
    this.w0Q = this.wQ.subarray(0, pe);
    this.w1Q = this.wQ.subarray(pe);
    this.psumBuf = new Int32Array(2 * pe);
    this.actChain = new Int32Array(R * 2 * CHAIN_SLOTS);
    this.deskewChain = new Int32Array(C * CHAIN_SLOTS);
    this.ctrlEnChain = new Int32Array(CHAIN_SLOTS);
    this.ctrlFirstChain = new Int32Array(CHAIN_SLOTS);
    this.ctrlLastChain = new Int32Array(CHAIN_SLOTS);
    this.ctrlAddrChain = new Int32Array(CHAIN_SLOTS);
    this.accMem = new Int32Array(cfg.accDepth * C);
    this.accQ = new Int32Array(C);
    this.accD = new Int32Array(C);
    this.biasQ = new Int32Array(C);
    this.m0Q = new Int32Array(C);
    this.shiftQ = new Int32Array(C);
    this.oDataQ = new Int32Array(C);
    this.oAccQ = new Int32Array(C);
    this.oDataD = new Int32Array(C);
    this.oAccD = new Int32Array(C);
    this.wWeData = new Int32Array(C);
  }

  /** Asserts rst_ni: every register goes to 0; the accumulator memory keeps its contents. */
  reset(): void {
    for (const a of [
      this.wQ, this.psumBuf, this.actChain, this.deskewChain, this.ctrlEnChain, this.ctrlFirstChain, this.ctrlLastChain,
      this.ctrlAddrChain, this.accQ, this.biasQ, this.m0Q, this.shiftQ, this.oDataQ, this.oAccQ,
    ]) {
      a.fill(0);
    }
    this.psumCur = 0;
    this.accValidQ = 0;
    this.accAddrQ = 0;
    this.zpQ = 0;
    this.minQ = 0;
    this.maxQ = 0;
    this.roundQ = 0;
    this.oValidQ = 0;
    this.oAddrQ = 0;
    this.accWe = 0;
    this.oWe = 0;
    this.wWe = 0;
    this.pWe = 0;
    this.cWe = 0;
    this.cycle = 0;
    Object.assign(this.counters, zeroCounters());
    this.hazards?.reset();
    this.lastIn = undefined;
    this.lastOut = undefined;
    this.isReset = true;
  }

  /**
   * One cycle: writes this cycle's outputs (the flops before the edge) to outBuf at outOff, then samples the
   * inputs at inBuf[inOff ..] and clocks.
   */
  step(inBuf: Int32Array, inOff: number, outBuf: Int32Array, outOff: number): void {
    if (!this.isReset) throw new LifecycleError('ArraySim.step() before reset(): call reset() first');
    this.writeOutputs(outBuf, outOff);
    if (this.hazards !== undefined) this.hazards.observe(this.cycle, inBuf, inOff, this.accValidQ === 1);
    this.next(inBuf, inOff);
    this.commit();
    this.lastIn = inBuf;
    this.lastInOff = inOff;
    this.lastOut = outBuf;
    this.lastOutOff = outOff;
  }

  /** nCycles cycles from flat buffers: inputs nCycles*inWords words from inStart, outputs nCycles*outWords from outStart. */
  run(nCycles: number, inBuf: Int32Array, outBuf: Int32Array, inStart = 0, outStart = 0): void {
    if (!this.isReset) throw new LifecycleError('ArraySim.run() before reset(): call reset() first');
    const iw = this.inWords;
    const ow = this.outWords;
    if (inBuf.length < inStart + nCycles * iw || outBuf.length < outStart + nCycles * ow) {
      throw new RangeCheckError(
        `ArraySim.run(${nCycles}): needs ${nCycles * iw} input words from ${inStart} and ${nCycles * ow} output words ` +
          `from ${outStart}, got buffers of ${inBuf.length} and ${outBuf.length}`,
      );
    }
    for (let t = 0; t < nCycles; t++) this.step(inBuf, inStart + t * iw, outBuf, outStart + t * ow);
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
    return this.deskewChain[c * CHAIN_SLOTS + ((this.cycle - 1 - j) & MASK)] as number;
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
    if (out.length < off + regWords(this.cfg)) {
      throw new RangeCheckError(`readRegisters: needs ${regWords(this.cfg)} words, got ${out.length - off}`);
    }
    for (let r = 0; r < R; r++) {
      for (let c = 0; c < C; c++) {
        const i = r * C + c;
        const o = off + i * REG_WORDS_PER_PE;
        const t = this.token(r, r + c);
        out[o] = this.w0Q[i] as number;
        out[o + 1] = this.w1Q[i] as number;
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

  private writeOutputs(out: Int32Array, o: number): void {
    const C = this.cols;
    out[o + OUT.oValid] = this.oValidQ;
    out[o + OUT.oAddr] = this.oAddrQ;
    const d = o + OUT.oData;
    const a = o + this.oAccOff;
    const oData = this.oDataQ;
    const oAcc = this.oAccQ;
    for (let c = 0; c < C; c++) {
      out[d + c] = oData[c] as number;
      out[a + c] = oAcc[c] as number;
    }
  }

  /**
   * Next-state function. Writes only D buffers, pending writes and the chain slots of the current cycle (slot
   * τ mod H, which no register holds: the longest chain is shorter than H - 1).
   */
  private next(b: Int32Array, o: number): void {
    this.nextChains(b, o);
    peArrayNext(this.actChain, this.psumBuf, this.wQ, this.rows, this.cols, this.cycle, this.psumCur);
    this.nextAccumulate();
    this.nextRequantize();
    this.nextWrites(b, o);
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
    for (let c = 0; c < C; c++) dsk[c * H + slot] = ps[bottom + c] as number;
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

  /** Accumulate stage: the beat at the end of the control line meets its de-skewed sums (column c delayed C-1-c). */
  private nextAccumulate(): void {
    const C = this.cols;
    const H = CHAIN_SLOTS;
    const tau = this.cycle;
    const s = (tau - (this.rows + C - 1)) & MASK;
    if (this.ctrlEnChain[s] !== 1) {
      this.accWe = 0;
      this.accValidD = 0;
      this.accAddrD = this.accAddrQ;
      return;
    }
    const addr = this.ctrlAddrChain[s] as number;
    const first = this.ctrlFirstChain[s] === 1;
    const last = this.ctrlLastChain[s] === 1;
    const dsk = this.deskewChain;
    const accD = this.accD;
    const mem = this.accMem;
    const row = addr * C;
    for (let c = 0; c < C; c++) {
      const ps = dsk[c * H + ((tau - (C - 1 - c)) & MASK)] as number;
      accD[c] = first ? ps : wrapInt32((mem[row + c] as number) + ps);
    }
    this.accWe = last ? 2 : 1;
    this.accWeAddr = addr;
    this.accValidD = last ? 1 : 0;
    this.accAddrD = last ? addr : this.accAddrQ;
    if (first) this.counters.accOverwrites++;
    else this.counters.accAdds++;
  }

  /** Requantize stage: acc_q through the column's parameters (quant/spec). */
  private nextRequantize(): void {
    this.oValidD = this.accValidQ;
    if (this.accValidQ !== 1) {
      this.oWe = 0;
      this.oAddrD = this.oAddrQ;
      return;
    }
    const C = this.cols;
    const mulq = MULTIPLIER_OF_CODE[this.roundQ] as (x: number, m0: number, shift: number) => number;
    const accQ = this.accQ;
    const bias = this.biasQ;
    const m0 = this.m0Q;
    const sh = this.shiftQ;
    const zp = this.zpQ;
    const lo = this.minQ;
    const hi = this.maxQ;
    const oDataD = this.oDataD;
    const oAccD = this.oAccD;
    for (let c = 0; c < C; c++) {
      const x = wrapInt32((accQ[c] as number) + (bias[c] as number));
      oAccD[c] = x;
      oDataD[c] = outputStage(mulq(x, m0[c] as number, sh[c] as number), zp, lo, hi);
    }
    this.oWe = 1;
    this.oAddrD = this.accAddrQ;
    this.counters.outputRows++;
  }

  /** Weight, parameter and configuration writes from the ports (pending until the edge). */
  private nextWrites(b: Int32Array, o: number): void {
    const C = this.cols;
    const cnt = this.counters;
    this.wWe = (b[o + IN.wEn] as number) & 1;
    if (this.wWe === 1) {
      this.wWeBank = (b[o + IN.wBank] as number) & 1;
      this.wWeRow = (b[o + IN.wRow] as number) & this.rowMask;
      const wd = o + IN.wData;
      const data = this.wWeData;
      for (let c = 0; c < C; c++) data[c] = ((b[wd + c] as number) << 24) >> 24;
      cnt.weightRowWrites++;
    }
    this.pWe = (b[o + IN.pEn] as number) & 1;
    if (this.pWe === 1) {
      this.pWeCol = (b[o + IN.pCol] as number) & this.colMask;
      this.pWeBias = (b[o + IN.pBias] as number) | 0;
      this.pWeM0 = (b[o + IN.pM0] as number) | 0;
      this.pWeShift = ((b[o + IN.pShift] as number) << 24) >> 24;
      if (this.pWeM0 < 0 || this.pWeShift < SHIFT_MIN || this.pWeShift > SHIFT_MAX) {
        throw new RangeCheckError(
          `cycle ${this.cycle}: p_m0 must be in [0, 2^31-1] and p_shift in [${SHIFT_MIN}, ${SHIFT_MAX}], got m0 ${this.pWeM0}, shift ${this.pWeShift}`,
        );
      }
      cnt.paramWrites++;
    }
    this.cWe = (b[o + IN.cEn] as number) & 1;
    if (this.cWe === 1) {
      this.cWeZp = ((b[o + IN.cZp] as number) << 24) >> 24;
      this.cWeMin = ((b[o + IN.cMin] as number) << 24) >> 24;
      this.cWeMax = ((b[o + IN.cMax] as number) << 24) >> 24;
      this.cWeRound = (b[o + IN.cRound] as number) & 3;
      if (((this.roundMask >> this.cWeRound) & 1) !== 1) {
        const mode = roundingModeOfCode(this.cWeRound);
        throw new RangeCheckError(
          `cycle ${this.cycle}: c_round ${this.cWeRound} (${mode === undefined ? 'reserved' : `'${mode}'`}) selects a rounding mode this array does not implement (roundingModes ${formatRoundingModes(this.cfg.roundingModes)})`,
        );
      }
      cnt.configWrites++;
    }
  }

  /** The clock edge. */
  private commit(): void {
    this.psumCur = this.rows * this.cols - this.psumCur;
    let t: Int32Array;
    if (this.accWe !== 0) {
      this.accMem.set(this.accD, this.accWeAddr * this.cols);
      if (this.accWe === 2) {
        t = this.accQ;
        this.accQ = this.accD;
        this.accD = t;
      }
    }
    this.accValidQ = this.accValidD;
    this.accAddrQ = this.accAddrD;
    if (this.oWe === 1) {
      t = this.oDataQ;
      this.oDataQ = this.oDataD;
      this.oDataD = t;
      t = this.oAccQ;
      this.oAccQ = this.oAccD;
      this.oAccD = t;
    }
    this.oValidQ = this.oValidD;
    this.oAddrQ = this.oAddrD;
    if (this.wWe === 1 && this.wWeRow < this.rows) {
      this.wQ.set(this.wWeData, this.wWeBank * this.rows * this.cols + this.wWeRow * this.cols);
    }
    if (this.pWe === 1 && this.pWeCol < this.cols) {
      this.biasQ[this.pWeCol] = this.pWeBias;
      this.m0Q[this.pWeCol] = this.pWeM0;
      this.shiftQ[this.pWeCol] = this.pWeShift;
    }
    if (this.cWe === 1) {
      this.zpQ = this.cWeZp;
      this.minQ = this.cWeMin;
      this.maxQ = this.cWeMax;
      this.roundQ = this.cWeRound;
    }
    this.cycle++;
    this.counters.cycles++;
  }
}
