import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../../quant/errors.ts';
import { Rng } from '../../quant/random.ts';
import { randomModel } from '../../quant/format/random-model.ts';
import { writeModel } from '../../quant/format/write.ts';
import { run } from '../../cli/sim.ts';
import { writeTflite } from '../../model/tflite/index.ts';
import { allOpsGraph } from '../model/tflite/op-graphs.ts';

describe('int8cosim sim', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hwsim-cli-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('runs a model, checks it against the golden model and writes statistics whose cycles equal the formula', async () => {
    const model = randomModel(new Rng(9), { inputShape: [28, 28, 1], layers: ['conv2d', 'maxpool2d', 'dense'], classes: 10, maxChannels: 4 });
    model.meta = { ...model.meta, dataset: 'mnist' };
    writeModel(join(dir, 'm'), model);
    const out = join(dir, 'stats.json');
    const log: string[] = [];
    const orig = console.log;
    console.log = (...a: unknown[]) => void log.push(a.join(' '));
    try {
      await run(['--model', join(dir, 'm'), '--rows', '4', '--cols', '5', '--images', '2', '--out', out]);
    } finally {
      console.log = orig;
    }
    const s = JSON.parse(readFileSync(out, 'utf8')) as { images: number; array: { rows: number; cols: number }; total: { cycles: number; formulaCycles: number }; layers: { layer: string; type: string; onArray: boolean }[]; goldenMatch: boolean };
    assert.equal(s.images, 2);
    assert.deepEqual([s.array.rows, s.array.cols], [4, 5]);
    assert.equal(s.total.cycles, s.total.formulaCycles);
    assert.ok(s.total.cycles > 0);
    assert.deepEqual(s.layers.map((l) => l.type), ['conv2d', 'maxpool2d', 'flatten', 'dense']);
    assert.deepEqual(s.layers.map((l) => l.onArray), [true, false, false, true]);
    assert.ok(log.some((l) => /bit-identical to the golden model/.test(l)), log.join('\n'));
    assert.match(log.join('\n'), /^conv2d_0 +conv2d +\d+x\d+x\d+ +\d+ /m);
  });

  it('takes a .tflite model: every layer of the imported graph (depthwise, residual ADD, pools, softmax) on the array or beside it, in its TFLite arithmetic', async () => {
    const file = join(dir, 'all-ops.tflite');
    writeFileSync(file, writeTflite(allOpsGraph(4)));
    const out = join(dir, 'tflite.json');
    const log: string[] = [];
    const orig = console.log;
    console.log = (...a: unknown[]) => void log.push(a.join(' '));
    try {
      await run(['--model', file, '--rows', '4', '--cols', '4', '--images', '2', '--out', out]);
    } finally {
      console.log = orig;
    }
    const s = JSON.parse(readFileSync(out, 'utf8')) as { layers: { type: string; onArray: boolean }[] };
    assert.deepEqual(s.layers.map((l) => `${l.type}${l.onArray ? '@array' : ''}`), ['conv2d@array', 'depthwise2d@array', 'conv2d@array', 'add', 'maxpool2d', 'avgpool2d', 'reshape', 'dense@array', 'softmax']);
    assert.match(log.join('\n'), /the model in tflite-runtime/);
    assert.ok(log.some((l) => /bit-identical to the golden model/.test(l)), log.join('\n'));
    await assert.rejects(run(['--model', file, '--rounding', 'ruy']), /--rounding is for trained models/);
  });

  it('rejects bad flags as usage errors', async () => {
    await assert.rejects(run([]), UsageError);
    await assert.rejects(run(['--model', dir, '--bogus']), UsageError);
  });
});
