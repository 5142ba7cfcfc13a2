/**
 * Running an exported model on hw-sim alone, image by image: the network walk (network/walk-network.ts) with
 * hw-sim as its executor (network/hwsim-executor.ts), one ArraySim whose state carries on across layers and images
 * (reset once); maxpool2d and flatten run on the host between programs.
 */
import type { QuantModel } from '../quant/format/types.ts';
import type { ArraySim } from './array-sim.ts';
import type { Program } from './compiler/program.ts';
import type { ProgramContext } from './network/executor.ts';
import { HwSimExecutor } from './network/hwsim-executor.ts';
import { runNetworkOn } from './network/walk-network.ts';
import type { ArrayConfig } from './contract/index.ts';
import type { NetworkStats } from './stats.ts';

export interface RunNetworkOptions {
  /** Check the hazard rules every cycle (slower). */
  checkHazards?: boolean;
  /** Return every layer's output (default true). */
  collect?: boolean;
  /** Run on this simulator (already reset) instead of a fresh one. */
  sim?: ArraySim;
  /** Called with the one-line trace of every cycle of the first `traceImages` images (default 1). */
  trace?: (line: string) => void;
  traceImages?: number;
  /** Called after every program. */
  onProgram?: (p: Program, image: number, layerIndex: number) => void;
}

export interface RunNetworkResult {
  /** images x classes int8 codes, image after image. */
  output: Int8Array;
  /** With collect: layer i's outputs, image after image (the layout of quant/golden runGolden's `layers`). */
  layers: Int8Array[];
  stats: NetworkStats;
}

export function runNetwork(model: QuantModel, cfg: ArrayConfig, input: Int8Array, opts: RunNetworkOptions = {}): RunNetworkResult {
  const onProgram = opts.onProgram;
  const run = runNetworkOn(model, new HwSimExecutor(cfg, opts), input, {
    collect: opts.collect ?? true,
    ...(onProgram !== undefined ? { onProgram: (p: Program, ctx: ProgramContext) => onProgram(p, ctx.image, ctx.layerIndex) } : {}),
  });
  return { output: run.output, layers: run.layers, stats: run.stats };
}
