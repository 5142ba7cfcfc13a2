/**
 * Builds the WaveDrom JSON of the mismatch: the clock, then one lane per chosen signal, one WaveDrom period
 * per clock cycle, with cycle numbers as ticks. The mismatching value is drawn in WaveDrom's red brick ('9'),
 * and right under it a lane holds what hw-sim expected in that cycle, in a green brick ('7').
 */
import type { LaneSpec } from './select-lanes.ts';
import { sampleSignal, type CycleTable, type Sample } from './sample-cycles.ts';

export interface WaveDromLane {
  name: string;
  wave: string;
  data?: string[];
}

export interface WaveDromSource {
  signal: WaveDromLane[];
  head: { tick: number; text?: string };
  config: { hscale: number };
}

export interface BuiltWave {
  source: WaveDromSource;
  /** First cycle shown and the number of cycles shown. */
  firstCycle: number;
  cycles: number;
  /** Index of the mismatch cycle among those shown, or -1 when it is outside the window. */
  markIndex: number;
}

/** The width the waveform may take on the page, in px (WaveDrom draws 40 px per cycle at hscale 1). */
const MAX_WIDTH = 1060;

function formatSample(s: Sample, lane: LaneSpec): string | undefined {
  let { value, mask } = s;
  let width = lane.signal.width;
  if (lane.element !== undefined) {
    const sh = BigInt(lane.element.index * lane.element.width);
    const m = (1n << BigInt(lane.element.width)) - 1n;
    value = (value >> sh) & m;
    mask = (mask >> sh) & m;
    width = lane.element.width;
  }
  if (mask !== 0n) return undefined;
  if (lane.signed && width > 1) return BigInt.asIntN(width, value).toString();
  return width > 16 && !lane.signed ? `0x${value.toString(16)}` : value.toString();
}

/** WaveDrom wave string and data labels of one lane over cycles [from, to). */
function laneWave(samples: Sample[], lane: LaneSpec, from: number, to: number, markIndex: number): WaveDromLane {
  const oneBit = lane.signal.width === 1 && lane.element === undefined;
  let wave = '';
  const data: string[] = [];
  let prev: string | null = null;
  for (let i = from; i < to; i++) {
    const text = formatSample(samples[i] as Sample, lane);
    const key = text ?? 'x';
    const mark = lane.target && i - from === markIndex;
    const afterMark = lane.target && i - from === markIndex + 1;
    if (key === prev && !mark && !afterMark) {
      wave += '.';
    } else if (text === undefined) {
      wave += 'x';
    } else if (oneBit) {
      wave += text === '1' ? '1' : '0';
    } else {
      wave += mark ? '9' : '=';
      data.push(text);
    }
    prev = key;
  }
  return oneBit ? { name: lane.label, wave } : { name: lane.label, wave, data };
}

/** The lane under the mismatching one: nothing (a mid-level line) but the expected value in the marked cycle. */
function expectedLane(target: LaneSpec, cycles: number, markIndex: number, expected: number): WaveDromLane {
  const before = markIndex === 0 ? '' : `z${'.'.repeat(markIndex - 1)}`;
  const after = markIndex + 1 >= cycles ? '' : `z${'.'.repeat(cycles - markIndex - 2)}`;
  const wave = `${before}7${after}`;
  return { name: `${target.label} hw-sim`, wave, data: [String(expected)] };
}

export function buildWaveDrom(table: CycleTable, lanes: LaneSpec[], mark: { cycle: number; expected?: number }, title: string): BuiltWave {
  const mismatchCycle = mark.cycle;
  const samples = lanes.map((l) => sampleSignal(l.signal, table));
  const n = table.edges.length;
  // Wider labels need a wider period: about 7 px per character, 40 px per period at hscale 1.
  let widest = 1;
  for (let li = 0; li < lanes.length; li++) {
    for (const s of samples[li] as Sample[]) widest = Math.max(widest, (formatSample(s, lanes[li] as LaneSpec) ?? 'x').length);
  }
  const hscale = Math.max(1, Math.ceil((widest * 7 + 8) / 40));
  const nameWidth = 20 + 7 * Math.max(table.clock.name.length, ...lanes.map((l) => l.label.length));
  const maxCycles = Math.max(4, Math.floor((MAX_WIDTH - nameWidth) / (40 * hscale)));
  const m = mismatchCycle - table.firstCycle;
  let from = 0;
  if (n > maxCycles) {
    const before = Math.ceil(maxCycles * 0.65);
    from = m >= 0 && m < n ? Math.min(Math.max(0, m - before), n - maxCycles) : 0;
  }
  const to = Math.min(n, from + maxCycles);
  const markIndex = m >= from && m < to ? m - from : -1;
  const signal: WaveDromLane[] = [{ name: table.clock.name, wave: `p${'.'.repeat(to - from - 1)}` }];
  lanes.forEach((l, i) => {
    signal.push(laneWave(samples[i] as Sample[], l, from, to, markIndex));
    if (l.target && markIndex >= 0 && mark.expected !== undefined) signal.push(expectedLane(l, to - from, markIndex, mark.expected));
  });
  return {
    source: { signal, head: title === '' ? { tick: table.firstCycle + from } : { tick: table.firstCycle + from, text: title }, config: { hscale } },
    firstCycle: table.firstCycle + from,
    cycles: to - from,
    markIndex,
  };
}
