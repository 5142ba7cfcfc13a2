/**
 * The array configurations a regression run draws from. Rows, Cols, AccDepth and RoundingMode are RTL parameters,
 * so every entry is one Verilated build (cached under .cache/verilator/ by the harness); a tier keeps its list
 * short so that a cold run pays a handful of builds and a warm run none.
 */
import type { ArrayConfig } from '../hw-sim/index.ts';

export type Tier = 'quick' | 'long';
export const TIERS: readonly Tier[] = ['quick', 'long'] as const;

const cfg = (rows: number, cols: number, accDepth: number, roundingMode: ArrayConfig['roundingMode']): ArrayConfig => ({
  rows,
  cols,
  accDepth,
  roundingMode,
});

/** The quick tier (inside `make test`): one non-square shape in both rounding modes and a taller one. */
export const QUICK_PALETTE: readonly ArrayConfig[] = [cfg(3, 5, 8, 'single'), cfg(3, 5, 8, 'double'), cfg(5, 2, 4, 'double')];

/** The long tier (`make regress`): square, wide, tall, the smallest and the largest of the range. */
export const LONG_PALETTE: readonly ArrayConfig[] = [
  ...QUICK_PALETTE,
  cfg(2, 2, 2, 'single'),
  cfg(4, 4, 16, 'double'),
  cfg(8, 8, 32, 'single'),
  cfg(16, 4, 64, 'double'),
  cfg(7, 16, 16, 'single'),
  cfg(16, 16, 128, 'double'),
];

export function paletteOf(tier: Tier): readonly ArrayConfig[] {
  return tier === 'quick' ? QUICK_PALETTE : LONG_PALETTE;
}

/** "3x5 D8 single" */
export function configName(c: ArrayConfig): string {
  return `${c.rows}x${c.cols} D${c.accDepth} ${c.roundingMode}`;
}
