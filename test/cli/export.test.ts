import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../cli/export.ts';
import { importTflite } from '../../model/tflite/import-tflite.ts';
import { TfliteExportError } from '../../model/tflite/export-error.ts';
import { UsageError, FormatError } from '../../quant/errors.ts';
import { writeModel } from '../../quant/format/write.ts';
import type { QuantModel } from '../../quant/format/types.ts';
import { exportableModel } from '../model/tflite/exportable-model.ts';
import { suiteTempDir } from './helpers.ts';

async function output(argv: string[]): Promise<string[]> {
  const lines: string[] = [];
  const log = console.log;
  console.log = (m: string) => lines.push(m);
  try {
    await run(argv);
  } finally {
    console.log = log;
  }
  return lines;
}

describe('cli/export', function () {
  this.timeout(60000);
  const dir = suiteTempDir('int8cosim-export-');
  const mnistCnn = (seed: number, meta: Record<string, unknown>): QuantModel => {
    const m = exportableModel(seed, { layers: ['conv2d', 'maxpool2d', 'dense'], inputShape: [28, 28, 1], classes: 10, weightBits: 4, activationBits: 4, maxChannels: 4 });
    return { ...m, meta };
  };

  it('writes the .tflite file, the operators, and for a single-rounding model one line on its ties with the golden accuracy in TFLite\'s arithmetic', async () => {
    const modelDir = join(dir(), 'cnn');
    const model = mnistCnn(3, { dataset: 'mnist', network: 'cnn' });
    writeModel(modelDir, model);
    const file = join(dir(), 'cnn.tflite');
    const lines = await output(['--model', modelDir, '--tflite', file, '--images', '100']);
    assert.equal(lines.length, 2, lines.join('\n'));
    assert.match(lines[0]!, /^wrote .*cnn\.tflite \(\d+ bytes\): CONV_2D v3 x2, MINIMUM v2 x2, MAX_POOL_2D v2 x1, RESHAPE v1 x3, MAXIMUM v2 x1$/);
    assert.match(lines[1]!, /^note: the model rounds requantizer ties 'single' .* neither TFLite computes.*golden accuracy on 100 mnist test images: [\d.]+% \(single\), [\d.]+% \(tflite-runtime\), [\d.]+% \(tflite-reference\)$/);
    assert.deepEqual(importTflite(file).layers, model.layers);
    assert.deepEqual(readdirSync(dir()).filter((f) => f.startsWith('.')), [], 'no temporary file left');
  });

  it('a model without a dataset: the note says how to check it; a ruy model needs no note for the runtime but names TFLite Micro\'s', async () => {
    const modelDir = join(dir(), 'nodata');
    writeModel(modelDir, mnistCnn(4, {}));
    const lines = await output(['--model', modelDir, '--tflite', join(dir(), 'nodata.tflite')]);
    assert.match(lines[1]!, /names no dataset.*int8cosim runtime-check .*nodata\.tflite/);
    const ruyDir = join(dir(), 'ruy');
    writeModel(ruyDir, { ...mnistCnn(4, {}), roundingMode: 'ruy' });
    const ruy = await output(['--model', ruyDir, '--tflite', join(dir(), 'ruy.tflite'), '--images', '0']);
    assert.match(ruy[1]!, /rounds requantizer ties as TF 2\.9's x86 runtime \(ruy/);
  });

  it('bad input is one error and writes nothing', async () => {
    const modelDir = join(dir(), 'cnn');
    const file = join(dir(), 'never.tflite');
    await assert.rejects(run(['--tflite', file]), (e: Error) => e instanceof UsageError && /--model <export dir> is required/.test(e.message));
    await assert.rejects(run(['--model', modelDir]), (e: Error) => e instanceof UsageError && /--tflite <out.tflite> is required/.test(e.message));
    await assert.rejects(run(['--model', modelDir, '--tflite', file, '--images=-1']), /--images expects an integer >= 0/);
    await assert.rejects(run(['--model', join(dir(), 'missing'), '--tflite', file]), FormatError);
    const avg = join(dir(), 'avg');
    writeModel(avg, exportableModel(9, { layers: ['conv2d', 'avgpool2d', 'dense'] }));
    await assert.rejects(run(['--model', avg, '--tflite', file]), (e: Error) => e instanceof TfliteExportError && /avgpool2d/.test(e.message));
    assert.ok(!existsSync(file));
    assert.ok(readFileSync(join(dir(), 'cnn.tflite')).length > 0);
  });
});
