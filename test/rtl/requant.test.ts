import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { RoundingMode } from '../../quant/spec/index.ts';
import { checkResults, cornerVectors, randomVectors, writeVectors, type RequantVectors } from './requant-vectors.ts';
import { RTL_DIR, TB_DIR, icarusBuild, run, scratchDir, verilatorBinary } from './sim-tools.ts';

const RANDOM_VECTORS = 1 << 20; // per mode
const SEED = 20261125;

function simulate(exe: string, dir: string, name: string, v: RequantVectors, viaVvp: boolean): string {
  const inFile = join(dir, `${name}.in.hex`);
  const outFile = join(dir, `${name}.out.hex`);
  writeVectors(inFile, v);
  const plus = [`+in=${inFile}`, `+out=${outFile}`, `+n=${v.n}`];
  if (viaVvp) run('vvp', ['-n', exe, ...plus], dir, 'vvp requant_tb');
  else run(exe, plus, dir, 'requant_tb');
  return outFile;
}

function expectExact(outFile: string, v: RequantVectors, mode: RoundingMode, what: string): void {
  const { checked, mismatches } = checkResults(outFile, v, mode);
  const report = mismatches.map((m) => `  #${m.index} ${m.inputs}: ${m.field} expected ${m.expected}, got ${m.actual}`).join('\n');
  assert.equal(mismatches.length, 0, `${what}: RTL requantizer differs from quant/spec:\n${report}`);
  assert.equal(checked, v.n);
}

describe('rtl/systolic_requant against quant/spec', function () {
  this.timeout(300_000);
  for (const [param, mode] of [[0, 'single'], [1, 'double']] as const) {
    describe(`RoundingMode ${param} (${mode})`, () => {
      let exe = '';
      let dir = '';
      before(() => {
        exe = verilatorBinary({
          top: 'requant_tb',
          files: [join(RTL_DIR, 'systolic_requant.sv'), join(TB_DIR, 'requant_tb.sv')],
          params: { RoundingMode: param },
        });
        dir = scratchDir(`requant-${mode}`);
      });

      it('is exact on the corner-case cross product (every shift, extreme x and m0, every clamp order)', () => {
        const v = cornerVectors();
        expectExact(simulate(exe, dir, 'corner', v, false), v, mode, 'corner cases');
      });

      it(`is exact on ${RANDOM_VECTORS} seeded random inputs (seed ${SEED + param})`, () => {
        const v = randomVectors(RANDOM_VECTORS, SEED + param);
        const out = simulate(exe, dir, 'random', v, false);
        expectExact(out, v, mode, `random vectors, seed ${SEED + param}`);
        rmSync(out); // ~60 MB of vectors and results: keep them only when the test fails
        rmSync(join(dir, 'random.in.hex'));
      });

      it('is exact under Icarus Verilog too (4000 random inputs)', () => {
        const vvp = icarusBuild({
          top: 'requant_tb',
          files: [join(RTL_DIR, 'systolic_requant.sv'), join(TB_DIR, 'requant_tb.sv')],
          params: { RoundingMode: param, MaxVectors: 8192 },
        });
        const v = randomVectors(4000, SEED + 7 + param);
        expectExact(simulate(vvp, dir, 'icarus', v, true), v, mode, 'Icarus, random vectors');
      });
    });
  }

  it('would notice a wrong result (the checker is not vacuous)', () => {
    const v = randomVectors(16, 1);
    const dir = scratchDir('requant-self');
    const exe = verilatorBinary({
      top: 'requant_tb',
      files: [join(RTL_DIR, 'systolic_requant.sv'), join(TB_DIR, 'requant_tb.sv')],
      params: { RoundingMode: 0 },
    });
    const out = simulate(exe, dir, 'self', v, false);
    assert.equal(checkResults(out, v, 'single').mismatches.length, 0);
    // Corrupt q of vector 4 (the last two hex digits of line 5) and expect exactly that report.
    const lines = readFileSync(out, 'utf8').split('\n');
    const line = lines[4] as string;
    const q = parseInt(line.slice(22, 24), 16);
    lines[4] = line.slice(0, 22) + ((q ^ 1) & 0xff).toString(16).padStart(2, '0');
    writeFileSync(out, lines.join('\n'));
    const { mismatches } = checkResults(out, v, 'single');
    assert.equal(mismatches.length, 1);
    assert.equal(mismatches[0]?.index, 4);
    assert.equal(mismatches[0]?.field, 'q');
  });
});
