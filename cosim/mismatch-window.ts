/**
 * After a lockstep mismatch: hw-sim's trace lines around it, the same RTL rebuilt with tracing and replayed from
 * reset into a VCD window, and the key signals of that window as a table; the report's `mismatches.first`.
 */
import { relative } from 'node:path';
import { captureWindow, referenceTrace, type BuildRequest, type Lockstep } from '../harness/index.ts';
import type { Verdict } from '../harness/lockstep/scoreboard.ts';
import type { CosimReport } from '../report/schema/cosim-report.ts';
import { formatWaveTable, keyColumns, readWaveTable } from '../report/waveform/wave-table.ts';

export interface MismatchWindow {
  /** What the terminal shows: the trace lines, the VCD window's path and the table. */
  text: string;
  /** report.json's mismatches.first. */
  first: NonNullable<CosimReport['mismatches']['first']>;
}

export async function mismatchWindow(
  build: BuildRequest, lockstep: Lockstep, mismatch: { verdict: Verdict; image: number }, window: number, vcdPath: string, rows: number,
): Promise<MismatchWindow> {
  const m = mismatch.verdict.first;
  const trace = referenceTrace(lockstep.cfg, lockstep.history, m.cycle - 4, m.cycle + 4);
  const win = await captureWindow({ build, history: lockstep.history, mismatch: m, window, vcdPath });
  const table = await readWaveTable(vcdPath, keyColumns({ top: build.config.top, rows, row: m.row, col: m.col }), win.firstCycle, win.lastCycle);
  const text = [
    `hw-sim trace around cycle ${m.cycle}:`,
    ...trace.map((l) => `${l.cycle === m.cycle ? '>' : ' '} ${l.text}`),
    `VCD window [${win.firstCycle}, ${win.lastCycle}] (${win.reproduced ? 'replay reproduces the mismatch' : `REPLAY DOES NOT REPRODUCE IT (got ${win.replayed})`}): ${relative(process.cwd(), vcdPath)}`,
    formatWaveTable(table, m.cycle),
  ].join('\n');
  const first: MismatchWindow['first'] = {
    layer: m.layer, tile: m.tile, cycle: m.cycle, where: m.where, kind: m.kind, ...(m.row !== undefined ? { row: m.row } : {}),
    ...(m.col !== undefined ? { col: m.col } : {}), expected: m.expected, actual: m.actual, image: mismatch.image,
    programCycle: m.programCycle, vcdPath: relative(process.cwd(), vcdPath), vcdFirstCycle: win.firstCycle, replayReproduced: win.reproduced,
    hwsimTrace: trace.map((l) => l.text),
  };
  return { text, first };
}
