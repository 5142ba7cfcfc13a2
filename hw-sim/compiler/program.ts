/**
 * A Program: one GEMM (one layer of one image) as the command stream of docs/ARCHITECTURE.md section 8 and its
 * lowering to per-cycle beats, with what a scoreboard needs to name a cycle and to gather the outputs.
 */
import { ShapeError } from '../../quant/errors.ts';
import { checkRoundingMode, validateArrayConfig, type ArrayConfig } from '../contract/index.ts';
import type { Command } from './commands.ts';
import { lowerGemm, type GemmOperands } from './lower.ts';
import { planGemm, type GemmPlan, type TileSpan } from './schedule.ts';

export interface Program {
  /** The layer this program computes (for messages). */
  layer: string;
  cfg: ArrayConfig;
  plan: GemmPlan;
  /** The command stream, sorted by start cycle. */
  commands: Command[];
  nCycles: number;
  /** nCycles * inWords(cfg) input words, cycle-major. Read-only (a buffer may be reused: compiler/gemm-template.ts). */
  beats: Int32Array;
  /** The output matrix Y[m, n] the program produces (row-major, m*n int8). */
  m: number;
  n: number;
  /** Number of o_valid cycles the program produces. */
  outputRows: number;
  /** Multiply-accumulates of the GEMM itself (M*K*N), without padding. */
  macs: number;
}

export function compileGemm(cfg: ArrayConfig, m: number, k: number, n: number, ops: GemmOperands, layer = 'gemm'): Program {
  validateArrayConfig(cfg);
  if (ops.x.length !== m * k || ops.w.length !== k * n) {
    throw new ShapeError(`layer '${layer}': expected X [M=${m}, K=${k}] and W [K=${k}, N=${n}], got ${ops.x.length} and ${ops.w.length} values`);
  }
  for (const [name, a] of [['bias', ops.bias], ['m0', ops.m0], ['shift', ops.shift]] as const) {
    if (a.length !== n) throw new ShapeError(`layer '${layer}': expected ${name} [N=${n}], got [${a.length}]`);
  }
  checkRoundingMode(cfg, ops.round, `layer '${layer}'`);
  const plan = planGemm(cfg, m, k, n, { zp: ops.zp, min: ops.min, max: ops.max, round: ops.round });
  const beats = lowerGemm(cfg, plan, ops);
  return {
    layer,
    cfg,
    plan,
    commands: plan.commands,
    nCycles: plan.nCycles,
    beats,
    m,
    n,
    outputRows: m * plan.nN,
    macs: m * k * n,
  };
}

/**
 * The tile at work in program cycle t: the one issuing a beat in cycle t; else the latest one with beats still in
 * the array (issued at most `latency` cycles before); else the one whose weights are loading.
 */
export function tileAt(p: Program, t: number): TileSpan | undefined {
  const tiles = p.plan.tiles;
  let inFlight: TileSpan | undefined;
  let loading: TileSpan | undefined;
  for (const tile of tiles) {
    if (tile.streamCycle <= t && t < tile.streamCycle + tile.rows) return tile;
    if (tile.streamCycle <= t && t <= tile.streamCycle + tile.rows - 1 + p.plan.latency) inFlight = tile;
    if (loading === undefined && tile.loadCycle <= t && t < tile.streamCycle) loading = tile;
  }
  return inFlight ?? loading;
}

/** The tile whose beat produced the output row on the ports in program cycle t (its last K-tile), if any. */
export function tileOfOutput(p: Program, t: number): TileSpan | undefined {
  const b = t - p.plan.latency;
  return p.plan.tiles.find((x) => x.last && x.streamCycle <= b && b < x.streamCycle + x.rows);
}

/** "n2 k1 (pass 0)" for messages. */
export function tileName(tile: TileSpan | undefined): string {
  return tile === undefined ? '-' : `n${tile.n} k${tile.k}${tile.pass > 0 ? ` pass ${tile.pass}` : ''}`;
}
