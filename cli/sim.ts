/**
 * `int8cosim sim`: runs an exported model on the cycle-accurate array model (hw-sim), image by image, checks every
 * layer against the integer golden model, prints a per-layer table and writes the statistics as JSON.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { MismatchError, UsageError } from '../quant/errors.ts';
import { loadModel } from '../model/load-model.ts';
import { shapeSize } from '../quant/format/shapes.ts';
import type { QuantModel } from '../quant/format/types.ts';
import { argmax } from '../quant/golden/evaluate.ts';
import { quantizeImage } from '../quant/golden/image.ts';
import { runGolden } from '../quant/golden/run.ts';
import { Rng } from '../quant/random.ts';
import { arrayConfig, formatRoundingModes, normalizeRoundingModes, runNetwork, type LayerStats, type NetworkStats } from '../hw-sim/index.ts';
import { ARITHMETIC_TARGETS, ROUNDING_MODES, type RoundingMode, type ArithmeticTarget } from '../quant/spec/index.ts';
import { loadDataset } from '../model/data/dataset.ts';
import { HELP_OPTION, parseCommandArgs, stringOptions } from './args.ts';
import { intOption } from './options.ts';

const HELP = `usage: int8cosim sim --model <dir> [options]

  --model <dir|file.tflite>   exported model folder (int8cosim train --out), or an int8 .tflite model (imported)
  --arithmetic <target>       a .tflite model's TFLite arithmetic: tflite-runtime (default) or tflite-reference
  --rows <2..32>, --cols <2..32>   array size (default 8 x 8)
  --acc-depth <n>             accumulator entries per column, a power of two (default 1024)
  --images <n>                test images to run (default 10)
  --rounding <single|double|ruy>  the rounding a trained model runs in (default: the model's); every program's
                              configuration command carries it
  --rounding-modes <list>     the modes the array implements, e.g. single,double (default single,double,ruy)
  --dataset <mnist|fashion>   test images from (default: the model's meta.dataset, else random codes)
  --check-hazards             check the hazard rules of ARCHITECTURE.md section 5 every cycle (slower)
  --out <file.json>           statistics (default out/sim/<model>-<R>x<C>.json)
  --trace <file>              the one-line trace of every cycle of the first image
`;

function inputs(model: QuantModel, dataset: string | undefined, images: number): { input: Int8Array; labels?: Uint8Array; source: string } {
  const size = shapeSize(model.input.shape);
  if (dataset !== undefined && size === 28 * 28) {
    const d = loadDataset(dataset);
    if (images > d.test.labels.length) throw new UsageError(`--images ${images}: the ${dataset} test set has ${d.test.labels.length} images`);
    return { input: quantizeImage(model, d.test.images.subarray(0, images * size)), labels: d.test.labels.subarray(0, images), source: `${dataset} test set` };
  }
  const rng = new Rng(1);
  return { input: Int8Array.from({ length: images * size }, () => rng.int(model.input.qmin, model.input.qmax)), source: 'random input codes (seed 1)' };
}

function row(cells: (string | number)[], widths: number[]): string {
  return cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i] as number) : String(c).padStart(widths[i] as number))).join(' ');
}

export function statsTable(s: NetworkStats): string {
  const w = [14, 10, 16, 6, 9, 9, 10, 6, 5, 7, 6, 9, 9, 8];
  const head = row(['layer', 'type', 'M x K x N', 'tiles', 'cyc/img', 'formula', 'MACs/img', 'util', 'fill', 'stall', 'drain', 'W bytes', 'A bytes', 'O bytes'], w);
  const per = (x: number, l: LayerStats): string => (l.images === 0 ? '0' : String(Math.round(x / l.images)));
  const lines = s.layers.map((l) =>
    l.onArray
      ? row([l.layer, l.type, `${l.m}x${l.k}x${l.n}`, l.tiles, per(l.cycles, l), per(l.formulaCycles, l), per(l.macs, l), `${(l.utilization * 100).toFixed(1)}%`, per(l.fill, l), per(l.stall, l), per(l.drain, l), per(l.weightBytes, l), per(l.activationBytes, l), per(l.outputBytes, l)], w)
      : row([l.layer, l.type, '(host)', '', '0', '', '', '', '', '', '', '', '', ''], w),
  );
  const t = s.total;
  const n = s.images;
  const total = row(['total', '', '', '', String(Math.round(t.cycles / n)), String(Math.round(t.formulaCycles / n)), String(Math.round(t.macs / n)), `${(t.utilization * 100).toFixed(1)}%`, String(Math.round(t.fill / n)), String(Math.round(t.stall / n)), String(Math.round(t.drain / n)), String(Math.round(t.weightBytes / n)), String(Math.round(t.activationBytes / n)), String(Math.round(t.outputBytes / n))], w);
  return [head, ...lines, total].join('\n');
}

export async function run(argv: string[]): Promise<void> {
  const parsed = parseCommandArgs('sim', HELP, {
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      ...stringOptions('model', 'rows', 'cols', 'acc-depth', 'images', 'rounding', 'rounding-modes', 'arithmetic', 'dataset', 'out', 'trace'),
      'check-hazards': { type: 'boolean', default: false },
      ...HELP_OPTION,
    },
  });
  if (parsed === undefined) return;
  const v = parsed.values;
  if (v.model === undefined) throw new UsageError('--model <dir> is required (int8cosim sim --help lists the options)');
  const arithmetic = v.arithmetic;
  if (arithmetic !== undefined && !(ARITHMETIC_TARGETS as readonly string[]).includes(arithmetic)) throw new UsageError(`--arithmetic expects ${ARITHMETIC_TARGETS.join(', ')}, got '${arithmetic}'`);
  const read = loadModel(v.model, arithmetic === undefined ? {} : { arithmetic: arithmetic as ArithmeticTarget });
  if (read.arithmetic !== undefined && v.rounding !== undefined) throw new UsageError('--rounding is for trained models; a .tflite model runs in its TFLite arithmetic (--arithmetic)');
  const rounding = (v.rounding ?? read.roundingMode) as RoundingMode;
  if (!ROUNDING_MODES.includes(rounding)) throw new UsageError(`--rounding expects ${ROUNDING_MODES.join(', ')}, got '${rounding}'`);
  const model: QuantModel = read.arithmetic !== undefined ? read : { ...read, roundingMode: rounding };
  let roundingModes: RoundingMode[] | undefined;
  try {
    if (v['rounding-modes'] !== undefined) roundingModes = normalizeRoundingModes(v['rounding-modes'].split(','), '--rounding-modes');
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const cfg = arrayConfig({ rows: intOption('rows', v.rows) ?? 8, cols: intOption('cols', v.cols) ?? 8, accDepth: intOption('acc-depth', v['acc-depth']) ?? 1024, ...(roundingModes ? { roundingModes } : {}) });
  const images = intOption('images', v.images, { min: 1 }) ?? 10;
  const metaDataset = typeof model.meta['dataset'] === 'string' ? (model.meta['dataset'] as string) : undefined;
  const { input, labels, source } = inputs(model, v.dataset ?? metaDataset, images);

  const t0 = performance.now();
  const lines: string[] = [];
  const hw = runNetwork(model, cfg, input, { checkHazards: v['check-hazards'], ...(v.trace !== undefined ? { trace: (l: string) => lines.push(l) } : {}) });
  const seconds = (performance.now() - t0) / 1000;
  if (v.trace !== undefined) {
    mkdirSync(dirname(v.trace), { recursive: true });
    writeFileSync(v.trace, lines.join('\n') + '\n');
  }
  const golden = runGolden(model, input, { collect: true, batch: images });
  model.layers.forEach((layer, i) => {
    const a = hw.layers[i] as Int8Array;
    const b = (golden.layers as Int8Array[])[i] as Int8Array;
    const at = a.findIndex((x, j) => x !== b[j]);
    if (at >= 0) {
      throw new MismatchError({ layer: layer.name, tile: '-', cycle: -1, where: `output element ${at % b.length} of image ${Math.floor(at / (b.length / images))}`, expected: b[at] as number, actual: a[at] as number });
    }
  });
  const classes = model.classes;
  let correct = 0;
  if (labels !== undefined) for (let i = 0; i < images; i++) if (argmax(hw.output, i * classes, classes) === labels[i]) correct++;

  const cycles = hw.stats.total.cycles;
  console.log(`${model.name}: ${images} image(s) from ${source} on a ${cfg.rows}x${cfg.cols} array (AccDepth ${cfg.accDepth}, rounding modes ${formatRoundingModes(cfg.roundingModes)}), the model in ${model.arithmetic ?? `${rounding} rounding`}`);
  console.log(statsTable(hw.stats));
  console.log(`every layer bit-identical to the golden model; ${cycles} cycles (${Math.round(cycles / images)} per image), ` +
    `${(cycles / seconds / 1e6).toFixed(2)} M simulated cycles/s = ${((cycles * cfg.rows * cfg.cols) / seconds / 1e6).toFixed(0)} M PE-cycles/s` +
    (labels !== undefined ? `; accuracy ${((100 * correct) / images).toFixed(2)}% (${correct}/${images})` : ''));
  const out = v.out ?? join('out', 'sim', `${basename(resolve(v.model))}-${cfg.rows}x${cfg.cols}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, JSON.stringify({ model: model.name, source, ...hw.stats, accuracy: labels !== undefined ? correct / images : null, wallSeconds: seconds, goldenMatch: true }, null, 2));
  console.log(`wrote ${out}`);
}
