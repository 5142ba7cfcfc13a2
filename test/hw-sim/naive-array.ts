/**
 * A second, deliberately naive model of the array for the tests: every register of ARCHITECTURE.md section 4 in its
 * own array, every shift written out register by register (the first version of hw-sim's ArraySim). hw-sim's
 * ArraySim (circular chains) must agree with it on every output and every PE register, every cycle, for any input.
 */
import { LifecycleError, RangeCheckError } from '../../quant/errors.ts';
import {
  mac,
  wrapInt32,
  outputStage,
  multiplyByQuantizedMultiplier,
  ROUNDING_MODES,
  SHIFT_MIN,
  SHIFT_MAX,
} from '../../quant/spec/index.ts';
import { zeroCounters, type ArrayCounters } from '../../hw-sim/counters.ts';
import { HazardChecker } from '../../hw-sim/hazards.ts';
import { IN, OUT, REG_WORDS_PER_PE, aDataOffset, clog2, inWords, oAccOffset, outWords, regWords, validateArrayConfig, type ArrayConfig } from '../../hw-sim/contract/index.ts';

export interface ArraySimOptions {
  /** Check the hazard rules of section 5 and the port ranges every cycle (slower; for tests and debugging). */
  checkHazards?: boolean;
}

export class NaiveArray {
  readonly cfg: ArrayConfig;
  readonly rows: number;
  readonly cols: number;
  readonly depth: number;
  readonly inWords: number;
  readonly outWords: number;
  /** Clock edges since reset. */
  cycle = 0;
  readonly counters: ArrayCounters = zeroCounters();

  // PE registers
  w0Q: Int32Array;
  w1Q: Int32Array;
  aQ: Int32Array;
  vQ: Int32Array;
  bankQ: Int32Array;
  psumQ: Int32Array;
  // input skew, de-skew, control line
  skewAQ: Int32Array;
  skewVQ: Int32Array;
  skewBankQ: Int32Array;
  deskewQ: Int32Array;
  ctrlEnQ: Int32Array;
  ctrlFirstQ: Int32Array;
  ctrlLastQ: Int32Array;
  ctrlAddrQ: Int32Array;
  // accumulator
  accMem: Int32Array;
  accQ: Int32Array;
  accValidQ = 0;
  accAddrQ = 0;
  // requantizer
  biasQ: Int32Array;
  m0Q: Int32Array;
  shiftQ: Int32Array;
  zpQ = 0;
  minQ = 0;
  maxQ = 0;
  /** round_q: the c_round_i code of the last configuration write (0 single, 1 double, 2 ruy). */
  roundQ = 0;
  oValidQ = 0;
  oAddrQ = 0;
  oDataQ: Int32Array;
  oAccQ: Int32Array;

  // next-state buffers of the pipeline registers (swapped with the Q buffers at the edge)
  private aD: Int32Array;
  private vD: Int32Array;
  private bankD: Int32Array;
  private psumD: Int32Array;
  private skewAD: Int32Array;
  private skewVD: Int32Array;
  private skewBankD: Int32Array;
  private deskewD: Int32Array;
  private ctrlEnD: Int32Array;
  private ctrlFirstD: Int32Array;
  private ctrlLastD: Int32Array;
  private ctrlAddrD: Int32Array;
  private accValidD = 0;
  private accAddrD = 0;
  private oValidD = 0;
  private oAddrD = 0;
  // pending writes of the write-enabled registers (applied by commit)
  private wWe = 0;
  private wWeBank = 0;
  private wWeRow = 0;
  private readonly wWeData: Int32Array;
  private accWe = 0; // 1: accMem[accWeAddr] <= accD; 2: also accQ <= accD
  private accWeAddr = 0;
  private accD: Int32Array;
  private oWe = 0;
  private oDataD: Int32Array;
  private oAccD: Int32Array;
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
  private readonly ctrlLen: number;
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
    const D = cfg.accDepth;
    this.rows = R;
    this.cols = C;
    this.depth = D;
    this.inWords = inWords(cfg);
    this.outWords = outWords(cfg);
    this.rowMask = (1 << clog2(R)) - 1;
    this.colMask = (1 << clog2(C)) - 1;
    this.aOff = aDataOffset(cfg);
    this.oAccOff = oAccOffset(cfg);
    this.ctrlLen = R + C - 1;
    this.hazards = opts.checkHazards === true ? new HazardChecker(cfg) : undefined;
    const pe = R * C;
    const skew = (R * (R - 1)) / 2;
    const deskew = (C * (C - 1)) / 2;
    const i32 = (n: number): Int32Array => new Int32Array(n);
    this.w0Q = i32(pe);
    this.w1Q = i32(pe);
    this.aQ = i32(pe);
    this.vQ = i32(pe);
    this.bankQ = i32(pe);
    this.psumQ = i32(pe);
    this.aD = i32(pe);
    this.vD = i32(pe);
    this.bankD = i32(pe);
    this.psumD = i32(pe);
    this.skewAQ = i32(skew);
    this.skewVQ = i32(skew);
    this.skewBankQ = i32(skew);
    this.skewAD = i32(skew);
    this.skewVD = i32(skew);
    this.skewBankD = i32(skew);
    this.deskewQ = i32(deskew);
    this.deskewD = i32(deskew);
    this.ctrlEnQ = i32(this.ctrlLen);
    this.ctrlFirstQ = i32(this.ctrlLen);
    this.ctrlLastQ = i32(this.ctrlLen);
    this.ctrlAddrQ = i32(this.ctrlLen);
    this.ctrlEnD = i32(this.ctrlLen);
    this.ctrlFirstD = i32(this.ctrlLen);
    this.ctrlLastD = i32(this.ctrlLen);
    this.ctrlAddrD = i32(this.ctrlLen);
    this.accMem = i32(D * C);
    this.accQ = i32(C);
    this.accD = i32(C);
    this.biasQ = i32(C);
    this.m0Q = i32(C);
    this.shiftQ = i32(C);
    this.oDataQ = i32(C);
    this.oAccQ = i32(C);
    this.oDataD = i32(C);
    this.oAccD = i32(C);
    this.wWeData = i32(C);
  }

  /** Asserts rst_ni: every register of sections 4 and 6 goes to 0; the accumulator memory keeps its contents. */
  reset(): void {
    for (const a of [
      this.w0Q, this.w1Q, this.aQ, this.vQ, this.bankQ, this.psumQ, this.skewAQ, this.skewVQ, this.skewBankQ,
      this.deskewQ, this.ctrlEnQ, this.ctrlFirstQ, this.ctrlLastQ, this.ctrlAddrQ, this.accQ, this.biasQ, this.m0Q,
      this.shiftQ, this.oDataQ, this.oAccQ,
    ]) {
      a.fill(0);
    }
    this.accValidQ = 0;
    this.accAddrQ = 0;
    this.zpQ = 0;
    this.minQ = 0;
    this.maxQ = 0;
    this.roundQ = 0;
    this.oValidQ = 0;
    this.oAddrQ = 0;
    this.wWe = 0;
    this.accWe = 0;
    this.oWe = 0;
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
   * One cycle: writes the outputs of this cycle (the flops as they are before the edge) to outBuf at outOff, then
   * samples the inputs at inBuf[inOff ..] and clocks.
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

  /** nCycles cycles from flat buffers: inputs nCycles*inWords words, outputs nCycles*outWords words. */
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

  /** The PE registers in the readout layout of section 6 (REG_WORDS_PER_PE words per PE). */
  readRegisters(out: Int32Array, off = 0): void {
    const n = this.rows * this.cols;
    if (out.length < off + regWords(this.cfg)) {
      throw new RangeCheckError(`readRegisters: needs ${regWords(this.cfg)} words, got ${out.length - off}`);
    }
    for (let i = 0; i < n; i++) {
      const o = off + i * REG_WORDS_PER_PE;
      out[o] = this.w0Q[i] as number;
      out[o + 1] = this.w1Q[i] as number;
      out[o + 2] = this.aQ[i] as number;
      out[o + 3] = this.vQ[i] as number;
      out[o + 4] = this.bankQ[i] as number;
      out[o + 5] = this.psumQ[i] as number;
    }
  }


  /** Outputs of the current cycle: straight from the flops. */
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

  /** Pure next-state function: reads the Q registers and the inputs, writes the D buffers and pending writes. */
  private next(b: Int32Array, o: number): void {
    const R = this.rows;
    const C = this.cols;
    const cnt = this.counters;
    const aEn = (b[o + IN.aEn] as number) & 1;
    const aBank = (b[o + IN.aBank] as number) & 1;
    const aOff = o + this.aOff;

    // --- PE array: a/v/bank move right, psum moves down
    const w0 = this.w0Q;
    const w1 = this.w1Q;
    const aQ = this.aQ;
    const vQ = this.vQ;
    const bankQ = this.bankQ;
    const psumQ = this.psumQ;
    const aD = this.aD;
    const vD = this.vD;
    const bankD = this.bankD;
    const psumD = this.psumD;
    const skewA = this.skewAQ;
    const skewV = this.skewVQ;
    const skewBank = this.skewBankQ;
    for (let r = 0; r < R; r++) {
      let ain: number;
      let vin: number;
      let bin: number;
      if (r === 0) {
        ain = ((b[aOff] as number) << 24) >> 24;
        vin = aEn;
        bin = aBank;
      } else {
        const k = (r * (r - 1)) / 2 + r - 1;
        ain = skewA[k] as number;
        vin = skewV[k] as number;
        bin = skewBank[k] as number;
      }
      const base = r * C;
      const end = base + C;
      if (r === 0) {
        for (let i = base; i < end; i++) {
          aD[i] = ain;
          vD[i] = vin;
          bankD[i] = bin;
          psumD[i] = vin !== 0 ? mac(0, ain, bin !== 0 ? (w1[i] as number) : (w0[i] as number)) : 0;
          ain = aQ[i] as number;
          vin = vQ[i] as number;
          bin = bankQ[i] as number;
        }
      } else {
        for (let i = base; i < end; i++) {
          aD[i] = ain;
          vD[i] = vin;
          bankD[i] = bin;
          psumD[i] = vin !== 0 ? mac(psumQ[i - C] as number, ain, bin !== 0 ? (w1[i] as number) : (w0[i] as number)) : 0;
          ain = aQ[i] as number;
          vin = vQ[i] as number;
          bin = bankQ[i] as number;
        }
      }
    }

    // --- input skew: row r's line shifts by one, register 0 takes the ports
    const skewAD = this.skewAD;
    const skewVD = this.skewVD;
    const skewBankD = this.skewBankD;
    for (let r = 1; r < R; r++) {
      const s0 = (r * (r - 1)) / 2;
      skewAD[s0] = ((b[aOff + r] as number) << 24) >> 24;
      skewVD[s0] = aEn;
      skewBankD[s0] = aBank;
      for (let j = 1; j < r; j++) {
        skewAD[s0 + j] = skewA[s0 + j - 1] as number;
        skewVD[s0 + j] = skewV[s0 + j - 1] as number;
        skewBankD[s0 + j] = skewBank[s0 + j - 1] as number;
      }
    }

    // --- accumulate stage (uses the current control line end and de-skewed sums)
    const deskewQ = this.deskewQ;
    const L1 = this.ctrlLen - 1;
    const bottom = (R - 1) * C;
    if (this.ctrlEnQ[L1] === 1) {
      const addr = this.ctrlAddrQ[L1] as number;
      const first = this.ctrlFirstQ[L1] === 1;
      const last = this.ctrlLastQ[L1] === 1;
      const accD = this.accD;
      const mem = this.accMem;
      const row = addr * C;
      for (let c = 0; c < C; c++) {
        const ps = c === C - 1 ? (psumQ[bottom + c] as number) : (deskewQ[c * (C - 1) - (c * (c - 1)) / 2 + (C - 2 - c)] as number);
        accD[c] = first ? ps : wrapInt32((mem[row + c] as number) + ps);
      }
      this.accWe = last ? 2 : 1;
      this.accWeAddr = addr;
      this.accValidD = last ? 1 : 0;
      this.accAddrD = last ? addr : this.accAddrQ;
      if (first) cnt.accOverwrites++;
      else cnt.accAdds++;
    } else {
      this.accWe = 0;
      this.accValidD = 0;
      this.accAddrD = this.accAddrQ;
    }

    // --- de-skew: column c's line shifts by one, register 0 takes the bottom psum
    const deskewD = this.deskewD;
    for (let c = 0; c < C - 1; c++) {
      const d0 = c * (C - 1) - (c * (c - 1)) / 2;
      const n = C - 1 - c;
      deskewD[d0] = psumQ[bottom + c] as number;
      for (let j = 1; j < n; j++) deskewD[d0 + j] = deskewQ[d0 + j - 1] as number;
    }

    // --- control line
    const ceQ = this.ctrlEnQ;
    const cfQ = this.ctrlFirstQ;
    const clQ = this.ctrlLastQ;
    const caQ = this.ctrlAddrQ;
    const ceD = this.ctrlEnD;
    const cfD = this.ctrlFirstD;
    const clD = this.ctrlLastD;
    const caD = this.ctrlAddrD;
    ceD[0] = aEn;
    cfD[0] = (b[o + IN.aFirst] as number) & 1;
    clD[0] = (b[o + IN.aLast] as number) & 1;
    caD[0] = (b[o + IN.aAddr] as number) & (this.depth - 1);
    for (let j = 1; j <= L1; j++) {
      ceD[j] = ceQ[j - 1] as number;
      cfD[j] = cfQ[j - 1] as number;
      clD[j] = clQ[j - 1] as number;
      caD[j] = caQ[j - 1] as number;
    }

    // --- requantizer (uses the current accQ and parameters)
    this.oValidD = this.accValidQ;
    if (this.accValidQ === 1) {
      const mode = ROUNDING_MODES[this.roundQ] as (typeof ROUNDING_MODES)[number];
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
        oDataD[c] = outputStage(multiplyByQuantizedMultiplier(x, m0[c] as number, sh[c] as number, mode), zp, lo, hi);
      }
      this.oWe = 1;
      this.oAddrD = this.accAddrQ;
      cnt.outputRows++;
    } else {
      this.oWe = 0;
      this.oAddrD = this.oAddrQ;
    }

    // --- weight, parameter and configuration writes
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
      cnt.configWrites++;
    }
    if (aEn === 1) {
      cnt.beats++;
      cnt.peMacs += R * C;
      if (cfD[0] === 1) cnt.firstBeats++;
      if (clD[0] === 1) cnt.lastBeats++;
    }
  }

  /** The clock edge: D buffers become Q, pending writes land. */
  private commit(): void {
    let t = this.aQ;
    this.aQ = this.aD;
    this.aD = t;
    t = this.vQ;
    this.vQ = this.vD;
    this.vD = t;
    t = this.bankQ;
    this.bankQ = this.bankD;
    this.bankD = t;
    t = this.psumQ;
    this.psumQ = this.psumD;
    this.psumD = t;
    t = this.skewAQ;
    this.skewAQ = this.skewAD;
    this.skewAD = t;
    t = this.skewVQ;
    this.skewVQ = this.skewVD;
    this.skewVD = t;
    t = this.skewBankQ;
    this.skewBankQ = this.skewBankD;
    this.skewBankD = t;
    t = this.deskewQ;
    this.deskewQ = this.deskewD;
    this.deskewD = t;
    t = this.ctrlEnQ;
    this.ctrlEnQ = this.ctrlEnD;
    this.ctrlEnD = t;
    t = this.ctrlFirstQ;
    this.ctrlFirstQ = this.ctrlFirstD;
    this.ctrlFirstD = t;
    t = this.ctrlLastQ;
    this.ctrlLastQ = this.ctrlLastD;
    this.ctrlLastD = t;
    t = this.ctrlAddrQ;
    this.ctrlAddrQ = this.ctrlAddrD;
    this.ctrlAddrD = t;
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
      (this.wWeBank === 1 ? this.w1Q : this.w0Q).set(this.wWeData, this.wWeRow * this.cols);
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
