/**
 * The body of a reference worker (referenceAhead.ts): hw-sim's own network walk over this worker's share of the
 * batches, on its own thread, ahead of the RTL. Each batch starts from reset, as the lockstep resets both sides
 * before each batch (lockstepExecutor.ts); each program runs on one ArraySim and its every output word of every
 * cycle is kept. A batch's programs go to the main thread in one message: the beats (the lockstep checks that its
 * own walk compiled the same stream), the expected output words and hw-sim's counters after the program.
 *
 * The worker runs at most `credits` batches ahead: before each batch it waits (Atomics.wait) until the main thread
 * has granted one more.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ArraySim } from '../../hw-sim/array-sim.ts';
import { gatherOutputs } from '../../hw-sim/compiler/gather.ts';
import type { Program } from '../../hw-sim/compiler/program.ts';
import type { ArrayCounters } from '../../hw-sim/counters.ts';
import { runNetworkOn } from '../../hw-sim/network/walk-network.ts';
import type { ProgramResult, SyncProgramExecutor } from '../../hw-sim/network/executor.ts';
import type { ArrayConfig } from '../../hw-sim/contract/index.ts';
import type { QuantModel } from '../../quant/format/types.ts';

export interface ReferenceWorkerData {
  model: QuantModel;
  cfg: ArrayConfig;
  /** This worker's images, its batches one after the other. */
  codes: Int8Array;
  batch: number;
  /** Int32Array over a SharedArrayBuffer: [0] batches the worker may still start. */
  credits: Int32Array;
}

/** One program of a batch as hw-sim ran it. */
export interface ReferenceProgram {
  layer: string;
  nCycles: number;
  beats: Int32Array;
  /** nCycles x outWords, cycle-major: hw-sim's outputs. */
  expected: Int32Array;
  /** hw-sim's counters after the program (since the batch's reset). */
  counters: ArrayCounters;
}

export type ReferenceMessage =
  | { kind: 'batch'; programs: ReferenceProgram[] }
  | { kind: 'error'; programs: ReferenceProgram[]; message: string; stack?: string }
  | { kind: 'done' };

/** Detaching a program's own beats costs nothing; a view into a larger buffer is copied. */
function ownBuffer(a: Int32Array): Int32Array {
  return a.byteOffset === 0 && a.byteLength === a.buffer.byteLength ? a : a.slice();
}

class RecordingExecutor implements SyncProgramExecutor {
  readonly sim: ArraySim;
  private programs: ReferenceProgram[] = [];
  private started = false;

  constructor(readonly cfg: ArrayConfig, private readonly credits: Int32Array) {
    this.sim = new ArraySim(cfg);
    this.sim.reset();
  }

  get counters(): Readonly<ArrayCounters> {
    return this.sim.counters;
  }

  startBatch(): void {
    if (this.started) this.post({ kind: 'batch', programs: this.take() });
    this.started = true;
    while (Atomics.load(this.credits, 0) <= 0) Atomics.wait(this.credits, 0, 0);
    Atomics.sub(this.credits, 0, 1);
    this.sim.reset();
  }

  run(p: Program): ProgramResult<never> {
    const expected = new Int32Array(p.nCycles * this.sim.outWords);
    this.sim.run(p.nCycles, p.beats, expected);
    this.programs.push({ layer: p.layer, nCycles: p.nCycles, beats: p.beats, expected, counters: { ...this.sim.counters } });
    return { output: gatherOutputs(p, expected) };
  }

  /** The programs recorded since the last message (their beats made transferable). */
  take(): ReferenceProgram[] {
    const out = this.programs.map((r) => ({ ...r, beats: ownBuffer(r.beats) }));
    this.programs = [];
    return out;
  }

  post(m: ReferenceMessage): void {
    const transfer = m.kind === 'done' ? [] : m.programs.flatMap((r) => [r.beats.buffer, r.expected.buffer]);
    parentPort?.postMessage(m, transfer as ArrayBuffer[]);
  }
}

const data = workerData as ReferenceWorkerData;
const exec = new RecordingExecutor(data.cfg, data.credits);
try {
  runNetworkOn(data.model, exec, data.codes, { batch: data.batch });
  exec.post({ kind: 'batch', programs: exec.take() });
  exec.post({ kind: 'done' });
} catch (err) {
  const e = err as Error;
  exec.post({ kind: 'error', programs: exec.take(), message: e.message, ...(e.stack ? { stack: e.stack } : {}) });
}
