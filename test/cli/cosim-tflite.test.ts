/**
 * `int8cosim cosim --model file.tflite`: an imported model through the golden model, hw-sim and the RTL in lockstep
 * (bin/int8cosim.mjs in a child process, on the 4x4 build the cosim suite shares). A model of every op the
 * importer takes (op-graphs.ts, written by the project) runs in the tflite-runtime arithmetic, which mixes ruy and
 * double rounding in one array: with .bin inputs and labels the report has accuracies; with seeded random inputs
 * and no labels it has bit-exactness and cycles only.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { importTfliteGraph } from '../../model/tflite/import-tflite.ts';
import { writeTflite } from '../../model/tflite/index.ts';
import { randomInputs } from '../../model/tflite/probe-inputs.ts';
import { argmax } from '../../quant/golden/evaluate.ts';
import { GoldenModel } from '../../quant/golden/run.ts';
import { allOpsGraph } from '../model/tflite/op-graphs.ts';
import { suiteTempDir } from './helpers.ts';
import { randomModel } from '../../quant/format/random-model.ts';
import { writeModel } from '../../quant/format/write.ts';
import type { TensorQuant } from '../../quant/format/types.ts';
import { Rng } from '../../quant/random.ts';
import { perChannelMultipliers } from '../../quant/spec/index.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

function cosim(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('node', ['bin/int8cosim.mjs', 'cosim', ...args], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * A small random MNIST CNN whose scales are float32 and whose multipliers are TFLite's Prepare arithmetic of them,
 * as the trainer now makes them: it exports to .tflite exactly (model/tflite exportTflite).
 */
function writeExportableCnn(modelDir: string): void {
  const m = randomModel(new Rng(12), { layers: ['conv2d', 'maxpool2d', 'dense', 'dense'], inputShape: [28, 28, 1], classes: 10, weightBits: 8, activationBits: 8, maxChannels: 5 });
  const f32 = (q: TensorQuant): TensorQuant => ({ ...q, scale: Math.fround(q.scale) });
  const layers = m.layers.map((l) => {
    if (l.type !== 'dense' && l.type !== 'conv2d') return l;
    const input = f32(l.input);
    const output = f32(l.output);
    return { ...l, input, output, ...perChannelMultipliers(input.scale, l.weightScales, output.scale) };
  });
  writeModel(modelDir, { ...m, input: { ...m.input, scale: Math.fround(m.input.scale) }, layers, meta: { dataset: 'mnist', network: 'exportable-cnn' } });
}

describe('cli: int8cosim cosim on a .tflite model', function () {
  this.timeout(900_000);
  const dir = suiteTempDir('int8cosim-cosim-tflite-');
  const graph = allOpsGraph(7);
  const model = importTfliteGraph(graph);
  const file = (): string => join(dir(), 'all-ops.tflite');
  before(() => writeFileSync(file(), writeTflite(graph)));

  it('.bin inputs with labels: every check held, accuracies reported, exit 0', () => {
    const inputs = join(dir(), 'inputs');
    mkdirSync(inputs);
    const probes = randomInputs(8 * 8 * 3, 6, 3);
    const golden = new GoldenModel(model);
    const csv = ['file,label'];
    probes.forEach((p, i) => {
      writeFileSync(join(inputs, `x${i}.bin`), p.codes);
      // labels: the golden model's own prediction for four inputs, another class for two: 4 of 6 correct
      const pred = argmax(golden.run(p.codes).output);
      csv.push(`x${i}.bin,${i < 4 ? pred : (pred + 1) % model.classes}`);
    });
    writeFileSync(join(dir(), 'labels.csv'), `${csv.join('\n')}\n`);
    const out = join(dir(), 'labelled');
    const r = cosim(['--model', file(), '--inputs', inputs, '--labels', join(dir(), 'labels.csv'), '--rows', '4', '--cols', '4', '--batch', '3', '--corner-cases', '20', '--out', out]);
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /cosim inputs\/all-ops W8A8 4x4 tflite-runtime: 6 images/);
    assert.match(r.stdout, /PASS: every check held/);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Record<string, any>;
    assert.equal(report.verdict, 'PASS');
    assert.equal(report.arithmetic, 'tflite-runtime');
    assert.equal(report.roundingMode, undefined);
    assert.deepEqual(report.accuracy, { integer: 4 / 6, hwsim: 4 / 6, rtl: 4 / 6 });
    const dw = (report.bytes.perLayer as { layer: string; where: string }[]).find((l) => l.layer === 'depthwise2d_1');
    assert.equal(dw?.where, 'array', 'the depthwise layer ran on the array');
    assert.equal(report.bytes.pairs['golden-rtl'].bytesDiffering, 0);
    // the fourth engine: TFLite's own runtime on the same inputs, every output byte
    const tflite = (report.checks as { name: string; status: string; compared: number }[]).find((c) => c.name === 'bytes tflite-golden');
    assert.deepEqual([tflite?.status, tflite?.compared], ['pass', 6 * model.classes]);
    assert.match(r.stdout, /TFLite runtime = golden = hw-sim = RTL, byte for byte/);
  });

  it('a model trained here (exact float32 scales) run in ruy rounding: TFLite runtime = golden = hw-sim = RTL on MNIST images', () => {
    const modelDir = join(dir(), 'exportable');
    writeExportableCnn(modelDir);
    const out = join(dir(), 'trained-ruy');
    const r = cosim(['--model', modelDir, '--rounding', 'ruy', '--images', '16', '--rows', '4', '--cols', '4', '--batch', '8', '--corner-cases', '20', '--out', out]);
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /PASS +bytes tflite-golden: TFLite runtime \(tfjs-tflite-node, TFLite 2\.9\) vs golden model: every output byte of 16 images \(160 bytes\)/);
    assert.match(r.stdout, /TFLite runtime = golden = hw-sim = RTL, byte for byte/);
    // in single rounding TFLite computes other ties: not compared
    const single = cosim(['--model', modelDir, '--images', '4', '--rows', '4', '--cols', '4', '--batch', '4', '--corner-cases', '20', '--out', join(dir(), 'trained-single')]);
    assert.equal(single.status, 0, `${single.stdout}\n${single.stderr}`);
    assert.doesNotMatch(single.stdout, /tflite-golden/);
  });

  it('seeded random inputs, no labels: bit-exactness and cycles only; --rounding and --dataset are refused', () => {
    const out = join(dir(), 'random');
    const r = cosim(['--model', file(), '--images', '5', '--seed', '9', '--rows', '4', '--cols', '4', '--corner-cases', '20', '--out', out]);
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /accuracy: not measured \(the inputs have no labels/);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as Record<string, any>;
    assert.equal(report.verdict, 'PASS');
    assert.equal(report.accuracy, undefined);
    assert.equal(report.inputs, '5 seeded random inputs (seed 9)');
    assert.ok(report.bytes.pairs['golden-rtl'].bytesCompared > 0);
    const ref = cosim(['--model', file(), '--images', '2', '--arithmetic', 'tflite-reference', '--rows', '4', '--cols', '4', '--corner-cases', '20', '--out', join(dir(), 'reference')]);
    assert.equal(ref.status, 0, `${ref.stdout}\n${ref.stderr}`);
    assert.doesNotMatch(ref.stdout, /tflite-golden/, 'TFLite\'s runtime computes the other arithmetic: not compared');
    assert.match(cosim(['--model', file(), '--rounding', 'ruy']).stderr, /--rounding is for trained models/);
    assert.match(cosim(['--model', file(), '--dataset', 'mnist']).stderr, /--dataset is for exported models/);
  });
});
