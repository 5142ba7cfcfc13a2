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

  private base(t: number, en: number, what: string): number {
    if (!(t >= 0 && t < this.nCycles)) throw new CosimError(`beat buffer: ${what} at cycle ${t} outside 0..${this.nCycles - 1}`);
    const o = t * this.words;
    if (this.beats[o + en] === 1) throw new CosimError(`beat buffer: two ${what} commands in cycle ${t}`);
    this.beats[o + en] = 1;
    return o;
  }

  /** w_en: row `row` of bank `bank` takes data[from .. from+C-1]. */
  weightRow(t: number, bank: number, row: number, data: ArrayLike<number>, from = 0): void {
    const o = this.base(t, IN.wEn, 'weight-row');
    const b = this.beats;
    b[o + IN.wBank] = bank;
    b[o + IN.wRow] = row;
    for (let c = 0; c < this.cfg.cols; c++) b[o + IN.wData + c] = data[from + c] as number;
  }

  /** a_en: one activation vector, data[from .. from+R-1]. */
  activation(t: number, bank: number, first: boolean, last: boolean, addr: number, data: ArrayLike<number>, from = 0): void {
    const o = this.base(t, IN.aEn, 'activation');
    const b = this.beats;
    b[o + IN.aBank] = bank;
    b[o + IN.aFirst] = first ? 1 : 0;
    b[o + IN.aLast] = last ? 1 : 0;
    b[o + IN.aAddr] = addr;
    const a = o + this.aOff;
    for (let r = 0; r < this.cfg.rows; r++) b[a + r] = data[from + r] as number;
  }

  /** p_en: one column's requantization parameters. */
  param(t: number, col: number, bias: number, m0: number, shift: number): void {
    const o = this.base(t, IN.pEn, 'parameter');
    const b = this.beats;
    b[o + IN.pCol] = col;
    b[o + IN.pBias] = bias;
    b[o + IN.pM0] = m0;
    b[o + IN.pShift] = shift;
  }

  /** c_en: the output zero point, the clamps and the requantizer's rounding. */
  config(t: number, zp: number, min: number, max: number, round: RoundingMode): void {
    const o = this.base(t, IN.cEn, 'configuration');
    const b = this.beats;
    b[o + IN.cZp] = zp;
    b[o + IN.cMin] = min;
    b[o + IN.cMax] = max;
    b[o + IN.cRound] = ROUND_CODE[round];
  }
}
