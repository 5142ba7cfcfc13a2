/**
 * The first mismatch as a waveform: reads its VCD window, picks the key signals, samples them per cycle and
 * renders WaveDrom SVG with the mismatch cycle marked.
 */
import type { MismatchInfo } from '../types.ts';
import { buildWaveDrom, type WaveDromSource } from './build-wavedrom.ts';
import { readVcd } from './read-vcd.ts';
import { renderWaveDrom } from './render-wavedrom.ts';
import { cycleTable } from './sample-cycles.ts';
import { selectLanes } from './select-lanes.ts';

export interface MismatchWaveform {
  svg: string;
  source: WaveDromSource;
  /** Lanes drawn, the clock included. */
  lanes: number;
  firstCycle: number;
  cycles: number;
  /** Whether the mismatch cycle lies inside the drawn window (and is marked). */
  marked: boolean;
  /** The lane that holds the mismatching value, when one of the drawn lanes does. */
  targetLane?: string;
}

export async function mismatchWaveform(m: MismatchInfo, vcdPath: string, array: { rows: number; cols: number }): Promise<MismatchWaveform> {
  const win = await readVcd(vcdPath);
  const table = cycleTable(win, vcdPath, m.vcdFirstCycle);
  const lanes = selectLanes(win, m, array);
  const built = buildWaveDrom(table, lanes, { cycle: m.cycle, expected: m.expected }, '');
  const svg = renderWaveDrom(built.source, built.markIndex >= 0 ? m.cycle : undefined);
  const target = lanes.find((l) => l.target);
  const r: MismatchWaveform = {
    svg, source: built.source, lanes: built.source.signal.length, firstCycle: built.firstCycle, cycles: built.cycles, marked: built.markIndex >= 0,
  };
  if (target !== undefined) r.targetLane = target.label;
  return r;
}
