/**
 * Names of beat and readout words as the RTL calls them (docs/ARCHITECTURE.md sections 3, 6, 7): output word i
 * of a beat is a port or one element of a port; readout word i is one register of one PE.
 */
import { REG_NAMES, REG_WORDS_PER_PE } from '../../hw-sim/index.ts';

export interface WordLocation {
  /** "o_data_o[3]", "o_valid_o", "pe(1,2).psum_q" */
  where: string;
  /** The PE row, for a register. */
  row?: number;
  /** The PE column, or the column of an output element. */
  col?: number;
}

export function outputWordLocation(cols: number, i: number): WordLocation {
  if (i === 0) return { where: 'o_valid_o' };
  if (i === 1) return { where: 'o_addr_o' };
  if (i < 2 + cols) return { where: `o_data_o[${i - 2}]`, col: i - 2 };
  return { where: `o_acc_o[${i - 2 - cols}]`, col: i - 2 - cols };
}

export function registerWordLocation(cols: number, i: number): WordLocation {
  const pe = Math.floor(i / REG_WORDS_PER_PE);
  const row = Math.floor(pe / cols);
  const col = pe % cols;
  return { where: `pe(${row},${col}).${REG_NAMES[i % REG_WORDS_PER_PE]}`, row, col };
}
