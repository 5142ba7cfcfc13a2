/**
 * A second, deliberately naive model of the array for the tests: every register of ARCHITECTURE.md section 4 in its
 * own array, every shift written out register by register (the first version of hw-sim's ArraySim). hw-sim's
 * ArraySim (circular chains) must agree with it on every output and every PE register, every cycle, for any input.
 * What it checks is the PE grid's timing and arithmetic and the skew, de-skew and control lines, which the fast model
 * keeps as circular chains; the port decode of the weight, parameter and configuration writes and the back end that
 * takes a beat and its column sums from the end of the lines (accumulate, requantize, output flops) are hw-sim's own
 * (ProgrammedRegisters, OutputStages), as this model does not check them.
 */
import { RangeCheckError } from '../../quant/errors.ts';
import { mac } from '../../quant/spec/index.ts';
import { ArrayModel, type ArraySimOptions } from '../../hw-sim/array-model.ts';
import { IN, REG_WORDS_PER_PE, regWords, type ArrayConfig } from '../../hw-sim/contract/index.ts';

/** The lifecycle, the programmed registers and the back end are hw-sim's ArrayModel's; this class is the grid and the lines. */
export class NaiveArray extends ArrayModel {
  // PE registers
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

  private readonly ctrlLen: number;
  /** The de-skewed column sums the accumulate stage takes this cycle. */
  private readonly sums: Int32Array;

  constructor(cfg: ArrayConfig, opts: ArraySimOptions = {}) {
    super(cfg, opts);
    const R = this.rows;
    const C = this.cols;
    this.ctrlLen = R + C - 1;
    this.sums = new Int32Array(C);
    const pe = R * C;
    const skew = (R * (R - 1)) / 2;
    const deskew = (C * (C - 1)) / 2;
    const i32 = (n: number): Int32Array => new Int32Array(n);
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
  }

  /** Every register of the grid and the lines to 0 (rst_ni). */
  protected resetLines(): void {
    for (const a of [
      this.aQ, this.vQ, this.bankQ, this.psumQ, this.skewAQ, this.skewVQ, this.skewBankQ, this.deskewQ, this.ctrlEnQ,
      this.ctrlFirstQ, this.ctrlLastQ, this.ctrlAddrQ,
    ]) {
      a.fill(0);
    }
  }

  /** The PE registers in the readout layout of section 6 (REG_WORDS_PER_PE words per PE). */
  readRegisters(out: Int32Array, off = 0): void {
    const n = this.rows * this.cols;
    const { w0Q, w1Q } = this.programmed;
    if (out.length < off + regWords(this.cfg)) {
      throw new RangeCheckError(`readRegisters: needs ${regWords(this.cfg)} words, got ${out.length - off}`);
    }
    for (let i = 0; i < n; i++) {
      const o = off + i * REG_WORDS_PER_PE;
      out[o] = w0Q[i] as number;
      out[o + 1] = w1Q[i] as number;
      out[o + 2] = this.aQ[i] as number;
      out[o + 3] = this.vQ[i] as number;
      out[o + 4] = this.bankQ[i] as number;
      out[o + 5] = this.psumQ[i] as number;
    }
  }

  /** Pure next-state function of the grid and the lines: reads the Q registers and the inputs, writes the D buffers. */
  protected nextLines(b: Int32Array, o: number): void {
    const R = this.rows;
    const C = this.cols;
    const cnt = this.counters;
    const aEn = (b[o + IN.aEn] as number) & 1;
    const aBank = (b[o + IN.aBank] as number) & 1;
    const aOff = o + this.aOff;

    // --- PE array: a/v/bank move right, psum moves down
    const { w0Q: w0, w1Q: w1 } = this.programmed;
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

    // --- accumulate stage: the control line's last register and the de-skewed sums (column C-1 straight from the bottom PE)
    const deskewQ = this.deskewQ;
    const L1 = this.ctrlLen - 1;
    const bottom = (R - 1) * C;
    const sums = this.sums;
    for (let c = 0; c < C; c++) {
      sums[c] = c === C - 1 ? (psumQ[bottom + c] as number) : (deskewQ[c * (C - 1) - (c * (c - 1)) / 2 + (C - 2 - c)] as number);
    }
    this.stages.nextAccumulate(this.ctrlEnQ[L1] as number, this.ctrlFirstQ[L1] as number, this.ctrlLastQ[L1] as number, this.ctrlAddrQ[L1] as number, sums, 0, cnt);

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

    if (aEn === 1) {
      cnt.beats++;
      cnt.peMacs += R * C;
      if (cfD[0] === 1) cnt.firstBeats++;
      if (clD[0] === 1) cnt.lastBeats++;
    }
  }

  /** The clock edge: D buffers become Q. */
  protected commitLines(): void {
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
  }
}
