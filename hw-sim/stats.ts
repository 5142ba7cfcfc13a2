/**
 * Statistics per layer and per network, summed from the ArraySim event counters of each program run (section 10
 * of docs/ARCHITECTURE.md defines every figure).
 */
import type { LayerType } from '../quant/format/types.ts';
import { diffCounters, type ArrayCounters } from './counters.ts';
import type { ArrayConfig } from './contract/index.ts';
import type { Program } from './compiler/program.ts';
import { gemmCycleFormula, type GemmPlan } from './compiler/schedule.ts';

/** The GEMM shape and tiling of one image, copied from the plan (0 for host layers). */
const TILING = ['m', 'k', 'n', 'nK', 'nN', 'passes', 'period'] as const;
type LayerTiling = Pick<GemmPlan, (typeof TILING)[number]>;

export interface LayerStats extends LayerTiling {
  layer: string;
  type: LayerType;
  /** false for the layers the host runs (pooling, add, softmax, flatten, reshape): no cycles on the array. */
  onArray: boolean;
  /** Tiles of one image (0 for host layers). */
  tiles: number;
  /** Summed over the images run. */
  images: number;
  cycles: number;
  /** The closed-form cycle count of section 9 (summed over images); equals `cycles`. */
  formulaCycles: number;
  /** Useful multiply-accumulates, M*K*N per image. */
  macs: number;
  /** MACs the array performed (R*C per beat, padding included). */
  peMacs: number;
  /** macs / (cycles * R * C). */
  utilization: number;
  /** Cycles before the first beat, cycles with a beat, cycles between beats without one, cycles after the last. */
  fill: number;
  beats: number;
  stall: number;
  drain: number;
  weightBytes: number;
  activationBytes: number;
  outputBytes: number;
  /** Requantization parameters (9 bytes a column) and configuration (3 bytes). */
  paramBytes: number;
}

export interface NetworkStats {
  array: ArrayConfig;
  images: number;
  layers: LayerStats[];
  total: Omit<LayerStats, 'layer' | 'type' | 'onArray' | 'm' | 'k' | 'n' | 'nK' | 'nN' | 'passes' | 'tiles' | 'period'>;
  cyclesPerImage: number;
}

export function emptyLayerStats(layer: string, type: LayerType, onArray: boolean): LayerStats {
  return {
    layer, type, onArray, m: 0, k: 0, n: 0, nK: 0, nN: 0, passes: 0, tiles: 0, period: 0, images: 0, cycles: 0, formulaCycles: 0,
    macs: 0, peMacs: 0, utilization: 0, fill: 0, beats: 0, stall: 0, drain: 0, weightBytes: 0, activationBytes: 0, outputBytes: 0, paramBytes: 0,
  };
}

/**
 * Adds one program run (counters before and after it) to a layer's stats. A layer that takes several programs an
 * image (depthwise2d: one a channel group) says how many images this one completes (0 for all but the last) and
 * its useful MACs (the program's GEMM also multiplies the zeros of its block-diagonal weights).
 */
export function addProgramRun(s: LayerStats, p: Program, before: ArrayCounters, after: ArrayCounters, run: { images?: number; macs?: number } = {}): void {
  const d = diffCounters(before, after);
  const { cfg, plan } = p;
  const lastTile = plan.tiles[plan.tiles.length - 1];
  const firstBeat = plan.tiles[0]?.streamCycle ?? 0;
  const lastBeat = lastTile === undefined ? -1 : lastTile.streamCycle + lastTile.rows - 1;
  for (const key of TILING) s[key] = plan[key];
  s.tiles = plan.tiles.length;
  s.images += run.images ?? 1;
  s.cycles += d.cycles;
  s.formulaCycles += gemmCycleFormula(cfg, plan.m, plan.k, plan.n);
  s.macs += run.macs ?? p.macs;
  s.peMacs += d.peMacs;
  s.fill += firstBeat;
  s.beats += d.beats;
  s.drain += d.cycles - 1 - lastBeat;
  s.stall += lastBeat + 1 - firstBeat - d.beats;
  s.weightBytes += d.weightRowWrites * cfg.cols;
  s.activationBytes += d.beats * cfg.rows;
  s.outputBytes += d.outputRows * cfg.cols;
  s.paramBytes += d.paramWrites * 9 + d.configWrites * 3;
  s.utilization = s.cycles === 0 ? 0 : s.macs / (s.cycles * cfg.rows * cfg.cols);
}

/** The figures of the network total that are the sums of the layers' figures. */
const SUMMED = [
  'cycles', 'formulaCycles', 'macs', 'peMacs', 'fill', 'beats', 'stall', 'drain',
  'weightBytes', 'activationBytes', 'outputBytes', 'paramBytes',
] as const satisfies readonly (keyof LayerStats)[];

export function networkStats(cfg: ArrayConfig, images: number, layers: LayerStats[]): NetworkStats {
  const t = emptyLayerStats('total', 'dense', true);
  for (const l of layers) {
    for (const key of SUMMED) t[key] += l[key];
  }
  t.images = images;
  t.utilization = t.cycles === 0 ? 0 : t.macs / (t.cycles * cfg.rows * cfg.cols);
  const { layer: _l, type: _t, onArray: _o, m: _m, k: _k, n: _n, nK: _nK, nN: _nN, passes: _p, tiles: _ti, period: _pe, ...total } = t;
  return { array: { ...cfg }, images, layers, total, cyclesPerImage: images === 0 ? 0 : t.cycles / images };
}
