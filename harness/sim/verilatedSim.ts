/**
 * RtlSim over a Verilated shared object (native/int8cosim_abi.cpp) through koffi. Typed arrays are passed
 * zero-copy; many cycles go through one call.
 */
import { koffiStack, loadLibrary } from '../../quant/ffi/koffi.ts';
import { LifecycleError, ShapeError } from '../../quant/errors.ts';
import type { RtlBuild } from '../build/buildRtl.ts';
import type { RtlSim } from './rtlSim.ts';
import { SimStopError } from './simStopError.ts';

interface Abi {
  info: (out: Int32Array, n: number) => number;
  create: (seed: number) => unknown;
  createError: () => string;
  error: (h: unknown) => string;
  reset: (h: unknown, cycles: number) => number;
  run: ((h: unknown, n: number, i: Int32Array, o: Int32Array, r: Int32Array | null) => number) & {
    async: (h: unknown, n: number, i: Int32Array, o: Int32Array, r: Int32Array | null, cb: (err: unknown, res: number) => void) => void;
  };
  runFlow: ((h: unknown, n: number, i: Int32Array, nBeats: number, o: Int32Array, taken: Int32Array) => number) & {
    async: (h: unknown, n: number, i: Int32Array, nBeats: number, o: Int32Array, taken: Int32Array, cb: (err: unknown, res: number) => void) => void;
  };
  readRegisters: (h: unknown, out: Int32Array) => number;
  cycle: (h: unknown) => number;
  traceOpen: (h: unknown, path: string) => number;
  traceClose: (h: unknown) => number;
  save: (h: unknown, path: string) => number;
  restore: (h: unknown, path: string) => number;
  checkpoint: (h: unknown) => number;
  rewind: (h: unknown) => number;
  destroy: (h: unknown) => void;
  setInline: (h: unknown, on: number) => number;
  postRun: (h: unknown, n: number, i: Int32Array, o: Int32Array, r: Int32Array | null) => number;
  postReset: (h: unknown, cycles: number) => number;
  wait: (h: unknown, ticket: number, spinMicros: number) => number;
}

const libraries = new Map<string, Abi>();

/**
 * Room left above a model's measured frames (RtlBuild.stackBytes) for koffi's own frames, the C ABI's and the
 * Verilator runtime's (a failed assertion's message, an exception unwinding).
 */
export const STACK_MARGIN = 1 << 20;

/**
 * How long wait() spins before it sleeps: a lockstep hands the RTL a chunk of about a millisecond and computes the
 * same chunk meanwhile, so the chunk is usually done within this, and a futex wake-up alone costs tens of us here.
 */
const WAIT_SPIN_MICROS = 100;

/** Whether calls into this build may run on koffi's thread (no hand-off to the model's own): its frames are measured and fit. */
export function runsInline(build: Pick<RtlBuild, 'stackBytes'>, stack = koffiStack()): boolean {
  return typeof build.stackBytes === 'number' && build.stackBytes + STACK_MARGIN <= stack;
}

function bind(path: string): Abi {
  let abi = libraries.get(path);
  if (abi) return abi;
  const lib = loadLibrary(path);
  abi = {
    info: lib.func('int ic_info(int32_t* out, int n)'),
    create: lib.func('void* ic_create(uint32_t seed)'),
    createError: lib.func('const char* ic_create_error(void)'),
    error: lib.func('const char* ic_error(void* h)'),
    reset: lib.func('int ic_reset(void* h, int cycles)'),
    run: lib.func('int ic_run(void* h, int n, const int32_t* inp, int32_t* outp, int32_t* regs)'),
    runFlow: lib.func('int ic_run_flow(void* h, int n, const int32_t* inp, int nBeats, int32_t* outp, int32_t* taken)'),
    readRegisters: lib.func('int ic_read_registers(void* h, int32_t* out)'),
    cycle: lib.func('double ic_cycle(void* h)'),
    traceOpen: lib.func('int ic_trace_open(void* h, const char* path)'),
    traceClose: lib.func('int ic_trace_close(void* h)'),
    save: lib.func('int ic_save(void* h, const char* path)'),
    restore: lib.func('int ic_restore(void* h, const char* path)'),
    checkpoint: lib.func('int ic_checkpoint(void* h)'),
    rewind: lib.func('int ic_rewind(void* h)'),
    destroy: lib.func('void ic_destroy(void* h)'),
    setInline: lib.func('int ic_set_inline(void* h, int on)'),
    postRun: lib.func('double ic_post_run(void* h, int n, const int32_t* inp, int32_t* outp, int32_t* regs)'),
    postReset: lib.func('double ic_post_reset(void* h, int cycles)'),
    wait: lib.func('int ic_wait(void* h, double ticket, int spinMicros)'),
  } as unknown as Abi;
  libraries.set(path, abi);
  return abi;
}

/** Simulators still open at exit get their final() (ARCHITECTURE: final before exit). */
const open = new Set<VerilatedSim>();
let exitHook = false;

type State = 'created' | 'ready' | 'busy' | 'stopped' | 'closed';

class VerilatedSim implements RtlSim {
  readonly geometry: RtlBuild['geometry'];
  readonly roundingModes: RtlBuild['roundingModes'];
  readonly deep: boolean;
  readonly canTrace: boolean;
  readonly flowControl: boolean;
  readonly description: string;
  private state: State = 'created';
  /** Calls run on the calling thread (runsInline), not handed to the model's own. */
  readonly inline: boolean;
  private readonly abi: Abi;
  private handle: unknown;
  /** Tickets of post()/postReset(): the last one handed out and the last one waited for. */
  private posted = 0;
  private waited = 0;
  /** The buffers of every queued run not yet waited for, by ticket: the model's thread writes into them. */
  private readonly held = new Map<number, Int32Array[]>();
  /** A reset is queued (postReset): post() may follow it although this side has not seen a reset yet. */
  private resetPosted = false;

  constructor(build: RtlBuild, seed: number) {
    this.abi = bind(build.library);
    const info = new Int32Array(10);
    this.abi.info(info, info.length);
    const g = build.geometry;
    const want = [3, g.rows, g.cols, g.addrBits, g.inWords, g.outWords, g.regWords, build.deep ? 1 : 0, build.trace ? 1 : 0, build.flowControl ? 1 : 0];
    if (want.some((v, i) => v !== info[i])) {
      throw new LifecycleError(`${build.library} reports [${[...info].join(', ')}] but its build.json says [${want.join(', ')}]; delete ${build.dir}`);
    }
    const handle = this.abi.create(seed >>> 0);
    if (handle === null) throw new SimStopError(`cannot create the model of ${build.library}: ${this.abi.createError()}`);
    this.inline = runsInline(build);
    if (this.inline) this.abi.setInline(handle, 1);
    this.handle = handle;
    this.geometry = g;
    this.roundingModes = build.roundingModes;
    this.deep = build.deep;
    this.canTrace = build.trace;
    this.flowControl = build.flowControl;
    const extras = [build.deep ? 'deep' : '', build.trace ? 'trace' : '', build.flowControl ? 'a_ready_o' : ''].filter((x) => x !== '');
    this.description = `Verilator ${build.verilatorVersion}, ${build.top} ${g.rows}x${g.cols}${extras.length > 0 ? ` (${extras.join(', ')})` : ''}`;
    open.add(this);
    if (!exitHook) {
      exitHook = true;
      process.on('exit', () => {
        for (const s of open) {
          try {
            s.drain();
            s.close();
          } catch {
            // busy at exit: nothing safe to do
          }
        }
      });
    }
  }

  get cycle(): number {
    this.usable('cycle');
    return this.abi.cycle(this.handle);
  }

  private usable(what: string): void {
    if (this.state === 'closed') throw new LifecycleError(`${what}: the simulator is closed`);
    if (this.state === 'busy') throw new LifecycleError(`${what}: an asynchronous run is still in flight`);
    if (this.waited < this.posted) throw new LifecycleError(`${what}: ${this.posted - this.waited} queued call(s) not yet waited for (wait(${this.posted}) first)`);
  }

  /** post() and postReset(): allowed behind calls still queued, never beside an asynchronous run. */
  private postable(what: string, needsReset: boolean): void {
    if (this.state === 'closed') throw new LifecycleError(`${what}: the simulator is closed`);
    if (this.state === 'busy') throw new LifecycleError(`${what}: an asynchronous run is still in flight`);
    if (!needsReset || this.resetPosted) return;
    if (this.state === 'created') throw new LifecycleError(`${what} before reset`);
    if (this.state === 'stopped') throw new LifecycleError(`${what}: the simulation stopped (see the previous error); reset or restore first`);
  }

  private ready(what: string): void {
    this.usable(what);
    if (this.state === 'created') throw new LifecycleError(`${what} before reset`);
    if (this.state === 'stopped') throw new LifecycleError(`${what}: the simulation stopped (see the previous error); reset or restore first`);
  }

  private check(rc: number, what: string, stateOnError: State = this.state): void {
    if (rc >= 0) return;
    const msg = this.abi.error(this.handle);
    this.state = stateOnError;
    throw new SimStopError(`${this.description}: ${msg || what + ' failed'}`);
  }

  private checkBuffers(n: number, input: Int32Array, output: Int32Array, registers?: Int32Array): void {
    const g = this.geometry;
    if (!Number.isInteger(n) || n < 0) throw new ShapeError(`run: n must be a non-negative integer, got ${n}`);
    if (input.length < n * g.inWords) throw new ShapeError(`run: ${n} cycles need ${n * g.inWords} input words (${g.inWords} a beat), got ${input.length}`);
    if (output.length < n * g.outWords) throw new ShapeError(`run: ${n} cycles need ${n * g.outWords} output words (${g.outWords} a beat), got ${output.length}`);
    if (registers !== undefined) {
      if (!this.deep) throw new LifecycleError('run: register readout needs a deep build (--deep)');
      if (registers.length < n * g.regWords) throw new ShapeError(`run: ${n} cycles need ${n * g.regWords} register words, got ${registers.length}`);
    }
  }

  reset(cycles = 2): void {
    this.usable('reset');
    this.check(this.abi.reset(this.handle, cycles), 'reset', 'created');
    this.state = 'ready';
  }

  run(n: number, input: Int32Array, output: Int32Array, registers?: Int32Array): void {
    this.ready('run');
    this.checkBuffers(n, input, output, registers);
    this.check(this.abi.run(this.handle, n, input, output, registers ?? null), 'run', 'stopped');
  }

  runAsync(n: number, input: Int32Array, output: Int32Array, registers?: Int32Array): Promise<void> {
    this.ready('runAsync');
    this.checkBuffers(n, input, output, registers);
    this.state = 'busy';
    return new Promise((resolvePromise, reject) => {
      this.abi.run.async(this.handle, n, input, output, registers ?? null, (err, rc) => {
        this.state = 'ready';
        try {
          if (err) throw err;
          this.check(rc, 'run', 'stopped');
          resolvePromise();
        } catch (e) {
          reject(e);
        }
      });
    });
  }

  post(n: number, input: Int32Array, output: Int32Array, registers?: Int32Array): number {
    this.postable('post', true);
    this.checkBuffers(n, input, output, registers);
    const ticket = this.abi.postRun(this.handle, n, input, output, registers ?? null);
    return this.queued(ticket, registers ? [input, output, registers] : [input, output]);
  }

  postReset(cycles = 2): number {
    this.postable('postReset', false);
    const ticket = this.queued(this.abi.postReset(this.handle, cycles), []);
    this.resetPosted = true;
    this.state = 'ready';
    return ticket;
  }

  private queued(ticket: number, buffers: Int32Array[]): number {
    if (!(ticket > this.posted)) throw new LifecycleError(`post: the C ABI returned ticket ${ticket} after ${this.posted}`);
    this.posted = ticket;
    this.held.set(ticket, buffers);
    return ticket;
  }

  wait(ticket: number, spinMicros = WAIT_SPIN_MICROS): void {
    if (this.state === 'closed') throw new LifecycleError('wait: the simulator is closed');
    if (!Number.isInteger(ticket) || ticket <= this.waited || ticket > this.posted) {
      throw new LifecycleError(`wait(${ticket}): not a queued call still to wait for (tickets ${this.waited + 1}..${this.posted})`);
    }
    const rc = this.abi.wait(this.handle, ticket, Math.max(0, Math.floor(spinMicros)));
    for (let t = this.waited + 1; t <= ticket; t++) this.held.delete(t);
    this.waited = ticket;
    if (ticket === this.posted) this.resetPosted = false;
    this.check(rc, 'run', 'stopped');
  }

  /** Waits for every queued call, ignoring their errors (they stopped the model: reset it before the next run). */
  drain(): void {
    if (this.waited >= this.posted) return;
    try {
      this.wait(this.posted);
    } catch {
      // the model stopped in a queued call; state says so
    }
  }

  private checkFlowBuffers(n: number, beats: Int32Array, output: Int32Array, taken: Int32Array): number {
    const g = this.geometry;
    if (!Number.isInteger(n) || n < 0) throw new ShapeError(`runFlow: n must be a non-negative integer, got ${n}`);
    if (beats.length % g.inWords !== 0) throw new ShapeError(`runFlow: ${beats.length} beat words are not whole beats of ${g.inWords} words`);
    if (output.length < n * g.outWords) throw new ShapeError(`runFlow: ${n} cycles need ${n * g.outWords} output words (${g.outWords} a beat), got ${output.length}`);
    if (taken.length < n) throw new ShapeError(`runFlow: ${n} cycles need ${n} entries of taken, got ${taken.length}`);
    return beats.length / g.inWords;
  }

  runFlow(n: number, beats: Int32Array, output: Int32Array, taken: Int32Array): number {
    this.ready('runFlow');
    const nBeats = this.checkFlowBuffers(n, beats, output, taken);
    const rc = this.abi.runFlow(this.handle, n, beats, nBeats, output, taken);
    this.check(rc, 'runFlow', 'stopped');
    return rc;
  }

  runFlowAsync(n: number, beats: Int32Array, output: Int32Array, taken: Int32Array): Promise<number> {
    this.ready('runFlowAsync');
    const nBeats = this.checkFlowBuffers(n, beats, output, taken);
    this.state = 'busy';
    return new Promise((resolvePromise, reject) => {
      this.abi.runFlow.async(this.handle, n, beats, nBeats, output, taken, (err, rc) => {
        this.state = 'ready';
        try {
          if (err) throw err;
          this.check(rc, 'runFlow', 'stopped');
          resolvePromise(rc);
        } catch (e) {
          reject(e);
        }
      });
    });
  }

  readRegisters(out: Int32Array): void {
    this.ready('readRegisters');
    if (!this.deep) throw new LifecycleError('readRegisters needs a deep build (--deep)');
    if (out.length < this.geometry.regWords) throw new ShapeError(`readRegisters: need ${this.geometry.regWords} words, got ${out.length}`);
    this.check(this.abi.readRegisters(this.handle, out), 'readRegisters');
  }

  saveState(path: string): void {
    this.ready('saveState');
    this.check(this.abi.save(this.handle, path), 'saveState');
  }

  restoreState(path: string): void {
    this.usable('restoreState');
    this.check(this.abi.restore(this.handle, path), 'restoreState', 'created');
    this.state = 'ready';
  }

  checkpoint(): void {
    this.ready('checkpoint');
    this.check(this.abi.checkpoint(this.handle), 'checkpoint');
  }

  rewind(): void {
    this.usable('rewind');
    this.check(this.abi.rewind(this.handle), 'rewind', 'created');
    this.state = 'ready';
  }

  traceOpen(vcdPath: string): void {
    this.usable('traceOpen');
    if (!this.canTrace) throw new LifecycleError('traceOpen: this build has no VCD tracing (build it with trace: true)');
    this.check(this.abi.traceOpen(this.handle, vcdPath), 'traceOpen');
  }

  traceClose(): void {
    this.usable('traceClose');
    this.check(this.abi.traceClose(this.handle), 'traceClose');
  }

  close(): void {
    if (this.state === 'closed') throw new LifecycleError('close: the simulator is already closed');
    if (this.state === 'busy') throw new LifecycleError('close: an asynchronous run is still in flight');
    if (this.waited < this.posted) throw new LifecycleError(`close: ${this.posted - this.waited} queued call(s) not yet waited for (wait(${this.posted}) first)`);
    this.abi.destroy(this.handle);
    this.handle = null;
    this.state = 'closed';
    open.delete(this);
  }
}

export interface OpenOptions {
  /** Seed of the randomised initial state (-x-initial unique). Default 1. */
  seed?: number;
}

/** Loads a build and creates its model (not yet reset). */
export function openRtlSim(build: RtlBuild, options: OpenOptions = {}): RtlSim {
  return new VerilatedSim(build, options.seed ?? 1);
}
