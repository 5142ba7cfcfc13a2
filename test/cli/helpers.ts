/** Shared setup of the command-line tests: a temporary folder per suite and the small exported model they run. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomModel } from '../../quant/format/random-model.ts';
import { writeModel } from '../../quant/format/write.ts';
import { Rng } from '../../quant/random.ts';

/**
 * A temporary folder for the enclosing mocha suite: made in a `before` hook, removed with its contents in an
 * `after` hook. Returns the folder's path through a function, since the path exists only once the hook has run.
 */
export function suiteTempDir(prefix: string): () => string {
  let dir: string | undefined;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), prefix));
  });
  after(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    if (dir === undefined) throw new Error(`suiteTempDir(${prefix}): the folder is made in a before hook, read it inside a test or a later hook`);
    return dir;
  };
}

/** Exports a small random MNIST CNN (conv-pool-dense-dense, up to 6 channels, int8, single rounding) to `modelDir`. */
export function writeSmallCnn(modelDir: string, seed: number): void {
  const model = randomModel(new Rng(seed), {
    layers: ['conv2d', 'maxpool2d', 'dense', 'dense'], inputShape: [28, 28, 1], classes: 10, weightBits: 8, activationBits: 8, roundingMode: 'single', maxChannels: 6,
  });
  writeModel(modelDir, { ...model, meta: { dataset: 'mnist', network: 'random-cnn' } });
}
