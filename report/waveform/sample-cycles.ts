/**
 * Turns a VCD's value changes into one value per clock cycle. Following docs/ARCHITECTURE.md section 4, cycle t
 * is the period that ends with rising edge t, and a signal's value in cycle t is its value just before that edge
 * (a change at the edge's own time stamp belongs to the next cycle).
 */
import { FormatError } from '../../quant/errors.ts';
import type { VcdChange, VcdSignal, VcdWindow } from './read-vcd.ts';

export interface Sample {
  value: bigint;
  mask: bigint;
}

export interface CycleTable {
  clock: VcdSignal;
  /** The cycle number of the first rising edge of the window. */
  firstCycle: number;
  /** Time stamps of the rising edges, one per cycle. */
  edges: number[];
  /** Number of time units per cycle (0 when the window holds a single edge). */
  period: number;
}

/** The clock: a one-bit signal named clk_i (the shallowest), else clk, else the first one-bit name starting clk. */
export function findClock(win: VcdWindow): VcdSignal | undefined {
  const oneBit = win.signals.filter((s) => s.width === 1);
  const depth = (s: VcdSignal): number => s.path.split('.').length;
  for (const want of [/^clk_i$/, /^clk$/, /^clk/i]) {
    const hits = oneBit.filter((s) => want.test(s.name)).sort((a, b) => depth(a) - depth(b));
    if (hits[0] !== undefined) return hits[0];
  }
  return undefined;
}

export function cycleTable(win: VcdWindow, source: string, vcdFirstCycle?: number): CycleTable {
  const clock = findClock(win);
  if (clock === undefined) throw new FormatError(`${source}: the VCD window has no clock (a one-bit signal named clk_i or clk)`);
  const edges: number[] = [];
  let prev: VcdChange | undefined;
  for (const c of clock.changes) {
    if (prev !== undefined && prev.mask === 0n && prev.value === 0n && c.mask === 0n && c.value === 1n) edges.push(c.time);
    prev = c;
  }
  const first = edges[0];
  if (first === undefined) throw new FormatError(`${source}: the clock ${clock.path} never rises in the VCD window`);
  const period = edges.length > 1 ? (edges[1] as number) - first : 0;
  const firstCycle = vcdFirstCycle ?? (period > 0 ? Math.floor(first / period) : 0);
  return { clock, firstCycle, edges, period };
}

/** The signal's value at `time`: its last change at or before it (undefined before its first change). */
export function valueAt(sig: VcdSignal, time: number): Sample | undefined {
  let lo = 0;
  let hi = sig.changes.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((sig.changes[mid] as VcdChange).time <= time) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const c = sig.changes[best];
  return c === undefined ? undefined : { value: c.value, mask: c.mask };
}

/** The signal's value in each cycle of the table (the last change strictly before each rising edge; VCD times are integers). */
export function sampleSignal(sig: VcdSignal, table: CycleTable): Sample[] {
  const unknown: Sample = { value: 0n, mask: (1n << BigInt(sig.width)) - 1n }; // before its first change
  return table.edges.map((edge) => valueAt(sig, edge - 1) ?? unknown);
}
