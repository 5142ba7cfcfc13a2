/**
 * A whole exported model in lockstep, image by image: every dense/conv2d layer is compiled with hw-sim's compiler,
 * its beats drive hw-sim and the RTL together (Lockstep), the layer output is gathered from the RTL's output rows,
 * maxpool2d/flatten run on the host, next layer. Both sides are reset before each image, so that an image's
 * programs alone replay a mismatch (and cycle numbers count from that image's reset).
 */
import { compileLayer } from '../../hw-sim/compiler/compile-layer.ts';
import { flatten, maxPool2d } from '../../hw-sim/compiler/host-ops.ts';
import { addProgramRun, emptyLayerStats, networkStats, type LayerStats, type NetworkStats } from '../../hw-sim/stats.ts';
import { argmax } from '../../quant/golden/evaluate.ts';
import { shapeSize } from '../../quant/format/shapes.ts';
import type { QuantModel } from '../../quant/format/types.ts';
import { ShapeError } from '../../quant/errors.ts';
import type { Lockstep } from '../lockstep/lockstep.ts';
import type { Verdict } from '../lockstep/scoreboard.ts';

export interface NetworkLockstepResult {
  /** Images run to the end (all of them unless a mismatch stopped the run). */
  images: number;
  /** Predicted class of each image run (RTL outputs). */
  predictions: Int32Array;
  /** The last layer's int8 outputs, image after image (RTL outputs). */
  outputs: Int8Array;
  /** Cycles on the array, all images. */
  cycles: number;
  stats: NetworkStats;
  /** The first mismatch and the image it happened in; the lockstep's history holds that image's programs. */
  mismatch?: { verdict: Verdict; image: number };
}

export interface NetworkLockstepOptions {
  /** Called after each image (progress). */
  onImage?: (done: number, total: number) => void;
}

export async function runNetworkLockstep(
  model: QuantModel,
  lockstep: Lockstep,
  codes: Int8Array,
  opts: NetworkLockstepOptions = {},
): Promise<NetworkLockstepResult> {
  const inSize = shapeSize(model.input.shape);
  if (codes.length === 0 || codes.length % inSize !== 0) {
    throw new ShapeError(`runNetworkLockstep: model '${model.name}' takes [${model.input.shape.join(', ')}] = ${inSize} codes an image; got ${codes.length}`);
  }
  const total = codes.length / inSize;
  const cfg = lockstep.cfg;
  const ref = lockstep.scoreboard.reference;
  const stats: LayerStats[] = model.layers.map((l) => emptyLayerStats(l.name, l.type, l.type === 'dense' || l.type === 'conv2d'));
  const predictions = new Int32Array(total);
  const classes = shapeSize((model.layers[model.layers.length - 1] as QuantModel['layers'][number]).outputShape);
  const outputs = new Int8Array(total * classes);
  let cycles = 0;
  for (let img = 0; img < total; img++) {
    lockstep.reset();
    let x = codes.subarray(img * inSize, (img + 1) * inSize);
    for (let li = 0; li < model.layers.length; li++) {
      const layer = model.layers[li] as QuantModel['layers'][number];
      const s = stats[li] as LayerStats;
      if (layer.type === 'dense' || layer.type === 'conv2d') {
        const p = compileLayer(layer, x, cfg);
        const before = { ...ref.counters };
        const run = await lockstep.runProgram(p, `image ${img}`);
        cycles += run.verdict ? lockstep.cycle - run.start : p.nCycles;
        if (run.verdict) {
          return { images: img, predictions: predictions.subarray(0, img), outputs: outputs.subarray(0, img * classes), cycles, stats: networkStats(cfg, Math.max(img, 1), stats), mismatch: { verdict: run.verdict, image: img } };
        }
        addProgramRun(s, p, before, ref.counters);
        x = run.output as Int8Array;
      } else if (layer.type === 'maxpool2d') {
        x = maxPool2d(layer, x);
        s.images += 1;
      } else {
        x = flatten(layer, x);
        s.images += 1;
      }
    }
    predictions[img] = argmax(x);
    outputs.set(x, img * classes);
    opts.onImage?.(img + 1, total);
  }
  return { images: total, predictions, outputs, cycles, stats: networkStats(cfg, total, stats) };
}
