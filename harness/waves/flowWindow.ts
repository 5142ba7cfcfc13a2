/**
 * The waveform window around a transaction-mode failure (harness/transaction/runner.ts): the run since reset is
 * replayed under flow control on a build of the same RTL with VCD tracing compiled in, untraced up to cycle c - W
 * and traced over [c - W, c + W], c the cycle the wrong row appeared (or the run gave up). The RTL is
 * deterministic from reset and the driver presents a word only when the RTL is ready, so the same stalls recur.
 * The replay is checked: in cycle c it must show the same row (o_valid_o, o_addr_o, every o_data_o and o_acc_o
 * word), or no row where none came, else the window would show something other than what failed.
 */
import { OUT, oAccOffset } from '../../hw-sim/index.ts';
import type { ObservedRow } from '../transaction/rows.ts';
import type { ReplayStep } from '../transaction/runner.ts';
import { openTracedReplay, type ReplayRequest, type ReplayWindow } from './replay.ts';

export interface FlowWindowRequest extends ReplayRequest {
  /** Every stretch since reset (TransactionRunner.history). */
  history: readonly ReplayStep[];
  /** The cycle of the failure, and the row the run saw in it (undefined: no row came, e.g. a timeout). */
  cycle: number;
  row: ObservedRow | undefined;
}

/** reproduced: the replay showed the same row (or no row) in the failure's cycle. */
export interface FlowWindowResult extends ReplayWindow {
  /** What the replay showed there, in words. */
  replayed: string;
}

export async function captureFlowWindow(req: FlowWindowRequest): Promise<FlowWindowResult> {
  const end = req.history.reduce((e, s) => Math.max(e, s.end), 0);
  const { build, sim, from, to } = await openTracedReplay(req, req.cycle, end);
  const g = build.geometry;
  const chunk = 2048;
  const out = new Int32Array(chunk * g.outWords);
  const taken = new Int32Array(chunk);
  let seen: Int32Array | undefined;
  try {
    sim.reset();
    let tracing = false;
    // boundaries where a call must stop: the trace opens, the failure's cycle runs alone, the window ends
    const marks = [from, req.cycle, req.cycle + 1, to + 1];
    let cycle = 0;
    for (const s of req.history) {
      const words = s.beats.length / g.inWords;
      let next = 0;
      while (cycle < s.end && cycle <= to) {
        if (cycle === from && !tracing) {
          sim.traceOpen(req.vcdPath);
          tracing = true;
        }
        const n = Math.min(chunk, s.end - cycle, Math.min(...marks.filter((x) => x > cycle)) - cycle);
        next += sim.runFlow(n, s.beats.subarray(Math.min(next, words) * g.inWords), out.subarray(0, n * g.outWords), taken.subarray(0, n));
        if (cycle === req.cycle) seen = Int32Array.from(out.subarray(0, g.outWords));
        cycle += n;
      }
    }
    if (tracing) sim.traceClose();
  } finally {
    sim.close();
  }
  const { reproduced, replayed } = compare(seen, req.row, g.cols);
  return { vcdPath: req.vcdPath, firstCycle: from, lastCycle: to, reproduced, replayed, buildSeconds: build.seconds };
}

function compare(word: Int32Array | undefined, row: ObservedRow | undefined, cols: number): { reproduced: boolean; replayed: string } {
  if (word === undefined) return { reproduced: false, replayed: 'the replay did not reach the cycle' };
  if (word[OUT.oValid] !== 1) return { reproduced: row === undefined, replayed: 'no row' };
  const addr = word[OUT.oAddr] as number;
  if (row === undefined) return { reproduced: false, replayed: `a row at address ${addr}` };
  const accOff = oAccOffset({ cols });
  let same = addr === row.addr;
  for (let c = 0; c < cols; c++) {
    if (word[OUT.oData + c] !== row.data[c] || word[accOff + c] !== row.acc[c]) same = false;
  }
  return { reproduced: same, replayed: same ? 'the same row' : `another row (address ${addr}, o_data_o ${Array.from(word.subarray(OUT.oData, OUT.oData + cols)).join(' ')})` };
}
