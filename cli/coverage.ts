/**
 * `int8cosim coverage`: Verilator line and toggle coverage of an RTL config (rtl/cosim.json by default) from the
 * regression's stimulus (see verify/coverage/coverage.ts), per module of that RTL; writes
 * out/coverage/report.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../quant/errors.ts';
import { loadRtlConfig } from '../harness/config/rtlConfig.ts';
import { COVERAGE_CONFIGS, runCoverage } from '../verify/coverage/coverage.ts';
import type { CoverageReportFile } from '../verify/coverage/report-schema.ts';
import { normalizeRoundingModes } from '../hw-sim/contract/index.ts';
import { parseCommandArgs } from './args.ts';
import { intOption } from './options.ts';

const HELP = `usage: int8cosim coverage [--cases <n>] [--rounding-modes <list>] [--rtl-config <file>] [--out <file>]

  --cases <n>              regression seeds 1..n (3x5 AccDepth 8, each case's programs in one of the build's modes); default 400
  --rounding-modes <list>  the modes the build implements, e.g. single,double (RoundingModes); default single,double,ruy
  --rtl-config <file>   the RTL measured (default rtl/cosim.json): its files, include directories, defines and top
  --out <file>          report (default out/coverage/report.json)
`;

const pct = (c: number, t: number): string => (t === 0 ? '   n/a' : `${((100 * c) / t).toFixed(1).padStart(5)}%`);

export async function run(argv: string[]): Promise<void> {
  const parsed = parseCommandArgs('coverage', HELP, { args: argv, options: { cases: { type: 'string' }, 'rounding-modes': { type: 'string' }, 'rtl-config': { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true });
  if (parsed === undefined) return;
  const { values } = parsed;
  const cases = intOption('cases', values.cases, { min: 1 }) ?? 400;
  const modesText = values['rounding-modes'];
  let configs = COVERAGE_CONFIGS;
  if (modesText !== undefined) {
    let roundingModes;
    try {
      roundingModes = normalizeRoundingModes(modesText.split(','), '--rounding-modes');
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    configs = COVERAGE_CONFIGS.map((c) => ({ ...c, roundingModes }));
  }
  const out = resolve(values.out ?? 'out/coverage/report.json');
  const rtl = loadRtlConfig(values['rtl-config']);
  console.log(`coverage: ${rtl.top} (${rtl.source}), ${cases} cases per configuration`);
  const r = runCoverage({ cases, rtl, configs, outDir: dirname(out), log: (l) => console.log(`  ${l}`) });
  console.log(`${'module'.padEnd(18)} ${'line'.padStart(16)} ${'toggle'.padStart(18)}`);
  for (const m of r.modules) {
    console.log(
      `${m.module.padEnd(18)} ${`${m.line.covered}/${m.line.total}`.padStart(9)} ${pct(m.line.covered, m.line.total)} ` +
        `${`${m.toggle.covered}/${m.toggle.total}`.padStart(11)} ${pct(m.toggle.covered, m.toggle.total)}`,
    );
  }
  console.log(`${`all of ${r.top}`.padEnd(18)} ${`${r.line.covered}/${r.line.total}`.padStart(9)} ${pct(r.line.covered, r.line.total)} ${`${r.toggle.covered}/${r.toggle.total}`.padStart(11)} ${pct(r.toggle.covered, r.toggle.total)}`);
  for (const [mod, pts] of Object.entries(r.uncovered)) console.log(`  never hit in ${mod}: ${pts.slice(0, 8).join('; ')}${pts.length > 8 ? `; ... (${pts.length})` : ''}`);
  mkdirSync(dirname(out), { recursive: true });
  const report: CoverageReportFile = r; // runCoverage's result is the file's schema type: a drift fails here
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`coverage: report ${out}`);
}
