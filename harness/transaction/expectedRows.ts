/**
 * Every output row a run must produce, from hw-sim's own run of it, grouped into output tiles in order: each row
 * with its address, its o_data_o and o_acc_o words and the cycle (of the run) of the beat that produces it.
 *
 * - A compiled program (programRows): one group per output tile, the last K-tile of each (pass, N-tile) in program
 *   order, its rows at addresses 0 .. rows-1 (docs/ARCHITECTURE.md section 13, point 3).
 * - A raw beat stream (streamRows: the regression's corner and random streams, which carry no Program): the rows of
 *   hw-sim's run of the stream, each from the `a_last_i` beat L = R + C + 1 cycles before it, cut into groups that
 *   an RTL could not tell apart from output tiles: a group ends where the next row's address was already in it (a
 *   tile never has an address twice, and a row placed by address alone could not be told from the earlier one),
 *   or where parameters or the configuration are written between the two rows' requantize cycles (a new N-tile's
 *   parameters, section 9: an RTL may finish the rows before it takes them, never reorder across them).
 */
import { ArraySim, IN, OUT, inWords, oAccOffset, outWords, type ArrayConfig } from '../../hw-sim/index.ts';
import { tileName, type Program } from '../../hw-sim/compiler/program.ts';
import type { TileSpan } from '../../hw-sim/compiler/schedule.ts';
import { CosimError, ShapeError } from '../../quant/errors.ts';

export interface OutputTile {
  /** The compiler's tile (its last K-tile) for a program; undefined for a group of a raw stream. */
  readonly tile: TileSpan | undefined;
  /** tileName(tile), or "rows 12..19" of a stream. */
  readonly name: string;
  readonly rows: number;
  /** Y's first row: pass * AccDepth (0 for a stream). */
  readonly mBase: number;
  /** The address of each slot (a program's tile: slot = address). */
  readonly addrs: Int32Array;
  /** o_data_o of slot s, column c at [s * C + c]; o_acc_o the same. */
  readonly data: Int8Array;
  readonly acc: Int32Array;
  /** Cycle of slot s's beat, counted from the run's first cycle (a program: tile.streamCycle + s). */
  readonly beatCycles: Int32Array;
  /** The slot of an address, -1 when the tile has no row there. */
  slotOf(addr: number): number;
}

/** What a transaction scoreboard checks: the output tiles of a program or a stream, and hw-sim's figures of it. */
export interface ExpectedRun {
  /** The layer (a program's name), or what the stream is. */
  readonly layer: string;
  readonly cols: number;
  readonly tiles: readonly OutputTile[];
  /** hw-sim's latency R + C + 1, its cycles and rows. */
  readonly latency: number;
  readonly nCycles: number;
  readonly outputRows: number;
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
  const words = outputs ?? runWords(p.cfg, p.beats, p.nCycles);
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
      const rows = tile.rows;
      return {
        tile, name: tileName(tile), rows, mBase: tile.pass * D, data, acc,
        addrs: Int32Array.from({ length: rows }, (_, a) => a),
        beatCycles: Int32Array.from({ length: rows }, (_, a) => tile.streamCycle + a),
        slotOf: (addr: number) => (Number.isInteger(addr) && addr >= 0 && addr < rows ? addr : -1),
      };
    });
}

/** A program's rows as the scoreboard takes them. */
export function programRows(p: Program, outputs?: Int32Array): ExpectedRun {
  return { layer: p.layer, cols: p.cfg.cols, tiles: expectedRows(p, outputs), latency: p.plan.latency, nCycles: p.nCycles, outputRows: p.outputRows };
}

/**
 * The rows of a raw beat stream (nCycles x inWords, run from reset) from hw-sim's output words of it (nCycles x
 * outWords), grouped as the header says. `name` is what the stream is, for messages.
 */
export function streamRows(cfg: ArrayConfig, beats: Int32Array, outputs: Int32Array, name: string): ExpectedRun {
  const iw = inWords(cfg);
  const ow = outWords(cfg);
  const nCycles = beats.length / iw;
  if (!Number.isInteger(nCycles) || outputs.length < nCycles * ow) {
    throw new ShapeError(`${name}: expected whole beats of ${iw} words and ${ow} output words a cycle, got ${beats.length} and ${outputs.length} words`);
  }
  const C = cfg.cols;
  const lat = cfg.rows + cfg.cols + 1;
  const accOff = oAccOffset(cfg);
  // cycles with a parameter or configuration write, as a running count (so "any write in [a, b)" is one subtraction)
  const writes = new Int32Array(nCycles + 1);
  for (let t = 0; t < nCycles; t++) writes[t + 1] = (writes[t] as number) + (beats[t * iw + IN.pEn] === 1 || beats[t * iw + IN.cEn] === 1 ? 1 : 0);
  const writesIn = (a: number, b: number): boolean => (writes[Math.min(b, nCycles)] as number) - (writes[Math.max(0, Math.min(a, nCycles))] as number) > 0;

  const tiles: OutputTile[] = [];
  let cur: Array<{ addr: number; beat: number; o: number }> = [];
  let addrsInCur = new Set<number>();
  let rowIndex = 0;
  const close = (): void => {
    if (cur.length === 0) return;
    const rows = cur.length;
    const data = new Int8Array(rows * C);
    const acc = new Int32Array(rows * C);
    const bySlot = new Map<number, number>();
    cur.forEach((r, s) => {
      bySlot.set(r.addr, s);
      for (let c = 0; c < C; c++) {
        data[s * C + c] = outputs[r.o + OUT.oData + c] as number;
        acc[s * C + c] = outputs[r.o + accOff + c] as number;
      }
    });
    tiles.push({
      tile: undefined, name: `rows ${rowIndex - rows}..${rowIndex - 1}`, rows, mBase: 0, data, acc,
      addrs: Int32Array.from(cur, (r) => r.addr), beatCycles: Int32Array.from(cur, (r) => r.beat),
      slotOf: (addr: number) => bySlot.get(addr) ?? -1,
    });
    cur = [];
    addrsInCur = new Set();
  };
  for (let t = 0; t < nCycles; t++) {
    const o = t * ow;
    if (outputs[o + OUT.oValid] !== 1) continue;
    const beat = t - lat;
    if (beat < 0 || beats[beat * iw + IN.aEn] !== 1 || beats[beat * iw + IN.aLast] !== 1) {
      throw new CosimError(`${name}: hw-sim's row in cycle ${t} has no a_last_i beat ${lat} cycles before it (a bug of hw-sim)`);
    }
    const addr = outputs[o + OUT.oAddr] as number;
    const prev = cur[cur.length - 1];
    // requantize cycles beat + R + C: a write in [prev's, this one's) separates them
    if (prev !== undefined && (addrsInCur.has(addr) || writesIn(prev.beat + lat - 1, beat + lat - 1))) close();
    cur.push({ addr, beat, o });
    addrsInCur.add(addr);
    rowIndex++;
  }
  close();
  return { layer: name, cols: C, tiles, latency: lat, nCycles, outputRows: rowIndex };
}

/** hw-sim's output words of n cycles of beats from reset. */
export function runWords(cfg: ArrayConfig, beats: Int32Array, n: number, checkHazards = false): Int32Array {
  const sim = new ArraySim(cfg, { checkHazards });
  sim.reset();
  const out = new Int32Array(n * outWords(cfg));
  sim.run(n, beats, out);
  return out;
}
