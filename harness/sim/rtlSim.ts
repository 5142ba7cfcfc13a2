/**
 * The one interface through which everything outside harness/sim reaches a simulated RTL array. Beats, outputs
 * and register readouts use the word layouts of docs/ARCHITECTURE.md sections 6 and 7.
 *
 * Lifecycle: open -> reset() -> run()... -> close(). Misuse (run before reset, any call after close, a call while
 * an asynchronous run is in flight, double close) throws LifecycleError and leaves the simulator untouched.
 */
import type { ArrayGeometry } from '../build/ports.ts';
import type { RoundingMode } from '../../quant/spec/index.ts';

export interface RtlSim {
  readonly geometry: ArrayGeometry;
  /** The rounding modes the build's requantizer implements (its RoundingModes); each program chooses one. */
  readonly roundingModes: readonly RoundingMode[];
  /** true when the build can read PE registers (deep mode). */
  readonly deep: boolean;
  /** true when the build has VCD tracing compiled in (traceOpen works). */
  readonly canTrace: boolean;
  /** true when the top has the optional a_ready_o (docs/ARCHITECTURE.md section 13); without it the array is ready in every cycle. */
  readonly flowControl: boolean;
  /** Cycles run since reset. */
  readonly cycle: number;
  /** What the simulator is (for reports), e.g. "Verilator 5.006, systolic_top". */
  readonly description: string;

  /** Holds reset for `cycles` clock cycles (default 2) and releases it; the next cycle run is cycle 0. */
  reset(cycles?: number): void;
  /**
   * Runs n cycles: input holds n beats of geometry.inWords words, output receives n beats of outWords; with a
   * registers buffer (deep builds) also n readouts of regWords words, each taken after its cycle's rising edge.
   */
  run(n: number, input: Int32Array, output: Int32Array, registers?: Int32Array): void;
  /** run() on a worker thread, so that the caller can compute meanwhile. The buffers must not be touched until it settles. */
  runAsync(n: number, input: Int32Array, output: Int32Array, registers?: Int32Array): Promise<void>;
  /**
   * run() queued on the model's own thread: returns at once with a ticket, and the calls queued run there back to
   * back, in order, while this thread goes on. wait(ticket) blocks until that call (and every one before it) has
   * run and throws SimStopError if it failed or was skipped behind one that failed. Until the last ticket has been
   * waited for, only post, postReset and wait may be called, and the buffers must not be touched.
   */
  post(n: number, input: Int32Array, output: Int32Array, registers?: Int32Array): number;
  /** reset() queued the same way (runs queued after it start from cycle 0). */
  postReset(cycles?: number): number;
  /** spinMicros: how long to spin before sleeping (default 100 us; 0 when the call is unlikely to be done soon). */
  wait(ticket: number, spinMicros?: number): void;
  /** Waits for every queued call and drops their errors (a failed one leaves the model stopped: reset it). */
  drain(): void;
  /**
   * Runs exactly n cycles under flow control (section 13). `beats` holds whole beats (inWords each) still to be
   * presented, in order from index 0. In cycle i: when the array is ready (a_ready_o = 1, or no such port) and a
   * beat is left, the next beat is presented and taken[i] = its index; otherwise an idle word (all zeros, every _en
   * input 0) is presented and taken[i] = -1. output receives n beats of outWords, as run(). Returns the number of
   * beats taken. A driver calls it until every beat of a program is taken, then with no beats to drain the rows.
   */
  runFlow(n: number, beats: Int32Array, output: Int32Array, taken: Int32Array): number;
  /** runFlow() on a worker thread; the buffers must not be touched until it settles. */
  runFlowAsync(n: number, beats: Int32Array, output: Int32Array, taken: Int32Array): Promise<number>;
  /** The PE registers after the last cycle run (deep builds). */
  readRegisters(out: Int32Array): void;
  saveState(path: string): void;
  restoreState(path: string): void;
  /** Keeps the whole state in memory (one slot); rewind() returns to it. */
  checkpoint(): void;
  rewind(): void;
  /** Starts recording every signal into a VCD (time 2t = cycle t, clock low; 2t+1 = its rising edge). Trace builds only. */
  traceOpen(vcdPath: string): void;
  traceClose(): void;
  /** Runs final blocks and frees the model. */
  close(): void;
}
