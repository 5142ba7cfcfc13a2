/**
 * Lockstep co-simulation: one beat stream drives hw-sim and the RTL; the scoreboard compares every output word of
 * every cycle (and in deep mode every PE register). The RTL runs a chunk of cycles on a worker thread while the
 * reference computes the same chunk on the main thread; then the chunk is compared in one typed-array loop.
 *
 * The two run from one reset through any number of programs (layers of images), so cycle numbers count from that
 * reset. Before each program the RTL's state is kept in memory (checkpoint), so that a mismatch's window can be
 * replayed with tracing on.
 */
import { arrayConfig, type ArrayConfig } from '../../hw-sim/index.ts';
import type { Program } from '../../hw-sim/compiler/program.ts';
import { LifecycleError } from '../../quant/errors.ts';
import type { RtlSim } from '../sim/rtlSim.ts';
import { Driver } from './driver.ts';
import { Monitor } from './monitor.ts';
import { Scoreboard, type Verdict } from './scoreboard.ts';

export interface LockstepOptions {
  /** Compare every PE register after every cycle (needs a deep build). */
  deep?: boolean;
  /** Cycles per FFI call; default 2048 (deep: fewer, so that a chunk's readouts stay near 4 MB). */
  chunk?: number;
  /** Keep the RTL state before each program (for replaying a window); default true. */
  checkpoints?: boolean;
}

export interface ProgramRun {
  program: Program;
  /** First cycle of the program since reset. */
  start: number;
  /** The layer output gathered from the RTL's output rows (absent after a mismatch). */
  output?: Int8Array;
  verdict?: Verdict;
}

export class Lockstep {
  readonly cfg: ArrayConfig;
  readonly deep: boolean;
  readonly chunk: number;
  readonly scoreboard: Scoreboard;
  private readonly monitor: Monitor;
  private readonly driver: Driver;
  private readonly checkpoints: boolean;
  private nextCycle = 0;
  private failed: Verdict | undefined;
  private isReset = false;

  constructor(readonly rtl: RtlSim, opts: LockstepOptions = {}) {
    const g = rtl.geometry;
    this.deep = opts.deep ?? false;
    if (this.deep && !rtl.deep) throw new LifecycleError('deep lockstep needs an RTL build with register readout (build with deep: true)');
    this.chunk = opts.chunk ?? (this.deep ? Math.max(16, Math.min(2048, Math.floor((1 << 20) / g.regWords))) : 2048);
    this.checkpoints = opts.checkpoints ?? true;
    this.cfg = arrayConfig({ rows: g.rows, cols: g.cols, accDepth: g.accDepth, roundingMode: rtl.roundingMode });
    this.scoreboard = new Scoreboard(this.cfg, g, this.deep, this.chunk);
    this.monitor = new Monitor(g, this.deep, this.chunk);
    this.driver = new Driver(rtl);
  }

  /** Cycles run since reset. */
  get cycle(): number {
    return this.nextCycle;
  }

  /** The first mismatch seen, if any (the lockstep refuses to go on after one). */
  get mismatch(): Verdict | undefined {
    return this.failed;
  }

  /** Resets both sides; cycle 0 is the next cycle run. */
  reset(): void {
    this.rtl.reset();
    this.scoreboard.reset();
    this.nextCycle = 0;
    this.failed = undefined;
    this.isReset = true;
  }

  /** Runs one program on both sides and compares; stops at the end of the chunk holding the first mismatch. */
  async runProgram(p: Program, context = ''): Promise<ProgramRun> {
    if (!this.isReset) throw new LifecycleError('Lockstep.runProgram before reset()');
    if (this.failed) throw new LifecycleError(`Lockstep.runProgram after a mismatch (cycle ${this.failed.first.cycle}); reset first`);
    const start = this.nextCycle;
    if (this.checkpoints) this.rtl.checkpoint();
    this.monitor.begin(p.nCycles);
    for (let t = 0; t < p.nCycles; t += this.chunk) {
      const n = Math.min(this.chunk, p.nCycles - t);
      const rtlDone = this.driver.drive(p.beats, t, n, this.monitor);
      try {
        this.scoreboard.predict(p.beats, t, n);
      } finally {
        await rtlDone; // never leave the RTL's worker call running behind an exception
      }
      this.nextCycle += n;
      const verdict = this.scoreboard.check(p, start, t, n, this.monitor, context);
      if (verdict) {
        this.failed = verdict;
        return { program: p, start, verdict };
      }
    }
    return { program: p, start, output: this.monitor.gather(p) };
  }

  /**
   * Runs the failing program's prefix again on the RTL from its checkpoint, up to (not including) `cycle`. The
   * RTL is left in the state it had at the beginning of `cycle`, ready for a traced window.
   */
  replayTo(run: ProgramRun, cycle: number): void {
    if (!this.checkpoints) throw new LifecycleError('replay needs checkpoints (LockstepOptions.checkpoints)');
    this.rtl.rewind();
    const upTo = cycle - run.start;
    const scratch = new Monitor(this.rtl.geometry, false, this.chunk);
    scratch.begin(Math.max(1, upTo));
    const driver = new Driver(this.rtl);
    for (let t = 0; t < upTo; t += this.chunk) driver.driveSync(run.program.beats, t, Math.min(this.chunk, upTo - t), scratch);
  }

  /** Runs cycles [from, to) of the failing program on the RTL alone (after replayTo(from)). */
  runRtlOnly(run: ProgramRun, from: number, to: number): Int32Array {
    const scratch = new Monitor(this.rtl.geometry, false, this.chunk);
    scratch.begin(run.program.nCycles);
    const driver = new Driver(this.rtl);
    for (let t = from - run.start; t < to - run.start; t += this.chunk) driver.driveSync(run.program.beats, t, Math.min(this.chunk, to - run.start - t), scratch);
    return scratch.outputs;
  }
}
