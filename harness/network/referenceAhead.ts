/**
 * hw-sim ahead of the RTL, on other threads: the network lockstep's reference (hw-sim's every output word of every
 * cycle) computed by worker threads (referenceWorker.ts), each walking the network over its share of the batches
 * (batch b goes to worker b mod W), while the main thread drives the RTL and compares. The lockstep resets both
 * sides before each batch, so that a batch's reference depends on its images alone and the workers need no state
 * of the RTL's. hw-sim is the slower engine (a TypeScript model of every flop); on its own thread it no longer
 * waits for the compiler, the gathers, the comparisons and the golden model, and W workers share the cores.
 *
 * The walk on the main thread still compiles every program from the RTL's own outputs (which the lockstep has just
 * matched with hw-sim's, word by word); lockstepExecutor.ts checks that each stream is the one the worker ran.
 * A batch's beats and outputs stay in the worker's SharedArrayBuffers (referenceWorker.ts): this side keeps a view
 * of each, made once, and gives the buffers back by id (giveBack) when it is done with a program.
 */
import { availableParallelism } from 'node:os';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { ArrayConfig } from '../../hw-sim/contract/index.ts';
import { CosimError } from '../../quant/errors.ts';
import { shapeSize } from '../../quant/format/shapes.ts';
import type { QuantModel } from '../../quant/format/types.ts';
import type { ArrayCounters } from '../../hw-sim/counters.ts';
import type { ReferenceMessage, ReferenceWorkerData, ReturnedBuffers, SentProgram } from './referenceWorker.ts';

/** One program of a batch as hw-sim ran it (views of the worker's shared buffers). */
export interface ReferenceProgram {
  layer: string;
  nCycles: number;
  beats: Int32Array;
  /** nCycles x outWords, cycle-major: hw-sim's outputs. */
  expected: Int32Array;
  /** hw-sim's counters after the program (since the batch's reset). */
  counters: ArrayCounters;
  /** The buffers' ids and the worker that made them, for giveBack. */
  ids: [number, number];
  worker: number;
}

/** Runs at least this long get a reference worker on 2 cores (measured at 10,000 images; never below). */
export const LONG_RUN_IMAGES = 10_000;

/**
 * Reference workers started unless told, for a run of `images` images: the cores beyond the two that the RTL's
 * thread and the main thread keep busy, and on 2 cores one for a long run. A worker adds its start-up, a second
 * compile of every program and the hand-over of its beats and outputs, which a short run (the tests' few images)
 * never wins back. 10,000 MNIST images at 8x8, one worker against none, side by side (docs/HARNESS.md): a loss
 * while hw-sim was slower (164.9 against 139.5 s of lockstep; 150.1/124.8 and 123.4/114.9 s with its first lazy
 * cycles), a win since 5eef766 and 830ab43: 84.3 against 88.9 s and 68.3 against 88.9 s, for 6-15 % more CPU.
 */
export function defaultReferenceWorkers(images: number): number {
  const cores = availableParallelism();
  if (cores > 2) return cores - 2;
  return cores === 2 && images >= LONG_RUN_IMAGES ? 1 : 0;
}

export interface ReferenceAheadOptions {
  /** Images per batch, as the walk on the main thread takes them (clamped to the accumulator depth as it does). */
  batch: number;
  /** Worker threads (default: one per core); never more than there are batches. */
  workers?: number;
  /** Batches a worker may run ahead of the main thread (default 2). */
  ahead?: number;
}

/** A batch's programs as hw-sim ran them; `error`: hw-sim's walk failed after these programs. */
export interface ReferenceBatch {
  programs: ReferenceProgram[];
  error?: Error;
}

interface Slot {
  worker: Worker;
  credits: Int32Array;
  /** The worker's end reads what this end sends back (giveBack). */
  returns: MessagePort;
  /** The worker's shared buffers by id (each arrives once), and the ids given back but not yet sent. */
  buffers: Int32Array[];
  given: number[];
  queue: ReferenceMessage[];
  waiting?: { resolve: (m: ReferenceMessage) => void; reject: (e: Error) => void };
  failed?: Error;
  /** The worker said 'done' or 'error': its exit is expected. */
  finished?: boolean;
}

export class ReferenceAhead {
  readonly workers: number;
  private readonly slots: Slot[];
  private next = 0;
  private closed = false;
  /** Shared buffers the workers have made so far (each program needs two; given back, they serve later batches). */
  received = 0;
  /** Programs the workers have sent so far. */
  programsReceived = 0;
  /** Batches in all (over every worker). */
  readonly batches: number;

  constructor(model: QuantModel, cfg: ArrayConfig, codes: Int8Array, opts: ReferenceAheadOptions) {
    const inSize = shapeSize(model.input.shape);
    const batch = Math.max(1, Math.min(opts.batch, cfg.accDepth));
    const total = Math.floor(codes.length / inSize);
    const batches = Math.ceil(total / batch);
    this.batches = batches;
    this.workers = Math.max(1, Math.min(opts.workers ?? availableParallelism(), batches));
    const ahead = Math.max(1, opts.ahead ?? 2);
    this.slots = Array.from({ length: this.workers }, (_, w) => {
      const share = shareOf(codes, inSize * batch, batches, w, this.workers);
      const credits = new Int32Array(new SharedArrayBuffer(4));
      credits[0] = ahead;
      const channel = new MessageChannel();
      const data: ReferenceWorkerData = { model, cfg, codes: share, batch, credits, returns: channel.port2 };
      const worker = new Worker(new URL('./referenceWorkerEntry.mjs', import.meta.url), { workerData: data, transferList: [channel.port2] });
      const slot: Slot = { worker, credits, returns: channel.port1, buffers: [], given: [], queue: [] };
      worker.on('message', (m: ReferenceMessage) => {
        if (m.kind !== 'batch') slot.finished = true;
        if (slot.waiting) {
          const w = slot.waiting;
          slot.waiting = undefined;
          w.resolve(m);
        } else {
          slot.queue.push(m);
        }
      });
      const fail = (e: Error): void => {
        slot.failed ??= e;
        const w = slot.waiting;
        slot.waiting = undefined;
        w?.reject(slot.failed);
      };
      worker.on('error', (e) => fail(new CosimError(`hw-sim reference worker ${w}: ${e.message}`, { cause: e })));
      worker.on('exit', (code) => {
        if (!this.closed && !(slot.finished === true && code === 0)) fail(new CosimError(`hw-sim reference worker ${w} exited (code ${code}) before its last batch`));
      });
      return slot;
    });
  }

  /** The programs of the next batch (batches come in order: 0, 1, 2, ...). */
  async nextBatch(): Promise<ReferenceBatch> {
    if (this.closed) throw new CosimError('ReferenceAhead.nextBatch after close()');
    this.sendBack();
    const b = this.next++;
    const slot = this.slots[b % this.workers] as Slot;
    const m = await this.take(slot);
    if (m.kind === 'done') throw new CosimError(`hw-sim reference: batch ${b} was asked for after the worker's last batch`);
    Atomics.add(slot.credits, 0, 1);
    Atomics.notify(slot.credits, 0);
    for (const b of m.buffers) slot.buffers[b.id] = new Int32Array(b.buffer);
    this.received += m.buffers.length;
    this.programsReceived += m.programs.length;
    const programs = m.programs.map((p) => this.program(slot, b % this.workers, p));
    if (m.kind === 'error') {
      const error = new CosimError(`hw-sim reference (its own walk of batch ${b}): ${m.message}`);
      if (m.stack !== undefined) error.stack = m.stack;
      return { programs, error };
    }
    return { programs };
  }

  private program(slot: Slot, worker: number, p: SentProgram): ReferenceProgram {
    const view = (id: number): Int32Array => {
      const a = slot.buffers[id];
      if (a === undefined) throw new CosimError(`hw-sim reference: the worker named buffer ${id}, which it never sent`);
      return a;
    };
    return { layer: p.layer, nCycles: p.nCycles, beats: view(p.beats), expected: view(p.expected), counters: p.counters, ids: [p.beats, p.expected], worker };
  }

  /**
   * A program compared and done with: nothing reads its beats or outputs any more (not even a view of them), and
   * with the next batch taken they go back to its worker, which runs later batches in them.
   */
  giveBack(r: ReferenceProgram): void {
    this.slots[r.worker]?.given.push(...r.ids);
  }

  /** Batches not yet taken. */
  get remaining(): number {
    return this.batches - this.next;
  }

  private sendBack(): void {
    for (const slot of this.slots) {
      if (slot.given.length === 0) continue;
      const m: ReturnedBuffers = { ids: slot.given };
      slot.given = [];
      if (slot.finished !== true && slot.failed === undefined) slot.returns.postMessage(m);
    }
  }

  private take(slot: Slot): Promise<ReferenceMessage> {
    const m = slot.queue.shift();
    if (m !== undefined) return Promise.resolve(m);
    if (slot.failed) return Promise.reject(slot.failed);
    return new Promise((resolve, reject) => {
      slot.waiting = { resolve, reject };
    });
  }

  /** Stops every worker (also those still ahead). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.slots) {
      Atomics.store(s.credits, 0, 1 << 30); // a worker waiting for a credit wakes, and terminate() stops it
      Atomics.notify(s.credits, 0);
      s.returns.close();
    }
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}

/** Worker w's images: batches w, w + W, w + 2W, ... one after the other (only the very last batch may be short). */
function shareOf(codes: Int8Array, batchCodes: number, batches: number, w: number, workers: number): Int8Array {
  if (workers === 1) return codes;
  const mine = Math.ceil((batches - w) / workers);
  const last = w + (mine - 1) * workers;
  const out = new Int8Array((mine - 1) * batchCodes + Math.min(batchCodes, codes.length - last * batchCodes));
  for (let j = 0; j < mine; j++) {
    const b = w + j * workers;
    out.set(codes.subarray(b * batchCodes, Math.min(codes.length, (b + 1) * batchCodes)), j * batchCodes);
  }
  return out;
}
