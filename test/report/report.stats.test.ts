/**
 * Report sections derived from hw-sim's statistics of a real run, and the confusion matrix.
 */
import assert from 'node:assert/strict';
import { ShapeError } from '../../quant/errors.ts';
import { Rng } from '../../quant/random.ts';
import { randomModel } from '../../quant/format/random-model.ts';
import { arrayConfig, runNetwork } from '../../hw-sim/index.ts';
import { confusionMatrix, layerRowsFromStats, peUtilizationFromStats } from '../../report/from-stats.ts';

describe('report from hw-sim statistics', () => {
  it('per-PE useful work sums to the layers\' MACs and averages to the array\'s utilization (a real hw-sim run)', () => {
    const seed = 91;
    const rng = new Rng(seed);
    for (let trial = 0; trial < 4; trial++) {
      const model = randomModel(rng, { activationBits: 8, weightBits: 8 });
      const cfg = arrayConfig({ rows: rng.int(2, 7), cols: rng.int(2, 7) });
      const input = Int8Array.from({ length: 2 * model.input.shape.reduce((a, x) => a * x, 1) }, () => rng.int(model.input.qmin, model.input.qmax));
      const { stats } = runNetwork(model, cfg, input, { collect: false });
      const u = peUtilizationFromStats(stats);
      const what = `seed ${seed} trial ${trial}, ${cfg.rows}x${cfg.cols}`;
      assert.equal(u.values.length, cfg.rows * cfg.cols, what);
      const busy = u.values.reduce((a, v) => a + v, 0) * stats.total.cycles;
      assert.ok(Math.abs(busy - stats.total.macs) < 1e-6 * stats.total.macs, `${what}: ${busy} vs ${stats.total.macs} MACs`);
      assert.ok(Math.abs(u.values.reduce((a, v) => a + v, 0) / u.values.length - stats.total.utilization) < 1e-9, what);
      const rows = layerRowsFromStats(stats);
      assert.deepEqual(rows.map((r) => r.name), stats.layers.filter((l) => l.onArray).map((l) => l.layer), what);
      for (const r of rows) assert.equal((r.fillCycles ?? 0) + (r.drainCycles ?? 0) + (r.stallCycles ?? 0) <= r.cycles, true, what);
    }
  });

  it('gives each PE the tiles that reach it: K = 5, N = 3 on a 4x4 array', () => {
    const layer = { layer: 'd', type: 'dense', onArray: true, m: 1, k: 5, n: 3, images: 2, cycles: 100 } as const;
    const u = peUtilizationFromStats({ array: { rows: 4, cols: 4 }, layers: [layer] } as never);
    // Row 0 sees both K-tiles (k = 0 and 4), rows 1..3 one; column 3 is padding (N = 3).
    const want = [4, 4, 4, 0, 2, 2, 2, 0, 2, 2, 2, 0, 2, 2, 2, 0].map((b) => b / 100);
    assert.deepEqual(u.values, want);
  });

  it('counts predictions against labels, and refuses a class outside the list', () => {
    const c = confusionMatrix([0, 1, 1, 2], [0, 1, 2, 2], ['a', 'b', 'c']);
    assert.deepEqual(c.matrix, [[1, 0, 0], [0, 1, 1], [0, 0, 1]]);
    assert.throws(() => confusionMatrix([0, 3], [0, 0], ['a', 'b', 'c']), ShapeError);
    assert.throws(() => confusionMatrix([0], [0, 1], ['a']), /2 predictions for 1 labels/);
  });
});
