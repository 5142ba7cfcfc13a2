import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { ROUNDING_MODES, type RoundingMode } from '../../quant/spec/index.ts';
import { roundingModesParam } from '../../hw-sim/contract/index.ts';
import { checkResults, cornerVectors, randomVectors, tieVectors, writeVectors, type RequantVectors } from './requant-vectors.ts';
import { RTL_DIR, TB_DIR, icarusBuild, run, scratchDir, verilatorBinary } from './sim-tools.ts';

const RANDOM_VECTORS = 1 << 20; // every mode, one each at random
const SEED = 20261125;
const FILES = [...['systolic_requant_mul.sv', 'systolic_requant_round.sv', 'systolic_requant.sv'].map((f) => join(RTL_DIR, f)), join(TB_DIR, 'requant_tb.sv')];

function simulate(exe: string, dir: string, name: string, v: RequantVectors, viaVvp: boolean): string {
  const inFile = join(dir, `${name}.in.hex`);
  const outFile = join(dir, `${name}.out.hex`);
  writeVectors(inFile, v);
  const plus = [`+in=${inFile}`, `+out=${outFile}`, `+n=${v.n}`];
  if (viaVvp) run('vvp', ['-n', exe, ...plus], dir, 'vvp requant_tb');
  else run(exe, plus, dir, 'requant_tb');
  return outFile;
}

function expectExact(outFile: string, v: RequantVectors, what: string): void {
  const { checked, mismatches } = checkResults(outFile, v);
  const report = mismatches.map((m) => `  #${m.index} ${m.inputs}: ${m.field} expected ${m.expected}, got ${m.actual}`).join('\n');
  assert.equal(mismatches.length, 0, `${what}: RTL requantizer differs from quant/spec:\n${report}`);
  assert.equal(checked, v.n);
}

describe('rtl/systolic_requant against quant/spec', function () {
  this.timeout(300_000);
  describe('RoundingModes 7 (single, double and ruy on one datapath, the mode per vector)', () => {
    let exe = '';
    let dir = '';
    before(() => {
      exe = verilatorBinary({ top: 'requant_tb', files: FILES, params: { RoundingModes: 7 } });
      dir = scratchDir('requant-all');
    });

    it('is exact on the corner-case cross product in every mode (every shift, extreme x and m0, every clamp order)', () => {
      const v = cornerVectors(ROUNDING_MODES);
      expectExact(simulate(exe, dir, 'corner', v, false), v, 'corner cases');
    });

    it('is exact at the ties of every right shift, where the three modes part (both signs)', () => {
      const v = tieVectors(ROUNDING_MODES);
      expectExact(simulate(exe, dir, 'ties', v, false), v, 'ties');
    });

    it(`is exact on ${RANDOM_VECTORS} seeded random inputs (seed ${SEED}), each in a random mode`, () => {
      const v = randomVectors(RANDOM_VECTORS, SEED, ROUNDING_MODES);
      const out = simulate(exe, dir, 'random', v, false);
      expectExact(out, v, `random vectors, seed ${SEED}`);
      rmSync(out); // ~60 MB of vectors and results: keep them only when the test fails
      rmSync(join(dir, 'random.in.hex'));
    });
  });

  // A build that drops datapaths computes its own modes exactly (Icarus: cheap builds, one per mask).
  for (const modes of [['single'], ['double'], ['ruy'], ['double', 'ruy'], ['single', 'double', 'ruy']] as RoundingMode[][]) {
    const mask = roundingModesParam(modes);
    it(`RoundingModes ${mask} (${modes.join(', ')}) is exact under Icarus Verilog too (ties and 4000 random inputs of its modes)`, () => {
      const vvp = icarusBuild({ top: 'requant_tb', files: FILES, params: { RoundingModes: mask, MaxVectors: 8192 } });
      const dir = scratchDir(`requant-icarus-${mask}`);
      const v = randomVectors(4000, SEED + 7 + mask, modes);
      expectExact(simulate(vvp, dir, 'icarus', v, true), v, `Icarus RoundingModes ${mask}, random vectors`);
      const t = tieVectors(modes);
      expectExact(simulate(vvp, dir, 'ties', t, true), t, `Icarus RoundingModes ${mask}, ties`);
    });
  }

  it('would notice a wrong result (the checker is not vacuous)', () => {
    const v = randomVectors(16, 1, ['single']);
    const dir = scratchDir('requant-self');
    const exe = verilatorBinary({ top: 'requant_tb', files: FILES, params: { RoundingModes: 7 } });
    const out = simulate(exe, dir, 'self', v, false);
    assert.equal(checkResults(out, v).mismatches.length, 0);
    // Corrupt q of vector 4 (the last two hex digits of line 5) and expect exactly that report.
    const lines = readFileSync(out, 'utf8').split('\n');
    const line = lines[4] as string;
    const q = parseInt(line.slice(22, 24), 16);
    lines[4] = line.slice(0, 22) + ((q ^ 1) & 0xff).toString(16).padStart(2, '0');
    writeFileSync(out, lines.join('\n'));
    const { mismatches } = checkResults(out, v);
    assert.equal(mismatches.length, 1);
    assert.equal(mismatches[0]?.index, 4);
    assert.equal(mismatches[0]?.field, 'q');
  });

  it('would notice a vector run in the wrong mode (the mode reaches the checker)', () => {
    // x = -6, m0 = 2^30, shift -1: the high-mul is -3 exactly; double gives -2, ruy -1, single -1
    const v = tieVectors(['double']);
    const dir = scratchDir('requant-self');
    const exe = verilatorBinary({ top: 'requant_tb', files: FILES, params: { RoundingModes: 7 } });
    const out = simulate(exe, dir, 'mode', v, false);
    assert.equal(checkResults(out, v).mismatches.length, 0);
    v.round.fill(2); // the same results judged as ruy's
    assert.ok(checkResults(out, v).mismatches.length > 0);
  });
});
