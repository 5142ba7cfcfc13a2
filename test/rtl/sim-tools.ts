/**
 * Shared helpers of the RTL tests: find Verilator and Icarus (a missing tool fails the test with the apt-get
 * command that installs it, never a skip), read rtl/files.f, and build testbenches into .cache/rtl/<hash>/ so that
 * a re-run with the same sources and parameters reuses the build.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildVerilatedExecutable } from '../../harness/build/buildExecutable.ts';
import { runToolSync } from '../../harness/build/runTool.ts';
import { ToolMissingError } from '../../quant/errors.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RTL_DIR = join(ROOT, 'rtl');
/** The testbenches and their include ic_beat.svh (generated from hw-sim/contract), on every build's include path. */
export const TB_DIR = join(RTL_DIR, 'tb');
const TB_INCLUDE = join(TB_DIR, 'ic_beat.svh');
const CACHE = join(ROOT, '.cache', 'rtl');

const INSTALL: Record<string, string> = {
  verilator: 'apt-get install -y verilator g++ make',
  iverilog: 'apt-get install -y iverilog',
  vvp: 'apt-get install -y iverilog',
};

/** Throws ToolMissingError (with the install command) unless `tool --version` (or -V) runs. */
export function requireTool(tool: 'verilator' | 'iverilog' | 'vvp'): void {
  try {
    runToolSync(tool, [tool === 'verilator' ? '--version' : '-V'], 'the RTL tests', { install: `sudo ${INSTALL[tool]}` });
  } catch (err) {
    if (err instanceof ToolMissingError) throw err; // any other outcome: the tool is there (its exit status does not matter)
  }
}

/** rtl/include (int8cosim_assert.svh, the RTL's check macros): files.f's +incdir+, on every build's include path. */
export const RTL_INCLUDE_DIR = join(RTL_DIR, 'include');

/** The RTL source files in compile order (rtl/files.f, without its +incdir+ line), absolute. */
export function rtlFiles(): string[] {
  return readFileSync(join(RTL_DIR, 'files.f'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('#') && !l.startsWith('//') && !l.startsWith('+'))
    .map((l) => join(RTL_DIR, l));
}

/** Runs a command (harness/build runToolSync); throws ToolError with its output when it fails. Returns stdout + stderr. */
export function run(cmd: string, args: string[], cwd: string, what: string): string {
  const r = runToolSync(cmd, args, what, { cwd });
  return `${r.stdout}${r.stderr}`;
}

export interface TbBuild {
  /** Top module of the testbench. */
  top: string;
  /** Sources, absolute, in order. */
  files: string[];
  /** -G / -P parameter values of the testbench top. */
  params: Record<string, number>;
  /** +define+ names (value '' for a bare name). */
  defines?: Record<string, string>;
}

function buildDir(kind: string, b: TbBuild): string {
  const h = createHash('sha256');
  h.update(kind);
  h.update(JSON.stringify({ top: b.top, params: b.params, defines: b.defines ?? {}, files: b.files }));
  for (const f of [...b.files, TB_INCLUDE]) h.update(readFileSync(f));
  for (const f of readdirSync(RTL_INCLUDE_DIR).sort()) h.update(readFileSync(join(RTL_INCLUDE_DIR, f)));
  return join(CACHE, `${kind}-${b.top}-${h.digest('hex').slice(0, 16)}`);
}

function defineArgs(b: TbBuild): string[] {
  return Object.entries(b.defines ?? {}).map(([k, v]) => (v === '' ? `+define+${k}` : `+define+${k}=${v}`));
}

/** Builds a self-contained Verilator executable (--binary) of the testbench (harness/build buildExecutable, cached); returns its path. */
export function verilatorBinary(b: TbBuild): string {
  const args = [
    '--binary', // a complete executable: main(), timing, $finish
    '--assert', // the RTL's immediate assertions are live
    '-Wall', // the testbench and the RTL build warning-free
    '-j', '2', // the machine has two cores
    '--x-assign', 'unique', // X assignments get arbitrary values, not a convenient 0
    `-I${RTL_INCLUDE_DIR}`, // int8cosim_assert.svh
    '--top-module', b.top,
    `-I${TB_DIR}`, // ic_beat.svh
    ...Object.entries(b.params).map(([k, v]) => `-G${k}=${v}`),
    ...defineArgs(b),
    ...b.files,
  ];
  const includes = [TB_INCLUDE, ...readdirSync(RTL_INCLUDE_DIR).sort().map((f) => join(RTL_INCLUDE_DIR, f))];
  return buildVerilatedExecutable({ args, inputs: [...b.files, ...includes], name: `vl-${b.top}`, cacheDir: CACHE, what: `Verilator build of ${b.top}` }).exe;
}

/** Compiles the testbench with Icarus Verilog (-g2012); returns the .vvp path. */
export function icarusBuild(b: TbBuild): string {
  requireTool('iverilog');
  const dir = buildDir('iv', b);
  const vvp = join(dir, 'tb.vvp');
  if (existsSync(join(dir, 'done'))) return vvp;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const args = [
    '-g2012',
    `-I${RTL_INCLUDE_DIR}`, // int8cosim_assert.svh
    '-s', b.top,
    '-o', vvp,
    `-I${TB_DIR}`, // ic_beat.svh
    ...Object.entries(b.params).map(([k, v]) => `-P${b.top}.${k}=${v}`),
    ...Object.entries(b.defines ?? {}).map(([k, v]) => (v === '' ? `-D${k}` : `-D${k}=${v}`)),
    ...b.files,
  ];
  run('iverilog', args, dir, `Icarus build of ${b.top}`);
  writeFileSync(join(dir, 'done'), '');
  return vvp;
}

/** A fresh scratch folder under .cache/rtl/run/. */
export function scratchDir(name: string): string {
  const dir = join(CACHE, 'run', name); // one folder per name: a re-run replaces the last run's files
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** 32-bit words as 8-digit hex lines ($readmemh). */
export function hexWords(words: ArrayLike<number>): string {
  let s = '';
  for (let i = 0; i < words.length; i++) s += `${((words[i] as number) >>> 0).toString(16).padStart(8, '0')}\n`;
  return s;
}

/** $writememh output (one hex number a line, comments and blank lines skipped) as strings. */
export function readHexLines(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0 && !l.startsWith('//'));
}
