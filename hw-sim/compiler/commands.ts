/**
 * The command stream a host or DMA issues to the array (docs/ARCHITECTURE.md section 8). Each command starts in a
 * given cycle of its program and occupies one port group for a number of cycles; commands on different port
 * groups overlap (that is how the next weight tile loads while the current one streams).
 */
import type { RoundingMode } from '../../quant/spec/index.ts';

/** A tile of a GEMM: pass p covers rows m in [p*D, p*D + D), N-tile n columns [n*C, n*C + C), K-tile k rows [k*R, k*R + R). */
export interface TileRef {
  pass: number;
  n: number;
  k: number;
}

export type Command =
  /** Weight port, R cycles: rows 0..R-1 of W[k*R .., n*C ..] (zero past K or N) into `bank`, row r in cycle+r. */
  | { op: 'loadWeights'; cycle: number; bank: 0 | 1; tile: TileRef }
  /** Configuration port, 1 cycle: output zero point, clamps and requantizer rounding of the layer. */
  | { op: 'loadConfig'; cycle: number; zp: number; min: number; max: number; round: RoundingMode }
  /** Parameter port, C cycles: bias (zero point folded), m0, shift of columns n*C .. n*C+C-1 (zeros past N), column c in cycle+c. */
  | { op: 'loadParams'; cycle: number; n: number }
  /** Activation port, `rows` cycles: X[m, k*R ..] (zero past K) for m = pass*D + addr, addr = 0..rows-1, one per cycle. */
  | { op: 'stream'; cycle: number; bank: 0 | 1; tile: TileRef; first: boolean; last: boolean; rows: number }
  /** Output port, `rows` cycles: o_valid rows of N-tile n; Y[mBase + o_addr, n*C + c] = o_data[c] for c < cols. */
  | { op: 'read'; cycle: number; tile: TileRef; rows: number; mBase: number; n0: number; cols: number };

export function formatCommand(c: Command): string {
  const t = (x: TileRef): string => `tile(p${x.pass} n${x.n} k${x.k})`;
  switch (c.op) {
    case 'loadWeights':
      return `@${c.cycle} LOAD_WEIGHTS bank=${c.bank} ${t(c.tile)}`;
    case 'loadConfig':
      return `@${c.cycle} LOAD_CONFIG zp=${c.zp} min=${c.min} max=${c.max} round=${c.round}`;
    case 'loadParams':
      return `@${c.cycle} LOAD_PARAMS n=${c.n}`;
    case 'stream':
      return `@${c.cycle} STREAM bank=${c.bank} ${t(c.tile)} rows=${c.rows}${c.first ? ' first' : ''}${c.last ? ' last' : ''}`;
    case 'read':
      return `@${c.cycle} READ ${t(c.tile)} rows=${c.rows} m=${c.mBase}.. n=${c.n0}..${c.n0 + c.cols - 1}`;
  }
}
