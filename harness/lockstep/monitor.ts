/**
 * The monitor: owns the buffers the RTL's outputs (and, in deep mode, its PE registers) are sampled into, and
 * turns the sampled output rows of a program into the layer's output matrix. It only samples; it never compares.
 */
import { gatherOutputs } from '../../hw-sim/compiler/gather.ts';
import type { Program } from '../../hw-sim/compiler/program.ts';
import type { ArrayGeometry } from '../build/ports.ts';

export class Monitor {
  /** Sampled outputs of the current program, cycle-major (outWords a cycle). */
  outputs: Int32Array;
  /** Sampled registers of the current chunk (regWords a cycle), deep mode only. */
  readonly registers: Int32Array | undefined;

  constructor(private readonly g: ArrayGeometry, deep: boolean, readonly chunk: number) {
    this.outputs = new Int32Array(0);
    this.registers = deep ? new Int32Array(chunk * g.regWords) : undefined;
  }

  /** Makes room for a program of n cycles. */
  begin(nCycles: number): void {
    const need = nCycles * this.g.outWords;
    if (this.outputs.length < need) this.outputs = new Int32Array(Math.max(need, this.outputs.length * 2));
  }

  outputView(start: number, n: number): Int32Array {
    return this.outputs.subarray(start * this.g.outWords, (start + n) * this.g.outWords);
  }

  registerView(n: number): Int32Array | undefined {
    return this.registers?.subarray(0, n * this.g.regWords);
  }

  /** The layer output Y[m, n] from the sampled rows (throws MismatchError on a missing or extra o_valid row). */
  gather(p: Program, into?: Int8Array): Int8Array {
    return gatherOutputs(p, this.outputs, 0, into);
  }
}
