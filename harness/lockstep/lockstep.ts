/**
 * Lockstep co-simulation: one beat stream drives hw-sim and the RTL; the scoreboard compares every output word of
 * every cycle (and in deep mode every PE register). The RTL runs a chunk of cycles on a worker thread while the
 * reference computes the same chunk on the main thread; then the chunk is compared in one typed-array loop.
 *
 * The two run from one reset through any number of programs (e.g. the layers of one image), and cycle numbers
 * count from that reset. The programs run since the reset are kept (`history`), so that the stretch up to a
 * mismatch can be replayed exactly on another simulator of the same RTL (a build with tracing, waves/window.ts) or
 * on a fresh hw-sim (its trace lines).
 *
 * Besides compiled programs the lockstep takes raw beat streams (runStream: the regression's corner and random
 * streams, which no compiler vouches for): hw-sim checks the hazard rules on each chunk before the RTL runs it.
 */
import { arrayConfig, type ArrayConfig } from '../../hw-sim/index.ts';
import { BeatPool } from '../../hw-sim/compiler/beat-pool.ts';
import { gatherOutputs } from '../../hw-sim/compiler/gather.ts';
import type { Program } from '../../hw-sim/compiler/program.ts';
import { CosimError, LifecycleError, ShapeError } from '../../quant/errors.ts';
import type { RtlSim } from '../sim/rtlSim.ts';
import { Driver } from './driver.ts';
import { Monitor } from './monitor.ts';
import { timingHint } from './mismatch.ts';
import { Scoreboard, type Samples, type Verdict } from './scoreboard.ts';

export interface LockstepOptions {
  /** Compare every PE register after every cycle (needs a deep build). */
  deep?: boolean;
  /**
   * Cycles per FFI call; default 8192 (deep: fewer, so that a chunk's readouts stay near 4 MB). Each call hands the
   * RTL's thread its work and wakes the main thread when done: at 8x8 over the MNIST CNN's programs (1586 and 3546
   * cycles), 4096 took 10 % less process CPU and 11 % less wall than 2048; bench/cosim's 4114-cycle program took
   * 1.35 and 1.43 ms in one call of 8192 against 1.51 and 1.56 ms in 4096 + 18 (30 interleaved rounds, medians):
   * a call's hand-off costs about 0.15 ms however few its cycles.
   */
  chunk?: number;
  /** Also keep the RTL state in memory before each program (RtlSim.checkpoint; rewind with rewindProgram). Default false. */
  checkpoints?: boolean;
}

export interface ProgramRun {
  program: Program;
  /** First cycle of the program since reset. */
  start: number;
  /** The layer output gathered from the RTL's output rows (absent after a mismatch). */
  output?: Int8Array;
  /** The layer output gathered from hw-sim's own output rows, the reference the RTL was compared with (absent after a mismatch). */
  reference?: Int8Array;
  verdict?: Verdict;
}

export interface StreamRun {
  /** Cycles of the stream run (all of them, or up to the end of the chunk holding the mismatch). */
  cycles: number;
  verdict?: Verdict;
}

/** A stream queued on the RTL ahead of its check (Lockstep.runAhead). */
interface AheadRun {
  beats: Int32Array;
  nCycles: number;
  /** The RTL's outputs, nCycles x outWords (a buffer of the lockstep's pool). */
  outputs: Int32Array;
  /** The RTL's ticket for the queued run (RtlSim.post): wait() throws the RTL's error, as runProgram would. */
  ticket: number;
  /** Queued after a reset of the RTL queued first: the stream belongs to the next reset's programs. */
  afterReset: boolean;
}

/** hw-sim refused a raw stream (a hazard rule or a range check): the stream is outside the contract. The cause is hw-sim's error. */
export class StimulusError extends CosimError {}

export class Lockstep {
  readonly cfg: ArrayConfig;
  readonly deep: boolean;
  readonly chunk: number;
  readonly scoreboard: Scoreboard;
  private readonly monitor: Monitor;
  private readonly driver: Driver;
  private readonly checkpoints: boolean;
  private nextCycle = 0;
  private readonly runs: Array<{ program: Program; start: number }> = [];
  private failed: Verdict | undefined;
  private isReset = false;
  /** The reference of raw streams (checks the hazard rules), made on the first runStream. */
  private streamBoard: Scoreboard | undefined;
  /** A raw stream ran since reset: the program reference no longer knows the RTL's state. */
  private streamRan = false;
  /** A program ran against outputs computed elsewhere since reset: so does every program until the next reset. */
  private referenceElsewhere = false;
  /** hw-sim's output words of the current program, cycle-major (as the monitor holds the RTL's). */
  private refOutputs = new Int32Array(0);
  /** Output words compared since construction (cycles x outWords), and PE register words in deep mode. */
  private comparedWords = 0;
  /** Streams queued on the RTL by runAhead and not yet taken by runProgram, in order. */
  private ahead: AheadRun[] = [];
  /** A reset of the RTL is queued (runAhead with afterReset) and reset() has not yet been called for it. */
  private resetQueued = false;
  /** The RTL's output buffers of streams run ahead, for reuse. */
  private readonly aheadBuffers = new BeatPool();

  constructor(readonly rtl: RtlSim, opts: LockstepOptions = {}) {
    const g = rtl.geometry;
    this.deep = opts.deep ?? false;
    if (this.deep && !rtl.deep) throw new LifecycleError('deep lockstep needs an RTL build with register readout (build with deep: true)');
    this.chunk = opts.chunk ?? (this.deep ? Math.max(16, Math.min(2048, Math.floor((1 << 20) / g.regWords))) : 8192);
    this.checkpoints = opts.checkpoints ?? false;
    this.cfg = arrayConfig({ rows: g.rows, cols: g.cols, accDepth: g.accDepth, roundingModes: rtl.roundingModes });
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

  /** The programs run since the last reset, with their first cycles (the last one may have failed). */
  get history(): ReadonlyArray<{ readonly program: Program; readonly start: number }> {
    return this.runs;
  }

  /** Words compared so far over every program since construction: output words (and, deep, register words). */
  get wordsCompared(): number {
    return this.comparedWords;
  }

  /** Resets both sides; cycle 0 is the next cycle run. */
  reset(): void {
    const untaken = this.ahead.filter((r) => !r.afterReset).length;
    if (untaken > 0) throw new LifecycleError(`Lockstep.reset with ${untaken} stream(s) run ahead and not taken (await settle() first)`);
    if (this.resetQueued) {
      // the RTL's thread resets it after the streams before it (all taken) and then runs those queued after it
      this.resetQueued = false;
      for (const r of this.ahead) r.afterReset = false;
    } else {
      this.rtl.reset();
    }
    this.scoreboard.reset();
    this.nextCycle = 0;
    this.runs.length = 0;
    this.failed = undefined;
    this.isReset = true;
    this.streamRan = false;
    this.referenceElsewhere = false;
  }

  /**
   * Queues streams on the RTL (beats, nCycles x inWords each), to run one after the other from the RTL's state after
   * everything queued or run before, while the caller computes: the RTL's thread no longer waits for the compiler,
   * the comparisons and the walk between programs. runProgram then takes them in order, each with the outputs of
   * hw-sim computed elsewhere (its `expected`) and `aheadBeats` the very array queued here, which the caller has
   * checked to be the program's stream. The beats must not change until then. Not in deep mode nor with checkpoints.
   *
   * afterReset: the RTL is reset first, once it has run everything queued before, and the streams are the programs
   * of the next reset(): the RTL goes on into the next batch while this thread finishes the last one (reset() then
   * leaves the RTL alone: its thread has reset it). One such reset at a time.
   */
  runAhead(streams: ReadonlyArray<{ beats: Int32Array; nCycles: number }>, opts: { afterReset?: boolean } = {}): void {
    if (!this.isReset) throw new LifecycleError('Lockstep.runAhead before reset()');
    if (this.deep || this.checkpoints) throw new LifecycleError('Lockstep.runAhead: not in deep mode (register words) nor with checkpoints');
    if (this.failed) throw new LifecycleError(`Lockstep.runAhead after a mismatch (cycle ${this.failed.first.cycle}); reset first`);
    const afterReset = opts.afterReset === true || this.resetQueued;
    if (opts.afterReset === true) {
      if (this.resetQueued) throw new LifecycleError('Lockstep.runAhead: a reset is queued already (one at a time)');
      this.rtl.postReset();
      this.resetQueued = true;
    }
    const g = this.rtl.geometry;
    for (const { beats, nCycles } of streams) {
      if (beats.length !== nCycles * g.inWords) throw new ShapeError(`Lockstep.runAhead: ${nCycles} cycles need ${nCycles * g.inWords} beat words, got ${beats.length}`);
      const outputs = this.aheadBuffers.take(nCycles * g.outWords);
      // one call a stream: the RTL's thread runs the queue back to back, never waiting for this one
      const ticket = this.rtl.post(nCycles, beats, outputs);
      this.ahead.push({ beats, nCycles, outputs, ticket, afterReset });
    }
  }

  /** Waits until the RTL has run (or failed) every stream queued ahead, and drops those not taken; errors are not rethrown. */
  async settle(): Promise<void> {
    this.rtl.drain();
    for (const r of this.ahead) this.aheadBuffers.give(r.outputs);
    this.ahead = [];
    if (this.resetQueued) {
      this.resetQueued = false;
      this.isReset = false; // the RTL was reset behind the software side's back: reset() both before the next program
    }
  }

  /**
   * Runs one program on both sides and compares; stops at the end of the chunk holding the first mismatch.
   * `expected`: hw-sim's outputs of this program computed elsewhere from the same state (every output word of
   * every cycle, nCycles x outWords: harness/network/referenceAhead.ts), compared instead of running hw-sim here;
   * from then until the next reset every program needs them (this side's hw-sim no longer knows the state).
   */
  async runProgram(p: Program, context = '', expected?: Int32Array, aheadBeats?: Int32Array): Promise<ProgramRun> {
    if (!this.isReset) throw new LifecycleError('Lockstep.runProgram before reset()');
    if (this.failed) throw new LifecycleError(`Lockstep.runProgram after a mismatch (cycle ${this.failed.first.cycle}); reset first`);
    if (this.streamRan) throw new LifecycleError('Lockstep.runProgram after a raw stream; reset first');
    if (aheadBeats !== undefined) return this.takeAhead(p, context, expected, aheadBeats);
    if (this.ahead.length > 0) throw new LifecycleError(`Lockstep.runProgram of layer '${p.layer}' while ${this.ahead.length} stream(s) run ahead are not taken`);
    const ow = this.rtl.geometry.outWords;
    if (expected !== undefined) {
      if (this.deep || this.checkpoints) throw new LifecycleError('Lockstep.runProgram with outputs computed elsewhere: not in deep mode (register words) nor with checkpoints (rewind replays hw-sim here)');
      if (expected.length !== p.nCycles * ow) throw new ShapeError(`Lockstep.runProgram: layer '${p.layer}' runs ${p.nCycles} cycles (${p.nCycles * ow} output words), the reference given has ${expected.length} words`);
      this.referenceElsewhere = true;
    } else if (this.referenceElsewhere) {
      throw new LifecycleError('Lockstep.runProgram without the reference outputs after a program run with them; reset first');
    }
    const start = this.nextCycle;
    if (this.checkpoints) this.rtl.checkpoint();
    this.runs.push({ program: p, start });
    this.monitor.begin(p.nCycles);
    if (expected === undefined && this.refOutputs.length < p.nCycles * ow) this.refOutputs = new Int32Array(Math.max(p.nCycles * ow, this.refOutputs.length * 2));
    let reference: Int8Array | undefined;
    let referenceError: unknown;
    for (let t = 0; t < p.nCycles; t += this.chunk) {
      const n = Math.min(this.chunk, p.nCycles - t);
      const ticket = this.driver.post(p.beats, t, n, this.monitor); // the RTL's thread runs the chunk meanwhile
      try {
        if (expected === undefined) this.scoreboard.predict(p.beats, t, n, this.refOutputs.subarray(t * ow, (t + n) * ow));
        else this.scoreboard.take(expected, t, n);
        // hw-sim's side of the program is complete: gather its output while the RTL may still run
        if (t + n >= p.nCycles) {
          try {
            reference = gatherOutputs(p, expected ?? this.refOutputs);
          } catch (err) {
            referenceError = err; // thrown once the comparison passed, as before: a mismatch's verdict comes first
          }
        }
      } finally {
        this.rtl.wait(ticket); // never leave the RTL's call running behind an exception
      }
      this.nextCycle += n;
      this.comparedWords += n * (ow + (this.deep ? this.rtl.geometry.regWords : 0));
      const verdict = this.scoreboard.check(p, start, t, n, this.monitor, context);
      if (verdict) {
        this.hint(verdict);
        this.failed = verdict;
        return { program: p, start, verdict };
      }
    }
    const output = this.monitor.gather(p);
    if (referenceError !== undefined) throw referenceError;
    return { program: p, start, output, reference: reference ?? gatherOutputs(p, expected ?? this.refOutputs) };
  }

  /** runProgram of the next stream run ahead: the RTL's outputs are compared chunk by chunk once it has run them all. */
  private async takeAhead(p: Program, context: string, expected: Int32Array | undefined, aheadBeats: Int32Array): Promise<ProgramRun> {
    const run = this.ahead[0];
    if (expected === undefined) throw new LifecycleError('Lockstep.runProgram of a stream run ahead needs the reference outputs computed elsewhere');
    if (run === undefined || run.afterReset || run.beats !== aheadBeats || run.nCycles !== p.nCycles) {
      throw new LifecycleError(`Lockstep.runProgram of layer '${p.layer}' (${p.nCycles} cycles): not the next stream run ahead`);
    }
    const ow = this.rtl.geometry.outWords;
    if (expected.length !== p.nCycles * ow) throw new ShapeError(`Lockstep.runProgram: layer '${p.layer}' runs ${p.nCycles} cycles (${p.nCycles * ow} output words), the reference given has ${expected.length} words`);
    this.ahead.shift();
    this.referenceElsewhere = true;
    try {
      // no spinning: the RTL's thread runs a batch queued ahead while three threads share two cores, and a spin
      // here would take its time from the reference worker
      this.rtl.wait(run.ticket, 0);
    } catch (err) {
      this.aheadBuffers.give(run.outputs);
      throw err;
    }
    const start = this.nextCycle;
    this.runs.push({ program: p, start });
    const samples: Samples = { outputView: (t, n) => run.outputs.subarray(t * ow, (t + n) * ow), registerView: () => undefined };
    try {
      for (let t = 0; t < p.nCycles; t += this.chunk) {
        const n = Math.min(this.chunk, p.nCycles - t);
        this.scoreboard.take(expected, t, n);
        this.nextCycle += n;
        this.comparedWords += n * ow;
        const verdict = this.scoreboard.check(p, start, t, n, samples, context);
        if (verdict) {
          this.hint(verdict);
          this.failed = verdict;
          return { program: p, start, verdict };
        }
      }
      return { program: p, start, output: gatherOutputs(p, run.outputs), reference: gatherOutputs(p, expected) };
    } finally {
      this.aheadBuffers.give(run.outputs);
    }
  }

  /**
   * Runs a raw beat stream (nCycles x inWords) right after reset on both sides and compares every cycle, as
   * runProgram does; hw-sim checks the hazard rules on each chunk before the RTL runs it, and a stream it refuses
   * is a StimulusError (the RTL has not run that chunk). Stops at the end of the chunk holding the first mismatch.
   * An error of the RTL itself ($stop, a failed assertion) propagates.
   */
  runStream(beats: Int32Array, context = ''): StreamRun {
    if (!this.isReset || this.nextCycle !== 0) throw new LifecycleError('Lockstep.runStream runs right after reset()');
    const g = this.rtl.geometry;
    if (beats.length % g.inWords !== 0) throw new LifecycleError(`Lockstep.runStream: ${beats.length} words are not whole beats of ${g.inWords} words`);
    const board = (this.streamBoard ??= new Scoreboard(this.cfg, g, this.deep, this.chunk, true));
    board.reset();
    this.streamRan = true;
    const nCycles = beats.length / g.inWords;
    this.monitor.begin(nCycles);
    for (let t = 0; t < nCycles; t += this.chunk) {
      const n = Math.min(this.chunk, nCycles - t);
      try {
        board.predict(beats, t, n);
      } catch (err) {
        throw new StimulusError(`hw-sim refuses cycles [${t}, ${t + n}) of the stream${context ? ` (${context})` : ''}: ${(err as Error).message}`, { cause: err });
      }
      this.driver.driveSync(beats, t, n, this.monitor);
      this.nextCycle += n;
      this.comparedWords += n * (g.outWords + (this.deep ? g.regWords : 0));
      const verdict = board.check(undefined, 0, t, n, this.monitor, context);
      if (verdict) {
        this.hint(verdict);
        this.failed = verdict;
        return { cycles: this.nextCycle, verdict };
      }
    }
    return { cycles: nCycles };
  }

  /** Says so on the mismatch when it looks like other timing rather than other numbers (mismatch.ts timingHint). */
  private hint(v: Verdict): void {
    const h = timingHint(v.first, this.rtl.flowControl);
    if (h !== undefined) v.first.hint = h;
  }

  /** Puts the RTL back where it was before the last program (needs checkpoints); the program can run again. */
  rewindProgram(): void {
    if (!this.checkpoints) throw new LifecycleError('rewindProgram needs LockstepOptions.checkpoints');
    const last = this.runs.pop();
    if (last === undefined) throw new LifecycleError('rewindProgram: no program has run since reset');
    this.rtl.rewind();
    this.scoreboard.reset();
    this.nextCycle = last.start;
    this.failed = undefined;
    // hw-sim has no checkpoint: replay the programs before it from reset
    for (const r of this.runs) this.scoreboard.predictAll(r.program.beats, r.program.nCycles);
  }
}
