/**
 * `int8cosim mutate`: mutation testing of the regression. Applies every mutant of the catalogue
 * (verify/mutate/catalogue.ts) alone to a copy of rtl/ under out/mutate/<name>/, builds it and runs the
 * kill-suite in port mode, deep mode or both, and with --check transactions in transaction mode too; prints the
 * score of each mode side by side, the survivors with their diffs and the mutants that change only timing, writes out/mutate/report.json (after every mutant, complete: true at the end, error: ... when a
 * harness or tool error stopped the run).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CosimError, UsageError } from '../quant/errors.ts';
import { MUTANTS } from '../verify/mutate/catalogue.ts';
import { scoreLine, type MutationReportFile } from '../verify/mutate/report.ts';
import { LOCKSTEP_MODES, runMutation, type LockstepMode, type MutationMode, type MutationReport } from '../verify/mutate/run.ts';
import { HELP_OPTION, parseCommandArgs, stringOptions } from './args.ts';
import { checkOption, intOption } from './options.ts';

const HELP = `usage: int8cosim mutate [options]

  --only <name,...>    run only these mutants (default: all ${MUTANTS.length} of the catalogue)
  --mode port|deep|both
                       port: compare every output word every cycle (what make regress and make cosim do);
                       deep: also every PE register every cycle; both (default): each mutant in each mode,
                       the two scores side by side (two builds a mutant)
  --check cycles|transactions
                       transactions: also judge every mutant in transaction mode (regress --check transactions:
                       every row once with its address and values, whenever it comes; docs/ARCHITECTURE.md
                       section 13) on its port build, beside port mode (default --mode port then, no extra
                       build), and list the mutants port mode kills and transaction mode does not: they change
                       only timing. cycles (default): the lockstep modes only
  --cases <n>          kill-suite size: regression seeds 1..n on a 3x5 array, AccDepth 8 (default 200)
  --list               print the catalogue and exit
  --out <file>         report (default out/mutate/report.json)

A mutant is killed when any comparison of a kill-suite case fails (hw-sim lockstep or transaction check, golden)
or the RTL stops itself (an assertion, $stop, $fatal); stillborn when its build fails and the unmutated RTL then
builds from nothing (no cache); mutants marked equivalent (with the reason) are excluded from the score. A
harness or tool error is no verdict: it ends the run. Exit status 1 when a mutant survives a mode that should
see it (a port-mode survivor the catalogue explains as visible only in PE registers is expected, and so is a
transaction-mode survivor it explains as timing-only) or a mutant is stillborn.
`;

const MODES: Record<string, readonly LockstepMode[]> = { port: ['port'], deep: ['deep'], both: LOCKSTEP_MODES };

export async function run(argv: string[]): Promise<void> {
  const parsed = parseCommandArgs('mutate', HELP, {
    args: argv,
    options: {
      ...stringOptions('mode', 'check', 'only', 'cases', 'out'),
      list: { type: 'boolean' },
      ...HELP_OPTION,
    },
    strict: true,
  });
  if (parsed === undefined) return;
  const { values } = parsed;
  if (values.list) {
    for (const m of MUTANTS) {
      const tags = [m.equivalent ? '[equivalent]' : '', m.portInvisible ? '[port-invisible]' : '', m.timingOnly ? '[timing-only]' : ''].filter((t) => t !== '').join(' ');
      console.log(`${m.name.padEnd(36)} ${m.file.padEnd(20)} ${m.description}${tags ? ` ${tags}` : ''}`);
    }
    return;
  }
  const check = checkOption(values.check, false);
  const lockstep = MODES[values.mode ?? (check === 'transactions' ? 'port' : 'both')];
  if (lockstep === undefined) throw new UsageError(`--mode expects port, deep or both, got '${values.mode}'`);
  // transaction mode beside port mode always: the same build, and a timing-only mutant is one port mode kills
  const modes: readonly MutationMode[] = check === 'transactions' ? [...new Set<MutationMode>(['port', ...lockstep, 'transactions'])] : lockstep;
  let mutants = MUTANTS;
  if (values.only !== undefined) {
    const names = values.only.split(',').map((s) => s.trim());
    const unknown = names.filter((n) => !MUTANTS.some((m) => m.name === n));
    if (unknown.length > 0) throw new UsageError(`--only: unknown mutants ${unknown.join(', ')} (int8cosim mutate --list)`);
    mutants = MUTANTS.filter((m) => names.includes(m.name));
  }
  const cases = intOption('cases', values.cases, { min: 1 }) ?? 200;
  const out = resolve(values.out ?? 'out/mutate/report.json');
  console.log(`mutate: ${mutants.length} mutants in ${modes.join(' and ')} mode, kill-suite of ${cases} cases (builds are sequential and cached)`);
  mkdirSync(dirname(out), { recursive: true });
  const write = (r: MutationReportFile): void => writeFileSync(out, `${JSON.stringify(r, null, 2)}\n`);
  let partial: MutationReport | undefined;
  let r: MutationReport;
  try {
    r = await runMutation({
      mutants,
      cases,
      modes,
      log: (l) => console.log(`  ${l}`),
      onProgress: (p) => {
        partial = p;
        write({ ...p, complete: false });
      },
    });
  } catch (err) {
    const error = (err as Error).message.split('\n')[0] ?? '';
    write(partial === undefined ? { complete: false, error } : { ...partial, complete: false, error });
    console.log(`mutate: stopped by an error, no verdict for the mutant in progress; partial report ${out}`);
    throw err;
  }
  write({ ...r, complete: true });

  const scores = r.modes.map((mode) => {
    const s = r.scores[mode];
    return s === undefined ? '' : scoreLine(mode, s);
  });
  console.log(
    `mutate: score ${scores.join(', ')} of the non-equivalent mutants killed or stillborn; ` +
      `${r.equivalent} equivalent excluded; ${r.seconds.toFixed(0)} s`,
  );
  const unexpected: string[] = [];
  for (const mode of r.modes) {
    for (const s of r.scores[mode]?.survivors ?? []) {
      const m = r.mutants.find((x) => x.name === s.name);
      if (s.expected) console.log(`  ${mode} survivor ${s.name} (expected: ${s.reason})`);
      else {
        unexpected.push(`${s.name} (${mode})`);
        console.log(`  SURVIVOR ${s.name} in ${mode} mode: ${m?.description}\n${(m?.diff ?? '').replace(/^/gm, '    ')}`);
      }
    }
  }
  for (const m of r.mutants.filter((x) => x.equivalentClaimWrong)) console.log(`  ${m.name} is marked equivalent but was killed: fix the catalogue`);
  for (const m of r.mutants.filter((x) => x.portInvisibleClaimWrong)) console.log(`  ${m.name} is marked port-invisible but port mode killed it: fix the catalogue`);
  if (r.timingOnly !== undefined) {
    const s = r.scores.transactions;
    const changing = s === undefined ? '' : `; of the ${s.mutants - s.equivalent - r.timingOnly.length} others transaction mode kills ${s.killed + s.stillborn}`;
    console.log(`mutate: ${r.timingOnly.length} timing-only (killed in port mode, survived transaction mode)${r.timingOnly.length === 0 ? '' : `: ${r.timingOnly.map((t) => t.name).join(', ')}`}${changing}`);
    for (const t of r.timingOnly.filter((x) => !x.expected)) console.log(`  timing-only ${t.name}: the catalogue does not say why (mark it timingOnly, with the reason, or find the bug)`);
  }
  for (const m of r.mutants.filter((x) => x.timingOnlyClaimWrong)) console.log(`  ${m.name} is marked timing-only but transaction mode killed it: fix the catalogue`);
  console.log(`mutate: report ${out}`);
  const stillborn = r.mutants.filter((m) => Object.values(m.verdicts).some((v) => v?.verdict === 'stillborn')).map((m) => m.name);
  if (unexpected.length > 0 || stillborn.length > 0) {
    throw new CosimError(`${unexpected.length} unexpected survivors (${unexpected.join(', ')}), ${stillborn.length} stillborn (${stillborn.join(', ')})`);
  }
}
