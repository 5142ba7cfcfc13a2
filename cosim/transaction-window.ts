/**
 * After a transaction-mode failure: the failure in the report's fields (layer, image, tile, row, column, both
 * values, cycle, latency), and the run since reset replayed under flow control on a trace build into a VCD window
 * around the cycle the wrong row appeared (harness/waves/flowWindow.ts), checked to show the same row again, with
 * the key signals of the window as a table; the report's `transactionFailure`.
 */
import { relative } from 'node:path';
import {
  DuplicateRowError, MissingRowError, TransactionMismatch, UnexpectedRowError, type BuildRequest, type TransactionError, type TransactionFailure, type TransactionRunner,
} from '../harness/index.ts';
import { captureFlowWindow } from '../harness/waves/flowWindow.ts';
import { referenceTrace, type TraceLine } from '../harness/lockstep/referenceTrace.ts';
import { tileName, type Program } from '../hw-sim/compiler/program.ts';
import type { CosimReport } from '../report/schema/cosim-report.ts';
import { formatWaveTable, keyColumns, readWaveTable } from '../report/waveform/wave-table.ts';

export type TransactionFailureReport = NonNullable<CosimReport['transactionFailure']>;

export interface TransactionWindow {
  /** What the terminal shows: the VCD window's path, whether the replay reproduced the row, and the table. */
  text: string;
  failure: TransactionFailureReport;
}

/** The scoreboard's error in the report's fields (no VCD window yet). */
export function transactionFailureReport(e: TransactionError, image: number): TransactionFailureReport {
  const at = { message: e.message, layer: e.place.layer, context: e.place.context, image, tile: e.place.tile, addr: e.place.addr, m: e.place.m, cycle: e.cycle };
  if (e instanceof TransactionMismatch) {
    return { error: 'mismatch', ...at, port: e.port, column: e.column, expected: e.expected, actual: e.actual, beatCycle: e.beatCycle, latency: e.latency };
  }
  if (e instanceof MissingRowError) return { error: 'missing', ...at, beatCycle: e.beatCycle, outstanding: e.outstanding };
  if (e instanceof DuplicateRowError) return { error: 'duplicate', ...at };
  if (e instanceof UnexpectedRowError) return { error: 'unexpected', ...at };
  throw new TypeError(`not an error of the transaction scoreboard: ${e.constructor.name}`);
}

export async function transactionWindow(
  build: BuildRequest, runner: TransactionRunner, f: { failure: TransactionFailure; image: number }, window: number, vcdPath: string, rows: number,
): Promise<TransactionWindow> {
  const e = f.failure.error;
  const report = transactionFailureReport(e, f.image);
  const win = await captureFlowWindow({ build, history: runner.history, cycle: e.cycle, row: f.failure.errorRow, window, vcdPath });
  const col = e instanceof TransactionMismatch ? e.column : undefined;
  const table = await readWaveTable(vcdPath, keyColumns({ top: build.config.top, rows, ...(col === undefined ? {} : { col }) }), win.firstCycle, win.lastCycle);
  const trace = hwsimTrace(runner, e);
  const text = [
    ...(trace === undefined ? [] : [`hw-sim trace around its own cycle ${trace.cycle} of the row (the cycle contract's timing; the RTL's row appeared in cycle ${e.cycle}):`,
      ...trace.lines.map((l) => `${l.cycle === trace.cycle ? '>' : ' '} ${l.text}`)]),
    `VCD window [${win.firstCycle}, ${win.lastCycle}] around cycle ${e.cycle} (${win.reproduced ? 'the replay under flow control shows the same row' : `REPLAY DOES NOT REPRODUCE IT (got ${win.replayed})`}): ${relative(process.cwd(), vcdPath)}`,
    formatWaveTable(table, e.cycle),
  ].join('\n');
  return {
    text,
    failure: {
      ...report, vcdPath: relative(process.cwd(), vcdPath), vcdFirstCycle: win.firstCycle, vcdLastCycle: win.lastCycle, replayReproduced: win.reproduced,
      ...(trace === undefined ? {} : { hwsimTrace: trace.lines.map((l) => l.text) }),
    },
  };
}

/**
 * hw-sim's trace lines around the cycle it has the failing row on its ports: the batch's programs back to back from
 * reset in the cycle contract's timing (hw-sim's own cycle numbers, not the RTL's), the row's beat found by its
 * output tile and address in the failing program. Undefined when the run holds a raw stream or the row is none of
 * the program's (an unexpected address).
 */
function hwsimTrace(runner: TransactionRunner, e: TransactionError): { cycle: number; lines: TraceLine[] } | undefined {
  const history: Array<{ program: Program; start: number }> = [];
  let start = 0;
  for (const s of runner.history) {
    if (s.program === undefined) return undefined;
    history.push({ program: s.program, start });
    start += s.program.nCycles;
  }
  const last = history[history.length - 1];
  const tile = last?.program.plan.tiles.find((t) => t.last && tileName(t) === e.place.tile);
  if (last === undefined || tile === undefined || e.place.addr < 0 || e.place.addr >= tile.rows) return undefined;
  const cycle = last.start + tile.streamCycle + e.place.addr + last.program.plan.latency;
  return { cycle, lines: referenceTrace(runner.cfg, history, cycle - 4, cycle + 4) };
}
