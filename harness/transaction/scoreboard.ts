/**
 * The transaction-level scoreboard (docs/ARCHITECTURE.md, "Transaction-level contract"): knows every output row a
 * program must produce (hw-sim's own, expectedRows.ts) and matches the rows an RTL delivers, whenever they come.
 * Rows of one output tile may come in any order; output tiles come in program order, one after the other. A row is
 * placed by its address within the current output tile, compared word for word (o_acc_o, then o_data_o) and its
 * latency measured from the cycle its beat was taken. It only compares: a monitor samples the rows (rows.ts), a
 * driver tells it when a beat was taken if the RTL stalled it (acceptBeat). After an error it goes on placing the
 * rows that follow (a wrong row counts as seen, a missing one as given up), so a run can count them; the first
 * error is the verdict.
 */
import type { Program } from '../../hw-sim/compiler/program.ts';
import { LifecycleError, ShapeError } from '../../quant/errors.ts';
import { DuplicateRowError, MissingRowError, TransactionMismatch, UnexpectedRowError, type RowPlace, type TransactionError } from './errors.ts';
import { programRows, type ExpectedRun, type OutputTile } from './expectedRows.ts';

export interface TransactionScoreboardOptions {
  /** The program's first cycle, counted from the run's reset (cycles given to the scoreboard count the same). Default 0. */
  start?: number;
  /** What the program is run for, e.g. "image 3" (for messages). */
  context?: string;
  /** hw-sim's output words of the program (nCycles x outWords), when already computed; else hw-sim runs it. */
  reference?: Int32Array;
}

/** Latency and throughput of the rows seen, beside hw-sim's (the cycle contract's) for the same program. */
export interface TransactionStats {
  /** Rows the program produces, and rows seen (matched, right or wrong). */
  rows: number;
  seen: number;
  /** Cycles from a row's beat to the row, over the rows seen (undefined before the first). */
  latency: { min: number; max: number; mean: number } | undefined;
  firstRowCycle: number | undefined;
  lastRowCycle: number | undefined;
  /** From the program's first cycle to its last row, inclusive; rows / cycles. */
  cycles: number | undefined;
  rowsPerCycle: number | undefined;
  /** hw-sim: latency R + C + 1, the program's nCycles, outputRows / nCycles. */
  reference: { latency: number; cycles: number; rowsPerCycle: number };
}

export class TransactionScoreboard {
  readonly start: number;
  readonly context: string;
  readonly tiles: readonly OutputTile[];
  /** The rows checked: a program's (programRows) or a raw stream's (streamRows). */
  readonly expected: ExpectedRun;
  /** The compiled program, when the rows are a program's. */
  readonly program: Program | undefined;
  private readonly cols: number;
  /** Run cycle of a beat -> its row as tile * 2^20 + slot + 1 (0: the beat makes no row), built on the first acceptBeat. */
  private beatRow: Map<number, number> | undefined;
  /** Per output tile, per slot: cycle each row was seen (-1 not yet), cycle its beat was taken. */
  private readonly seenAt: Float64Array[];
  private readonly beatAt: Float64Array[];
  private readonly remaining: Int32Array;
  private cur = 0;
  private left: number;
  private lastCycle = -Infinity;
  private finished = false;
  private seen = 0;
  private latMin = Infinity;
  private latMax = -Infinity;
  private latSum = 0;
  private firstRow: number | undefined;
  private lastRow: number | undefined;

  /** A compiled program (hw-sim's rows of it: programRows), or the expected rows of a raw stream (streamRows). */
  constructor(source: Program | ExpectedRun, opts: TransactionScoreboardOptions = {}) {
    this.start = opts.start ?? 0;
    this.context = opts.context ?? '';
    this.program = 'plan' in source ? source : undefined;
    this.expected = 'plan' in source ? programRows(source, opts.reference) : source;
    this.cols = this.expected.cols;
    this.tiles = this.expected.tiles;
    this.seenAt = this.tiles.map((t) => new Float64Array(t.rows).fill(-1));
    this.beatAt = this.tiles.map((t) => Float64Array.from(t.beatCycles, (b) => this.start + b));
    this.remaining = Int32Array.from(this.tiles, (t) => t.rows);
    this.left = this.tiles.reduce((s, t) => s + t.rows, 0);
  }

  /** Rows not seen yet, those already reported missing left out (for a timeout: "N rows outstanding after T cycles"). */
  outstanding(): number {
    return this.left;
  }

  /**
   * The beat of program cycle `programCycle` (its place in p.beats) was taken by the array in `cycle` (since reset):
   * a driver that holds beats while the RTL stalls says so, and latency is measured from there. Beats that produce
   * no row (not the last K-tile) are ignored. Without a call a beat counts as taken in start + programCycle.
   */
  acceptBeat(programCycle: number, cycle: number): void {
    if (this.beatRow === undefined) {
      this.beatRow = new Map();
      this.tiles.forEach((t, i) => t.beatCycles.forEach((b, s) => this.beatRow?.set(b, i * 2 ** 20 + s + 1)));
    }
    const r = this.beatRow.get(programCycle);
    if (r === undefined) return;
    const i = Math.floor((r - 1) / 2 ** 20);
    (this.beatAt[i] as Float64Array)[(r - 1) % 2 ** 20] = cycle;
  }

  /**
   * One output row on the ports in `cycle` (o_valid_o = 1): nothing when it is the next row expected (within the
   * current output tile, any address not yet seen) with hw-sim's values; else the error it is.
   */
  observe(cycle: number, addr: number, data: Int8Array, acc: Int32Array): TransactionError | undefined {
    if (this.finished) throw new LifecycleError(`TransactionScoreboard.observe(cycle ${cycle}) after finish()`);
    if (!(cycle > this.lastCycle)) throw new LifecycleError(`TransactionScoreboard.observe: cycle ${cycle} does not come after cycle ${this.lastCycle} (one row a cycle, in cycle order)`);
    if (data.length !== this.cols || acc.length !== this.cols) {
      throw new ShapeError(`TransactionScoreboard.observe: expected ${this.cols} o_data_o and ${this.cols} o_acc_o values, got ${data.length} and ${acc.length}`);
    }
    this.lastCycle = cycle;
    const i = this.cur;
    const g = this.tiles[i];
    if (g === undefined) return new UnexpectedRowError(this.placeOf(undefined, addr), cycle, 0, undefined);
    const s = g.slotOf(addr);
    const fresh = s >= 0 && (this.seenAt[i] as Float64Array)[s] === -1;
    if (!(fresh && equalsRow(g, s, data, acc))) {
      // not the current tile's row as expected: is it the previous tile's again, or has the next tile begun?
      const prev = this.tiles[i - 1];
      const ps = prev?.slotOf(addr) ?? -1;
      if (prev !== undefined && ps >= 0 && (this.seenAt[i - 1] as Float64Array)[ps] !== -1 && equalsRow(prev, ps, data, acc)) {
        return new DuplicateRowError(this.placeOf(prev, addr), cycle, (this.seenAt[i - 1] as Float64Array)[ps] as number, true, undefined);
      }
      const next = this.tiles[i + 1];
      const ns = next?.slotOf(addr) ?? -1;
      if (next !== undefined && ns >= 0 && equalsRow(next, ns, data, acc)) return this.nextTileBegan(cycle, addr, data, acc);
    }
    if (fresh) return this.match(i, s, cycle, data, acc);
    if (s >= 0) {
      return new DuplicateRowError(this.placeOf(g, addr), cycle, (this.seenAt[i] as Float64Array)[s] as number, equalsRow(g, s, data, acc), this.sameAs(i, data, acc));
    }
    return new UnexpectedRowError(this.placeOf(g, addr), cycle, g.rows, this.sameAs(i, data, acc));
  }

  /**
   * The run ended in `cycle`: a MissingRowError naming the first row not seen and how many are outstanding, or
   * nothing. `note`: what the driver knows of why (appended to the message).
   */
  finish(cycle: number, note?: string): MissingRowError | undefined {
    this.finished = true;
    if (this.left === 0) return undefined;
    for (let i = this.cur; i < this.tiles.length; i++) {
      const g = this.tiles[i] as OutputTile;
      const s = this.firstUnseen(i);
      if (s !== undefined) {
        return new MissingRowError(this.placeOf(g, g.addrs[s] as number), cycle, this.left, (this.beatAt[i] as Float64Array)[s] as number, 'finish', cycle - this.start, note);
      }
    }
    return undefined;
  }

  stats(): TransactionStats {
    const p = this.expected;
    const cycles = this.lastRow === undefined ? undefined : this.lastRow - this.start + 1;
    return {
      rows: p.outputRows,
      seen: this.seen,
      latency: this.seen === 0 ? undefined : { min: this.latMin, max: this.latMax, mean: this.latSum / this.seen },
      firstRowCycle: this.firstRow,
      lastRowCycle: this.lastRow,
      cycles,
      rowsPerCycle: cycles === undefined ? undefined : this.seen / cycles,
      reference: { latency: p.latency, cycles: p.nCycles, rowsPerCycle: p.nCycles === 0 ? 0 : p.outputRows / p.nCycles },
    };
  }

  /** A row of the next output tile came before the current one was complete: the current tile's rest is missing. */
  private nextTileBegan(cycle: number, addr: number, data: Int8Array, acc: Int32Array): MissingRowError {
    const i = this.cur;
    const g = this.tiles[i] as OutputTile;
    const missing = this.firstUnseen(i) as number;
    const left = this.remaining[i] as number;
    const err = new MissingRowError(this.placeOf(g, g.addrs[missing] as number), cycle, left, (this.beatAt[i] as Float64Array)[missing] as number, 'next-tile', cycle - this.start);
    this.left -= left;
    this.remaining[i] = 0;
    this.cur = i + 1;
    this.match(i + 1, (this.tiles[i + 1] as OutputTile).slotOf(addr), cycle, data, acc);
    return err;
  }

  /** Takes the row as tile i's row of slot s (not seen yet) and compares it. */
  private match(i: number, s: number, cycle: number, data: Int8Array, acc: Int32Array): TransactionMismatch | undefined {
    const g = this.tiles[i] as OutputTile;
    const addr = g.addrs[s] as number;
    (this.seenAt[i] as Float64Array)[s] = cycle;
    const beat = (this.beatAt[i] as Float64Array)[s] as number;
    const latency = cycle - beat;
    this.seen++;
    this.latMin = Math.min(this.latMin, latency);
    this.latMax = Math.max(this.latMax, latency);
    this.latSum += latency;
    this.firstRow ??= cycle;
    this.lastRow = cycle;
    this.left--;
    this.remaining[i] = (this.remaining[i] as number) - 1;
    while (this.cur < this.tiles.length && this.remaining[this.cur] === 0) this.cur++;

    // stage order, as the cycle lockstep: o_acc_o (what entered the requantizer) before o_data_o
    const C = this.cols;
    const diffs: Array<{ port: 'o_acc_o' | 'o_data_o'; c: number; expected: number; actual: number }> = [];
    for (let c = 0; c < C; c++) {
      const e = g.acc[s * C + c] as number;
      if (acc[c] !== e) diffs.push({ port: 'o_acc_o', c, expected: e, actual: acc[c] as number });
    }
    for (let c = 0; c < C; c++) {
      const e = g.data[s * C + c] as number;
      if (data[c] !== e) diffs.push({ port: 'o_data_o', c, expected: e, actual: data[c] as number });
    }
    const d = diffs[0];
    if (d === undefined) return undefined;
    return new TransactionMismatch(
      this.placeOf(g, addr), cycle, d.port, d.c, d.expected, d.actual, beat, latency,
      diffs.slice(1).map((x) => `${x.port}[${x.c}]`), this.sameAs(i, data, acc),
    );
  }

  /** An address of tile i not seen yet whose expected values are exactly these. */
  private sameAs(i: number, data: Int8Array, acc: Int32Array): number | undefined {
    const g = this.tiles[i] as OutputTile;
    const seen = this.seenAt[i] as Float64Array;
    for (let s = 0; s < g.rows; s++) if (seen[s] === -1 && equalsRow(g, s, data, acc)) return g.addrs[s];
    return undefined;
  }

  private firstUnseen(i: number): number | undefined {
    const seen = this.seenAt[i] as Float64Array;
    const a = seen.indexOf(-1);
    return a < 0 ? undefined : a;
  }

  private placeOf(g: OutputTile | undefined, addr: number): RowPlace {
    return { layer: this.expected.layer, context: this.context, tile: g?.name ?? '-', addr, m: (g?.mBase ?? 0) + addr };
  }
}

function equalsRow(g: OutputTile, s: number, data: Int8Array, acc: Int32Array): boolean {
  const C = data.length;
  for (let c = 0; c < C; c++) if (g.data[s * C + c] !== data[c] || g.acc[s * C + c] !== acc[c]) return false;
  return true;
}
