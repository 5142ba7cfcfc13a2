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
    `RTL and hw-sim differ in layer ${m.layer} (${m.context}), tile ${m.tile}, cycle ${m.cycle}, at ${m.where}: hw-sim ${m.expected}, RTL ${m.actual}${alsoText(m.also)}`,
  );
}
