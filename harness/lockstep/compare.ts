/**
 * The comparison loops of the scoreboard: flat typed arrays, no allocation until a difference is found. A stream
 * is cycle-major, `words` words a cycle; `rank` orders the words of one cycle by pipeline stage (names.ts), so that
 * a difference is reported where it shows first: in the earliest cycle, and in it at the earliest stage.
 */

/** Ranges shorter than this many words are compared in the loop alone (a Buffer view costs more than it saves). */
const MEMCMP_WORDS = 64;

/** Whether two views hold the same bytes: one memcmp. */
export function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return a.byteLength === b.byteLength && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

/**
 * Index of the first word where a and b differ in [from, to), or -1. Equal ranges (the rule) are told by one
 * memcmp of their bytes; only a range that differs is searched word by word.
 */
export function firstDifference(a: Int32Array, b: Int32Array, from: number, to: number): number {
  if (to - from >= MEMCMP_WORDS && sameBytes(a.subarray(from, to), b.subarray(from, to))) return -1;
  for (let i = from; i < to; i++) if (a[i] !== b[i]) return i;
  return -1;
}

/** Number of words where a and b differ in [from, to). */
export function countDifferences(a: Int32Array, b: Int32Array, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (a[i] !== b[i]) n++;
  return n;
}

/** The words (offsets within the cycle) that differ in the cycle starting at `start`, earliest stage first. */
export function differingWords(a: Int32Array, b: Int32Array, start: number, rank: Int32Array): number[] {
  const out: number[] = [];
  for (let w = 0; w < rank.length; w++) if (a[start + w] !== b[start + w]) out.push(w);
  return out.sort((x, y) => (rank[x] as number) - (rank[y] as number));
}

/** One side of a comparison: reference and simulated streams of `rank.length` words a cycle. */
export interface CompareStream {
  expected: Int32Array;
  actual: Int32Array;
  rank: Int32Array;
}

export interface StageDifference {
  kind: 'port' | 'register';
  /** The cycle (index within the streams) whose words differ. */
  cycle: number;
  /** The differing words of that cycle (offsets within the cycle), earliest stage first. */
  words: number[];
}

/**
 * The earliest difference over n cycles of outputs and (deep mode) register readouts. The outputs of cycle t show
 * the flops after edge t-1, a readout of cycle t the registers after edge t; the earliest edge wins, and at the
 * same edge the PE registers (stages before the output flops) do.
 */
export function firstStageDifference(out: CompareStream, regs: CompareStream | undefined, n: number): StageDifference | undefined {
  const ow = out.rank.length;
  const oi = firstDifference(out.expected, out.actual, 0, n * ow);
  const rw = regs?.rank.length ?? 0;
  const ri = regs === undefined ? -1 : firstDifference(regs.expected, regs.actual, 0, n * rw);
  if (oi < 0 && ri < 0) return undefined;
  const oEdge = oi < 0 ? Infinity : Math.floor(oi / ow) - 1;
  const rEdge = ri < 0 ? Infinity : Math.floor(ri / rw);
  if (regs !== undefined && rEdge <= oEdge) {
    return { kind: 'register', cycle: rEdge, words: differingWords(regs.expected, regs.actual, rEdge * rw, regs.rank) };
  }
  const cycle = oEdge + 1;
  return { kind: 'port', cycle, words: differingWords(out.expected, out.actual, cycle * ow, out.rank) };
}
