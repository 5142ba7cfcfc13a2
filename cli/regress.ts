/**
 * `int8cosim regress`: seeded random differential regression, golden vs hw-sim vs RTL (Verilator, lockstep every
 * cycle, or with --check transactions the transaction-level contract: every row whenever it comes). Prints cases per second, every failure with its seed and replay command, and writes a JSON report.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CosimError, UsageError } from '../quant/errors.ts';
import { loadRtlConfig } from '../harness/config/rtlConfig.ts';
import { TIERS, configName, paletteOf, type Tier } from '../verify/palette.ts';
import { parameterOverrides, runRegression } from '../verify/runner.ts';
import type { RegressReport } from '../verify/regress-report.ts';
import { parseShard } from '../verify/shard.ts';
import { HELP_OPTION, parseCommandArgs, stringOptions } from './args.ts';
import { checkOption, intOption } from './options.ts';

const HELP = `usage: int8cosim regress [options]

  --tier quick|long     quick: ${paletteOf('quick').map(configName).join(', ')}; 300 cases by default
                        long (make regress): also ${paletteOf('long').slice(paletteOf('quick').length).map(configName).join(', ')};
                        10000 cases by default
  --cases <n>           number of cases of the whole run (before sharding)
  --seed <s>            seed of case 0; case i has seed s + i (default 1)
  --shard <i/n>         run only cases i-1, i-1+n, i-1+2n, ... (1-based i) of the run
  --replay <seed>       run that one case (same tier) and print what failed
  --check cycles|transactions
                        cycles (default): RTL and hw-sim in lockstep, every output word of every cycle;
                        transactions: every case (GEMMs, corners, raw streams, networks) through the transaction
                        runner: every output row exactly once with its address and values, whatever its latency,
                        honouring a_ready_o (docs/ARCHITECTURE.md section 13); a failure names the row, column,
                        both values, cycle and latency, or the row missing, duplicated or unexpected
  --deep                also compare every PE register every cycle (deep builds; the quick test and make mutate do;
                        cycles only)
  --rtl-config <file>   the RTL (default rtl/cosim.json); each configuration of the tier's palette overrides its
                        Rows, Cols, AccDepth and RoundingModes (said on the second line of the output); every
                        case's programs choose their rounding mode among the configuration's
  --out <file>          report (default out/regress/report.json)
`;

export async function run(argv: string[]): Promise<void> {
  const parsed = parseCommandArgs('regress', HELP, {
    args: argv,
    options: {
      tier: { type: 'string', default: 'quick' },
      ...stringOptions('cases', 'seed', 'shard', 'replay', 'rtl-config', 'out'),
      check: { type: 'string', default: 'cycles' },
      deep: { type: 'boolean' },
      ...HELP_OPTION,
    },
    strict: true,
  });
  if (parsed === undefined) return;
  const { values } = parsed;
  const tier = values.tier as Tier;
  if (!TIERS.includes(tier)) throw new UsageError(`--tier expects ${TIERS.join(' or ')}, got '${values.tier}'`);
  const check = checkOption(values.check, values.deep === true);
  const cases = intOption('cases', values.cases, { min: 0 }) ?? (tier === 'long' ? 10_000 : 300);
  const seed = intOption('seed', values.seed, { min: 0 }) ?? 1;
  const replaySeed = intOption('replay', values.replay, { min: 0 });
  const shard = values.shard === undefined ? { index: 1, count: 1 } : parseShard(values.shard);
  const rtlConfigArg = values['rtl-config'] === undefined ? '' : ` --rtl-config ${values['rtl-config']}`;
  const deepArg = values.deep === true ? ' --deep' : '';
  const checkArg = check === 'transactions' ? ' --check transactions' : '';
  const replayCommand = (s: number): string => `node bin/int8cosim.mjs regress --tier ${tier}${rtlConfigArg}${deepArg}${checkArg} --replay ${s}`;
  const out = resolve(values.out ?? 'out/regress/report.json');

  const started = new Date().toISOString();
  const rtlConfig = loadRtlConfig(values['rtl-config']);
  const overrides = parameterOverrides(rtlConfig, paletteOf(tier));
  console.log(
    replaySeed !== undefined
      ? `regress: replaying seed ${replaySeed} (${tier} tier${checkArg === '' ? '' : ', transaction mode'})`
      : `regress: ${tier} tier, ${cases} cases from seed ${seed}, shard ${shard.index}/${shard.count}${checkArg === '' ? '' : ', transaction mode'}`,
  );
  console.log(`regress: ${overrides.line}`);
  const r = await runRegression({
    palette: paletteOf(tier),
    rtl: { config: rtlConfig, deep: values.deep === true },
    check,
    ...(replaySeed !== undefined ? { seeds: [replaySeed] } : { cases, seed, shard }),
    replayCommand,
    log: (l) => console.log(`  ${l}`),
  });
  const report: RegressReport = {
    tier,
    deep: values.deep === true,
    check,
    started,
    cases: r.cases,
    passed: r.passed,
    failed: r.failed,
    casesPerSecond: r.casesPerSecond,
    casesPerSecondWarm: r.casesPerSecondWarm,
    seconds: r.seconds,
    buildSeconds: r.buildSeconds,
    cycles: r.cycles,
    seed,
    shard: `${shard.index}/${shard.count}`,
    parameterOverrides: overrides,
    kinds: r.kinds,
    configs: r.configs,
    failedSeeds: r.failures.map((f) => f.seed),
    replayCommands: r.failures.map((f) => f.replay),
    failures: r.failures,
  };
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(
    `regress: ${r.passed}/${r.cases} passed, ${r.failed} failed; ${r.cycles} cycles; ${r.seconds.toFixed(1)} s ` +
      `(${r.buildSeconds.toFixed(1)} s of builds): ${r.casesPerSecond.toFixed(1)} cases/s overall, ` +
      `${r.casesPerSecondWarm.toFixed(1)} cases/s simulating`,
  );
  console.log(`regress: report ${out}`);
  if (r.failed > 0) {
    for (const f of r.failures.slice(0, 20)) console.log(`  seed ${f.seed}: ${f.replay}`);
    throw new CosimError(`${r.failed} of ${r.cases} cases failed (seeds ${r.failures.slice(0, 10).map((f) => f.seed).join(', ')}${r.failed > 10 ? ', ...' : ''})`);
  }
}
