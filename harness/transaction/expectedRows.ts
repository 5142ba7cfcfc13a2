/**
 * Every output row a program must produce, from hw-sim's own run of it: one group per output tile (the last K-tile
 * of each (pass, N-tile), in program order), its rows at addresses 0 .. rows-1 with their o_data_o and o_acc_o
 * words and the program cycle of the beat that produces each.
 */
import { ArraySim, OUT, oAccOffset, outWords } from '../../hw-sim/index.ts';
import { tileName, type Program } from '../../hw-sim/compiler/program.ts';
import type { TileSpan } from '../../hw-sim/compiler/schedule.ts';
import { CosimError, ShapeError } from '../../quant/errors.ts';

export interface OutputTile {
  readonly tile: TileSpan;
  /** tileName(tile) */
  readonly name: string;
  readonly rows: number;
  /** Y's first row: pass * AccDepth. */
  readonly mBase: number;
  /** o_data_o of row addr, column c at [addr * C + c]; o_acc_o the same. */
  readonly data: Int8Array;
  readonly acc: Int32Array;
  /** Program cycle of row addr's beat (tile.streamCycle + addr). */
  readonly beatCycle: (addr: number) => number;
}

/**
 * The output tiles of p with hw-sim's rows. `outputs`: hw-sim's output words of the program's cycles (nCycles x
 * outWords, as the lockstep keeps them), else a fresh ArraySim runs the program (a program starts on an idle array
 * and writes every weight, parameter and configuration it uses, so its rows do not depend on what ran before).
 */
export function expectedRows(p: Program, outputs?: Int32Array): OutputTile[] {
  const C = p.cfg.cols;
  const ow = outWords(p.cfg);
  if (outputs !== undefined && outputs.length < p.nCycles * ow) {
    throw new ShapeError(`layer '${p.layer}': expected ${p.nCycles} cycles x ${ow} output words of hw-sim, got ${outputs.length} words`);
  }
  const words = outputs ?? runProgram(p);
  const accOff = oAccOffset(p.cfg);
  const lat = p.plan.latency;
  const D = p.cfg.accDepth;
  return p.plan.tiles
    .filter((t) => t.last)
    .map((tile) => {
      const data = new Int8Array(tile.rows * C);
      const acc = new Int32Array(tile.rows * C);
      for (let a = 0; a < tile.rows; a++) {
        const o = (tile.streamCycle + a + lat) * ow;
        if (words[o + OUT.oValid] !== 1 || words[o + OUT.oAddr] !== a) {
          throw new CosimError(`layer '${p.layer}': hw-sim's row of tile ${tileName(tile)} address ${a} is not on its ports in program cycle ${tile.streamCycle + a + lat} (a bug of hw-sim or of the schedule)`);
        }
        for (let c = 0; c < C; c++) {
          data[a * C + c] = words[o + OUT.oData + c] as number;
          acc[a * C + c] = words[o + accOff + c] as number;
        }
      }
      return { tile, name: tileName(tile), rows: tile.rows, mBase: tile.pass * D, data, acc, beatCycle: (a: number) => tile.streamCycle + a };
    });
}

function runProgram(p: Program): Int32Array {
  const sim = new ArraySim(p.cfg);
  sim.reset();
  const out = new Int32Array(p.nCycles * outWords(p.cfg));
  sim.run(p.nCycles, p.beats, out);
  return out;
}
