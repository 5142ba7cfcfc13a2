/**
 * The driver: puts a program's beats on the simulated RTL, a chunk of cycles per call. It only drives; what comes
 * back lands in the monitor's buffers.
 */
import type { RtlSim } from '../sim/rtlSim.ts';
import type { Monitor } from './monitor.ts';

export class Driver {
  constructor(private readonly rtl: RtlSim) {}

  /** Queues cycles [start, start + n) of `beats` (program-relative) on the RTL's thread; rtl.wait(ticket) once it has run them. */
  post(beats: Int32Array, start: number, n: number, monitor: Monitor): number {
    const iw = this.rtl.geometry.inWords;
    const input = beats.subarray(start * iw, (start + n) * iw);
    return this.rtl.post(n, input, monitor.outputView(start, n), monitor.registerView(n));
  }

  /** The same, on the calling thread (for short replays). */
  driveSync(beats: Int32Array, start: number, n: number, monitor: Monitor): void {
    const iw = this.rtl.geometry.inWords;
    this.rtl.run(n, beats.subarray(start * iw, (start + n) * iw), monitor.outputView(start, n), monitor.registerView(n));
  }
}
