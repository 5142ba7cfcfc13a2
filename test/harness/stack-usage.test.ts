/**
 * The C ABI runs a model on the caller's thread only when its measured frames fit in koffi's call stacks
 * (harness/build/stackUsage.ts, harness/sim/verilatedSim.ts runsInline); otherwise every call goes to the model's own
 * thread. Both ways must give the same cycles.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { FRAMES_SUMMED, stackBound } from '../../harness/build/stackUsage.ts';
import { STACK_MARGIN, openRtlSim, runsInline } from '../../harness/sim/verilatedSim.ts';
import { ArraySim, arrayConfig } from '../../hw-sim/index.ts';
import { Rng } from '../../quant/random.ts';
import { buildArray, randomProgram } from './helpers.ts';

describe('harness: the model on the caller\'s stack (-fstack-usage)', () => {
  it('bounds a call by its largest frames, and gives no bound for an unbounded frame', () => {
    const su = (bytes: number[], kind = 'static') => bytes.map((b, i) => `Vdut.cpp:${i + 1}:6:void f${i}()\t${b}\t${kind}`).join('\n');
    assert.equal(stackBound([su([16, 4096, 32]), su([288], 'dynamic,bounded')]), 16 + 4096 + 32 + 288);
    const many = Array.from({ length: FRAMES_SUMMED + 5 }, (_, i) => 100 + i);
    const largest = [...many].sort((a, b) => b - a).slice(0, FRAMES_SUMMED);
    assert.equal(stackBound([su(many)]), largest.reduce((s, b) => s + b, 0));
    assert.equal(stackBound([su([16]), su([64], 'dynamic')]), null, 'an alloca: no bound');
    assert.equal(stackBound(['not a stack-usage line']), null, 'a line it cannot read: no bound');
    assert.equal(stackBound([]), 0);
  });

  it('runs a build inline only when its bound and the margin fit in the stack', () => {
    assert.equal(runsInline({ stackBytes: 4096 }, 16 << 20), true);
    assert.equal(runsInline({ stackBytes: (16 << 20) - STACK_MARGIN }, 16 << 20), true);
    assert.equal(runsInline({ stackBytes: (16 << 20) - STACK_MARGIN + 1 }, 16 << 20), false);
    assert.equal(runsInline({ stackBytes: null }, 16 << 20), false);
    assert.equal(runsInline({}, 16 << 20), false, 'a build cached before the measurement');
  });

  it('the 4x4 build is measured and runs inline, and gives the same cycles as on its own thread and as hw-sim', async () => {
    const build = await buildArray(4, 4);
    assert.ok(typeof build.stackBytes === 'number' && build.stackBytes > 0 && build.stackBytes < STACK_MARGIN, `stackBytes ${build.stackBytes}`);
    const cfg = arrayConfig({ rows: 4, cols: 4, accDepth: build.geometry.accDepth, roundingModes: build.roundingModes });
    const p = randomProgram(cfg, new Rng(17), 40, 12, 9);
    const outputs: Int32Array[] = [];
    for (const b of [build, { ...build, stackBytes: null }]) {
      const sim = openRtlSim(b);
      try {
        assert.equal((sim as unknown as { inline: boolean }).inline, b.stackBytes !== null);
        sim.reset();
        const out = new Int32Array(p.nCycles * build.geometry.outWords);
        const half = Math.floor(p.nCycles / 2);
        sim.run(half, p.beats, out); // a sync call, then an async one (koffi's main thread, then its worker)
        await sim.runAsync(p.nCycles - half, p.beats.subarray(half * build.geometry.inWords), out.subarray(half * build.geometry.outWords));
        outputs.push(out);
      } finally {
        sim.close();
      }
    }
    const ref = new ArraySim(cfg);
    ref.reset();
    const expected = new Int32Array(p.nCycles * build.geometry.outWords);
    ref.run(p.nCycles, p.beats, expected);
    assert.deepEqual(outputs[0], expected, 'inline: RTL against hw-sim');
    assert.deepEqual(outputs[1], expected, "on the model's thread: RTL against hw-sim");
  });
});
