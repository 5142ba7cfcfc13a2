import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkTrainFlags, ensureTrainedModel, readSummary, trainModel } from '../../model/index.ts';
import { readModel } from '../../quant/format/index.ts';
import type { QuantModel } from '../../quant/format/types.ts';
import { UsageError } from '../../quant/errors.ts';

function macTensors(m: QuantModel): number[][] {
  return m.layers.flatMap((l) => (l.type === 'dense' || l.type === 'conv2d' ? [Array.from(l.weights), Array.from(l.bias), Array.from(l.multiplier), Array.from(l.shift)] : []));
}

describe('model: a short seeded training run', function () {
  this.timeout(300000);
  const quick = { dataset: 'mnist', weightBits: 8, activationBits: 8, floatEpochs: 1, qatEpochs: 1, roundingMode: 'single', trainLimit: 3200, testLimit: 1000, validateEachEpoch: false } as const;

  it('tfc W8A8: passes a fixed accuracy bound and reproduces identical parameters from the same seed', async () => {
    const a = await trainModel({ ...quick, network: 'tfc', seed: 7 });
    const b = await trainModel({ ...quick, network: 'tfc', seed: 7 });
    const s = a.summary;
    assert.ok(s.accuracy.float >= 0.78, `float accuracy ${s.accuracy.float}`);
    assert.ok(s.accuracy.integer >= 0.78, `integer accuracy ${s.accuracy.integer}`);
    assert.ok(s.agreement.passed, JSON.stringify(s.agreement));
    assert.equal(s.curves.float.length, 1);
    assert.equal(s.curves.qat.length, 1);
    assert.deepEqual(macTensors(a.model), macTensors(b.model));
    assert.deepEqual(a.summary.accuracy, b.summary.accuracy);
    const c = await trainModel({ ...quick, network: 'tfc', seed: 8 });
    assert.notDeepEqual(macTensors(a.model), macTensors(c.model));
  });

  it('the final float and QAT accuracies, taken from the last epoch\'s test evaluation, equal fresh evaluations', async () => {
    const o = { ...quick, network: 'tfc', seed: 9, floatEpochs: 2, qatEpochs: 2, trainLimit: 1280, testLimit: 600 } as const;
    const fresh = await trainModel(o);
    const reused = await trainModel({ ...o, validateEachEpoch: true });
    const s = reused.summary;
    assert.deepEqual(s.accuracy, fresh.summary.accuracy, 'the same four accuracies with and without per-epoch evaluation');
    assert.deepEqual(s.agreement, fresh.summary.agreement, 'the same argmax agreement: the QAT predictions are the same');
    assert.deepEqual(macTensors(reused.model), macTensors(fresh.model), 'per-epoch evaluation leaves the training alone');
    assert.equal(s.curves.float.length, 2);
    assert.equal(s.accuracy.float, s.curves.float[1]?.valAccuracy);
    assert.equal(s.accuracy.qat, s.curves.qat[1]?.valAccuracy);
    for (const c of [s.curves.float, s.curves.qat]) assert.notEqual(c[0]?.valAccuracy, c[1]?.valAccuracy, 'the epochs differ, so the wrong one would show');
  });

  it('cnn W4A8: the conv path is deterministic too, and QAT keeps integer and fake-quant together', async () => {
    const o = { ...quick, network: 'cnn', weightBits: 4, seed: 3, trainLimit: 1280, testLimit: 300 } as const;
    const a = await trainModel(o);
    const b = await trainModel(o);
    assert.deepEqual(macTensors(a.model), macTensors(b.model));
    assert.ok(a.summary.accuracy.integer >= 0.5, `integer accuracy ${a.summary.accuracy.integer}`);
    assert.ok(a.summary.agreement.argmax >= 0.995, JSON.stringify(a.summary.agreement));
    for (const l of a.model.layers) if (l.type === 'conv2d' || l.type === 'dense') assert.ok(l.weights.every((w) => w >= -7 && w <= 7));
    assert.equal(a.summary.hyperparameters.activationQuant, 'minmax', 'observers above 4 activation bits');
    // 4-bit activations take learned steps by default, on conv outputs too
    const c = await trainModel({ ...o, activationBits: 4 });
    assert.equal(c.summary.hyperparameters.activationQuant, 'lsq');
    assert.equal(c.summary.learnedSteps?.filter((x) => x !== null).length, 2, 'both ReLU conv layers learn a step');
    assert.ok(c.summary.agreement.argmax >= 0.995, JSON.stringify(c.summary.agreement));
    assert.ok(c.summary.accuracy.integer >= 0.5, `integer accuracy ${c.summary.accuracy.integer}`);
  });

  it('tfc W2A2 with learned activation steps (LSQ): deterministic, steps learned and exported, integer = fake-quant', async () => {
    const o = { ...quick, network: 'tfc', weightBits: 2, activationBits: 2, seed: 4, activationQuant: 'lsq', weightClipping: 'mse' } as const;
    const a = await trainModel(o);
    const b = await trainModel(o);
    assert.deepEqual(macTensors(a.model), macTensors(b.model));
    const steps = a.summary.learnedSteps;
    assert.ok(steps, 'summary.learnedSteps');
    assert.equal(steps.length, 4);
    assert.equal(steps[3], null, 'the logits keep their observer');
    const macs = a.model.layers.filter((l) => l.type === 'dense');
    for (let i = 0; i < 3; i++) {
      const out = (macs[i] as (typeof macs)[number] & { type: 'dense' }).output;
      assert.equal(out.scale, steps[i], `layer ${i}: the exported output scale is the learned step`);
      assert.equal(out.zeroPoint, out.qmin, `layer ${i}: real 0 is code qmin`);
      assert.deepEqual([out.qmin, out.qmax], [-2, 1]);
    }
    const c = await trainModel({ ...o, qatEpochs: 0 });
    assert.notDeepEqual(c.summary.learnedSteps, steps, 'one QAT epoch moves the steps away from their calibration values');
    assert.ok(a.summary.agreement.passed, JSON.stringify(a.summary.agreement));
    assert.equal(a.summary.accuracy.integer, a.summary.accuracy.qat);
    assert.ok(a.summary.accuracy.integer >= 0.75, `integer accuracy ${a.summary.accuracy.integer}`);
    assert.ok(a.summary.accuracy.integer > a.summary.accuracy.ptq + 0.05, `QAT ${a.summary.accuracy.integer} vs PTQ ${a.summary.accuracy.ptq}`);
  });

  it('ensureTrainedModel trains once, then reuses the cache entry; bad flags fail before anything is written', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'int8cosim-cache-'));
    try {
      const o = { ...quick, network: 'tfc', seed: 5, trainLimit: 1000, testLimit: 500, cacheDir } as const;
      const first = await ensureTrainedModel(o);
      assert.equal(first.cached, false);
      assert.ok(existsSync(join(first.modelDir, 'manifest.json')));
      assert.deepEqual(readSummary(first.modelDir).accuracy, first.summary.accuracy);
      const model = readModel(first.modelDir);
      assert.equal(model.layers.length, 5);
      assert.equal(model.roundingMode, 'single', 'a cached export names the nominal mode: every --rounding runs the same integers');
      const second = await ensureTrainedModel(o);
      assert.equal(second.cached, true);
      assert.equal(second.modelDir, first.modelDir);
      assert.equal(readFileSync(join(second.modelDir, 'manifest.json'), 'utf8'), readFileSync(join(first.modelDir, 'manifest.json'), 'utf8'));
      const other = await ensureTrainedModel({ ...o, seed: 6, qatEpochs: 0 });
      assert.notEqual(other.modelDir, first.modelDir);
      assert.deepEqual(readdirSync(cacheDir).sort(), [first.modelDir, other.modelDir].map((d) => d.slice(cacheDir.length + 1)).sort(), 'no temporary folder left behind');
      for (const bad of [{ weightBits: 9 }, { activationBits: 1 }, { dataset: 'cifar' }, { network: 'resnet' }, { floatEpochs: 0 }]) {
        await assert.rejects(ensureTrainedModel({ ...o, ...bad } as typeof o), UsageError, JSON.stringify(bad));
      }
      assert.equal(readdirSync(cacheDir).length, 2);
      assert.throws(() => checkTrainFlags({ ...o, roundingMode: 'up' as 'single' }), UsageError, 'the train command still checks --rounding');
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});
