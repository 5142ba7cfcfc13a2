/**
 * The parts of report.json (report/schema/cosim-report.ts) that the HTML report draws as sections: the checks,
 * per-layer cycles, per-PE utilization, the confusion matrix and the lockstep's first mismatch. The checks across
 * fields (sizes that must agree) are here too, so that a malformed file fails with the key that is wrong.
 */
import { z } from 'zod';
import { finite, fraction, int, text } from '../../quant/json-fields.ts';

/** A check across fields: a custom issue at `path` saying what was expected and what was there. */
function issue(ctx: { issues: unknown[]; value: unknown }, path: PropertyKey[], expected: string, got: string): void {
  (ctx.issues as z.core.$ZodRawIssue[]).push({ code: 'custom', input: ctx.value, path, message: expected, params: { got } });
}

/** One check of a cosim run (cosim/checks.ts): what it compared, how much, and whether it held. */
export const checkSchema = z.strictObject({
  name: text,
  status: z.enum(['pass', 'fail', 'not-run']),
  /** What was compared, in words. */
  what: text,
  /** How much was compared (in `unit`). */
  compared: int(),
  unit: z.enum(['cases', 'words', 'bytes', 'rows']),
  /** Why it failed or did not run. */
  detail: text.optional(),
});

/** Per-layer performance of the array (hw-sim stats), one row per layer that runs on the array. */
export const layerRowSchema = z.strictObject({
  name: text,
  type: text,
  cycles: int(),
  macs: int(),
  /** Fraction of PE-cycles doing a useful MAC during this layer. */
  utilization: fraction,
  fillCycles: int(),
  drainCycles: int(),
  stallCycles: int(),
}).check((ctx) => {
  const r = ctx.value;
  const parts = r.fillCycles + r.drainCycles + r.stallCycles;
  if (parts > r.cycles) issue(ctx, [], `fill + drain + stall cycles <= cycles (${r.cycles})`, String(parts));
});

/** Fraction of cycles each PE was busy over the whole run, row-major: values[r * cols + c]. */
export const peUtilizationSchema = z.strictObject({ rows: int(1), cols: int(1), values: z.array(fraction) }).check((ctx) => {
  const { rows, cols, values } = ctx.value;
  if (values.length !== rows * cols) issue(ctx, ['values'], `${rows * cols} values (rows ${rows} x cols ${cols})`, `${values.length} values`);
});

/** The RTL's predictions against the truth: matrix[truth][predicted] counts images. */
export const confusionSchema = z.strictObject({ labels: z.array(text), matrix: z.array(z.array(int())) }).check((ctx) => {
  const { labels, matrix } = ctx.value;
  const n = matrix.length;
  matrix.forEach((r, i) => {
    if (r.length !== n) issue(ctx, ['matrix', i], `${n} counts (a square matrix)`, String(r.length));
  });
  if (labels.length !== n) issue(ctx, ['labels'], `${n} labels (one per matrix row)`, String(labels.length));
});

/** The lockstep's first mismatch (cosim/mismatch-window.ts) and where its VCD window is. */
export const firstMismatchSchema = z.strictObject({
  layer: text,
  tile: text,
  /** The cycle of the mismatch (docs/ARCHITECTURE.md section 4 numbering). */
  cycle: int(),
  /** What differed, e.g. "o_data_o[3]" or "pe(1,2).psum_q". */
  where: text,
  kind: z.enum(['port', 'register']),
  /** The PE (or for an output port, the column) where it differed, when known. */
  row: int().optional(),
  col: int().optional(),
  expected: finite,
  actual: finite,
  image: int(),
  programCycle: int(),
  /** The VCD window around the mismatch, relative to the working directory the run had. */
  vcdPath: text,
  /** Cycle number of the first cycle in the VCD window. */
  vcdFirstCycle: int(),
  replayReproduced: z.boolean('true or false'),
  hwsimTrace: z.array(text),
});

export type ArrayLayerRow = z.output<typeof layerRowSchema>;
