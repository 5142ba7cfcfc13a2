/** cli/check: validates a model directory and summarizes it; a bad model is a FormatError naming file and field. */
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, summarize } from '../../cli/check.ts';
import { FormatError, UsageError } from '../../quant/errors.ts';
import { randomModel, writeModel } from '../../quant/format/index.ts';
import { Rng } from '../../quant/random.ts';
import { suiteTempDir } from './helpers.ts';

describe('cli/check', () => {
  const root = suiteTempDir('int8cosim-check-');

  async function output(argv: string[]): Promise<string> {
    const lines: string[] = [];
    const log = console.log;
    console.log = (...xs: unknown[]) => void lines.push(xs.join(' '));
    try {
      await run(argv);
    } finally {
      console.log = log;
    }
    return lines.join('\n');
  }

  it('prints OK and one line per layer with its MACs', async () => {
    const model = randomModel(new Rng(4), { layers: ['conv2d', 'maxpool2d', 'dense'] });
    const dir = join(root(), 'good');
    writeModel(dir, model);
    const text = await output([dir]);
    assert.match(text, /: OK, model 'random-4'/);
    assert.equal(text.split('\n').length, 2 + model.layers.length);
    const macs = summarize(model).reduce((s, l) => s + l.macs, 0);
    assert.ok(macs > 0);
    assert.match(text, new RegExp(`total ${macs} MACs per image`));
    const json = JSON.parse(await output([dir, '--json'])) as { layers: unknown[] };
    assert.equal(json.layers.length, model.layers.length);
  });

  it('rejects a bad model with the FormatError of the reader, and bad usage with a UsageError', async () => {
    const dir = join(root(), 'bad');
    writeModel(dir, randomModel(new Rng(5)));
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { version: number };
    m.version = 9;
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(m));
    await assert.rejects(run([dir]), (e: unknown) => e instanceof FormatError && /manifest\.json: version: expected an integer in \[1, 2\], got 9/.test(e.message));
    await assert.rejects(run([]), UsageError);
    await assert.rejects(run(['a', 'b']), UsageError);
  });
});
