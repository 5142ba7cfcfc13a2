/** The first disagreement between the RTL and hw-sim, located. */
import { MismatchError } from '../../quant/errors.ts';

export interface Mismatch {
  /** The layer (the program's name). */
  layer: string;
  /** The tile at work, e.g. "n1 k0" (hw-sim/compiler tileName). */
  tile: string;
  /** Cycles since reset (ARCHITECTURE.md section 4 numbering; the planted fault counts the same way). */
  cycle: number;
  /** The cycle within the program (the layer run). */
  programCycle: number;
  /** The program's first cycle (since reset). */
  programStart: number;
  /** What the program was run for, e.g. "image 17". */
  context: string;
  kind: 'port' | 'register';
  /** "o_data_o[3]", "pe(1,2).psum_q" */
  where: string;
  row?: number;
  col?: number;
  expected: number;
  actual: number;
  /** The other words of the same cycle (and kind) that differ, earliest stage first, e.g. ["o_data_o[3]"]. */
  also?: string[];
  /** What the user may do about it (timingHint), appended to the message. */
  hint?: string;
}

/**
 * When the mismatch looks like other timing rather than other numbers: o_valid_o differs (a row at another cycle),
 * or the RTL has a_ready_o (it may stall, which the cycle lockstep does not honour). The transaction check of
 * docs/ARCHITECTURE.md section 13 is then the one to run.
 */
export function timingHint(m: Mismatch, flowControl: boolean): string | undefined {
  const valid = m.where === 'o_valid_o' || (m.also ?? []).includes('o_valid_o');
  if (!valid && !flowControl) return undefined;
  const valid0 = m.where === 'o_valid_o' ? `the RTL's o_valid_o is ${m.actual} where hw-sim's is ${m.expected}` : 'o_valid_o differs too';
  const why = flowControl
    ? 'this RTL has a_ready_o (flow control), and the cycle lockstep does not hold the program while it stalls'
    : `${valid0}: the RTL's rows come at other cycles than the cycle contract's`;
  return `${why}; if its timing differs by design (a longer pipeline, an output FIFO, stalls), run with --check transactions, which compares every row whenever it comes (docs/ARCHITECTURE.md section 13)`;
}

/** "; in the same cycle also o_data_o[2], o_data_o[3] and 4 more" (empty without others). */
export function alsoText(also: readonly string[] | undefined, shown = 4): string {
  if (also === undefined || also.length === 0) return '';
  const more = also.length > shown ? ` and ${also.length - shown} more` : '';
  return `; in the same cycle also ${also.slice(0, shown).join(', ')}${more}`;
}

export function mismatchError(m: Mismatch): MismatchError {
  return new MismatchError(
    { layer: m.layer, tile: m.tile, cycle: m.cycle, where: m.where, expected: m.expected, actual: m.actual },
    `RTL and hw-sim differ in layer ${m.layer} (${m.context}), tile ${m.tile}, cycle ${m.cycle}, at ${m.where}: hw-sim ${m.expected}, RTL ${m.actual}${alsoText(m.also)}${m.hint ? `. Hint: ${m.hint}` : ''}`,
  );
}
