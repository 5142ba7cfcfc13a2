/**
 * The regression runner: every case is compared three ways. The RTL (Verilator, through the harness's build cache
 * and RtlSim) and hw-sim run the case's program in lockstep, every output word of every cycle (check 'cycles'), or
 * through the harness's TransactionRunner, every output row whenever it comes (check 'transactions',
 * docs/ARCHITECTURE.md section 13; transaction-case.ts); the output rows the RTL produced are then compared with
 * the golden model (quant/golden + quant/spec); network cases also compare hw-sim's runNetwork with runGolden.
 * Cases are grouped by array configuration so that each configuration is one Verilated build and one model; each
 * case starts from reset (a few cycles), so that its seed alone replays it.
 * A network case's programs follow each other without a reset, as a host would issue them.
 */
import { isAbsolute, relative } from 'node:path';
import { compileGemm, inWords, runNetwork, roundingModesParam, type ArrayConfig, type Program } from '../hw-sim/index.ts';
import { Rng } from '../quant/random.ts';
import { idleNoise } from './stimulus.ts';
import { buildRtl, type RtlBuild } from '../harness/build/buildRtl.ts';
import type { ParamValue, RtlConfig } from '../harness/config/rtlConfig.ts';
import { Lockstep, StimulusError, type StreamRun } from '../harness/lockstep/lockstep.ts';
import { alsoText, mismatchError } from '../harness/lockstep/mismatch.ts';
import { openRtlSim } from '../harness/sim/verilatedSim.ts';
import { SimStopError } from '../harness/sim/simStopError.ts';
import { TransactionRunner } from '../harness/transaction/runner.ts';
import { formatTransactionSummary, type TransactionSummary } from '../harness/transaction/totals.ts';
import { UsageError } from '../quant/errors.ts';
import { runGolden } from '../quant/golden/index.ts';
import { caseConfig, generateCase, type CaseKind, type RegressCase } from './case-gen.ts';
import { goldenGemm } from './golden.ts';
import { configName } from './palette.ts';
import type { CheckMode } from '../harness/transaction/check-mode.ts';
import type { CaseTransactionFailure } from './regress-report.ts';
import { caseSeeds, type Shard } from './shard.ts';
import { caseTransactionFailure, runTransactionCase } from './transaction-case.ts';

/** The RTL a run simulates: a config (rtl/cosim.json or a mutant's copy) and extra defines. */
export interface RtlTarget {
  config: RtlConfig;
  defines?: Record<string, string>;
  cacheDir?: string;
  /** Deep mode: also compare every PE register (docs/ARCHITECTURE.md section 6) every cycle (a deep build). */
  deep?: boolean;
}

export interface RegressOptions {
  palette: readonly ArrayConfig[];
  rtl: RtlTarget;
  /** Explicit seeds (a replay, a kill-suite); otherwise `cases` seeds from `seed`, filtered by `shard`. */
  seeds?: readonly number[];
  cases?: number;
  seed?: number;
  shard?: Shard;
  /** Include network cases (default true). */
  networks?: boolean;
  /**
   * What is compared (default 'cycles'): the cycle lockstep, or the transaction-level contract through the
   * harness's TransactionRunner (no deep mode there: rtl.deep with 'transactions' is a UsageError).
   */
  check?: CheckMode;
  /** Stop at the first failing case (mutation runs). */
  stopOnFirstFailure?: boolean;
  /** The one-line command that replays a seed. */
  replayCommand?: (seed: number) => string;
  log?: (line: string) => void;
}

export interface CaseFailure {
  seed: number;
  config: string;
  kind: CaseKind;
  /** lockstep: RTL and hw-sim differ in a cycle; golden: output rows differ from the golden model; network:
   *  hw-sim's runNetwork differs from runGolden; stop: the RTL stopped itself ($stop, $finish, $fatal, a failed
   *  assertion; see rtlStopMessage); transaction: the transaction scoreboard found a row wrong, missing, duplicated
   *  or unexpected (check 'transactions'). Any other exception is no failing case but a HarnessError that ends the run. */
  stage: 'lockstep' | 'transaction' | 'golden' | 'network' | 'stop';
  message: string;
  replay: string;
  /** Stage transaction: the scoreboard's verdict in fields (row, column, values, cycle, latency). */
  transaction?: CaseTransactionFailure;
}

/** What a case runs on: the cycle lockstep, or the transaction runner (both over one RtlSim). */
export type CaseChecker = Lockstep | TransactionRunner;

type Verdict = Omit<CaseFailure, 'replay' | 'config'>;

export interface ConfigRun {
  config: string;
  cases: number;
  buildSeconds: number;
  cached: boolean;
  seconds: number;
  /** Transaction mode: the RTL's measured latency and rows per cycle over the configuration's cases, beside hw-sim's. */
  timing?: TransactionSummary;
}

export interface RegressResult {
  cases: number;
  passed: number;
  failed: number;
  failures: CaseFailure[];
  /** Cases by kind. */
  kinds: Record<string, number>;
  configs: ConfigRun[];
  seconds: number;
  buildSeconds: number;
  /** Cases over the whole run (builds included) and over the simulation time alone (builds excluded). */
  casesPerSecond: number;
  casesPerSecondWarm: number;
  cycles: number;
}

/**
 * A case could not be judged because something other than the RTL failed: the harness (a lifecycle or buffer
 * error, a native error that is not the RTL's own stop), hw-sim or the compiler (a program whose output rows do
 * not follow its read schedule), a generator (a raw stream outside the contract). It is never recorded as a
 * failing case, so it can never count as a mutant's kill: it ends the run. Deliberately not a CosimError (a
 * user error, one line): it is a bug of the framework, so the CLI prints its stack and its cause's (exit 70).
 */
export class HarnessError extends Error {
  /** The case, once runRegression knows it (seed, configuration, kind). */
  seed?: number;
  config?: string;
  kind?: CaseKind;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HarnessError';
  }
}

/** The three ways the simulated RTL stops itself (native/int8cosim_abi.cpp: vl_stop, vl_finish, vl_fatal). */
const RTL_STOP = /Verilog \$stop|Verilog \$finish|Verilator fatal error/;

/**
 * The first line of an error that is the RTL's own stop (a failed assertion, $stop, $finish, $fatal: a
 * SimStopError carrying one of the messages of the C ABI's stop hooks), or undefined for any other error. A
 * SimStopError with another message (the C ABI refusing a call, e.g. "run before reset") is the harness's.
 * Only an RTL stop may be a failing case (stage 'stop'). A MismatchError from gathering the output rows is not
 * one either: it comes after a lockstep in which every output word of the RTL equalled hw-sim's, so it says
 * that hw-sim and the compiler's read schedule disagree.
 */
export function rtlStopMessage(err: unknown): string | undefined {
  if (!(err instanceof SimStopError) || !RTL_STOP.test(err.message)) return undefined;
  return err.message.split('\n')[0] ?? err.message;
}

function firstDiff(want: Int8Array, got: Int8Array, n: number): string | undefined {
  for (let i = 0; i < want.length; i++) {
    if (want[i] !== got[i]) return `Y[${Math.floor(i / n)}][${i % n}]: golden ${want[i]}, RTL ${got[i]}`;
  }
  return undefined;
}

/**
 * A raw beat stream: the RTL and hw-sim in lockstep (Lockstep.runStream; hw-sim's hazard checker vouches for the
 * stimulus) every cycle, the outputs and, on a deep build, every PE register.
 */
function runRaw(c: RegressCase, ls: Lockstep, fail: (stage: CaseFailure['stage'], message: string) => Verdict) {
  let run: StreamRun;
  try {
    run = ls.runStream(c.raw as Int32Array, `seed ${c.seed}`);
  } catch (err) {
    return stimulusOrStop(err, fail);
  }
  if (run.verdict === undefined) return undefined;
  // the earliest cycle, and in it the earliest stage (o_acc_o before o_data_o; PE registers before the outputs of the same edge)
  const m = run.verdict.first;
  const when = m.kind === 'port' ? `cycle ${m.cycle}` : `after cycle ${m.cycle}`;
  return fail('lockstep', `RTL and hw-sim differ on a raw stream (seed ${c.seed}), ${when}, at ${m.where}: hw-sim ${m.expected}, RTL ${m.actual}${alsoText(m.also)}${m.hint ? `. Hint: ${m.hint}` : ''}`);
}

/** A raw stream hw-sim refuses is a generator bug (HarnessError); an RTL stop is a failing case; anything else is rethrown. */
function stimulusOrStop(err: unknown, fail: (stage: CaseFailure['stage'], message: string) => Verdict): Verdict {
  if (err instanceof StimulusError) {
    throw new HarnessError(`hw-sim's hazard checker rejects the raw stream, so it is outside the contract (a generator bug): ${(err.cause as Error).message}`, { cause: err.cause });
  }
  const stop = rtlStopMessage(err);
  if (stop === undefined) throw err;
  return fail('stop', stop);
}

/** The RTL's outputs of a case's programs (none for a raw stream), or its failure. */
type CaseRun = { failure: Verdict; outputs?: undefined } | { failure?: undefined; outputs: Int8Array[] };

/** The programs in the cycle lockstep, one after another (no reset between a network's programs). */
async function runLockstep(ls: Lockstep, programs: readonly Program[], ctx: string, fail: (stage: CaseFailure['stage'], message: string) => Verdict): Promise<CaseRun> {
  const outputs: Int8Array[] = [];
  try {
    for (const p of programs) {
      const r = await ls.runProgram(p, ctx);
      if (r.verdict) return { failure: fail('lockstep', mismatchError(r.verdict.first).message) };
      outputs.push(r.output as Int8Array);
    }
  } catch (err) {
    const stop = rtlStopMessage(err);
    if (stop === undefined) throw err;
    return { failure: fail('stop', stop) };
  }
  return { outputs };
}

/** The raw stream or the programs through the transaction runner (transaction-case.ts). */
async function runTransactions(tr: TransactionRunner, c: RegressCase, programs: readonly Program[], fail: (stage: CaseFailure['stage'], message: string) => Verdict): Promise<CaseRun> {
  try {
    const r = await runTransactionCase(tr, c.seed, c.raw, programs);
    if (r.error !== undefined) return { failure: { ...fail('transaction', r.message), transaction: caseTransactionFailure(r.error) } };
    return { outputs: r.outputs };
  } catch (err) {
    return { failure: stimulusOrStop(err, fail) };
  }
}

async function runCase(c: RegressCase, checker: CaseChecker): Promise<Verdict | undefined> {
  const fail = (stage: CaseFailure['stage'], message: string): Verdict => ({ seed: c.seed, kind: c.kind, stage, message });
  const ctx = `seed ${c.seed}`;
  if (c.raw) return checker instanceof Lockstep ? runRaw(c, checker, fail) : (await runTransactions(checker, c, [], fail)).failure;
  let programs: Program[];
  let check: ((outputs: Int8Array[]) => string | undefined) | undefined;
  if (c.gemm) {
    const g = c.gemm;
    const p = compileGemm(c.cfg, g.m, g.k, g.n, g.ops, `${c.kind} ${g.m}x${g.k}x${g.n}`);
    if (c.noiseSeed !== undefined) idleNoise(new Rng(c.noiseSeed), c.cfg, p.beats);
    programs = [p];
    check = ([y]) => firstDiff(goldenGemm(g), y as Int8Array, g.n);
  } else {
    const { model, input } = c.network as NonNullable<RegressCase['network']>;
    programs = [];
    const hw = runNetwork(model, c.cfg, input, { collect: false, onProgram: (p) => programs.push(p) });
    const gold = runGolden(model, input);
    const d = firstDiff(gold.output, hw.output, gold.output.length);
    if (d !== undefined) return fail('network', `hw-sim runNetwork vs runGolden on '${model.name}': ${d.replace('RTL', 'hw-sim')}`);
  }
  const run = checker instanceof Lockstep ? await runLockstep(checker, programs, ctx, fail) : await runTransactions(checker, c, programs, fail);
  if (run.failure !== undefined) return run.failure;
  const d = check?.(run.outputs);
  return d === undefined ? undefined : fail('golden', `RTL output rows vs golden: ${d}`);
}

/**
 * One case from reset: its failure, or undefined when it passed. The RTL stopping itself during the reset is a
 * failing case like a stop during the run; any other exception becomes a HarnessError that names the case and
 * ends the run.
 */
export async function judgeCase(c: RegressCase, checker: CaseChecker, config: string, replayLine: string): Promise<Verdict | undefined> {
  try {
    try {
      checker.reset();
    } catch (err) {
      const stop = rtlStopMessage(err);
      if (stop === undefined) throw err;
      return { seed: c.seed, kind: c.kind, stage: 'stop', message: `during reset: ${stop}` };
    }
    return await runCase(c, checker);
  } catch (err) {
    const what = err instanceof HarnessError ? err.message : err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    const e = new HarnessError(
      `seed ${c.seed} (${config}, ${c.kind}): the harness failed, not the RTL, so the case has no verdict and the run stops: ${what.split('\n')[0]} (replay: ${replayLine})`,
      { cause: err instanceof HarnessError && err.cause !== undefined ? err.cause : err },
    );
    e.seed = c.seed;
    e.config = config;
    e.kind = c.kind;
    throw e;
  }
}

/** The RTL parameters (-G) that one array configuration of a palette sets, whatever the RTL config says. */
export function paletteParameters(cfg: ArrayConfig): Record<string, ParamValue> {
  return { Rows: cfg.rows, Cols: cfg.cols, AccDepth: cfg.accDepth, RoundingModes: roundingModesParam(cfg.roundingModes) };
}

/** What a run does to the parameters of its RTL config (said in the output and the report). */
export interface ParameterOverrides {
  /** The RTL config file, relative to the working directory when inside it. */
  config: string;
  /** The config's own values of the parameters the palette sets (a parameter it does not set is absent). */
  configured: Record<string, ParamValue>;
  /** The parameters every array configuration of the run sets (so the config's values are not used). */
  overridden: string[];
  /** The array configurations that set them. */
  configurations: string[];
  /** One line: "rtl/cosim.json sets Rows=8 ...; the palette overrides them per configuration: 3x5 D8 single, ...". */
  line: string;
}

export function parameterOverrides(config: RtlConfig, palette: readonly ArrayConfig[]): ParameterOverrides {
  const first = palette[0];
  const overridden = first === undefined ? [] : Object.keys(paletteParameters(first));
  const configured: Record<string, ParamValue> = {};
  for (const k of overridden) if (config.parameters[k] !== undefined) configured[k] = config.parameters[k] as ParamValue;
  const rel = relative(process.cwd(), config.source);
  const name = rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : config.source;
  const configurations = palette.map(configName);
  const sets = Object.entries(configured).map(([k, v]) => `${k}=${v}`).join(' ');
  const missing = overridden.filter((k) => configured[k] === undefined);
  const line =
    `${name} ${sets === '' ? 'sets none of them' : `sets ${sets}`}; the palette overrides ${overridden.join(', ')} per configuration` +
    `${missing.length > 0 ? ` (${missing.join(', ')} not in the config)` : ''}: ${configurations.join(', ')}`;
  return { config: name, configured, overridden, configurations, line };
}

/** Builds (or finds in the cache) the RTL of one array configuration. */
export function buildFor(rtl: RtlTarget, cfg: ArrayConfig): Promise<RtlBuild> {
  return buildRtl({
    config: rtl.config,
    parameters: paletteParameters(cfg),
    ...(rtl.defines ? { defines: rtl.defines } : {}),
    ...(rtl.cacheDir ? { cacheDir: rtl.cacheDir } : {}),
    deep: rtl.deep ?? false,
  });
}

export async function runRegression(opts: RegressOptions): Promise<RegressResult> {
  const t0 = performance.now();
  const log = opts.log ?? (() => {});
  const transactions = (opts.check ?? 'cycles') === 'transactions';
  if (transactions && opts.rtl.deep === true) {
    throw new UsageError('deep mode compares PE registers every cycle, which the transaction-level contract leaves free (docs/ARCHITECTURE.md section 13): use --deep or --check transactions, not both');
  }
  const replay = opts.replayCommand ?? ((s: number) => `int8cosim regress${transactions ? ' --check transactions' : ''} --replay ${s}`);
  const seeds = opts.seeds ?? caseSeeds(opts.cases ?? 100, opts.seed ?? 1, opts.shard ?? { index: 1, count: 1 });
  const groups = new Map<string, { cfg: ArrayConfig; seeds: number[] }>();
  for (const s of seeds) {
    const cfg = caseConfig(s, opts.palette);
    const key = configName(cfg);
    const g = groups.get(key) ?? { cfg, seeds: [] };
    g.seeds.push(s);
    groups.set(key, g);
  }
  const failures: CaseFailure[] = [];
  const kinds: Record<string, number> = {};
  const configs: ConfigRun[] = [];
  let cases = 0;
  let cycles = 0;
  let buildSeconds = 0;
  outer: for (const [name, g] of groups) {
    const tb = performance.now();
    const build = await buildFor(opts.rtl, g.cfg);
    const bs = (performance.now() - tb) / 1000;
    buildSeconds += bs;
    log(`${name}: ${g.seeds.length} cases (${build.cached ? 'cached build' : `built in ${bs.toFixed(1)} s`})`);
    const sim = openRtlSim(build, { seed: g.seeds[0] ?? 1 });
    const checker: CaseChecker = transactions ? new TransactionRunner(sim) : new Lockstep(sim, { checkpoints: false, deep: opts.rtl.deep ?? false });
    const tc = performance.now();
    let n = 0;
    try {
      for (const seed of g.seeds) {
        const c = generateCase(seed, opts.palette, { networks: opts.networks ?? true });
        kinds[c.kind] = (kinds[c.kind] ?? 0) + 1;
        const f = await judgeCase(c, checker, name, replay(seed)); // from reset, so that its seed alone replays it
        // a raw stream counts whole, also when it stopped at a mismatch; in transaction mode the RTL's own cycles
        cycles += c.raw && !transactions ? c.raw.length / inWords(c.cfg) : checker.cycle;
        cases++;
        n++;
        if (f !== undefined) {
          const failure: CaseFailure = { ...f, config: name, replay: replay(seed) };
          failures.push(failure);
          log(`FAIL seed ${seed} (${name}, ${c.kind}, ${f.stage}): ${f.message}\n  replay: ${failure.replay}`);
          if (opts.stopOnFirstFailure) break outer;
        }
      }
    } finally {
      const run: ConfigRun = { config: name, cases: n, buildSeconds: bs, cached: build.cached, seconds: (performance.now() - tc) / 1000 };
      if (checker instanceof TransactionRunner) {
        run.timing = checker.totals.summary();
        log(`${name}: ${formatTransactionSummary(run.timing)}`);
      }
      configs.push(run);
      sim.close();
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  return {
    cases,
    passed: cases - failures.length,
    failed: failures.length,
    failures,
    kinds,
    configs,
    seconds,
    buildSeconds,
    casesPerSecond: cases / seconds,
    casesPerSecondWarm: cases / Math.max(1e-9, seconds - buildSeconds),
    cycles,
  };
}
