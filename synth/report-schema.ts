/**
 * out/synth/report.json (one entry per array size and target), as a zod schema that its writer (synth/suite.ts
 * runSynthSuite) and its reader (the HTML report's report/input/load.ts) share.
 */
import { z } from 'zod';
import { finite, int, text } from '../quant/json-fields.ts';

const MODE_NAMES = ['single', 'double', 'ruy'] as const; // bit i of RoundingModes (hw-sim/contract ROUND_CODE)

/** "7 (all)", "1 (single)", "6 (double, ruy)": a RoundingModes mask as the tables show it. */
export function roundingModesLabel(mask: number): string {
  if (mask === 7) return '7 (all)';
  return `${mask} (${MODE_NAMES.filter((_, i) => (mask >> i) & 1).join(', ')})`;
}

/** The targets synth/yosys.ts has a script for. */
export const SYNTH_TARGETS = ['generic', 'ice40', 'xilinx'] as const;

/** What Yosys's stat gives for one job (synth/yosys.ts summarizeCells). */
export const synthResourcesSchema = z.strictObject({
  /** Logic LUTs (LUT4 on generic and iCE40, LUT1..LUT6 on 7-series). */
  luts: int(),
  flipFlops: int(),
  dsps: int(),
  /** Block RAMs: SB_RAM40_4K on iCE40, RAMB36E1 equivalents (RAMB18E1 = 0.5) on 7-series. */
  brams: z.number('a number of block RAMs').min(0, 'a number of block RAMs >= 0'),
  /** LUTs used as distributed RAM or shift registers (7-series), 0 elsewhere. */
  lutRams: int(),
  /** Carry cells (SB_CARRY, CARRY4). */
  carries: int(),
  /** Every cell type and its count. */
  cells: z.record(z.string(), int()),
});

export const synthEntrySchema = z.strictObject({
  target: z.enum(SYNTH_TARGETS),
  rows: int(1),
  cols: int(1),
  accDepth: int(1),
  /** The RoundingModes mask synthesized (bit 0 single, 1 double, 2 ruy): 7 all three, 1 a build of single alone. */
  roundingModes: int(1).max(7, 'a mask in 1..7'),
  status: z.enum(['ok', 'timeout', 'error']),
  seconds: finite,
  /** Absent when the job timed out or failed; then `message` says why. */
  resources: synthResourcesSchema.optional(),
  message: text.optional(),
});

export const synthReportSchema = z.strictObject({
  tool: text,
  top: text,
  generatedAt: text,
  timeoutSeconds: finite,
  entries: z.array(synthEntrySchema),
});

export type SynthResources = z.output<typeof synthResourcesSchema>;
export type SynthEntry = z.output<typeof synthEntrySchema>;
export type SynthReport = z.output<typeof synthReportSchema>;
