/**
 * Writing port commands into a flat per-cycle beat buffer (docs/ARCHITECTURE.md section 7). Each port group
 * (weights, activations, parameters, configuration) can be used once per cycle; using one twice is a scheduling
 * bug and throws.
 */
import { CosimError } from '../../quant/errors.ts';
import type { RoundingMode } from '../../quant/spec/index.ts';
import { IN, ROUND_CODE, aDataOffset, inWords, type ArrayConfig } from '../contract/index.ts';

export class BeatBuffer {
  readonly words: number;
  readonly beats: Int32Array;
  private readonly aOff: number;

  constructor(
    readonly cfg: Pick<ArrayConfig, 'rows' | 'cols'>,
    readonly nCycles: number,
  ) {
    this.words = inWords(cfg);
    this.aOff = aDataOffset(cfg);
    this.beats = new Int32Array(nCycles * this.words);
  }

  /**
   * One command of a port group in cycle t: sets its enable (once a cycle, else a scheduling bug) and its scalar
   * fields ([word, value] each, section 7's offsets); returns the cycle's first word, for a group's bus.
   */
  private command(t: number, en: number, what: string, fields: ReadonlyArray<readonly [number, number]>): number {
    if (!(t >= 0 && t < this.nCycles)) throw new CosimError(`beat buffer: ${what} at cycle ${t} outside 0..${this.nCycles - 1}`);
    const o = t * this.words;
    if (this.beats[o + en] === 1) throw new CosimError(`beat buffer: two ${what} commands in cycle ${t}`);
    this.beats[o + en] = 1;
    for (const [word, value] of fields) this.beats[o + word] = value;
    return o;
  }

  /** w_en: row `row` of bank `bank` takes data[from .. from+C-1]. */
  weightRow(t: number, bank: number, row: number, data: ArrayLike<number>, from = 0): void {
    const o = this.command(t, IN.wEn, 'weight-row', [[IN.wBank, bank], [IN.wRow, row]]);
    for (let c = 0; c < this.cfg.cols; c++) this.beats[o + IN.wData + c] = data[from + c] as number;
  }

  /** a_en: one activation vector, data[from .. from+R-1]. */
  activation(t: number, bank: number, first: boolean, last: boolean, addr: number, data: ArrayLike<number>, from = 0): void {
    const fields = [[IN.aBank, bank], [IN.aFirst, first ? 1 : 0], [IN.aLast, last ? 1 : 0], [IN.aAddr, addr]] as const;
    const a = this.command(t, IN.aEn, 'activation', fields) + this.aOff;
    for (let r = 0; r < this.cfg.rows; r++) this.beats[a + r] = data[from + r] as number;
  }

  /** p_en: one column's requantization parameters. */
  param(t: number, col: number, bias: number, m0: number, shift: number): void {
    this.command(t, IN.pEn, 'parameter', [[IN.pCol, col], [IN.pBias, bias], [IN.pM0, m0], [IN.pShift, shift]]);
  }

  /** c_en: the output zero point, the clamps and the requantizer's rounding. */
  config(t: number, zp: number, min: number, max: number, round: RoundingMode): void {
    this.command(t, IN.cEn, 'configuration', [[IN.cZp, zp], [IN.cMin, min], [IN.cMax, max], [IN.cRound, ROUND_CODE[round]]]);
  }
}
