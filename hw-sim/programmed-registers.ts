/**
 * The registers the host writes through the ports (docs/ARCHITECTURE.md sections 3 and 4): the weight banks
 * w0_q/w1_q (w_en_i: one row of a bank), each column's requantization parameters bias_q/m0_q/shift_q (p_en_i) and the
 * output configuration zp_q/min_q/max_q/round_q (c_en_i), with the requantizer that reads them. Both cycle models
 * own one: hw-sim's ArraySim and the tests' naive register-by-register model, which checks the PE grid's timing, not
 * this port decode.
 *
 * `sample()` decodes one input beat into pending writes (checking m0, shift and the rounding code as the contract
 * requires), `commit()` lands them at the clock edge; nothing allocates per cycle.
 */
import { RangeCheckError } from '../quant/errors.ts';
import {
  outputStage,
  wrapInt32,
  multiplyByQuantizedMultiplierSingle,
  multiplyByQuantizedMultiplierDouble,
  multiplyByQuantizedMultiplierRuy,
  SHIFT_MIN,
  SHIFT_MAX,
} from '../quant/spec/index.ts';
import type { ArrayCounters } from './counters.ts';
import { IN, ROUND_CODE, clog2, formatRoundingModes, roundingModeOfCode, type ArrayConfig } from './contract/index.ts';

export class ProgrammedRegisters {
  /** w0_q then w1_q of every PE (r*C + c): bank b of PE i is wQ[b*R*C + i]; w0Q and w1Q are views. */
  readonly wQ: Int32Array;
  readonly w0Q: Int32Array;
  readonly w1Q: Int32Array;
  readonly biasQ: Int32Array;
  readonly m0Q: Int32Array;
  readonly shiftQ: Int32Array;
  zpQ = 0;
  minQ = 0;
  maxQ = 0;
  /** The rounding mode's code (c_round_i) of the last configuration write: the requantizer's mode for every row after it. */
  roundQ = 0;

  private readonly cfg: ArrayConfig;
  private readonly rows: number;
  private readonly cols: number;
  private readonly rowMask: number;
  private readonly colMask: number;
  /** Bit c set: the array implements the mode of code c (the RTL's RoundingModes). */
  private readonly roundMask: number;
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

  /** cfg: a validated array configuration. */
  constructor(cfg: ArrayConfig) {
    const R = cfg.rows;
    const C = cfg.cols;
    this.cfg = cfg;
    this.rows = R;
    this.cols = C;
    this.rowMask = (1 << clog2(R)) - 1;
    this.colMask = (1 << clog2(C)) - 1;
    this.roundMask = cfg.roundingModes.reduce((mask, m) => mask | (1 << ROUND_CODE[m]), 0);
    this.wQ = new Int32Array(2 * R * C);
    this.w0Q = this.wQ.subarray(0, R * C);
    this.w1Q = this.wQ.subarray(R * C);
    this.biasQ = new Int32Array(C);
    this.m0Q = new Int32Array(C);
    this.shiftQ = new Int32Array(C);
    this.wWeData = new Int32Array(C);
  }

  /** rst_ni: every register goes to 0 (the pending writes need none: every cycle's sample() sets them before its edge). */
  reset(): void {
    for (const a of [this.wQ, this.biasQ, this.m0Q, this.shiftQ]) a.fill(0);
    this.zpQ = 0;
    this.minQ = 0;
    this.maxQ = 0;
    this.roundQ = 0;
  }

  /** The weight, parameter and configuration writes of the beat at b[o ..] (pending until commit()), checked, then counted. */
  sample(b: Int32Array, o: number, cycle: number, cnt: ArrayCounters): void {
    const C = this.cols;
    this.wWe = (b[o + IN.wEn] as number) & 1;
    if (this.wWe === 1) {
      this.wWeBank = (b[o + IN.wBank] as number) & 1;
      this.wWeRow = (b[o + IN.wRow] as number) & this.rowMask;
      const wd = o + IN.wData;
      const data = this.wWeData;
      for (let c = 0; c < C; c++) data[c] = ((b[wd + c] as number) << 24) >> 24;
    }
    this.pWe = (b[o + IN.pEn] as number) & 1;
    if (this.pWe === 1) {
      this.pWeCol = (b[o + IN.pCol] as number) & this.colMask;
      this.pWeBias = (b[o + IN.pBias] as number) | 0;
      this.pWeM0 = (b[o + IN.pM0] as number) | 0;
      this.pWeShift = ((b[o + IN.pShift] as number) << 24) >> 24;
      if (this.pWeM0 < 0 || this.pWeShift < SHIFT_MIN || this.pWeShift > SHIFT_MAX) {
        throw new RangeCheckError(
          `cycle ${cycle}: p_m0 must be in [0, 2^31-1] and p_shift in [${SHIFT_MIN}, ${SHIFT_MAX}], got m0 ${this.pWeM0}, shift ${this.pWeShift}`,
        );
      }
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
          `cycle ${cycle}: c_round ${this.cWeRound} (${mode === undefined ? 'reserved' : `'${mode}'`}) selects a rounding mode this array does not implement (roundingModes ${formatRoundingModes(this.cfg.roundingModes)})`,
        );
      }
    }
    // counted once the beat is accepted
    cnt.weightRowWrites += this.wWe;
    cnt.paramWrites += this.pWe;
    cnt.configWrites += this.cWe;
  }

  /** The weight row the beat last sampled writes at this edge, or -1 (no write, or a row index past the array). */
  get weightWriteRow(): number {
    return this.wWe === 1 && this.wWeRow < this.rows ? this.wWeRow : -1;
  }
  /** The bank of that write. */
  get weightWriteBank(): number {
    return this.wWeBank;
  }

  /** The clock edge: the pending writes land (a row or column index past the array writes nothing). */
  commit(): void {
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
  }

  /**
   * The requantizer on one accumulator row (quant/spec): acc + bias_q into oAcc (the value o_acc_o shows), then the
   * multiplier of round_q, zp_q and the clamps into oData.
   */
  requantize(acc: Int32Array, oData: Int32Array, oAcc: Int32Array): void {
    const code = this.roundQ;
    const bias = this.biasQ;
    const m0 = this.m0Q;
    const sh = this.shiftQ;
    const zp = this.zpQ;
    const lo = this.minQ;
    const hi = this.maxQ;
    for (let c = 0; c < this.cols; c++) {
      const x = wrapInt32((acc[c] as number) + (bias[c] as number));
      oAcc[c] = x;
      const m = m0[c] as number;
      const k = sh[c] as number;
      // one call site per mode (sample() admits only ROUND_CODE's codes), so that V8 inlines each
      const y =
        code === ROUND_CODE.single
          ? multiplyByQuantizedMultiplierSingle(x, m, k)
          : code === ROUND_CODE.double
            ? multiplyByQuantizedMultiplierDouble(x, m, k)
            : multiplyByQuantizedMultiplierRuy(x, m, k);
      oData[c] = outputStage(y, zp, lo, hi);
    }
  }
}
