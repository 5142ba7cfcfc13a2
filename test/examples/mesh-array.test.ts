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
import { loadRtlConfig, type RtlConfig } from '../../harness/config/rtlConfig.ts';
import { buildRtl, type RtlBuild } from '../../harness/build/buildRtl.ts';
import { CONTRACT_INCLUDE_DIR } from '../../harness/build/verilatorFlags.ts';
import type { RtlSim } from '../../harness/sim/rtlSim.ts';
import { openRtlSim } from '../../harness/sim/verilatedSim.ts';
import { Lockstep } from '../../harness/lockstep/lockstep.ts';
import { runNetworkLockstep } from '../../harness/network/runNetworkLockstep.ts';
import { svPortDeclarations } from '../../hw-sim/contract/sv-ports.ts';
import { loadDataset } from '../../model/index.ts';
import { BuildError } from '../../quant/errors.ts';
import { randomModel } from '../../quant/format/random-model.ts';
import { quantizeImage } from '../../quant/golden/image.ts';
import { runGolden } from '../../quant/golden/run.ts';
import { Rng } from '../../quant/random.ts';
import { runRandomTrials } from '../harness/helpers.ts';
import { writeVariant } from './variant.ts';

const EXAMPLE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'mesh_array');
const MESH_CONFIG = join(EXAMPLE, 'cosim.json');

/**
 * The non-conforming variant, derived from mesh_array_top.sv by exact text edits (writeVariant: each must apply
 * exactly once, so that a change to the example cannot quietly turn this into a test of the conforming RTL): the port
 * list macro `INT8COSIM_PORTS written out in its place (hw-sim/contract's declarations), then in it a_addr_i renamed
 * to a_row_i (a missing input the harness cannot drive), p_shift_i 6 bits wide instead of 8, o_acc_o left out. Its
 * config is the example's with that file, another top and a 4x4 AccDepth 16 size.
 */
function brokenVariant(): RtlConfig {
  const ports = svPortDeclarations().map((d) => `  ${d}\n`).join('');
  const config = writeVariant(EXAMPLE, 'broken', 'mesh_array_top.sv', [
    ['module mesh_array_top #(', 'module mesh_array_broken #('],
    ['  `INT8COSIM_PORTS  // the ports of section 3 as hw-sim/contract renders them\n', ports],
    ['  input  logic [$clog2(AccDepth)-1:0] a_addr_i,\n', '  input  logic [$clog2(AccDepth)-1:0] a_row_i,\n'],
    ['  input  logic [7:0]                  p_shift_i,\n', '  input  logic [5:0]                  p_shift_i,\n'],
    [
      '  output logic [8*Cols-1:0]           o_data_o,\n  output logic [32*Cols-1:0]          o_acc_o\n);\n',
      '  output logic [8*Cols-1:0]           o_data_o\n);\n  logic [AddrW-1:0]   a_addr_i;\n  logic [32*Cols-1:0] o_acc_o;\n  assign a_addr_i = a_row_i;\n',
    ],
  ]);
  return { ...config, top: 'mesh_array_broken', parameters: { Rows: 4, Cols: 4, AccDepth: 16, RoundingModes: 7 } };
}

/** Opens a simulation of `build`, runs `body` on it and closes it, whether `body` passed or threw. */
async function withSim(build: RtlBuild, body: (rtl: RtlSim) => Promise<void>): Promise<void> {
  const rtl = openRtlSim(build);
  try {
    await body(rtl);
  } finally {
    rtl.close();
  }
}

/** A build of the example at one size, RoundingModes mask and accumulator read style (the define MESH_ACC_READ). */
function buildMesh(rows: number, cols: number, accDepth: number, modes: number, read: 0 | 1): Promise<RtlBuild> {
  return buildRtl({
    config: loadRtlConfig(MESH_CONFIG),
    parameters: { Rows: rows, Cols: cols, AccDepth: accDepth, RoundingModes: modes },
    defines: { MESH_ACC_READ: String(read) },
  });
}

describe('examples/mesh_array: bring your own RTL', function () {
  this.timeout(600_000); // a cold cache builds the models first

  it('the config is another top, with several files, an include directory and a define (the contract\'s rtl/include is the harness\'s)', function () {
    const c = loadRtlConfig(MESH_CONFIG);
    assert.equal(c.top, 'mesh_array_top');
    assert.ok(c.files.length >= 5, `${c.files.length} files`);
    assert.deepEqual(c.includeDirs, [join(EXAMPLE, 'include')]);
    assert.deepEqual(c.defines, { MESH_ACC_READ: '1' });
    assert.deepEqual(c.parameters, { Rows: 8, Cols: 8, AccDepth: 1024, RoundingModes: 7 });
  });

  // Lint as a user of the example runs it (its README): no warning at all, at the palette's corners of size.
  it('verilator --lint-only -Wall is clean from 2x2 AccDepth 2 to 32x2, 2x32 and 16x16 AccDepth 4096, each rounding datapath alone and all three, both read styles; out-of-range parameters are refused', function () {
    const config = loadRtlConfig(MESH_CONFIG);
    const lint = (params: Record<string, number>, read: number): { status: number | null; out: string } => {
      const args = ['--lint-only', '-Wall', '--top-module', config.top, ...config.includeDirs.map((d) => `-I${d}`), `-I${CONTRACT_INCLUDE_DIR}`, `+define+MESH_ACC_READ=${read}`,
        ...Object.entries(params).map(([k, v]) => `-G${k}=${v}`), ...config.files];
      const r = spawnSync('verilator', args, { encoding: 'utf8' });
      assert.equal(r.error, undefined, 'verilator is not installed: sudo apt-get install -y verilator');
      return { status: r.status, out: `${r.stdout}${r.stderr}` };
    };
    for (const [rows, cols, depth] of [[2, 2, 2], [3, 5, 8], [32, 2, 16], [2, 32, 4], [16, 16, 4096]] as const) { // 32x32 is clean too, but lints in 5 s a run
      for (const mode of [1, 2, 4, 7]) {
        for (const read of [0, 1]) {
          const r = lint({ Rows: rows, Cols: cols, AccDepth: depth, RoundingModes: mode }, read);
          assert.equal(r.status, 0, r.out);
          assert.equal(r.out.trim(), '', `${rows}x${cols} D${depth} mode ${mode} read ${read}: no warning at all`);
        }
      }
    }
    for (const [params, msg] of [
      [{ Rows: 33 }, /mesh_array_top: Rows must be in \[2, 32\]/],
      [{ Cols: 1 }, /mesh_array_top: Cols must be in \[2, 32\]/],
      [{ AccDepth: 12 }, /mesh_array_top: AccDepth must be a power of two in \[2, 4096\]/],
      [{ RoundingModes: 0 }, /mesh_array_top: RoundingModes must be a mask in 1\.\.7/],
    ] as const) {
      const r = lint(params, 1);
      assert.notEqual(r.status, 0, `${JSON.stringify(params)} must not pass lint`);
      assert.match(r.out, msg);
    }
    const bad = lint({}, 2);
    assert.match(bad.out, /the define MESH_ACC_READ must be 0 \(combinational\) or 1 \(synchronous\)/);
  });

  // Both accumulator read styles (the define), non-square shapes, every rounding mode per program (and a build of
  // double alone): RTL = hw-sim every cycle.
  const shapes: Array<[number, number, number, number, 0 | 1]> = [
    [3, 5, 8, 7, 1], // the regression's 3x5 builds (shared with the regress test below)
    [5, 2, 4, 7, 1],
    [3, 5, 8, 2, 0],
  ];
  for (const [rows, cols, depth, modes, read] of shapes) {
    it(`port mode: random GEMMs in lockstep with hw-sim, ${rows}x${cols} AccDepth ${depth} RoundingModes ${modes}, MESH_ACC_READ=${read}`, async function () {
      const build = await buildMesh(rows, cols, depth, modes, read);
      assert.equal(build.top, 'mesh_array_top');
      assert.deepEqual([build.geometry.rows, build.geometry.cols, build.geometry.accDepth], [rows, cols, depth]);
      const seed = 100 * rows + 10 * cols + read;
      const rng = new Rng(seed);
      // M up to 3 passes of the accumulator, K over several K-tiles, N over several N-tiles
      await withSim(build, (rtl) => runRandomTrials(new Lockstep(rtl, { chunk: 61 }), rng, seed, 16, () => [rng.int(1, 3 * depth), rng.int(1, 3 * rows + 2), rng.int(1, 2 * cols + 3)]));
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
    await withSim(build, async (rtl) => {
      const r = await runNetworkLockstep(model, new Lockstep(rtl), codes, { batch: 3 }); // a batch of 3 and one of 1
      assert.equal(r.mismatch, undefined, `seed ${seed}: ${JSON.stringify(r.mismatch?.verdict.first)}`);
      assert.equal(r.images, images);
      assert.deepEqual(r.outputs, runGolden(model, codes, { batch: images }).output, `seed ${seed}`);
      assert.ok(r.cycles > 0 && r.stats.total.cycles === r.cycles);
    });
  });

  it('without its define the build stops with the define named', async function () {
    const config = loadRtlConfig(MESH_CONFIG);
    await assert.rejects(
      buildRtl({ config: { ...config, defines: {} }, parameters: { Rows: 2, Cols: 2, AccDepth: 2 } }),
      (e: Error) => e instanceof BuildError && /Define or directive not defined: '`MESH_ACC_READ'/.test(e.message),
    );
  });

  it('the non-conforming variant (a port renamed, one too narrow, one left out) fails with every problem in one error', async function () {
    const config = brokenVariant(); // outside the catch: an edit that did not apply fails here
    const error = await buildRtl({ config }).then(() => undefined, (e: unknown) => e as Error);
    assert.ok(error instanceof BuildError, `expected a BuildError, got ${error}`);
    const m = error.message;
    assert.match(m, /^top module 'mesh_array_broken' does not match the port contract of docs\/ARCHITECTURE.md section 3 \(4 problems\):/);
    assert.match(m, /\n {2}missing input a_addr_i \[clog2\(AccDepth\) = 4 bits\]/);
    assert.match(m, /\n {2}p_shift_i is 6 bits, expected 8\n/);
    assert.match(m, /\n {2}missing output o_acc_o \[32\*Cols = 128 bits\]/);
    assert.match(m, /\n {2}extra input\(s\) a_row_i that the harness cannot drive/);
  });
});
