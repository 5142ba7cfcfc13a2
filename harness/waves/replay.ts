/**
 * What the two waveform windows share (window.ts around a lockstep mismatch, flowWindow.ts around a transaction
 * failure): the run's RTL built again with VCD tracing compiled in and opened with the run's seed, the window
 * [c - W, c + W] clamped to the cycles the run had, the VCD's folder made, and the result's common fields.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { buildRtl, type BuildRequest, type RtlBuild } from '../build/buildRtl.ts';
import type { RtlSim } from '../sim/rtlSim.ts';
import { openRtlSim } from '../sim/verilatedSim.ts';

/** The request fields both windows take. */
export interface ReplayRequest {
  /** The run's build request; the window builds the same with trace: true. */
  build: BuildRequest;
  /** The seed the run's RTL was opened with. */
  seed?: number;
  /** Half-width W in cycles. */
  window: number;
  vcdPath: string;
}

/** The result fields both windows return. */
export interface ReplayWindow {
  vcdPath: string;
  /** First and last cycle (since reset) in the VCD. */
  firstCycle: number;
  lastCycle: number;
  /** true when the replay showed again, in the failure's cycle, what the run saw there. */
  reproduced: boolean;
  buildSeconds: number;
}

/** The traced build, its simulator (the caller closes it) and the window around `cycle` within a run of `end` cycles. */
export async function openTracedReplay(req: ReplayRequest, cycle: number, end: number): Promise<{ build: RtlBuild; sim: RtlSim; from: number; to: number }> {
  const build = await buildRtl({ ...req.build, trace: true });
  const sim = openRtlSim(build, { seed: req.seed ?? 1 });
  mkdirSync(dirname(req.vcdPath), { recursive: true });
  return { build, sim, from: Math.max(0, cycle - req.window), to: Math.min(end - 1, cycle + req.window) };
}
