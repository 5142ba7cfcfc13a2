/**
 * The synthesis suite: every (target, array size) job in its own child process, one after another, each with a
 * time limit; the results go to <out>/report.json and <out>/report.md. A job that times out or fails is reported
 * as such (never dropped), and the others still run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../quant/errors.ts';
import { loadRtlConfig } from '../harness/config/rtlConfig.ts';
import { runTool, ToolError } from '../harness/build/runTool.ts';
import { synthTable, type SynthEntry, type SynthReport } from './report.ts';
import type { SynthJob, SynthTarget, YosysRun } from './yosys.ts';

export interface ArraySize {
  rows: number;
  cols: number;
}

export interface SynthSuiteOptions {
  targets: readonly SynthTarget[];
  sizes: readonly ArraySize[];
  /** AccDepth of the synthesized arrays (small by default: the accumulator memory is not the subject). */
  accDepth: number;
  /** RoundingModes masks to synthesize, each a job per size and target (7: every mode; 1: single alone). */
  roundingModes: readonly number[];
  /** Per-job limit in seconds. */
  timeoutSeconds: number;
  /** RTL config (rtl/cosim.json by default). */
  rtlConfig?: string;
  /**
   * A sub-module to synthesize instead of the config's top (for a breakdown), e.g. systolic_array; only the
   * parameters it declares (SUB_MODULE_PARAMS) are set.
   */
  top?: string;
  outDir: string;
  /** Progress lines (default: console.log). */
  log?: (line: string) => void;
}

/** The parameters of the project's sub-modules that a breakdown run may synthesize alone. */
export const SUB_MODULE_PARAMS: Record<string, readonly string[]> = {
  systolic_array: ['Rows', 'Cols'],
  systolic_requant: ['RoundingModes'],
  systolic_requant_mul: ['RoundingModes'],
  systolic_requant_round: ['RoundingModes'],
  systolic_acc: ['Cols', 'AccDepth'],
  systolic_out: ['Cols', 'AccDepth'],
};

const WORKER = join(dirname(fileURLToPath(import.meta.url)), 'worker.ts');

async function runWorker(job: SynthJob, timeoutSeconds: number): Promise<{ status: SynthEntry['status']; run?: YosysRun; message?: string; seconds: number }> {
  const t0 = performance.now();
  const seconds = (): number => (performance.now() - t0) / 1000;
  const failed = (r: { stdout: string; stderr: string }): string => (r.stderr.slice(-8000) || r.stdout).trim().slice(-2000);
  let r: { stdout: string; stderr: string };
  try {
    r = await runTool(process.execPath, ['--import', 'tsx', WORKER, JSON.stringify(job)], `synthesis of ${job.top} for ${job.target}`, { timeoutSeconds });
  } catch (err) {
    if (!(err instanceof ToolError)) throw err;
    if (err.result.timedOut) return { status: 'timeout', seconds: seconds(), message: `stopped after ${timeoutSeconds} s` };
    return { status: 'error', seconds: seconds(), message: failed(err.result) };
  }
  const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (line === undefined) return { status: 'error', seconds: seconds(), message: failed(r) };
  return { status: 'ok', seconds: seconds(), run: JSON.parse(line.slice('RESULT '.length)) as YosysRun };
}

export async function runSynthSuite(opts: SynthSuiteOptions): Promise<SynthReport> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const cfg = loadRtlConfig(opts.rtlConfig);
  const top = opts.top ?? cfg.top;
  const keep = opts.top === undefined || opts.top === cfg.top ? undefined : SUB_MODULE_PARAMS[opts.top];
  if (opts.top !== undefined && opts.top !== cfg.top && keep === undefined) {
    throw new UsageError(`--top ${opts.top}: expected ${cfg.top} or one of ${Object.keys(SUB_MODULE_PARAMS).join(', ')}`);
  }
  const { version } = await import('@yowasp/yosys');
  const report: SynthReport = {
    tool: `Yosys ${version} (@yowasp/yosys)`,
    top,
    generatedAt: new Date().toISOString(),
    timeoutSeconds: opts.timeoutSeconds,
    entries: [],
  };
  mkdirSync(opts.outDir, { recursive: true });
  const save = (): void => {
    writeFileSync(join(opts.outDir, 'report.json'), JSON.stringify(report, null, 2) + '\n');
    writeFileSync(join(opts.outDir, 'report.md'), synthTable(report) + '\n');
  };
  for (const size of opts.sizes) {
    for (const target of opts.targets) {
      for (const roundingModes of opts.roundingModes) {
        const parameters: Record<string, number> = {};
        for (const [k, v] of Object.entries(cfg.parameters)) if (typeof v === 'number') parameters[k] = v;
        Object.assign(parameters, { Rows: size.rows, Cols: size.cols, AccDepth: opts.accDepth, RoundingModes: roundingModes });
        if (keep !== undefined) for (const k of Object.keys(parameters)) if (!keep.includes(k)) delete parameters[k];
        const job: SynthJob = { target, top, files: cfg.files, includeDirs: cfg.includeDirs, parameters, defines: cfg.defines };
        log(`synth ${target} ${size.rows}x${size.cols} (AccDepth ${opts.accDepth}, RoundingModes ${roundingModes}) ...`);
        const r = await runWorker(job, opts.timeoutSeconds);
        const entry: SynthEntry = { target, rows: size.rows, cols: size.cols, accDepth: opts.accDepth, roundingModes, status: r.status, seconds: Number((r.run?.seconds ?? r.seconds).toFixed(1)) };
        if (r.run !== undefined) entry.resources = r.run.resources;
        if (r.message !== undefined) entry.message = r.message;
        report.entries.push(entry);
        const res = entry.resources;
        log(
          res === undefined
            ? `  ${entry.status}: ${entry.message ?? ''}`
            : `  ${res.luts} LUTs, ${res.flipFlops} FFs, ${res.dsps} DSPs, ${res.brams} BRAMs${res.lutRams > 0 ? `, ${res.lutRams} LUT RAM/SRL` : ''} in ${entry.seconds} s`,
        );
        save();
      }
    }
  }
  save();
  return report;
}
