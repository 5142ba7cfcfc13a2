/**
 * The host's READ of a program from rows delivered at the RTL's own times (docs/ARCHITECTURE.md section 13): each
 * row is put back at the cycle hw-sim has it on the ports (its beat's program cycle + R + C + 1), in a word array
 * shaped as the cycle contract's, and the compiler's own gatherOutputs places it in Y. So the transaction mode's
 * layer output is gathered by the same code as the lockstep's, from the RTL's bytes.
 */
import { OUT, oAccOffset, outWords } from '../../hw-sim/index.ts';
import { gatherOutputs } from '../../hw-sim/compiler/gather.ts';
import type { Program } from '../../hw-sim/compiler/program.ts';
import { CosimError } from '../../quant/errors.ts';
import type { OutputTile } from './expectedRows.ts';
import type { ObservedRow } from './rows.ts';

/**
 * Y[m, n] of p from the rows the RTL delivered for it, in the order they came: tile after tile (the scoreboard has
 * already checked that they came so, each row once), any order within a tile.
 */
export function gatherRows(p: Program, tiles: readonly OutputTile[], rows: readonly ObservedRow[]): Int8Array {
  const ow = outWords(p.cfg);
  const accOff = oAccOffset(p.cfg);
  const C = p.cfg.cols;
  const words = new Int32Array(p.nCycles * ow);
  let r = 0;
  for (const t of tiles) {
    for (let k = 0; k < t.rows; k++, r++) {
      const row = rows[r];
      const s = row === undefined ? -1 : t.slotOf(row.addr);
      if (row === undefined || s < 0) throw new CosimError(`layer '${p.layer}': row ${r} of the RTL (tile ${t.name}) is not one of the tile's rows; gather only what the scoreboard accepted`);
      const o = ((t.beatCycles[s] as number) + p.plan.latency) * ow;
      words[o + OUT.oValid] = 1;
      words[o + OUT.oAddr] = row.addr;
      for (let c = 0; c < C; c++) {
        words[o + OUT.oData + c] = row.data[c] as number;
        words[o + accOff + c] = row.acc[c] as number;
      }
    }
  }
  if (r !== rows.length) throw new CosimError(`layer '${p.layer}': ${rows.length} rows delivered, the program has ${r}`);
  return gatherOutputs(p, words);
}
