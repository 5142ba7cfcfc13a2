/**
 * The schedule of one GEMM Y[M, N] = X[M, K] * W[K, N] on an R x C array (docs/ARCHITECTURE.md section 9).
 *
 * Tiles j = 0 .. J-1 in the order (pass, N-tile, K-tile), J = passes * nN * nK. Every tile takes one period P:
 *   weight load of tile j:   rows r = 0..R-1 into bank j mod 2 in cycles j*P + r
 *   stream of tile j:        its Mp beats in cycles j*P + 1 .. j*P + Mp
 *   parameters of N-tile g:  column c in cycle Q_g + c, Q_0 = 0, Q_g = (last beat of N-tile g-1) + R + C
 *   configuration:           cycle 0
 * with the period
 *   P = max(Mmax, R, ceil((Mmax + C - 1) / min(nK, 2)))
 * which is the smallest uniform period that keeps the activation port (Mmax), the weight port (R), rule 1 of the
 * hazards (a bank is rewritten two tiles later: 2P >= Mmax + C - 1) and rule 3 (the parameters of the next N-tile
 * wait for the last requantization of the previous one: nK*P >= Mmax + C - 1) satisfied. The program ends the cycle
 * after the last output row:
 *   cycles = (J - 1) * P + Mlast + R + C + 2
 */
import { ShapeError } from '../../quant/errors.ts';
import type { ArrayConfig } from '../contract/index.ts';
import type { Command, TileRef } from './commands.ts';

/** One tile's place in the schedule. */
export interface TileSpan extends TileRef {
  index: number;
  bank: 0 | 1;
  /** First cycle of its weight load (rows in loadCycle .. loadCycle + R - 1). */
  loadCycle: number;
  /** First beat; beats in streamCycle .. streamCycle + rows - 1. */
  streamCycle: number;
  rows: number;
  first: boolean;
  last: boolean;
}

export interface GemmPlan {
  m: number;
  k: number;
  n: number;
  nK: number;
  nN: number;
  passes: number;
  /** Rows of the largest and of the last pass. */
  mMax: number;
  mLast: number;
  period: number;
  /** Beat-to-output latency R + C + 1. */
  latency: number;
  tiles: TileSpan[];
  commands: Command[];
  nCycles: number;
}

function checkGemm(cfg: ArrayConfig, m: number, k: number, n: number): void {
  for (const [name, v] of [['M', m], ['K', k], ['N', n]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new ShapeError(`GEMM ${name} must be a positive integer, got ${v} (M=${m}, K=${k}, N=${n}, array ${cfg.rows}x${cfg.cols})`);
  }
}

/** The closed-form cycle count of a GEMM program (the formula of ARCHITECTURE.md section 9). */
export function gemmCycleFormula(cfg: ArrayConfig, m: number, k: number, n: number): number {
  const { R, C, nK, nN, passes, mLast, P } = gemmGeometry(cfg, m, k, n);
  return (passes * nN * nK - 1) * P + mLast + R + C + 2;
}

/** Tile counts, pass sizes and the tile period P of section 9, shared by the formula and the schedule. */
function gemmGeometry(cfg: ArrayConfig, m: number, k: number, n: number) {
  checkGemm(cfg, m, k, n);
  const R = cfg.rows;
  const C = cfg.cols;
  const D = cfg.accDepth;
  const nK = Math.ceil(k / R);
  const nN = Math.ceil(n / C);
  const passes = Math.ceil(m / D);
  const mMax = Math.min(m, D);
  const mLast = m - (passes - 1) * D;
  const P = Math.max(mMax, R, Math.ceil((mMax + C - 1) / Math.min(nK, 2)));
  return { R, C, D, nK, nN, passes, mMax, mLast, P };
}

/** The schedule of a GEMM: its tiles, its command stream and its length. */
export function planGemm(cfg: ArrayConfig, m: number, k: number, n: number, config: Omit<Extract<Command, { op: 'loadConfig' }>, 'op' | 'cycle'>): GemmPlan {
  const { R, C, D, nK, nN, passes, mMax, mLast, P } = gemmGeometry(cfg, m, k, n);
  const latency = R + C + 1;
  const tiles: TileSpan[] = [];
  const commands: Command[] = [{ op: 'loadConfig', cycle: 0, ...config }];
  let j = 0;
  let paramCycle = 0;
  for (let pass = 0; pass < passes; pass++) {
    const rows = pass === passes - 1 ? mLast : D;
    for (let nt = 0; nt < nN; nt++) {
      commands.push({ op: 'loadParams', cycle: paramCycle, n: nt });
      for (let kt = 0; kt < nK; kt++, j++) {
        const bank = (j & 1) as 0 | 1;
        const tile: TileSpan = {
          index: j,
          pass,
          n: nt,
          k: kt,
          bank,
          loadCycle: j * P,
          streamCycle: j * P + 1,
          rows,
          first: kt === 0,
          last: kt === nK - 1,
        };
        tiles.push(tile);
        const ref = { pass, n: nt, k: kt };
        commands.push({ op: 'loadWeights', cycle: tile.loadCycle, bank, tile: ref });
        commands.push({ op: 'stream', cycle: tile.streamCycle, bank, tile: ref, first: tile.first, last: tile.last, rows });
        if (tile.last) {
          commands.push({ op: 'read', cycle: tile.streamCycle + latency, tile: ref, rows, mBase: pass * D, n0: nt * C, cols: Math.min(C, n - nt * C) });
          paramCycle = tile.streamCycle + rows - 1 + R + C;
        }
      }
    }
  }
  const lastTile = tiles[tiles.length - 1] as TileSpan;
  const nCycles = lastTile.streamCycle + lastTile.rows + latency;
  commands.sort((a, b) => a.cycle - b.cycle);
  return { m, k, n, nK, nN, passes, mMax, mLast, period: P, latency, tiles, commands, nCycles };
}
