/**
 * Synthesis of the RTL with Yosys from npm (@yowasp/yosys, WebAssembly: no system install) for three targets, and
 * the resource summary of each run (LUTs, flip-flops, DSPs, block RAMs) read from `stat -json`.
 *
 *   generic  `synth -flatten -lut 4`   technology-independent, logic mapped to 4-input LUTs (multipliers in LUTs)
 *   ice40    `synth_ice40 -dsp`        Lattice iCE40 UltraPlus: SB_LUT4, SB_DFF*, SB_MAC16, SB_RAM40_4K
 *   xilinx   `synth_xilinx`            Xilinx 7-series: LUT1..6, FD*, DSP48E1, RAMB18E1/RAMB36E1, LUT RAM
 */
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { SYNTH_TARGETS, type SynthResources } from './report-schema.ts';

export { SYNTH_TARGETS, type SynthResources };
export type SynthTarget = (typeof SYNTH_TARGETS)[number];

export interface SynthJob {
  target: SynthTarget;
  top: string;
  /** Source files, absolute, in compile order. */
  files: string[];
  /** Include directories, absolute (the RTL config's includeDirs): their files are found by `include. */
  includeDirs: string[];
  /** Top-level parameter values (chparam). */
  parameters: Record<string, number>;
  /** Preprocessor defines (read_verilog -D). */
  defines: Record<string, string>;
}

const SCRIPTS: Record<SynthTarget, (top: string) => string> = {
  generic: (top) => `synth -flatten -top ${top} -lut 4`,
  ice40: (top) => `synth_ice40 -dsp -top ${top}`,
  xilinx: (top) => `synth_xilinx -top ${top}`,
};

/** The folder of include directory i in Yosys' virtual file system. */
const includeFolder = (i: number): string => `include${i}`;

/** The Yosys script of one job (stat written to stat.json in Yosys' virtual file system). */
export function synthScript(job: SynthJob, fileNames: string[]): string {
  const defs = Object.entries(job.defines).map(([k, v]) => (v === '' ? ` -D${k}` : ` -D${k}=${v}`)).join('');
  const incs = job.includeDirs.map((_, i) => ` -I${includeFolder(i)}`).join('');
  const params = Object.entries(job.parameters).map(([k, v]) => ` -chparam ${k} ${v}`).join('');
  return [
    `read_verilog -sv${defs}${incs} ${fileNames.join(' ')}`,
    `hierarchy -check -top ${job.top}${params}`,
    SCRIPTS[job.target](job.top),
    'tee -q -o stat.json stat -json',
  ].join('; ');
}

function count(cells: Record<string, number>, pred: (type: string) => boolean): number {
  let n = 0;
  for (const [type, k] of Object.entries(cells)) if (pred(type)) n += k;
  return n;
}

/** Classifies the cell counts of a flattened design for a target. */
export function summarizeCells(target: SynthTarget, cells: Record<string, number>): SynthResources {
  const r: SynthResources = { luts: 0, flipFlops: 0, dsps: 0, brams: 0, lutRams: 0, carries: 0, cells };
  if (target === 'generic') {
    r.luts = count(cells, (t) => t === '$lut');
    r.flipFlops = count(cells, (t) => /^\$_(S?DFFS?E?|ALDFFE?|DFFSRE?)_/.test(t));
    r.dsps = count(cells, (t) => t === '$mul' || t === '$macc');
  } else if (target === 'ice40') {
    r.luts = count(cells, (t) => t === 'SB_LUT4');
    r.flipFlops = count(cells, (t) => t.startsWith('SB_DFF'));
    r.dsps = count(cells, (t) => t === 'SB_MAC16');
    r.brams = count(cells, (t) => t.startsWith('SB_RAM40_4K'));
    r.carries = count(cells, (t) => t === 'SB_CARRY');
  } else {
    r.luts = count(cells, (t) => /^LUT[1-6]$/.test(t));
    r.flipFlops = count(cells, (t) => /^(FD[RSCP]E|FD[RSCP]|LDCE|LDPE)$/.test(t));
    r.dsps = count(cells, (t) => t.startsWith('DSP48'));
    r.brams = count(cells, (t) => t.startsWith('RAMB36')) + 0.5 * count(cells, (t) => t.startsWith('RAMB18'));
    r.lutRams = count(cells, (t) => /^(RAM\d+X\d+[SDQ]?|RAM\d+M|SRL16E|SRLC16E|SRLC32E)$/.test(t));
    r.carries = count(cells, (t) => t === 'CARRY4');
  }
  return r;
}

export interface YosysRun {
  resources: SynthResources;
  /** Wall-clock seconds of the Yosys run. */
  seconds: number;
  /** The last lines of Yosys' log. */
  logTail: string;
}

/** Runs one job in this process (the suite runs each job in a child process so that it can time it out). */
export async function runYosysJob(job: SynthJob): Promise<YosysRun> {
  const { runYosys } = await import('@yowasp/yosys');
  const tree: Record<string, string | Record<string, string>> = {};
  const names: string[] = [];
  for (const f of job.files) {
    const name = basename(f);
    if (tree[name] !== undefined) throw new Error(`two source files are both named ${name}`);
    tree[name] = readFileSync(f, 'utf8');
    names.push(name);
  }
  job.includeDirs.forEach((dir, i) => {
    const folder: Record<string, string> = {};
    for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isFile()) folder[e.name] = readFileSync(join(dir, e.name), 'utf8');
    tree[includeFolder(i)] = folder;
  });
  let log = '';
  const dec = new TextDecoder();
  const sink = (b: Uint8Array | null): void => {
    if (b !== null) log = (log + dec.decode(b)).slice(-20000);
  };
  const t0 = performance.now();
  const out = await runYosys(['-q', '-p', synthScript(job, names)], tree, { stdout: sink, stderr: sink });
  const seconds = (performance.now() - t0) / 1000;
  const raw = out?.['stat.json'];
  if (raw === undefined || typeof raw === 'object' && !(raw instanceof Uint8Array)) {
    throw new Error(`Yosys wrote no stat.json; log:\n${log.slice(-4000)}`);
  }
  const stat = JSON.parse(typeof raw === 'string' ? raw : dec.decode(raw)) as { design?: { num_cells_by_type?: Record<string, number> } };
  const cells = stat.design?.num_cells_by_type ?? {};
  delete cells.$scopeinfo;
  return { resources: summarizeCells(job.target, cells), seconds, logTail: log.split('\n').slice(-20).join('\n') };
}
