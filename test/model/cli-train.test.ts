import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../cli/train.ts';
import { importTflite } from '../../model/tflite/import-tflite.ts';
import { readModel } from '../../quant/format/read.ts';
import { UsageError } from '../../quant/errors.ts';
import { suiteTempDir } from '../cli/helpers.ts';

function quiet<T>(f: () => Promise<T>): Promise<T> {
  const log = console.log;
  const err = console.error;
  console.log = () => {};
  console.error = () => {};
  return f().finally(() => {
    console.log = log;
    console.error = err;
  });
}

function files(dir: string, sub = ''): string[] {
  return readdirSync(join(dir, sub), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(dir, join(sub, e.name)) : [join(sub, e.name)])).sort();
}

describe('cli/train', function () {
  this.timeout(300000);
  const dir = suiteTempDir('int8cosim-cli-');

  const quick = ['--network', 'tfc', '--train-limit', '1280', '--test-limit', '300', '--float-epochs', '1', '--qat-epochs', '1', '--seed', '4'];

  it('bad input gives one clear UsageError and writes nothing', async () => {
    const out = join(dir(), 'bad');
    const file = join(dir(), 'a-file');
    writeFileSync(file, 'x');
    const notEmpty = join(dir(), 'not-empty');
    rmSync(notEmpty, { recursive: true, force: true });
    for (const [args, re] of [
      [['--dataset', 'cifar'], /unknown dataset 'cifar'/],
      [['--network', 'resnet'], /unknown network 'resnet'/],
      [['--wbits', '9'], /weight bits must be an integer in \[2, 8\], got 9/],
      [['--abits', '1'], /activation bits must be an integer in \[2, 8\], got 1/],
      [['--abits', 'x'], /--abits expects a number/],
      [['--rounding', 'up'], /rounding mode/],
      [['--float-epochs', '0'], /float epochs must be an integer in \[1, 1000\], got 0/],
      [['--frobnicate'], /Unknown option '--frobnicate'/],
      [['--act-quant', 'pact'], /--act-quant expects minmax or lsq, got 'pact'/],
      [['--weight-clipping', 'p99'], /--weight-clipping expects max or mse/],
      [['--tflite', join(dir(), 'model.onnx')], /--tflite expects a file name ending in .tflite/],
      [['--tflite', join(dir(), 'no-such-folder', 'model.tflite')], /the folder .* does not exist/],
    ] as const) {
      await assert.rejects(quiet(() => run([...quick, ...args, '--out', out])), (e: Error) => e instanceof UsageError && re.test(e.message), args.join(' '));
    }
    await assert.rejects(quiet(() => run([...quick, '--out', join(file, 'sub')])), UsageError);
    await assert.rejects(quiet(() => run([...quick, '--out', file])), /not a folder/);
    await assert.rejects(quiet(() => run([...quick, '--out', '/proc/int8cosim-nope/model'])), /not writable/);
    if (process.getuid?.() !== 0) {
      const locked = join(dir(), 'locked');
      rmSync(locked, { recursive: true, force: true });
      writeFileSync(join(dir(), 'tmp'), '');
      chmodSync(dir(), 0o500);
      try {
        await assert.rejects(quiet(() => run([...quick, '--out', locked])), /not writable/);
      } finally {
        chmodSync(dir(), 0o700);
      }
    }
    assert.ok(!existsSync(out));
    assert.deepEqual(readdirSync(dir()).filter((f) => f.startsWith('.')), [], 'no staging folder left behind');
  });

  it('refuses to overwrite a folder that is not an export', async () => {
    const other = join(dir(), 'precious');
    rmSync(other, { recursive: true, force: true });
    await quiet(async () => {
      const { mkdirSync } = await import('node:fs');
      mkdirSync(other);
      writeFileSync(join(other, 'thesis.tex'), 'do not delete');
    });
    await assert.rejects(quiet(() => run([...quick, '--out', other])), /not empty and holds no int8cosim model/);
    assert.equal(readFileSync(join(other, 'thesis.tex'), 'utf8'), 'do not delete');
  });

  it('exports bit-identical parameters for the same seed, with summary.json beside the manifest (and --tflite: the same .tflite bytes)', async () => {
    const a = join(dir(), 'a');
    const b = join(dir(), 'b');
    const lines: string[] = [];
    const [log, err] = [console.log, console.error];
    console.log = (m: string) => lines.push(m);
    console.error = () => {};
    try {
      await run([...quick, '--out', a, '--tflite', join(dir(), 'a.tflite')]);
    } finally {
      [console.log, console.error] = [log, err];
    }
    await quiet(() => run([...quick, '--out', b, '--tflite', join(dir(), 'b.tflite')]));
    assert.ok(readFileSync(join(dir(), 'a.tflite')).equals(readFileSync(join(dir(), 'b.tflite'))), 'the two .tflite files differ');
    const back = importTflite(join(dir(), 'a.tflite'));
    assert.deepEqual(back.layers, readModel(a).layers, 'the .tflite file imports to the exported layers');
    assert.ok(lines.some((l) => /^wrote .*a\.tflite \(\d+ bytes\): RESHAPE v1 x\d+, CONV_2D v3 x4/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /^note: the model rounds requantizer ties 'single'.*golden accuracy on 300 mnist test images: [\d.]+% \(single\), [\d.]+% \(tflite-runtime\), [\d.]+% \(tflite-reference\)$/.test(l)), lines.join('\n'));
    const fa = files(a);
    assert.ok(fa.includes('manifest.json') && fa.includes('summary.json'), fa.join(', '));
    assert.deepEqual(files(b), fa);
    for (const f of fa.filter((n) => n !== 'summary.json')) {
      assert.ok(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), `${f} differs between two runs with seed 4`);
    }
    const s = JSON.parse(readFileSync(join(a, 'summary.json'), 'utf8'));
    for (const k of ['float', 'ptq', 'qat', 'integer']) assert.ok(s.accuracy[k] > 0.5 && s.accuracy[k] <= 1, `${k}: ${s.accuracy[k]}`);
    assert.equal(s.images.test, 300);
    // a second run into the same folder replaces the earlier export
    await quiet(() => run([...quick, '--seed', '5', '--out', a]));
    assert.equal(JSON.parse(readFileSync(join(a, 'summary.json'), 'utf8')).seed, 5);
  });
});
