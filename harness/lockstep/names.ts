/**
 * Where a beat or readout word is, named by the contract (hw-sim/contract/names.ts, docs/ARCHITECTURE.md sections
 * 3, 6, 7): output word i of a beat is a port or one element of a port; readout word i is one register of one PE.
 * The ranks order the words of one cycle by pipeline stage, so that a difference is named where it enters
 * (compare.ts).
 */
import { OUT, REG_WORDS_PER_PE, beatWordSignal, oAccOffset, outWords, regWordSignal, signalName } from '../../hw-sim/contract/index.ts';

export interface WordLocation {
  /** "o_data_o[3]", "o_valid_o", "pe(1,2).psum_q" */
  where: string;
  /** The PE row, for a register. */
  row?: number;
  /** The PE column, or the column of an output element. */
  col?: number;
}

export function outputWordLocation(cols: number, i: number): WordLocation {
  const s = beatWordSignal('out', { rows: 0, cols }, i);
  return s.index === undefined ? { where: signalName(s) } : { where: signalName(s), col: s.index };
}

export function registerWordLocation(cols: number, i: number): WordLocation {
  const s = regWordSignal(cols, i);
  return { where: signalName(s), row: s.row, col: s.col };
}

/**
 * Stage order of one cycle's output words (section 4): o_valid_o and o_addr_o (which row), then o_acc_o, the
 * value that entered the requantizer, then o_data_o, what the requantizer made of it. All of them are loaded at the
 * same edge, so a row whose accumulator is wrong shows in both in one cycle; o_acc_o names the stage that broke.
 */
export function outputWordRanks(cols: number): Int32Array {
  const rank = new Int32Array(outWords({ cols }));
  rank[OUT.oAddr] = 1;
  for (let c = 0; c < cols; c++) {
    rank[oAccOffset({ cols }) + c] = 2 + c; // o_acc_o[c]
    rank[OUT.oData + c] = 2 + cols + c; // o_data_o[c]
  }
  return rank;
}

/**
 * Stage order of one readout (section 4: PE (r, c) sees a beat r + c cycles after it entered): by r + c, and within
 * a PE in readout order (w0_q, w1_q, then the activation's a_q, v_q, bank_q, then psum_q, which is computed from
 * them); PE-major readout order breaks ties.
 */
export function registerWordRanks(rows: number, cols: number): Int32Array {
  const pes = rows * cols;
  const key = (i: number): number => {
    const pe = Math.floor(i / REG_WORDS_PER_PE);
    return ((Math.floor(pe / cols) + (pe % cols)) * REG_WORDS_PER_PE + (i % REG_WORDS_PER_PE)) * pes + pe;
  };
  const words = Array.from({ length: pes * REG_WORDS_PER_PE }, (_, i) => i).sort((a, b) => key(a) - key(b));
  const rank = new Int32Array(words.length);
  words.forEach((w, r) => (rank[w] = r));
  return rank;
}
