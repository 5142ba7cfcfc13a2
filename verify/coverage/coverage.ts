/**
 * Verilator line and toggle coverage of an RTL config (rtl/cosim.json by default, or anyone's: the top of any
 * implementation of docs/ARCHITECTURE.md) from the regression's stimulus. The regression cases of one array
 * configuration (the kill-suite's 3x5, AccDepth 8, built with every rounding mode, its cases' programs choosing
 * among them and raw streams switching them mid-stream) are lowered to one beat stream, run through a coverage build of cov_tb.sv around the config's top
 * (Verilator --coverage-line --coverage-toggle with the config's files, include directories and defines, cached
 * under .cache/coverage/), and the outputs of every cycle are checked against hw-sim on the same stream. The
 * coverage.dat files are merged and summarised per module of that RTL: a point (file, line, column, signal bit)
 * counts as covered when any instance of the module covered it in any build.
 */
import { CONTRACT_INCLUDE_DIR } from '../../harness/build/verilatorFlags.ts';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clog2, compileGemm, inWords, outWords, roundingModesParam, runNetwork, type ArrayConfig } from '../../hw-sim/index.ts';
import { ROUNDING_MODES } from '../../quant/spec/index.ts';
import { FormatError, MismatchError } from '../../quant/errors.ts';
import { concat } from '../../quant/concat.ts';
import { Rng } from '../../quant/random.ts';
import { buildVerilatedExecutable } from '../../harness/build/buildExecutable.ts';
import { runToolSync } from '../../harness/build/runTool.ts';
import { loadRtlConfig, type RtlConfig } from '../../harness/config/rtlConfig.ts';
import { generateCase } from '../case-gen.ts';
import { configName } from '../palette.ts';
import { idleNoise } from '../stimulus.ts';
import { geometryOf } from '../../harness/build/ports.ts';
import { mismatchError } from '../../harness/lockstep/mismatch.ts';
import { Scoreboard } from '../../harness/lockstep/scoreboard.ts';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(here, '..', '..');
const TB = join(here, 'cov_tb.sv');
/** The testbench's include: the ports and beat layout of hw-sim/contract (rtl/tb/ic_beat.svh). */
const TB_INCLUDE = join(ROOT, 'rtl', 'tb', 'ic_beat.svh');
const MAIN = join(here, 'cov_main.cpp');

/** The parameters the testbench sets on the top (docs/ARCHITECTURE.md section 1); a config's others keep the top's defaults. */
const ARRAY_PARAMETERS = ['Rows', 'Cols', 'AccDepth', 'RoundingModes'] as const;

export interface Tally {
  covered: number;
  total: number;
}

export interface ModuleCoverage {
  module: string;
  /** Verilator --coverage-line points: statement blocks (v_line) and branch arms (v_branch). */
  line: Tally;
  /** --coverage-toggle points: every bit of every signal, both directions counted as one point. */
  toggle: Tally;
}

export interface CoverageReport {
  /** The RTL measured: its config file and top module. */
  rtlConfig: string;
  top: string;
  modules: ModuleCoverage[];
  line: Tally;
  toggle: Tally;
  linePercent: number;
  togglePercent: number;
  configs: { config: string; cases: number; cycles: number; buildSeconds: number; runSeconds: number }[];
  /** Points never hit, per module (file:line signal/kind, file relative to the config's folder), for adding stimulus. */
  uncovered: Record<string, string[]>;
}

const HDL_EXT = /\.(sv|svh|v|vh|vlt|inc)$/;

/** The design's HDL: the config's sources and every HDL file in its include directories (what a header may hold). */
function designFiles(rtl: RtlConfig): string[] {
  const files = new Set(rtl.files.map((f) => resolve(f)));
  for (const d of rtl.includeDirs) {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch (err) {
      throw new FormatError(`RTL config ${rtl.source}: cannot list include directory ${d}: ${(err as Error).message}`, { cause: err });
    }
    for (const n of names) if (HDL_EXT.test(n)) files.add(resolve(d, n));
  }
  return [...files].sort();
}

/** Builds (or finds) the coverage testbench of one configuration around the config's top; returns the executable. */
export function buildCoverageTb(cfg: ArrayConfig, rtl: RtlConfig, log: (l: string) => void): { exe: string; seconds: number } {
  const params = { Rows: cfg.rows, Cols: cfg.cols, AccDepth: cfg.accDepth, RoundingModes: roundingModesParam(cfg.roundingModes) };
  const defines = { ...rtl.defines, INT8COSIM_COV_DUT: rtl.top };
  const args = [
    '--cc', '--exe', '--build', // a C++ model with our main (cov_main.cpp writes coverage.dat), built by make
    '--timing', // the testbench's #1 delays
    '--coverage-line', // statement blocks and branch arms
    '--coverage-toggle', // every bit of every signal
    '--assert', // the RTL's assertions are live
    '-Wno-fatal', // warnings go to the log; lint is `make lint`'s job
    '-j', '2', // the machine has two cores
    // -O1 for the evaluation code and the runtime, -O0 for the (large, run-once) initialisation code: measured on
    // examples/mesh_array at 3x5, 26-34 s to build and 0.8-1.1 s to run 400 cases, against 65-107 s and 3.1 s with
    // verilated.mk's -Os everywhere
    '-MAKEFLAGS', 'OPT_FAST=-O1',
    '-MAKEFLAGS', 'OPT_SLOW=-O0',
    '-MAKEFLAGS', 'OPT_GLOBAL=-O1',
    '--top-module', 'cov_tb',
    ...rtl.includeDirs.map((d) => `-I${d}`), // the config's include directories
    `-I${CONTRACT_INCLUDE_DIR}`, // the contract's (int8cosim_ports.svh), as in every harness build
    `-I${dirname(TB_INCLUDE)}`, // the testbench's include
    ...Object.entries(defines).map(([k, x]) => (x === '' ? `+define+${k}` : `+define+${k}=${x}`)), // the config's defines and the top's name
    ...Object.entries(params).map(([k, x]) => `-G${k}=${x}`), // cov_tb passes them on to the top
    ...rtl.files, // the design, in the config's order
    TB,
    MAIN,
  ];
  const b = buildVerilatedExecutable({
    args,
    inputs: [...designFiles(rtl), TB, TB_INCLUDE, MAIN], // every file the flags name, and every header the design may include
    name: 'cov',
    cacheDir: join(ROOT, '.cache', 'coverage'),
    what: `the coverage testbench of ${rtl.top} (${rtl.source}) for ${configName(cfg)}`,
    log,
  });
  return { exe: b.exe, seconds: b.seconds };
}

/** The beat stream of the regression seeds `seeds` on cfg, programs one after the other. */
export function regressionStream(cfg: ArrayConfig, seeds: readonly number[]): Int32Array {
  const parts: Int32Array[] = [];
  for (const s of seeds) {
    const c = generateCase(s, [cfg]);
    if (c.raw) parts.push(c.raw);
    else if (c.gemm) {
      const g = c.gemm;
      const p = compileGemm(cfg, g.m, g.k, g.n, g.ops, c.kind);
      if (c.noiseSeed !== undefined) idleNoise(new Rng(c.noiseSeed), cfg, p.beats);
      parts.push(p.beats);
    } else if (c.network) {
      runNetwork(c.network.model, cfg, c.network.input, { collect: false, onProgram: (p) => parts.push(p.beats) });
    }
  }
  return concat(Int32Array, parts);
}

function writeBeats(file: string, beats: Int32Array, iw: number): void {
  const n = beats.length / iw;
  const lines: string[] = [String(n)];
  for (let t = 0; t < n; t++) {
    let l = '';
    for (let i = 0; i < iw; i++) l += `${i ? ' ' : ''}${((beats[t * iw + i] as number) >>> 0).toString(16)}`;
    lines.push(l);
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
}

/** Checks the testbench's outputs against hw-sim on the same stream (a coverage run is a regression run too): the lockstep's scoreboard. */
function checkOutputs(cfg: ArrayConfig, beats: Int32Array, outFile: string): void {
  const ow = outWords(cfg);
  const n = beats.length / inWords(cfg);
  const lines = readFileSync(outFile, 'utf8').split('\n').filter((l) => l.length > 0);
  if (lines.length !== n) throw new MismatchError({ layer: 'coverage', tile: '-', cycle: lines.length, where: 'cycles', expected: n, actual: lines.length });
  const got = new Int32Array(n * ow);
  lines.forEach((l, t) => {
    const words = l.trim().split(/\s+/);
    for (let i = 0; i < ow; i++) got[t * ow + i] = parseInt(words[i] ?? 'x', 16) | 0;
  });
  const board = new Scoreboard(cfg, geometryOf(cfg.rows, cfg.cols, clog2(cfg.accDepth)), false, 4096);
  const verdict = board.checkStream(beats, n, got, `coverage ${configName(cfg)}`);
  if (verdict !== undefined) throw mismatchError(verdict.first);
}

/**
 * Parses coverage.dat into points keyed without the instance path. Only points in `design` (absolute paths: the
 * config's sources and headers) count; the testbench is not the design. Labels name files relative to `base`.
 */
export function parseCoverageDat(text: string, into: Map<string, { module: string; kind: string; label: string; count: number }>, design: ReadonlySet<string>, base: string): void {
  for (const line of text.split('\n')) {
    if (!line.startsWith('C ')) continue;
    const q2 = line.lastIndexOf("'");
    const body = line.slice(3, q2);
    const count = Number(line.slice(q2 + 1).trim());
    const kv = new Map<string, string>();
    for (const field of body.split('\x01')) {
      const sep = field.indexOf('\x02');
      if (sep > 0) kv.set(field.slice(0, sep), field.slice(sep + 1));
    }
    const file = kv.get('f') ?? '';
    if (!design.has(resolve(file))) continue;
    const page = kv.get('page') ?? '';
    const [kindRaw, modRaw] = page.split('/');
    const kind = kindRaw === 'v_toggle' ? 'toggle' : 'line';
    const module = (modRaw ?? '?').replace(/__.*$/, '');
    const label = `${relative(base, resolve(file))}:${kv.get('l')} ${kv.get('o')}${kindRaw === 'v_branch' ? ' (branch)' : ''}`;
    const key = `${module}|${kindRaw}|${kv.get('f')}|${kv.get('l')}|${kv.get('n')}|${kv.get('o')}`;
    const p = into.get(key);
    if (p) p.count += count;
    else into.set(key, { module, kind, label, count });
  }
}

export function summarise(points: Map<string, { module: string; kind: string; label: string; count: number }>): Pick<CoverageReport, 'modules' | 'line' | 'toggle' | 'uncovered'> {
  const mods = new Map<string, ModuleCoverage>();
  const uncovered: Record<string, string[]> = {};
  const line: Tally = { covered: 0, total: 0 };
  const toggle: Tally = { covered: 0, total: 0 };
  for (const p of points.values()) {
    const m = mods.get(p.module) ?? { module: p.module, line: { covered: 0, total: 0 }, toggle: { covered: 0, total: 0 } };
    mods.set(p.module, m);
    const t = p.kind === 'toggle' ? m.toggle : m.line;
    const all = p.kind === 'toggle' ? toggle : line;
    t.total++;
    all.total++;
    if (p.count > 0) {
      t.covered++;
      all.covered++;
    } else (uncovered[p.module] ??= []).push(`${p.kind} ${p.label}`);
  }
  return { modules: [...mods.values()].sort((a, b) => a.module.localeCompare(b.module)), line, toggle, uncovered };
}

export interface CoverageOptions {
  configs?: ArrayConfig[];
  /** Regression seeds 1..cases per configuration. Default 400. */
  cases?: number;
  /** The RTL measured; default rtl/cosim.json. */
  rtl?: RtlConfig;
  outDir?: string;
  log?: (line: string) => void;
}

/** One build of every rounding mode: every requantizer datapath is elaborated and each case's programs choose one. */
export const COVERAGE_CONFIGS: ArrayConfig[] = [{ rows: 3, cols: 5, accDepth: 8, roundingModes: ROUNDING_MODES }];

export function runCoverage(opts: CoverageOptions = {}): CoverageReport {
  const log = opts.log ?? (() => {});
  const rtl = opts.rtl ?? loadRtlConfig();
  const design = new Set(designFiles(rtl));
  const base = dirname(resolve(rtl.source));
  const ignored = Object.keys(rtl.parameters).filter((k) => !(ARRAY_PARAMETERS as readonly string[]).includes(k));
  if (ignored.length > 0) log(`${rtl.source}: parameter(s) ${ignored.join(', ')} keep ${rtl.top}'s defaults (the testbench sets only ${ARRAY_PARAMETERS.join(', ')})`);
  const outDir = opts.outDir ?? join(ROOT, 'out', 'coverage');
  const cases = opts.cases ?? 400;
  mkdirSync(outDir, { recursive: true });
  const points = new Map<string, { module: string; kind: string; label: string; count: number }>();
  const configs: CoverageReport['configs'] = [];
  for (const cfg of opts.configs ?? COVERAGE_CONFIGS) {
    const { exe, seconds: buildSeconds } = buildCoverageTb(cfg, rtl, log);
    const t0 = performance.now();
    const seeds = Array.from({ length: cases }, (_, i) => i + 1);
    const beats = regressionStream(cfg, seeds);
    const iw = inWords(cfg);
    const tag = `${cfg.rows}x${cfg.cols}-d${cfg.accDepth}-r${roundingModesParam(cfg.roundingModes)}`;
    const inFile = join(outDir, `${tag}.in.hex`);
    const outFile = join(outDir, `${tag}.out.hex`);
    const datFile = join(outDir, `${tag}.coverage.dat`);
    writeBeats(inFile, beats, iw);
    runToolSync(exe, [`+in=${inFile}`, `+out=${outFile}`, `+coverage=${datFile}`], `coverage run of ${configName(cfg)}`, { cwd: outDir });
    checkOutputs(cfg, beats, outFile);
    parseCoverageDat(readFileSync(datFile, 'utf8'), points, design, base);
    rmSync(inFile);
    rmSync(outFile);
    const cycles = beats.length / iw;
    configs.push({ config: configName(cfg), cases, cycles, buildSeconds, runSeconds: (performance.now() - t0) / 1000 });
    log(`${rtl.top} ${configName(cfg)}: ${cases} cases, ${cycles} cycles, outputs equal hw-sim every cycle`);
  }
  const s = summarise(points);
  return { rtlConfig: rtl.source, top: rtl.top, ...s, configs, linePercent: (100 * s.line.covered) / Math.max(1, s.line.total), togglePercent: (100 * s.toggle.covered) / Math.max(1, s.toggle.total) };
}
