/**
 * The host's duties of docs/ARCHITECTURE.md section 5, checked cycle by cycle (optional: ArraySim runs it when
 * constructed with `{ checkHazards: true }`). A broken rule throws HazardError naming the cycle and the rule; a port
 * word outside its port's range throws RangeCheckError.
 *
 * The checker cannot know which weights or parameters the host *meant* a beat to use, so it checks the rules in the
 * form that needs no intent:
 *  - rules 1 and 2, per PE row: a beat issued in cycle t on bank b passes PE row r in cycles t+r .. t+r+C-1, so a
 *    write to (bank b, row r) in cycle s must not fall in [t+r, t+r+C-2] (it would change the weight between
 *    columns of one beat). A write before that window serves the beat (rule 2), one after it comes after the
 *    beat's last use (rule 1).
 *  - rule 3: parameter writes in consecutive cycles that touch each column (and the configuration) at most once
 *    are one parameter set; no requantization may happen strictly inside a set's cycles (it would see part of the
 *    old and part of the new set). A write to a column the current set already wrote starts a new set.
 *  - rule 4: a non-`first` beat must hit an address opened by a `first` beat and not yet closed by a `last` beat.
 */
import { HazardError, RangeCheckError } from '../quant/errors.ts';
import { IN, aDataOffset, type ArrayConfig } from './contract/index.ts';

const RING = 128; // > R + C for every allowed size
const ENABLES = [IN.wEn, IN.aEn, IN.pEn, IN.cEn] as const;

export class HazardChecker {
  private readonly rows: number;
  private readonly cols: number;
  private readonly depth: number;
  /** Bank used by the beat issued in cycle t (slot t % RING), or -1; ringCycle says which cycle a slot holds. */
  private readonly ringBank = new Int32Array(RING);
  private readonly ringCycle = new Float64Array(RING);
  /** Accumulator addresses opened by a `first` beat and not yet closed by a `last` one. */
  private readonly open: Uint8Array;
  private paramRunStart = -1;
  private lastParamCycle = -2;
  /** Columns (bit c) and configuration (bit 32, as a float) written by the current set. */
  private paramRunCols = 0;
  private paramRunConfig = false;
  private lastRequantCycle = -1;

  constructor(cfg: ArrayConfig) {
    this.rows = cfg.rows;
    this.cols = cfg.cols;
    this.depth = cfg.accDepth;
    this.open = new Uint8Array(cfg.accDepth);
    this.reset();
  }

  reset(): void {
    this.ringBank.fill(-1);
    this.ringCycle.fill(-1);
    this.open.fill(0);
    this.paramRunStart = -1;
    this.lastParamCycle = -2;
    this.paramRunCols = 0;
    this.paramRunConfig = false;
    this.lastRequantCycle = -1;
  }

  /**
   * Checks the inputs of cycle t before they are clocked in. `requant` says whether the requantizer works in this
   * cycle (acc_valid_q is 1).
   */
  observe(t: number, inBuf: Int32Array, o: number, requant: boolean): void {
    this.checkRanges(t, inBuf, o);
    const slot = t % RING;
    const aEn = inBuf[o + IN.aEn] === 1;
    this.ringCycle[slot] = t;
    this.ringBank[slot] = aEn ? (inBuf[o + IN.aBank] as number) : -1;
    if (requant) this.lastRequantCycle = t;
    if (aEn) this.checkAccumulator(t, inBuf, o);
    if (inBuf[o + IN.wEn] === 1) this.checkWeightWrite(t, inBuf[o + IN.wBank] as number, inBuf[o + IN.wRow] as number);
    const pEn = inBuf[o + IN.pEn] === 1;
    const cEn = inBuf[o + IN.cEn] === 1;
    if (pEn || cEn) this.checkParamWrite(t, pEn ? (inBuf[o + IN.pCol] as number) : -1, cEn);
  }

  private checkWeightWrite(s: number, bank: number, r: number): void {
    const C = this.cols;
    for (let t = Math.max(0, s - r - C + 2); t <= s - r; t++) {
      const slot = t % RING;
      if (this.ringCycle[slot] === t && this.ringBank[slot] === bank) {
        throw new HazardError(
          `cycle ${s}: weight write to bank ${bank} row ${r} while the beat of cycle ${t} on that bank is inside PE row ${r} ` +
            `(it uses the row in cycles ${t + r}..${t + r + C - 1}; a write must come by cycle ${t + r - 1} to serve it ` +
            `(rule 2) or from cycle ${t + r + C - 1} on (rule 1))`,
        );
      }
    }
  }

  private checkParamWrite(p: number, col: number, config: boolean): void {
    const bit = col >= 0 ? 1 << col : 0;
    if (this.lastParamCycle !== p - 1 || (this.paramRunCols & bit) !== 0 || (config && this.paramRunConfig)) {
      this.paramRunStart = p;
      this.paramRunCols = 0;
      this.paramRunConfig = false;
    }
    this.paramRunCols |= bit;
    this.paramRunConfig ||= config;
    this.lastParamCycle = p;
    if (this.lastRequantCycle > this.paramRunStart) {
      throw new HazardError(
        `cycle ${p}: requantization parameters written in cycles ${this.paramRunStart}..${p} while a row was ` +
          `requantized in cycle ${this.lastRequantCycle} with part of the old and part of the new set (rule 3)`,
      );
    }
  }

  private checkAccumulator(t: number, inBuf: Int32Array, o: number): void {
    const addr = inBuf[o + IN.aAddr] as number;
    const first = inBuf[o + IN.aFirst] === 1;
    const last = inBuf[o + IN.aLast] === 1;
    if (!first && this.open[addr] === 0) {
      throw new HazardError(
        `cycle ${t}: beat adds to accumulator address ${addr}, which no 'first' beat of this pass has written ` +
          `(or a 'last' beat already closed it) (rule 4)`,
      );
    }
    this.open[addr] = last ? 0 : 1;
  }

  private check(t: number, what: string, v: number, lo: number, hi: number): void {
    if (!(v >= lo && v <= hi)) throw new RangeCheckError(`cycle ${t}: ${what} must be in [${lo}, ${hi}], got ${v}`);
  }

  private checkRanges(t: number, b: Int32Array, o: number): void {
    const R = this.rows;
    const C = this.cols;
    for (const k of ENABLES) {
      const v = b[o + k] as number;
      if (v !== 0 && v !== 1) throw new RangeCheckError(`cycle ${t}: input word ${k} is an enable and must be 0 or 1, got ${v}`);
    }
    if (b[o + IN.wEn] === 1) {
      this.check(t, 'w_bank', b[o + IN.wBank] as number, 0, 1);
      this.check(t, 'w_row', b[o + IN.wRow] as number, 0, R - 1);
      for (let c = 0; c < C; c++) this.check(t, 'w_data', b[o + IN.wData + c] as number, -128, 127);
    }
    if (b[o + IN.aEn] === 1) {
      this.check(t, 'a_bank', b[o + IN.aBank] as number, 0, 1);
      this.check(t, 'a_first', b[o + IN.aFirst] as number, 0, 1);
      this.check(t, 'a_last', b[o + IN.aLast] as number, 0, 1);
      this.check(t, 'a_addr', b[o + IN.aAddr] as number, 0, this.depth - 1);
      const a0 = o + aDataOffset({ cols: C });
      for (let r = 0; r < R; r++) this.check(t, 'a_data', b[a0 + r] as number, -128, 127);
    }
    if (b[o + IN.pEn] === 1) this.check(t, 'p_col', b[o + IN.pCol] as number, 0, C - 1);
    if (b[o + IN.cEn] === 1) {
      this.check(t, 'c_zp', b[o + IN.cZp] as number, -128, 127);
      this.check(t, 'c_min', b[o + IN.cMin] as number, -128, 127);
      this.check(t, 'c_max', b[o + IN.cMax] as number, -128, 127);
      this.check(t, 'c_round', b[o + IN.cRound] as number, 0, 3);
    }
  }
}
