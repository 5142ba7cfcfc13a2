/**
 * Report sections from the numbers other parts already have: hw-sim's NetworkStats (per-layer rows and the
 * per-PE utilization) and the RTL's predictions (the confusion matrix). `int8cosim cosim` calls these when it
 * writes report.json.
 *
 * Per-PE utilization is exact, not estimated: every beat passes every PE of the array once (docs/ARCHITECTURE.md
 * section 2), and PE (r, c) does useful work on a beat of K-tile kt and N-tile nt iff kt*R + r < K and
 * nt*C + c < N (elsewhere it multiplies padding). So over a layer it does M * |{kt}| * |{nt}| useful MACs per
 * image, and the sum over all PEs is M*K*N, the layer's `macs`.
 */
import { ShapeError } from '../quant/errors.ts';
import type { NetworkStats } from '../hw-sim/stats.ts';
import type { ArrayLayerRow } from './schema/sections.ts';
import type { Confusion, PeUtilization } from './types.ts';

/** report.json's cycles.perLayer: one row per layer that runs on the array. */
export function layerRowsFromStats(stats: NetworkStats): ArrayLayerRow[] {
  return stats.layers.filter((l) => l.onArray).map((l) => ({
    name: l.layer, type: l.type, cycles: l.cycles, macs: l.macs, utilization: l.utilization, fillCycles: l.fill, drainCycles: l.drain, stallCycles: l.stall,
  }));
}

/** How many of the `tiles` tiles of width `w` cover lane `i` of a dimension of size `size`. */
function lanesUsed(size: number, w: number, i: number): number {
  const tiles = Math.ceil(size / w);
  return tiles - (tiles > 0 && (tiles - 1) * w + i >= size ? 1 : 0);
}

export function peUtilizationFromStats(stats: NetworkStats): PeUtilization {
  const { rows: R, cols: C } = stats.array;
  const busy = new Float64Array(R * C);
  let cycles = 0;
  for (const l of stats.layers) {
    cycles += l.cycles;
    if (!l.onArray || l.images === 0) continue;
    for (let r = 0; r < R; r++) {
      const kTiles = lanesUsed(l.k, R, r);
      for (let c = 0; c < C; c++) busy[r * C + c] = (busy[r * C + c] as number) + l.images * l.m * kTiles * lanesUsed(l.n, C, c);
    }
  }
  return { rows: R, cols: C, values: Array.from(busy, (b) => (cycles > 0 ? Math.min(1, b / cycles) : 0)) };
}

/** The confusion matrix of predictions against labels (matrix[truth][predicted]). */
export function confusionMatrix(labels: ArrayLike<number>, predictions: ArrayLike<number>, classNames: string[]): Confusion {
  if (labels.length !== predictions.length) throw new ShapeError(`expected as many predictions as labels, got ${predictions.length} predictions for ${labels.length} labels`);
  const n = classNames.length;
  const matrix = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < labels.length; i++) {
    const t = labels[i] as number;
    const p = predictions[i] as number;
    if (!(t >= 0 && t < n && p >= 0 && p < n)) throw new ShapeError(`image ${i}: label ${t} or prediction ${p} outside the ${n} classes`);
    (matrix[t] as number[])[p] = ((matrix[t] as number[])[p] as number) + 1;
  }
  return { labels: classNames, matrix };
}
