/**
 * The array configurations a regression run draws from. Rows, Cols, AccDepth and RoundingModes (the rounding modes
 * the build implements) are RTL parameters, so every entry is one Verilated build (cached under .cache/verilator/
 * by the harness); a tier keeps its list short so that a cold run pays a handful of builds and a warm run none.
 * The rounding is not a build choice but each program's (c_round_i): every case draws one of its entry's modes.
 */
import { ROUNDING_MODES, type RoundingMode } from '../quant/spec/index.ts';
import type { ArrayConfig } from '../hw-sim/index.ts';

export type Tier = 'quick' | 'long';
export const TIERS: readonly Tier[] = ['quick', 'long'] as const;

const cfg = (rows: number, cols: number, accDepth: number, roundingModes: readonly RoundingMode[] = ROUNDING_MODES): ArrayConfig => ({
  rows,
  cols,
  accDepth,
  roundingModes,
});

/** The quick tier (inside `make test`): one non-square shape and a taller one, every rounding mode on each. */
export const QUICK_PALETTE: readonly ArrayConfig[] = [cfg(3, 5, 8), cfg(5, 2, 4)];

/**
 * The long tier (`make regress`): square, wide, tall, the smallest and the largest of the issue's range; two
 * builds that drop datapaths (RoundingModes 1: single only, 6: double and ruy), whose cases draw their modes only.
 */
export const LONG_PALETTE: readonly ArrayConfig[] = [
  ...QUICK_PALETTE,
  cfg(2, 2, 2, ['single']),
  cfg(4, 4, 16),
  cfg(8, 8, 32),
  cfg(16, 4, 64, ['double', 'ruy']),
  cfg(7, 16, 16),
  cfg(16, 16, 128),
];

export function paletteOf(tier: Tier): readonly ArrayConfig[] {
  return tier === 'quick' ? QUICK_PALETTE : LONG_PALETTE;
}

/** "3x5 D8" (every rounding mode), "2x2 D2 single", "16x4 D64 double+ruy" */
export function configName(c: ArrayConfig): string {
  const all = ROUNDING_MODES.every((m) => c.roundingModes.includes(m));
  return `${c.rows}x${c.cols} D${c.accDepth}${all ? '' : ` ${c.roundingModes.join('+')}`}`;
}
