/**
 * examples/mesh_array: RTL that is not rtl/ (another top, hierarchy, module and register names, an include
 * directory, a define) goes through the harness exactly as a user's own would: built from its config, in lockstep
 * with hw-sim on random GEMMs and on a network over real MNIST test images; without its define it does not build;
 * its non-conforming variant is refused with every port problem in one error. The commands (cosim in port and deep
 * mode, regress, coverage) are run on it in mesh-array-cli.test.ts.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRtlConfig } from '../../harness/config/rtlConfig.ts';
import { buildRtl, type RtlBuild } from '../../harness/build/buildRtl.ts';
import { openRtlSim } from '../../harness/sim/verilatedSim.ts';
import { Lockstep } from '../../harness/lockstep/lockstep.ts';
import { runNetworkLockstep } from '../../harness/network/runNetworkLockstep.ts';
import { loadDataset } from '../../model/index.ts';
import { BuildError } from '../../quant/errors.ts';
import { randomModel } from '../../quant/format/random-model.ts';
import { quantizeImage } from '../../quant/golden/image.ts';
import { runGolden } from '../../quant/golden/run.ts';
import { Rng } from '../../quant/random.ts';
import { randomProgram } from '../harness/helpers.ts';

const EXAMPLE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'mesh_array');
const MESH_CONFIG = join(EXAMPLE, 'cosim.json');
const BROKEN_CONFIG = join(EXAMPLE, 'broken', 'cosim.json');

/** A build of the example at one size and accumulator read style (the define MESH_ACC_READ). */
function buildMesh(rows: number, cols: number, accDepth: number, mode: 'single' | 'double', read: 0 | 1): Promise<RtlBuild> {
  return buildRtl({
    config: loadRtlConfig(MESH_CONFIG),
    parameters: { Rows: rows, Cols: cols, AccDepth: accDepth, RoundingMode: mode === 'single' ? 0 : 1 },
    defines: { MESH_ACC_READ: String(read) },
  });
}

describe('examples/mesh_array: bring your own RTL', function () {
  this.timeout(600_000); // a cold cache builds the models first

  it('the config is another top, with several files, an include directory and a define', function () {
    const c = loadRtlConfig(MESH_CONFIG);
    assert.equal(c.top, 'mesh_array_top');
    assert.ok(c.files.length >= 5, `${c.files.length} files`);
    assert.deepEqual(c.includeDirs, [join(EXAMPLE, 'include')]);
    assert.deepEqual(c.defines, { MESH_ACC_READ: '1' });
    assert.deepEqual(c.parameters, { Rows: 8, Cols: 8, AccDepth: 1024, RoundingMode: 0 });
  });

  // Lint as a user of the example runs it (its README): no warning at all, at the palette's corners of size.
  it('verilator --lint-only -Wall is clean from 2x2 AccDepth 2 to 32x2, 2x32 and 16x16 AccDepth 4096, both rounding modes and read styles; out-of-range parameters are refused', function () {
    const config = loadRtlConfig(MESH_CONFIG);
    const lint = (params: Record<string, number>, read: number): { status: number | null; out: string } => {
      const args = ['--lint-only', '-Wall', '--top-module', config.top, ...config.includeDirs.map((d) => `-I${d}`), `+define+MESH_ACC_READ=${read}`,
        ...Object.entries(params).map(([k, v]) => `-G${k}=${v}`), ...config.files];
      const r = spawnSync('verilator', args, { encoding: 'utf8' });
      assert.equal(r.error, undefined, 'verilator is not installed: sudo apt-get install -y verilator');
      return { status: r.status, out: `${r.stdout}${r.stderr}` };
    };
    for (const [rows, cols, depth] of [[2, 2, 2], [3, 5, 8], [32, 2, 16], [2, 32, 4], [16, 16, 4096]] as const) { // 32x32 is clean too, but lints in 5 s a run
      for (const mode of [0, 1]) {
        for (const read of [0, 1]) {
          const r = lint({ Rows: rows, Cols: cols, AccDepth: depth, RoundingMode: mode }, read);
          assert.equal(r.status, 0, r.out);
          assert.equal(r.out.trim(), '', `${rows}x${cols} D${depth} mode ${mode} read ${read}: no warning at all`);
        }
      }
    }
    for (const [params, msg] of [
      [{ Rows: 33 }, /mesh_array_top: Rows must be in \[2, 32\]/],
      [{ Cols: 1 }, /mesh_array_top: Cols must be in \[2, 32\]/],
      [{ AccDepth: 12 }, /mesh_array_top: AccDepth must be a power of two in \[2, 4096\]/],
      [{ RoundingMode: 2 }, /mesh_array_top: RoundingMode must be 0 \(single\) or 1 \(double\)/],
    ] as const) {
      const r = lint(params, 1);
      assert.notEqual(r.status, 0, `${JSON.stringify(params)} must not pass lint`);
      assert.match(r.out, msg);
    }
    const bad = lint({}, 2);
    assert.match(bad.out, /the define MESH_ACC_READ must be 0 \(combinational\) or 1 \(synchronous\)/);
  });

  // Both accumulator read styles (the define), non-square shapes, both rounding modes: RTL = hw-sim every cycle.
  const shapes: Array<[number, number, number, 'single' | 'double', 0 | 1]> = [
    [3, 5, 8, 'single', 1], // the regression's 3x5 builds (shared with the regress test below)
    [5, 2, 4, 'double', 1],
    [3, 5, 8, 'double', 0],
  ];
  for (const [rows, cols, depth, mode, read] of shapes) {
    it(`port mode: random GEMMs in lockstep with hw-sim, ${rows}x${cols} AccDepth ${depth} ${mode}, MESH_ACC_READ=${read}`, async function () {
      const build = await buildMesh(rows, cols, depth, mode, read);
      assert.equal(build.top, 'mesh_array_top');
      assert.deepEqual([build.geometry.rows, build.geometry.cols, build.geometry.accDepth], [rows, cols, depth]);
      const rtl = openRtlSim(build);
      const seed = 100 * rows + 10 * cols + read;
      const rng = new Rng(seed);
      try {
        const ls = new Lockstep(rtl, { chunk: 61 });
        ls.reset();
        let cycles = 0;
        for (let trial = 0; trial < 16; trial++) {
          // M up to 3 passes of the accumulator, K over several K-tiles, N over several N-tiles
          const p = randomProgram(ls.cfg, rng, rng.int(1, 3 * depth), rng.int(1, 3 * rows + 2), rng.int(1, 2 * cols + 3), `t${trial}`);
          const run = await ls.runProgram(p, `trial ${trial}`);
          assert.equal(run.verdict, undefined, `seed ${seed} trial ${trial}: ${JSON.stringify(run.verdict?.first)}`);
          assert.equal(run.output?.length, p.m * p.n);
          cycles += p.nCycles;
        }
        assert.equal(ls.cycle, cycles);
      } finally {
        rtl.close();
      }
    });
  }

  it('port mode: conv-pool-conv-pool-dense over MNIST test images at the config size (8x8, AccDepth 1024): RTL = hw-sim every cycle, outputs = golden', async function () {
    const seed = 21;
    const model = randomModel(new Rng(seed), {
      layers: ['conv2d', 'maxpool2d', 'conv2d', 'maxpool2d', 'dense'],
      inputShape: [28, 28, 1], classes: 10, weightBits: 8, activationBits: 8, roundingMode: 'single', maxChannels: 12,
    });
    const data = loadDataset('mnist');
    const images = 4;
    const codes = quantizeImage(model, data.test.images.subarray(0, images * 784));
    const build = await buildRtl({ config: loadRtlConfig(MESH_CONFIG) }); // the config as it is
    const rtl = openRtlSim(build);
    try {
      const ls = new Lockstep(rtl);
      const r = await runNetworkLockstep(model, ls, codes, { batch: 3 }); // a batch of 3 and one of 1
      assert.equal(r.mismatch, undefined, `seed ${seed}: ${JSON.stringify(r.mismatch?.verdict.first)}`);
      assert.equal(r.images, images);
      assert.deepEqual(r.outputs, runGolden(model, codes, { batch: images }).output, `seed ${seed}`);
      assert.ok(r.cycles > 0 && r.stats.total.cycles === r.cycles);
    } finally {
      rtl.close();
    }
  });

  it('without its define the build stops with the define named', async function () {
    const config = loadRtlConfig(MESH_CONFIG);
    await assert.rejects(
      buildRtl({ config: { ...config, defines: {} }, parameters: { Rows: 2, Cols: 2, AccDepth: 2 } }),
      (e: Error) => e instanceof BuildError && /Define or directive not defined: '`MESH_ACC_READ'/.test(e.message),
    );
  });

  it('the non-conforming variant (a port renamed, one too narrow, one left out) fails with every problem in one error', async function () {
    let error: Error | undefined;
    try {
      await buildRtl({ config: loadRtlConfig(BROKEN_CONFIG) });
    } catch (e) {
      error = e as Error;
    }
    assert.ok(error instanceof BuildError, `expected a BuildError, got ${error}`);
    const m = error.message;
    assert.match(m, /^top module 'mesh_array_broken' does not match the port contract of docs\/ARCHITECTURE.md section 3 \(4 problems\):/);
    assert.match(m, /\n {2}missing input a_addr_i \[clog2\(AccDepth\) = 4 bits\]/);
    assert.match(m, /\n {2}p_shift_i is 6 bits, expected 8\n/);
    assert.match(m, /\n {2}missing output o_acc_o \[32\*Cols = 128 bits\]/);
    assert.match(m, /\n {2}extra input\(s\) a_row_i that the harness cannot drive/);
  });
});
