/**
 * Runs a tile program through beat_tb.sv (Verilator or Icarus) and through hw-sim's ArraySim, and compares every
 * output word and every PE register in every cycle; also checks the output rows against the pure quant/spec
 * expectation of the program. Returns a description of the first difference, or undefined when all agree.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArraySim, arrayConfig, outWordNames, regWordName, regWords, roundingModesParam } from '../../hw-sim/index.ts';
import { ROUNDING_MODES } from '../../quant/spec/index.ts';
import { tileProgram, type TileProgram, type TileShape } from './tile-program.ts';
import { TB_DIR, hexWords, icarusBuild, readHexLines, rtlFiles, run, scratchDir, verilatorBinary } from './sim-tools.ts';

export type Simulator = 'verilator' | 'icarus';

export interface ArrayRun {
  program: TileProgram;
  rtlOut: Int32Array;
  rtlRegs: Int32Array;
  outputRows: number;
}

function words(file: string): Int32Array {
  const lines = readHexLines(file);
  const out = new Int32Array(lines.length);
  lines.forEach((l, i) => (out[i] = parseInt(l, 16) | 0));
  return out;
}

/** Simulates the program on the RTL; returns the per-cycle outputs and PE registers. */
export function runRtl(sim: Simulator, shape: TileShape, seed: number, passes: number, defines?: Record<string, string>): ArrayRun {
  const program = tileProgram(shape, seed, passes);
  const build = {
    top: 'beat_tb',
    files: [...rtlFiles(), join(TB_DIR, 'beat_tb.sv')],
    params: {
      Rows: shape.rows,
      Cols: shape.cols,
      AccDepth: shape.accDepth,
      RoundingModes: roundingModesParam(shape.roundingModes ?? ROUNDING_MODES),
      MaxCycles: 4096,
    },
    ...(defines === undefined ? {} : { defines }),
  };
  if (program.cycles > 4096) throw new Error(`tile program of ${program.cycles} cycles exceeds beat_tb's MaxCycles`);
  const dir = scratchDir(`array-${sim}-${shape.rows}x${shape.cols}-${seed}`);
  const inFile = join(dir, 'in.hex');
  const outFile = join(dir, 'out.hex');
  const regsFile = join(dir, 'regs.hex');
  writeFileSync(inFile, hexWords(program.input));
  const plus = [`+in=${inFile}`, `+out=${outFile}`, `+regs=${regsFile}`, `+cycles=${program.cycles}`];
  if (sim === 'verilator') run(verilatorBinary(build), plus, dir, 'beat_tb (Verilator)');
  else run('vvp', ['-n', icarusBuild(build), ...plus], dir, 'beat_tb (Icarus)');
  const rtlOut = words(outFile);
  const rtlRegs = words(regsFile);
  const ow = 2 + 2 * shape.cols;
  let outputRows = 0;
  for (let t = 0; t < program.cycles; t++) outputRows += rtlOut[t * ow] as number;
  return { program, rtlOut, rtlRegs, outputRows };
}

/** The first difference between the RTL run and hw-sim (outputs and PE registers, cycle by cycle). */
export function diffAgainstHwSim(shape: TileShape, r: ArrayRun): string | undefined {
  const sim = new ArraySim(
    arrayConfig({ rows: shape.rows, cols: shape.cols, accDepth: shape.accDepth, roundingModes: shape.roundingModes ?? ROUNDING_MODES }),
    { checkHazards: true },
  );
  sim.reset();
  const { cycles, input, inWords } = r.program;
  const ow = sim.outWords;
  const rw = regWords(sim.cfg);
  const out = new Int32Array(ow);
  const regs = new Int32Array(rw);
  const outNames = outWordNames(sim.cfg);
  for (let t = 0; t < cycles; t++) {
    sim.readRegisters(regs);
    for (let i = 0; i < rw; i++) {
      const got = r.rtlRegs[t * rw + i] as number;
      if (got !== regs[i]) return `cycle ${t}: ${regWordName(sim.cfg, i)} hw-sim ${regs[i]}, RTL ${got}`;
    }
    sim.step(input, t * inWords, out, 0);
    for (let i = 0; i < ow; i++) {
      const got = r.rtlOut[t * ow + i] as number;
      if (got !== out[i]) return `cycle ${t}: ${outNames[i]} hw-sim ${out[i]}, RTL ${got}\n  hw-sim: ${sim.traceLine()}`;
    }
  }
  return undefined;
}

/** The first difference between the RTL's output rows and the program's quant/spec expectation. */
export function diffAgainstSpec(shape: TileShape, r: ArrayRun): string | undefined {
  const C = shape.cols;
  const ow = 2 + 2 * C;
  const byCycle = new Map(r.program.expected.map((e) => [e.cycle, e]));
  for (let t = 0; t < r.program.cycles; t++) {
    const o = t * ow;
    const e = byCycle.get(t);
    const valid = r.rtlOut[o] as number;
    if (valid !== (e === undefined ? 0 : 1)) return `cycle ${t}: o_valid expected ${e === undefined ? 0 : 1}, RTL ${valid}`;
    if (e === undefined) continue;
    if (r.rtlOut[o + 1] !== e.addr) return `cycle ${t}: o_addr expected ${e.addr}, RTL ${r.rtlOut[o + 1]}`;
    for (let c = 0; c < C; c++) {
      if (r.rtlOut[o + 2 + c] !== e.data[c]) return `cycle ${t}: o_data[${c}] expected ${e.data[c]}, RTL ${r.rtlOut[o + 2 + c]}`;
      if (r.rtlOut[o + 2 + C + c] !== e.acc[c]) return `cycle ${t}: o_acc[${c}] expected ${e.acc[c]}, RTL ${r.rtlOut[o + 2 + C + c]}`;
    }
  }
  return undefined;
}
