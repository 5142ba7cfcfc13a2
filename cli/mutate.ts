/**
 * `int8cosim mutate`: mutation testing of the regression. Applies every mutant of the catalogue
 * (harness/regress/mutate/catalogue.ts) alone to a copy of rtl/ under out/mutate/<name>/, builds it and runs the
 * kill-suite; prints the score and the survivors with their diffs, writes out/mutate/report.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CosimError, UsageError } from '../quant/errors.ts';
import { MUTANTS } from '../harness/regress/mutate/catalogue.ts';
import { runMutation } from '../harness/regress/mutate/run.ts';
import { parseCommandArgs } from './args.ts';

const HELP = `usage: int8cosim mutate [options]

  --only <name,...>   run only these mutants (default: all ${MUTANTS.length} of the catalogue)
  --cases <n>         kill-suite size: regression seeds 1..n on a 3x5 array, AccDepth 8 (default 200)
  --list              print the catalogue and exit
  --out <file>        report (default out/mutate/report.json)

A mutant is killed when any comparison of any kill-suite case fails (golden, hw-sim lockstep, RTL assertion),
stillborn when its build fails; mutants marked equivalent (with the reason) are excluded from the score.
`;

export async function run(argv: string[]): Promise<void> {
  const parsed = parseCommandArgs('mutate', HELP, {
    args: argv,
    options: {
      only: { type: 'string' },
      cases: { type: 'string' },
      list: { type: 'boolean' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (parsed === undefined) return;
  const { values } = parsed;
  if (values.list) {
    for (const m of MUTANTS) console.log(`${m.name.padEnd(36)} ${m.file.padEnd(20)} ${m.description}${m.equivalent ? ' [equivalent]' : ''}`);
    return;
  }
  let mutants = MUTANTS;
  if (values.only !== undefined) {
    const names = values.only.split(',').map((s) => s.trim());
    const unknown = names.filter((n) => !MUTANTS.some((m) => m.name === n));
    if (unknown.length > 0) throw new UsageError(`--only: unknown mutants ${unknown.join(', ')} (int8cosim mutate --list)`);
    mutants = MUTANTS.filter((m) => names.includes(m.name));
  }
  const cases = values.cases === undefined ? 200 : Number(values.cases);
  if (!Number.isInteger(cases) || cases < 1) throw new UsageError(`--cases expects a positive integer, got '${values.cases}'`);
  const out = resolve(values.out ?? 'out/mutate/report.json');
  console.log(`mutate: ${mutants.length} mutants, kill-suite of ${cases} cases (builds are sequential and cached)`);
  mkdirSync(dirname(out), { recursive: true });
  const r = await runMutation({
    mutants,
    cases,
    log: (l) => console.log(`  ${l}`),
    onProgress: (partial) => writeFileSync(out, `${JSON.stringify({ ...partial, complete: false }, null, 2)}\n`),
  });
  writeFileSync(out, `${JSON.stringify({ ...r, complete: true }, null, 2)}\n`);
  const scored = r.total - r.equivalent;
  console.log(
    `mutate: score ${(100 * r.score).toFixed(1)}% (${r.killed} killed + ${r.stillborn} stillborn of ${scored}; ` +
      `${r.equivalent} equivalent excluded) in ${r.seconds.toFixed(0)} s`,
  );
  for (const m of r.mutants.filter((x) => x.verdict === 'survived')) console.log(`  SURVIVOR ${m.name}: ${m.description}\n${m.diff.replace(/^/gm, '    ')}`);
  for (const m of r.mutants.filter((x) => x.equivalentClaimWrong)) console.log(`  ${m.name} is marked equivalent but was killed: fix the catalogue`);
  console.log(`mutate: report ${out}`);
  if (r.survivors.length > 0 || r.stillborn > 0) {
    throw new CosimError(`${r.survivors.length} survivors (${r.survivors.join(', ')}), ${r.stillborn} stillborn`);
  }
}
