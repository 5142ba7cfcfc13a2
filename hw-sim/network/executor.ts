/**
 * What runs an array program for the network walk (walk-network.ts): hw-sim alone (hwsim-executor.ts), hw-sim and
 * the RTL in lockstep (harness/network/lockstepExecutor.ts), or any other engine that takes a Program's beats and
 * gives back the layer output. The walk owns the model (layer kinds, batching, host layers, statistics); an
 * executor owns only the running of one program.
 */
import type { ArrayCounters } from '../counters.ts';
import type { Program } from '../compiler/program.ts';
import type { ArrayConfig } from '../contract/index.ts';

/** Where a program sits in the walk (for messages, traces and callbacks). */
export interface ProgramContext {
  /** The first image the program computes, and how many (a dense layer of a batch is one GEMM over the batch). */
  readonly image: number;
  readonly images: number;
  /** The model layer the program computes. */
  readonly layerIndex: number;
  /** `image 3`, or `images 0..31` for a batched GEMM. */
  readonly label: string;
}

/**
 * A program's outcome: the layer output (M x N int8, gathered from the output rows of the engine under test) and,
 * when the engine compared itself with hw-sim, hw-sim's own; or a failure of type F (a mismatch) after `cycles`
 * cycles of the program had run, which stops the walk.
 */
export type ProgramResult<F> =
  | { readonly output: Int8Array; readonly reference?: Int8Array }
  | { readonly failure: F; readonly cycles: number };

export interface ProgramExecutor<F = never> {
  readonly cfg: ArrayConfig;
  /** hw-sim's event counters; a program's statistics are their difference over its run (hw-sim/stats.ts). */
  readonly counters: Readonly<ArrayCounters>;
  /** Called before the first program of each batch of images. */
  startBatch(firstImage: number, images: number): void;
  run(p: Program, ctx: ProgramContext): ProgramResult<F> | Promise<ProgramResult<F>>;
}

/** An executor that runs on the calling thread (the network walk then needs no promises). */
export interface SyncProgramExecutor<F = never> extends ProgramExecutor<F> {
  run(p: Program, ctx: ProgramContext): ProgramResult<F>;
}
