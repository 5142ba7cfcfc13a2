/**
 * The second simulator: the same regression beat stream (random GEMMs, corner cases, raw streams, idle-port noise,
 * a small network) through Icarus Verilog (rtl/tb/beat_tb.sv under vvp), through Verilator (the harness's deep
 * build) and through hw-sim, compared cycle by cycle: every output word and every PE register.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ArraySim, inWords, outWords, regWordName, regWords, outWordNames, type ArrayConfig } from '../../hw-sim/index.ts';
import { loadRtlConfig } from '../../harness/config/rtlConfig.ts';
import { regressionStream } from '../../verify/coverage/coverage.ts';
import { buildFor } from '../../verify/runner.ts';
import { openRtlSim } from '../../harness/sim/verilatedSim.ts';
import { TB_DIR, hexWords, icarusBuild, readHexLines, rtlFiles, run, scratchDir } from '../rtl/sim-tools.ts';

const CFG: ArrayConfig = { rows: 3, cols: 5, accDepth: 8, roundingModes: ['single', 'double', 'ruy'] };

function words(file: string): Int32Array {
  return Int32Array.from(readHexLines(file), (l) => parseInt(l, 16) | 0);
}

describe('verify: Icarus Verilog vs Verilator vs hw-sim on the regression stimulus', function () {
  this.timeout(600_000);

  it(`3x5, AccDepth 8, every rounding mode (each case's own): every output and PE register agrees in every cycle`, async () => {
    // regression seeds until the stream is ~1500 cycles long (beat_tb holds at most 4096)
    let seeds = 1;
    let beats = regressionStream(CFG, [1]);
    const iw = inWords(CFG);
    while (beats.length / iw < 1500) beats = regressionStream(CFG, Array.from({ length: ++seeds }, (_, i) => i + 1));
    const n = beats.length / iw;
    assert.ok(n <= 4096, `${n} cycles fit beat_tb`);
    const ow = outWords(CFG);
    const rw = regWords(CFG);

    // Icarus: registers are sampled before each edge, outputs as the harness samples them
    const vvp = icarusBuild({
      top: 'beat_tb',
      files: [...rtlFiles(), join(TB_DIR, 'beat_tb.sv')],
      params: { Rows: CFG.rows, Cols: CFG.cols, AccDepth: CFG.accDepth, RoundingModes: 7, MaxCycles: 4096 },
    });
    const dir = scratchDir('regress-icarus');
    writeFileSync(join(dir, 'in.hex'), hexWords(beats));
    run('vvp', ['-n', vvp, `+in=${join(dir, 'in.hex')}`, `+out=${join(dir, 'out.hex')}`, `+regs=${join(dir, 'regs.hex')}`, `+cycles=${n}`], dir, 'beat_tb (Icarus)');
    const ivOut = words(join(dir, 'out.hex'));
    const ivRegs = words(join(dir, 'regs.hex'));

    // Verilator through the harness (deep build: registers read after each edge)
    const build = await buildFor({ config: loadRtlConfig(), deep: true }, CFG);
    const sim = openRtlSim(build);
    const vlOut = new Int32Array(n * ow);
    const vlRegs = new Int32Array(n * rw);
    try {
      sim.reset();
      sim.run(n, beats, vlOut, vlRegs);
    } finally {
      sim.close();
    }

    // hw-sim
    const ref = new ArraySim(CFG);
    ref.reset();
    const hwOut = new Int32Array(n * ow);
    const hwRegs = new Int32Array(n * rw);
    for (let t = 0; t < n; t++) {
      ref.step(beats, t * iw, hwOut, t * ow);
      ref.readRegisters(hwRegs, t * rw);
    }

    const outNames = outWordNames(CFG);
    let validRows = 0;
    for (let t = 0; t < n; t++) {
      validRows += hwOut[t * ow] as number;
      for (let i = 0; i < ow; i++) {
        const [h, v, iv] = [hwOut[t * ow + i], vlOut[t * ow + i], ivOut[t * ow + i]];
        if (h !== v || h !== iv) assert.fail(`cycle ${t}, ${outNames[i]}: hw-sim ${h}, Verilator ${v}, Icarus ${iv} (${seeds} regression seeds)`);
      }
      if (t + 1 < n) {
        for (let i = 0; i < rw; i++) {
          const [h, v, iv] = [hwRegs[t * rw + i], vlRegs[t * rw + i], ivRegs[(t + 1) * rw + i]];
          if (h !== v || h !== iv) assert.fail(`after cycle ${t}, ${regWordName(CFG, i)}: hw-sim ${h}, Verilator ${v}, Icarus ${iv}`);
        }
      }
    }
    assert.ok(validRows > 100, `${validRows} output rows compared`);
    console.log(`      ${n} cycles of ${seeds} regression cases, ${validRows} output rows, ${n * (ow + rw)} words compared three ways`);
  });
});
