/**
 * hw-sim's one-line traces around a cycle: a fresh reference replays the programs run since reset (the lockstep's
 * history) and prints the lines of cycles [from, to], numbered from that reset.
 */
import { ArraySim, type ArrayConfig } from '../../hw-sim/index.ts';
import type { Program } from '../../hw-sim/compiler/program.ts';

export interface TraceLine {
  cycle: number;
  text: string;
}

export function referenceTrace(
  cfg: ArrayConfig,
  history: ReadonlyArray<{ readonly program: Program; readonly start: number }>,
  from: number,
  to: number,
): TraceLine[] {
  const sim = new ArraySim(cfg);
  sim.reset();
  const lines: TraceLine[] = [];
  const out = new Int32Array(4096 * sim.outWords);
  for (const r of history) {
    const p = r.program;
    for (let t = 0; t < p.nCycles; ) {
      const cycle = r.start + t;
      if (cycle > to) return lines;
      if (cycle < from) {
        const n = Math.min(4096, p.nCycles - t, from - cycle);
        sim.run(n, p.beats, out, t * sim.inWords, 0);
        t += n;
      } else {
        sim.step(p.beats, t * sim.inWords, out, 0);
        // hw-sim numbers the line by its own cycle; the replay's reset is the lockstep's, so they agree
        lines.push({ cycle, text: sim.traceLine() });
        t += 1;
      }
    }
  }
  return lines;
}
