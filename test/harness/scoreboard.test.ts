import assert from 'node:assert/strict';
import { geometryOf } from '../../harness/build/ports.ts';
import { Scoreboard } from '../../harness/lockstep/scoreboard.ts';
import { ArraySim, arrayConfig, outWords } from '../../hw-sim/index.ts';
import { Rng } from '../../quant/random.ts';
import { ShapeError } from '../../quant/errors.ts';
import { randomProgram } from './helpers.ts';

describe('harness scoreboard: raw beat streams an RTL ran elsewhere', () => {
  const cfg = arrayConfig({ rows: 3, cols: 5, accDepth: 8 });
  const g = geometryOf(3, 5, 3);
  const p = randomProgram(cfg, new Rng(5), 9, 7, 6);
  const want = (): Int32Array => {
    const sim = new ArraySim(cfg);
    sim.reset();
    const out = new Int32Array(p.nCycles * outWords(cfg));
    sim.run(p.nCycles, p.beats, out);
    return out;
  };

  it("finds nothing when the outputs are hw-sim's own, over several chunks", () => {
    const board = new Scoreboard(cfg, g, false, 16);
    assert.equal(board.checkStream(p.beats, p.nCycles, want(), 'stream'), undefined);
    assert.equal(board.checkStream(p.beats, p.nCycles, want(), 'again, from reset'), undefined);
  });

  it('names the first differing word: its cycle, port, values, and no tile (no program)', () => {
    const ow = outWords(cfg);
    const got = want();
    const t = p.nCycles - 3; // in the last chunk
    got[t * ow + 2] = (got[t * ow + 2] as number) ^ 4;
    const v = new Scoreboard(cfg, g, false, 16).checkStream(p.beats, p.nCycles, got, 'coverage 3x5');
    assert.ok(v !== undefined, 'a flipped bit went unnoticed');
    assert.equal(v.first.cycle, t);
    assert.equal(v.first.kind, 'port');
    assert.equal(v.first.tile, '-');
    assert.equal(v.first.layer, 'raw stream');
    assert.equal(v.first.context, 'coverage 3x5');
    assert.equal(v.first.actual, (v.first.expected as number) ^ 4);
    assert.equal(v.count, 1);
  });

  it('refuses outputs of the wrong length, and a deep scoreboard', () => {
    assert.throws(() => new Scoreboard(cfg, g, false, 16).checkStream(p.beats, p.nCycles, new Int32Array(5), 's'), ShapeError);
    assert.throws(() => new Scoreboard(cfg, g, true, 16).checkStream(p.beats, p.nCycles, want(), 's'), ShapeError);
  });
});
