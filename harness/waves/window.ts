/**
 * The waveform window around a mismatch: the stretch since reset is replayed on a build of the same RTL with VCD
 * tracing compiled in (the lockstep build has none: tracing slows this array 6-10x even while off), untraced up to
 * cycle c - W and traced over [c - W, c + W]. The replay is checked: it must show the RTL value of the mismatch
 * again, else the window would show something other than what failed.
 */
import type { Program } from '../../hw-sim/compiler/program.ts';
import { parseSignalName, signalWord } from '../../hw-sim/contract/index.ts';
import type { Mismatch } from '../lockstep/mismatch.ts';
import { openTracedReplay, type ReplayRequest, type ReplayWindow } from './replay.ts';

export interface WindowRequest extends ReplayRequest {
  /** The programs run since reset (Lockstep.history). */
  history: ReadonlyArray<{ readonly program: Program; readonly start: number }>;
  mismatch: Mismatch;
}

/** reproduced: the replay showed the mismatching RTL value again at the same cycle and place. */
export interface WindowResult extends ReplayWindow {
  /** The replayed value there. */
  replayed: number;
}

export async function captureWindow(req: WindowRequest): Promise<WindowResult> {
  const m = req.mismatch;
  const end = req.history.reduce((e, r) => Math.max(e, r.start + r.program.nCycles), 0);
  const { build, sim, from, to } = await openTracedReplay(req, m.cycle, end);
  const g = build.geometry;
  const out = new Int32Array(g.outWords);
  const regs = build.deep ? new Int32Array(g.regWords) : undefined;
  let replayed = Number.NaN;
  try {
    sim.reset();
    let tracing = false;
    const chunk = 2048;
    const scratch = new Int32Array(chunk * g.outWords);
    // boundaries where a run must stop: the trace opens, the mismatch cycle runs alone, the window ends
    const marks = [from, m.cycle, m.cycle + 1, to + 1];
    for (const r of req.history) {
      const p = r.program;
      for (let t = 0; t < p.nCycles; ) {
        const cycle = r.start + t;
        if (cycle > to) break;
        if (cycle === from && !tracing) {
          sim.traceOpen(req.vcdPath);
          tracing = true;
        }
        const nextMark = Math.min(...marks.filter((x) => x > cycle));
        const n = Math.min(chunk, p.nCycles - t, nextMark - cycle);
        const input = p.beats.subarray(t * g.inWords, (t + n) * g.inWords);
        if (cycle === m.cycle) {
          sim.run(1, input, out, regs);
          if (m.kind === 'port') replayed = out[mismatchWord(m, g)] as number;
          else if (regs !== undefined) replayed = regs[mismatchWord(m, g)] as number;
        } else {
          sim.run(n, input, scratch);
        }
        t += n;
      }
    }
    if (tracing) sim.traceClose();
  } finally {
    sim.close();
  }
  return { vcdPath: req.vcdPath, firstCycle: from, lastCycle: to, reproduced: replayed === m.actual, replayed, buildSeconds: build.seconds };
}

/** The word of the mismatching signal in an output beat (a port) or a register readout (a register). */
function mismatchWord(m: Mismatch, g: { rows: number; cols: number }): number {
  const s = parseSignalName(m.where);
  const w = s === undefined ? undefined : signalWord(s, g);
  if (w === undefined) throw new RangeError(`mismatch at '${m.where}' names no output word or register of the contract`);
  return w;
}
