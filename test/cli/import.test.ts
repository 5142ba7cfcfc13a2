/**
 * cli/import and cli/runtime-check: a .tflite file in, an exported model directory out (one line per layer); the
 * golden model against TFLite's runtime from the command line, agreeing (exit 0) and, in the other arithmetic on
 * a model whose requantizer ties it rounds differently, differing with the first layer named (exit 1).
 */
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run as runImport } from '../../cli/import.ts';
import { run as runCheck } from '../../cli/runtime-check.ts';
import { writeTflite } from '../../model/tflite/index.ts';
import { mlperfTinyModel } from '../../model/tflite/fetch-models.ts';
import { FormatError, UsageError } from '../../quant/errors.ts';
import { readModel } from '../../quant/format/read.ts';
import { allOpsGraph } from '../model/tflite/op-graphs.ts';
import { suiteTempDir } from './helpers.ts';

async function output(run: (argv: string[]) => Promise<void>, argv: string[]): Promise<{ text: string; exitCode: number }> {
  const lines: string[] = [];
  const log = console.log;
  const before = process.exitCode;
  process.exitCode = 0;
  console.log = (...xs: unknown[]) => void lines.push(xs.join(' '));
  try {
    await run(argv);
    return { text: lines.join('\n'), exitCode: Number(process.exitCode ?? 0) };
  } finally {
    console.log = log;
    process.exitCode = before;
  }
}

describe('cli/import and cli/runtime-check', () => {
  const root = suiteTempDir('int8cosim-cli-import-');

  it('import writes the model directory and prints a line per layer; check reads it back', async () => {
    const file = join(root(), 'all-ops.tflite');
    writeFileSync(file, writeTflite(allOpsGraph(3)));
    const out = join(root(), 'all-ops');
    const { text } = await output(runImport, [file, '--out', out]);
    assert.match(text, /all-ops\.tflite -> .*all-ops: OK, model 'all-ops', arithmetic tflite-runtime, 5 classes, input \[8, 8, 3\]/);
    assert.match(text, /depthwise2d_1 +depthwise2d +\[8, 8, 6\] -> \[4, 4, 6\] +w8\/a8 +864 MACs/);
    assert.match(text, /add_3 +add +\[4, 4, 6\] -> \[4, 4, 6\]/);
    assert.equal(readModel(out).layers.length, 9);
  });

  it('a file it cannot take writes nothing', async () => {
    const file = join(root(), 'half.tflite');
    const bytes = writeTflite(allOpsGraph(3));
    writeFileSync(file, bytes.subarray(0, 100));
    const out = join(root(), 'half');
    await assert.rejects(runImport([file, '--out', out]), (e: unknown) => e instanceof FormatError && /truncated or corrupt/.test(e.message));
    assert.equal(existsSync(out), false);
    await assert.rejects(runImport([file, '--arithmetic', 'fast']), (e: unknown) => e instanceof UsageError && /--arithmetic must be one of tflite-reference, tflite-runtime, got 'fast'/.test(e.message));
  });

  it('runtime-check: the golden model = the runtime on a model of every op (exit 0)', async () => {
    const file = join(root(), 'all-ops-5.tflite');
    writeFileSync(file, writeTflite(allOpsGraph(5)));
    const { text, exitCode } = await output(runCheck, [file, '--count', '40']);
    assert.match(text, /all-ops-5\.tflite: tflite-runtime, 50 inputs, 250 output bytes compared, 0 differ: golden = TFLite runtime/);
    assert.equal(exitCode, 0);
  });

  it('runtime-check in the reference arithmetic on the anomaly-detection model: the ties differ, the layer is named (exit 1)', async () => {
    const file = await mlperfTinyModel('ad01');
    const { text, exitCode } = await output(runCheck, [file, '--count', '20', '--arithmetic', 'tflite-reference']);
    assert.match(text, /ad01_int8\.tflite: tflite-reference, 30 inputs, 19200 output bytes compared, [1-9]\d* differ in \d+ inputs; first: input all -128, output \d+: golden -?\d+, runtime -?\d+; first differing layer \d+ 'dense_\d+'/);
    assert.equal(exitCode, 1);
  });
});
