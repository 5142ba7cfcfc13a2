import assert from 'node:assert/strict';
import { join, relative } from 'node:path';
import { trainerSourceFiles } from '../../model/ensure.ts';
import { repoRoot } from '../../model/paths.ts';

describe('model/ensure: the sources of the training cache key', () => {
  it('covers the trainer, fake-quant, spec and format, and not model/tflite (the .tflite reader, writer, importer, exporter)', () => {
    const files = trainerSourceFiles().map((f) => relative(repoRoot, f));
    for (const f of ['model/net/forward.ts', 'model/export/build.ts', 'quant/fakequant/observer.ts', 'quant/spec/multiplier.ts', 'quant/format/types.ts']) {
      assert.ok(files.includes(f), `${f} is not in the key`);
    }
    assert.deepEqual(files.filter((f) => f.startsWith(join('model', 'tflite'))), []);
    assert.ok(files.length > 20);
  });
});
