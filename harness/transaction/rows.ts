/**
 * The monitor's side of the transaction check: the output rows (o_valid_o = 1) of sampled output words, in cycle
 * order, and feeding them to a scoreboard. It only samples; the scoreboard compares.
 */
import { OUT, oAccOffset, outWords } from '../../hw-sim/index.ts';
import type { TransactionError } from './errors.ts';
import type { TransactionScoreboard } from './scoreboard.ts';

export interface ObservedRow {
  cycle: number;
  addr: number;
  data: Int8Array;
  acc: Int32Array;
}

/** The rows in `words` (cycle-major, outWords of `cols` a cycle), the first cycle numbered `firstCycle`. */
export function outputRows(words: Int32Array, cols: number, firstCycle = 0): ObservedRow[] {
  const ow = outWords({ cols });
  const accOff = oAccOffset({ cols });
  const rows: ObservedRow[] = [];
  for (let t = 0, o = 0; o + ow <= words.length; t++, o += ow) {
    if (words[o + OUT.oValid] !== 1) continue;
    rows.push({
      cycle: firstCycle + t,
      addr: words[o + OUT.oAddr] as number,
      data: Int8Array.from(words.subarray(o + OUT.oData, o + OUT.oData + cols)),
      acc: Int32Array.from(words.subarray(o + accOff, o + accOff + cols)),
    });
  }
  return rows;
}

/** Feeds the rows to the scoreboard in order; the first error, or nothing (the scoreboard is not finished). */
export function observeRows(board: TransactionScoreboard, rows: Iterable<ObservedRow>): TransactionError | undefined {
  for (const r of rows) {
    const err = board.observe(r.cycle, r.addr, r.data, r.acc);
    if (err !== undefined) return err;
  }
  return undefined;
}
