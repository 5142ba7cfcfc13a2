/**
 * Transaction mode (docs/ARCHITECTURE.md section 13): compiled programs, one after another from one reset as in
 * the lockstep, driven into the RTL under flow control and checked row by row by a TransactionScoreboard, whatever
 * the RTL's latency. The three roles stay apart: the driver is RtlSim.runFlow (a beat only in cycles the RTL is
 * ready, idle words otherwise: the program's clock stops), the monitor is rows.ts (o_valid_o rows of the sampled
 * output words), the scoreboard owns hw-sim's rows and compares. hw-sim runs each program too, in its own cycle
 * timing: its outputs are the reference, its counters the run's statistics.
 *
 * A program: its words (p.beats, idle cycles included) are presented in chunks of `chunk` cycles, waiting while
 * the RTL stalls, and the scoreboard is told when each beat was taken (acceptBeat); once every word is taken, idle
 * cycles run until every row is out (never more cycles than rows outstanding at a time, so the program ends in the
 * cycle after its last row). The next program starts only then (section 13, point 4). A run that stops producing
 * rows ends with the scoreboard's MissingRowError ("N rows outstanding after T cycles") after `timeout` cycles in
 * which no beat was taken and no row came: by default 4 (R + C + 1) + 1024, four times the cycle contract's
 * latency for a deeper pipeline plus room for a stall of a thousand cycles (an output FIFO that drains slowly).
 * The first error stops the program at the end of its chunk; the runner refuses more until a reset.
 *
 * Every stretch since reset is kept (history: its words and cycles [start, end)), so that the run can be replayed
 * exactly on another simulator of the same RTL (a trace build, waves/flowWindow.ts): the RTL is deterministic from
 * reset, so the same stalls recur. Raw beat streams (runStream: the regression's streams, which have no Program)
 * take their expected rows from hw-sim's own run of the stream (expectedRows.ts streamRows says how they are grouped
 * into output tiles); hw-sim's hazard checker vouches for the stream before the RTL runs any of it.
 */
import { ArraySim, arrayConfig, type ArrayConfig } from '../../hw-sim/index.ts';
import { gatherOutputs } from '../../hw-sim/compiler/gather.ts';
import type { Program } from '../../hw-sim/compiler/program.ts';
import { LifecycleError, UsageError } from '../../quant/errors.ts';
import { StimulusError } from '../lockstep/lockstep.ts';
import type { RtlSim } from '../sim/rtlSim.ts';
import type { TransactionError } from './errors.ts';
import { runWords, streamRows } from './expectedRows.ts';
import { gatherRows } from './gatherRows.ts';
import { outputRows, type ObservedRow } from './rows.ts';
import { TransactionScoreboard, type TransactionStats } from './scoreboard.ts';
import { TransactionTotals } from './totals.ts';

/** Cycles with no beat taken and no row before a run is given up (the header says why). */
export function transactionTimeout(cfg: Pick<ArrayConfig, 'rows' | 'cols'>): number {
  return 4 * (cfg.rows + cfg.cols + 1) + 1024;
}

export interface TransactionRunnerOptions {
  /** Cycles per FFI call while words are left; default 2048. */
  chunk?: number;
  /** Quiet cycles (no beat taken, no row) before the run is given up; default transactionTimeout(cfg). */
  timeout?: number;
}

/** One stretch of the run since reset: these words were presented under flow control over cycles [start, end). */
export interface ReplayStep {
  /** Whole beats (inWords each): a program's p.beats, or a raw stream. */
  readonly beats: Int32Array;
  readonly start: number;
  readonly end: number;
  readonly program: Program | undefined;
  readonly context: string;
}

export interface TransactionRun {
  /** The program (undefined for a raw stream) and what it ran for. */
  program: Program | undefined;
  context: string;
  /** Its cycles since reset: [start, end); the next program starts at end. */
  start: number;
  end: number;
  /** The first breach of the contract (the verdict), if any. */
  error?: TransactionError;
  /** The row on the ports in the error's cycle (absent for a timeout: no row came). */
  errorRow?: ObservedRow;
  /** Latency and throughput of the RTL's rows beside hw-sim's. */
  stats: TransactionStats;
  /** A program without error: the layer output gathered from the RTL's rows, and hw-sim's own. */
  output?: Int8Array;
  reference?: Int8Array;
}

export class TransactionRunner {
  readonly cfg: ArrayConfig;
  readonly chunk: number;
  readonly timeout: number;
  /** hw-sim, running every program since reset in the cycle contract's timing: the reference, and the statistics' counters. */
  readonly reference: ArraySim;
  /** Every program's (and stream's) figures since construction. */
  readonly totals = new TransactionTotals();
  private readonly steps: ReplayStep[] = [];
  private nextCycle = 0;
  private isReset = false;
  private failed: TransactionError | undefined;
  private streamRan = false;
  private refOut = new Int32Array(0);
  private readonly out: Int32Array;
  private readonly taken: Int32Array;

  constructor(readonly rtl: RtlSim, opts: TransactionRunnerOptions = {}) {
    const g = rtl.geometry;
    this.cfg = arrayConfig({ rows: g.rows, cols: g.cols, accDepth: g.accDepth, roundingModes: rtl.roundingModes });
    this.chunk = opts.chunk ?? 2048;
    this.timeout = opts.timeout ?? transactionTimeout(this.cfg);
    for (const [name, v] of [['chunk', this.chunk], ['timeout', this.timeout]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new UsageError(`TransactionRunner: ${name} must be a whole number of cycles >= 1, got ${v}`);
    }
    this.reference = new ArraySim(this.cfg);
    this.out = new Int32Array(this.chunk * g.outWords);
    this.taken = new Int32Array(this.chunk);
  }

  /** Cycles run since reset. */
  get cycle(): number {
    return this.nextCycle;
  }

  /** The first error since reset, if any (the runner refuses to go on after one). */
  get failure(): TransactionError | undefined {
    return this.failed;
  }

  /** Every stretch run since reset, in order (the last one may have failed): what a replay presents. */
  get history(): readonly ReplayStep[] {
    return this.steps;
  }

  /** Resets the RTL and hw-sim; cycle 0 is the next cycle run. */
  reset(): void {
    this.rtl.reset();
    this.reference.reset();
    this.steps.length = 0;
    this.nextCycle = 0;
    this.failed = undefined;
    this.isReset = true;
    this.streamRan = false;
  }

  /** Runs one compiled program on the RTL under flow control and on hw-sim, and checks every row. */
  async runProgram(p: Program, context = ''): Promise<TransactionRun> {
    this.ready('runProgram');
    if (this.streamRan) throw new LifecycleError('TransactionRunner.runProgram after a raw stream; reset first');
    const ow = this.rtl.geometry.outWords;
    if (this.refOut.length < p.nCycles * ow) this.refOut = new Int32Array(Math.max(p.nCycles * ow, this.refOut.length * 2));
    const ref = this.refOut.subarray(0, p.nCycles * ow);
    this.reference.run(p.nCycles, p.beats, ref);
    const reference = gatherOutputs(p, ref);
    const board = new TransactionScoreboard(p, { start: this.nextCycle, context, reference: ref });
    const rows: ObservedRow[] = [];
    const run = await this.drive(p.beats, board, p, context, rows);
    if (run.error === undefined) {
      run.output = gatherRows(p, board.tiles, rows);
      run.reference = reference;
    }
    return run;
  }

  /**
   * Runs a raw beat stream (nCycles x inWords) right after reset: hw-sim runs it first with its hazard checker (a
   * stream it refuses is a StimulusError, and the RTL runs none of it), then the RTL under flow control, every row
   * checked against hw-sim's rows of the stream (grouped as expectedRows.ts streamRows says).
   */
  async runStream(beats: Int32Array, context = ''): Promise<TransactionRun> {
    this.ready('runStream');
    if (this.nextCycle !== 0) throw new LifecycleError('TransactionRunner.runStream runs right after reset()');
    const iw = this.rtl.geometry.inWords;
    if (beats.length % iw !== 0) throw new LifecycleError(`TransactionRunner.runStream: ${beats.length} words are not whole beats of ${iw} words`);
    const n = beats.length / iw;
    let words: Int32Array;
    try {
      words = runWords(this.cfg, beats, n, true);
    } catch (err) {
      throw new StimulusError(`hw-sim refuses the stream${context ? ` (${context})` : ''}: ${(err as Error).message}`, { cause: err });
    }
    this.streamRan = true;
    const board = new TransactionScoreboard(streamRows(this.cfg, beats, words, context === '' ? 'raw stream' : `raw stream (${context})`), { context });
    return this.drive(beats, board, undefined, context, undefined);
  }

  private ready(what: string): void {
    if (!this.isReset) throw new LifecycleError(`TransactionRunner.${what} before reset()`);
    if (this.failed) throw new LifecycleError(`TransactionRunner.${what} after an error (cycle ${this.failed.cycle}: ${this.failed.message}); reset first`);
  }

  /** Presents the words under flow control until every word is taken and every row is out (or the first error). */
  private async drive(beats: Int32Array, board: TransactionScoreboard, program: Program | undefined, context: string, keep: ObservedRow[] | undefined): Promise<TransactionRun> {
    const g = this.rtl.geometry;
    const iw = g.inWords;
    const words = beats.length / iw;
    const start = this.nextCycle;
    let next = 0;
    let progress = start;
    let error: TransactionError | undefined;
    let errorRow: ObservedRow | undefined;
    for (;;) {
      const left = words - next;
      const outstanding = board.outstanding();
      if (left === 0 && outstanding === 0) break;
      const quiet = this.nextCycle - progress;
      if (quiet >= this.timeout) break;
      // with words left, a chunk of them; then idle cycles, never more than rows outstanding (one row a cycle at most)
      const n = Math.min(this.chunk, this.timeout - quiet, left > 0 ? left : outstanding);
      const out = this.out.subarray(0, n * g.outWords);
      const taken = this.taken.subarray(0, n);
      const got = this.rtl.runFlow(n, beats.subarray(next * iw), out, taken); // on this thread: nothing here could overlap it (the next chunk needs its taken words)
      const c0 = this.nextCycle;
      for (let i = 0; i < n; i++) {
        const b = taken[i] as number;
        if (b < 0) continue;
        board.acceptBeat(next + b, c0 + i);
        progress = c0 + i + 1;
      }
      for (const row of outputRows(out, g.cols, c0)) {
        const e = board.observe(row.cycle, row.addr, row.data, row.acc);
        keep?.push(row);
        progress = row.cycle + 1;
        if (e !== undefined && error === undefined) {
          error = e;
          errorRow = row;
        }
      }
      next += got;
      this.nextCycle += n;
      if (error !== undefined) break;
    }
    // every row out, or the run went quiet: finish names the rows still outstanding (and the words never taken)
    const quiet = this.nextCycle - progress;
    const held = next < words ? `the RTL took ${next} of the ${words} words and none in the last ${quiet} cycles (a_ready_o stayed 0)` : undefined;
    error ??= board.finish(this.nextCycle, held);
    this.steps.push({ beats, start, end: this.nextCycle, program, context });
    const stats = board.stats();
    this.totals.add(stats);
    const run: TransactionRun = { program, context, start, end: this.nextCycle, stats };
    if (error !== undefined) {
      this.failed = error;
      run.error = error;
      if (errorRow !== undefined) run.errorRow = errorRow;
    }
    return run;
  }
}
