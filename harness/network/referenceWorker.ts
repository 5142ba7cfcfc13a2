/**
 * The body of a reference worker (referenceAhead.ts): hw-sim's own network walk over this worker's share of the
 * batches, on its own thread, ahead of the RTL. Each batch starts from reset, as the lockstep resets both sides
 * before each batch (lockstepExecutor.ts); each program runs on one ArraySim and its every output word of every
 * cycle is kept. A batch's programs go to the main thread in one message: the beats (the lockstep checks that its
 * own walk compiled the same stream), the expected output words and hw-sim's counters after the program.
 *
 * The worker runs at most `credits` batches ahead: before each batch it waits (Atomics.wait) until the main thread
 * has granted one more.
 *
 * The beats and outputs live in SharedArrayBuffers (SharedBuffers), one per program buffer, each sent to the main
 * thread once and named by its id after that; the main thread gives the ids back when it has compared a program
 * (`returns`, a port the worker reads without its event loop), and the worker runs later programs in them. Buffers
 * passed by transfer were 35 MB a batch of 32 MNIST images at 8x8, 11 GB over 10,000 images, each arriving buffer
 * counted as new external memory by the main thread's V8: a major collection every 130 ms, 9 of 97 CPU s.
 */
import { receiveMessageOnPort, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { ArraySim } from '../../hw-sim/array-sim.ts';
import { BeatPool } from '../../hw-sim/compiler/beat-pool.ts';
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
  /** Where the main thread gives back the buffers of the programs it is done with (ReturnedBuffers messages). */
  returns: MessagePort;
}

/** Ids of buffers the main thread is done with (it keeps no view of them), back to the worker that made them. */
export interface ReturnedBuffers {
  ids: number[];
}

/** One program of a batch as hw-sim ran it, as the message carries it: its buffers by id. */
export interface SentProgram {
  layer: string;
  nCycles: number;
  /** The program's beats (nCycles x inWords) and hw-sim's outputs (nCycles x outWords, cycle-major): buffer ids. */
  beats: number;
  expected: number;
  /** hw-sim's counters after the program (since the batch's reset). */
  counters: ArrayCounters;
}

/** A buffer the main thread has not seen yet (sent once; its id names it after that). */
export interface NewBuffer {
  id: number;
  buffer: SharedArrayBuffer;
}

export type ReferenceMessage =
  | { kind: 'batch'; programs: SentProgram[]; buffers: NewBuffer[] }
  | { kind: 'error'; programs: SentProgram[]; buffers: NewBuffer[]; message: string; stack?: string }
  | { kind: 'done' };

/**
 * Program buffers over SharedArrayBuffers, by length (a BeatPool for the walk's beats, and the outputs' too): a
 * buffer is free until taken, and free again once the main thread gives its id back.
 */
class SharedBuffers extends BeatPool {
  private readonly freeOf = new Map<number, Int32Array[]>();
  private readonly byId: Int32Array[] = [];
  private readonly ids = new Map<Int32Array, number>();
  /** Buffers made since the last message. */
  private fresh: NewBuffer[] = [];

  override take(words: number): Int32Array {
    const old = this.freeOf.get(words)?.pop();
    if (old !== undefined) return old;
    const buffer = new SharedArrayBuffer(4 * words);
    const a = new Int32Array(buffer);
    this.ids.set(a, this.byId.length);
    this.fresh.push({ id: this.byId.length, buffer });
    this.byId.push(a);
    return a;
  }

  /** Only the main thread gives buffers back (by id): the walk's own give-back (WalkOptions.recycle) is not used here. */
  override give(): void {
    throw new Error('SharedBuffers.give: buffers come back by id (takeBack)');
  }

  /** The id of a buffer of this pool; a buffer from elsewhere is copied into one first. */
  share(a: Int32Array): number {
    const id = this.ids.get(a);
    if (id !== undefined) return id;
    const own = this.take(a.length);
    own.set(a);
    return this.ids.get(own) as number;
  }

  takeBack(id: number): void {
    const a = this.byId[id];
    if (a === undefined) throw new Error(`SharedBuffers.takeBack: no buffer ${id}`);
    let list = this.freeOf.get(a.length);
    if (list === undefined) this.freeOf.set(a.length, (list = []));
    list.push(a);
  }

  /** The buffers made since the last call (for the next message). */
  takeFresh(): NewBuffer[] {
    const f = this.fresh;
    this.fresh = [];
    return f;
  }
}

class RecordingExecutor implements SyncProgramExecutor {
  readonly sim: ArraySim;
  /** Every buffer of the programs: the walk's beats (WalkOptions.pool) and hw-sim's outputs. */
  readonly buffers = new SharedBuffers();
  private programs: SentProgram[] = [];
  private started = false;

  constructor(readonly cfg: ArrayConfig, private readonly credits: Int32Array, private readonly returns: MessagePort) {
    this.sim = new ArraySim(cfg);
    this.sim.reset();
  }

  get counters(): Readonly<ArrayCounters> {
    return this.sim.counters;
  }

  startBatch(): void {
    if (this.started) this.post({ kind: 'batch', ...this.take() });
    this.started = true;
    while (Atomics.load(this.credits, 0) <= 0) Atomics.wait(this.credits, 0, 0);
    Atomics.sub(this.credits, 0, 1);
    this.takeReturns();
    this.sim.reset();
  }

  /** The buffers the main thread has given back since, free again. */
  private takeReturns(): void {
    for (let m = receiveMessageOnPort(this.returns); m !== undefined; m = receiveMessageOnPort(this.returns)) {
      for (const id of (m.message as ReturnedBuffers).ids) this.buffers.takeBack(id);
    }
  }

  run(p: Program): ProgramResult<never> {
    // a buffer given back holds an earlier program's words: run() writes every output word of every cycle
    const expected = this.buffers.take(p.nCycles * this.sim.outWords);
    this.sim.run(p.nCycles, p.beats, expected);
        this.programs.push({ layer: p.layer, nCycles: p.nCycles, beats: this.buffers.share(p.beats), expected: this.buffers.share(expected), counters: { ...this.sim.counters } });
    return { output: gatherOutputs(p, expected) };
  }

  /** The programs recorded since the last message, and the buffers new since. */
  take(): { programs: SentProgram[]; buffers: NewBuffer[] } {
    const programs = this.programs;
    this.programs = [];
    return { programs, buffers: this.buffers.takeFresh() };
  }

  post(m: ReferenceMessage): void {
    parentPort?.postMessage(m);
  }
}

const data = workerData as ReferenceWorkerData;
const exec = new RecordingExecutor(data.cfg, data.credits, data.returns);
try {
  runNetworkOn(data.model, exec, data.codes, { batch: data.batch, pool: exec.buffers });
  exec.post({ kind: 'batch', ...exec.take() });
  exec.post({ kind: 'done' });
} catch (err) {
  const e = err as Error;
  exec.post({ kind: 'error', ...exec.take(), message: e.message, ...(e.stack ? { stack: e.stack } : {}) });
}
