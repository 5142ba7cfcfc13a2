/**
 * out/coverage/report.json (written by `int8cosim coverage`, cli/coverage.ts, from runCoverage's CoverageReport)
 * as a zod schema that its writer and its readers share.
 */
import { z } from 'zod';
import { finite, int, text } from '../../quant/json-fields.ts';

/** Points hit and points in all. */
const tally = z.strictObject({ covered: int(), total: int() }).check((ctx) => {
  if (ctx.value.covered > ctx.value.total) ctx.issues.push({ code: 'custom', input: ctx.value, path: ['covered'], message: `at most total (${ctx.value.total})` });
});

export const coverageReportSchema = z.strictObject({
  /** The RTL measured: its config file and top module. */
  rtlConfig: text,
  top: text,
  /** Per module: Verilator --coverage-line points (v_line, v_branch) and --coverage-toggle points. */
  modules: z.array(z.strictObject({ module: text, line: tally, toggle: tally })),
  line: tally,
  toggle: tally,
  linePercent: finite,
  togglePercent: finite,
  configs: z.array(z.strictObject({ config: text, cases: int(), cycles: int(), buildSeconds: finite, runSeconds: finite })),
  /** Points never hit, per module (file:line signal/kind, file relative to the config's folder). */
  uncovered: z.record(z.string(), z.array(text)),
});
export type CoverageReportFile = z.input<typeof coverageReportSchema>;
