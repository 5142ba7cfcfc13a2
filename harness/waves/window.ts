/**
 * The waveform window around a mismatch: the stretch since reset is replayed on a build of the same RTL with VCD
 * tracing compiled in (the lockstep build has none: tracing slows this array 6-10x even while off), untraced up to
 * cycle c - W and traced over [c - W, c + W]. The replay is checked: it must show the RTL value of the mismatch
 * again, else the window would show something other than what failed.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Program } from '../../hw-sim/compiler/program.ts';
import { buildRtl, type BuildRequest } from '../build/buildRtl.ts';
import type { Mismatch } from '../lockstep/mismatch.ts';
import { openRtlSim } from '../sim/verilatedSim.ts';

export interface WindowRequest {
  /** The lockstep's build request; the window builds the same with trace: true. */
  build: BuildRequest;
  /** The seed the lockstep's RTL was opened with. */
  seed?: number;
  /** The programs run since reset (Lockstep.history). */
  history: ReadonlyArray<{ readonly program: Program; readonly start: number }>;
  mismatch: Mismatch;
  /** Half-width W in cycles. */
  window: number;
  vcdPath: string;
}

export interface WindowResult {
  vcdPath: string;
  /** First and last cycle (since reset) in the VCD. */
  firstCycle: number;
  lastCycle: number;
  /** true when the replay showed the mismatching RTL value again at the same cycle and place. */
  reproduced: boolean;
  /** The replayed value there. */
  replayed: number;
  buildSeconds: number;
}

export async function captureWindow(req: WindowRequest): Promise<WindowResult> {
  const build = await buildRtl({ ...req.build, trace: true });
  const sim = openRtlSim(build, { seed: req.seed ?? 1 });
  const g = build.geometry;
  const m = req.mismatch;
  const end = req.history.reduce((e, r) => Math.max(e, r.start + r.program.nCycles), 0);
  const from = Math.max(0, m.cycle - req.window);
  const to = Math.min(end - 1, m.cycle + req.window);
  mkdirSync(dirname(req.vcdPath), { recursive: true });
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
          if (m.kind === 'port') replayed = out[outputIndex(m.where, g.cols)] as number;
          else if (regs !== undefined) replayed = regs[registerIndex(m, g.cols)] as number;
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

function outputIndex(where: string, cols: number): number {
  const mm = /^(o_valid_o|o_addr_o|o_data_o|o_acc_o)(?:\[(\d+)\])?$/.exec(where);
  if (!mm) return 0;
  const c = Number(mm[2] ?? 0);
  return mm[1] === 'o_valid_o' ? 0 : mm[1] === 'o_addr_o' ? 1 : mm[1] === 'o_data_o' ? 2 + c : 2 + cols + c;
}

const REG_ORDER = ['w0_q', 'w1_q', 'a_q', 'v_q', 'bank_q', 'psum_q'];

function registerIndex(m: Mismatch, cols: number): number {
  const reg = m.where.slice(m.where.lastIndexOf('.') + 1);
  return 6 * ((m.row ?? 0) * cols + (m.col ?? 0)) + REG_ORDER.indexOf(reg);
}
