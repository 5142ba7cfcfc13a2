/**
 * The array's back end (docs/ARCHITECTURE.md section 4; rtl/systolic_acc.sv, rtl/systolic_requant.sv): the
 * accumulate stage with its accumulator memory and acc_q, the requantize stage, and the output flops, which the
 * ports show in the output beat layout of section 7. Both cycle models own one: hw-sim's ArraySim and the tests'
 * naive register-by-register model, which check each other's PE grid, skew, de-skew and control lines (what hands
 * this back end a beat and its column sums), not this.
 *
 * Per cycle a model calls `nextAccumulate()` (the beat at the end of the control line and its de-skewed column sums),
 * `nextRequantize()`, and at the clock edge `commit()`; nothing allocates per cycle. The accumulator memory is the
 * one register written before the edge: the accumulate stage is its only reader in a cycle and reads the row before
 * it writes it, and ArrayModel.step() checks everything that can refuse a beat before any next-state function runs.
 */
import { wrapInt32 } from '../quant/spec/index.ts';
import type { ArrayCounters } from './counters.ts';
import { OUT, oAccOffset, type ArrayConfig } from './contract/index.ts';
import type { ProgrammedRegisters } from './programmed-registers.ts';

export class OutputStages {
  /** Accumulator memory of column c, address a at a*C + c (not reset). */
  readonly accMem: Int32Array;
  accQ: Int32Array;
  accValidQ = 0;
  accAddrQ = 0;
  oValidQ = 0;
  oAddrQ = 0;
  oDataQ: Int32Array;
  oAccQ: Int32Array;

  private readonly cols: number;
  private readonly oAccOff: number;
  private readonly params: ProgrammedRegisters;
  private accD: Int32Array;
  private oDataD: Int32Array;
  private oAccD: Int32Array;
  private accValidD = 0;
  private accAddrD = 0;
  private oValidD = 0;
  private oAddrD = 0;
  private accLoad = 0; // 1: acc_q <= accD at the edge
  private oWe = 0;

  /** cfg: a validated array configuration; params: the registers the requantizer reads. */
  constructor(cfg: ArrayConfig, params: ProgrammedRegisters) {
    const C = cfg.cols;
    this.cols = C;
    this.oAccOff = oAccOffset(cfg);
    this.params = params;
    this.accMem = new Int32Array(cfg.accDepth * C);
    this.accQ = new Int32Array(C);
    this.accD = new Int32Array(C);
    this.oDataQ = new Int32Array(C);
    this.oAccQ = new Int32Array(C);
    this.oDataD = new Int32Array(C);
    this.oAccD = new Int32Array(C);
  }

  /**
   * rst_ni: every flop goes to 0; the accumulator memory keeps its contents (the pending writes need no reset: every
   * cycle's nextAccumulate() and nextRequantize() set them before its edge).
   */
  reset(): void {
    for (const a of [this.accQ, this.oDataQ, this.oAccQ]) a.fill(0);
    this.accValidQ = 0;
    this.accAddrQ = 0;
    this.oValidQ = 0;
    this.oAddrQ = 0;
  }

  /** This cycle's outputs (the flops before the edge) into the output beat at out[o ..]. */
  writeOutputs(out: Int32Array, o: number): void {
    out[o + OUT.oValid] = this.oValidQ;
    out[o + OUT.oAddr] = this.oAddrQ;
    const d = o + OUT.oData;
    const a = o + this.oAccOff;
    const oData = this.oDataQ;
    const oAcc = this.oAccQ;
    const C = this.cols;
    for (let c = 0; c < C; c++) {
      out[d + c] = oData[c] as number;
      out[a + c] = oAcc[c] as number;
    }
  }

  /**
   * Accumulate stage: en, first, last, addr of the beat at the end of the control line (en 0: no beat), its column
   * sums at sums[off .. off+C-1]. `first` overwrites the memory row, otherwise it adds; `last` also loads acc_q for
   * the requantizer.
   */
  nextAccumulate(en: number, first: number, last: number, addr: number, sums: Int32Array, off: number, cnt: ArrayCounters): void {
    if (en !== 1) {
      this.accLoad = 0;
      this.accValidD = 0;
      this.accAddrD = this.accAddrQ;
      return;
    }
    const C = this.cols;
    const mem = this.accMem;
    const row = addr * C;
    if (first === 1) for (let c = 0; c < C; c++) mem[row + c] = sums[off + c] as number;
    else for (let c = 0; c < C; c++) mem[row + c] = wrapInt32((mem[row + c] as number) + (sums[off + c] as number));
    if (last === 1) {
      const accD = this.accD;
      for (let c = 0; c < C; c++) accD[c] = mem[row + c] as number;
    }
    this.accLoad = last;
    this.accValidD = last;
    this.accAddrD = last === 1 ? addr : this.accAddrQ;
    if (first === 1) cnt.accOverwrites++;
    else cnt.accAdds++;
  }

  /** Requantize stage: acc_q through the columns' parameters (ProgrammedRegisters.requantize). */
  nextRequantize(cnt: ArrayCounters): void {
    this.oValidD = this.accValidQ;
    if (this.accValidQ !== 1) {
      this.oWe = 0;
      this.oAddrD = this.oAddrQ;
      return;
    }
    this.params.requantize(this.accQ, this.oDataD, this.oAccD);
    this.oWe = 1;
    this.oAddrD = this.accAddrQ;
    cnt.outputRows++;
  }

  /**
   * n cycles in a row whose beats write no parameter or configuration register, from cycle tau0: the same as n
   * rounds of writeOutputs (into out at outStart + i*ow), nextAccumulate, nextRequantize and commit, with the
   * accumulate stage's beat read off the control line (en, first, last, addr: slot (tau - lineLen) & mask of the
   * four chains in cycle tau) and its sums from the row of slot tau & mask in sums. One loop over locals instead of
   * four calls a cycle (ArraySim's quiet cycles).
   */
  runQuiet(
    n: number, tau0: number, en: Int32Array, first: Int32Array, last: Int32Array, addr: Int32Array, lineLen: number, mask: number,
    sums: Int32Array, out: Int32Array, outStart: number, ow: number, cnt: ArrayCounters,
  ): void {
    const C = this.cols;
    const mem = this.accMem;
    const aOff = this.oAccOff;
    const dOff = OUT.oData;
    const vOff = OUT.oValid;
    const adOff = OUT.oAddr;
    const accQ = this.accQ;
    let oDataQ = this.oDataQ;
    let oAccQ = this.oAccQ;
    let oDataD = this.oDataD;
    let oAccD = this.oAccD;
    let accValidQ = this.accValidQ;
    let accAddrQ = this.accAddrQ;
    let oValidQ = this.oValidQ;
    let oAddrQ = this.oAddrQ;
    let overwrites = 0;
    let adds = 0;
    let rows = 0;
    for (let i = 0; i < n; i++) {
      const tau = tau0 + i;
      // the outputs: the flops before the edge
      const o = outStart + i * ow;
      out[o + vOff] = oValidQ;
      out[o + adOff] = oAddrQ;
      for (let c = 0; c < C; c++) {
        out[o + dOff + c] = oDataQ[c] as number;
        out[o + aOff + c] = oAccQ[c] as number;
      }
      // the requantize stage reads acc_q before the edge: its next values first
      const oWe = accValidQ;
      if (oWe === 1) {
        this.params.requantize(accQ, oDataD, oAccD);
        rows++;
      }
      const oAddrD = oWe === 1 ? accAddrQ : oAddrQ;
      // the accumulate stage (the memory row is written now: its only reader is this stage, which read it first)
      const s = (tau - lineLen) & mask;
      let accValidD = 0;
      if (en[s] === 1) {
        const a = addr[s] as number;
        const row = a * C;
        const from = (tau & mask) * C;
        if (first[s] === 1) {
          for (let c = 0; c < C; c++) mem[row + c] = sums[from + c] as number;
          overwrites++;
        } else {
          for (let c = 0; c < C; c++) mem[row + c] = ((mem[row + c] as number) + (sums[from + c] as number)) | 0;
          adds++;
        }
        if (last[s] === 1) {
          // acc_q takes the row (in place: the requantize stage has read this cycle's acc_q already)
          for (let c = 0; c < C; c++) accQ[c] = mem[row + c] as number;
          accValidD = 1;
          accAddrQ = a;
        }
      }
      // the edge
      accValidQ = accValidD;
      if (oWe === 1) {
        let t = oDataQ;
        oDataQ = oDataD;
        oDataD = t;
        t = oAccQ;
        oAccQ = oAccD;
        oAccD = t;
      }
      oValidQ = oWe;
      oAddrQ = oAddrD;
    }
    this.oDataQ = oDataQ;
    this.oDataD = oDataD;
    this.oAccQ = oAccQ;
    this.oAccD = oAccD;
    this.accValidQ = accValidQ;
    this.accAddrQ = accAddrQ;
    this.oValidQ = oValidQ;
    this.oAddrQ = oAddrQ;
    cnt.accOverwrites += overwrites;
    cnt.accAdds += adds;
    cnt.outputRows += rows;
  }

  /** The clock edge: D becomes Q, the pending register writes land. */
  commit(): void {
    let t: Int32Array;
    if (this.accLoad === 1) {
      t = this.accQ;
      this.accQ = this.accD;
      this.accD = t;
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
  }
}
