/**
 * What a cosim run feeds the network: the test set of the model's dataset (uint8 pixels quantized with the model's
 * input quantization), or, for an imported model, int8 input codes from --inputs (cosim/inputs.ts) or seeded
 * random ones, with labels when a CSV gives them. The golden model's accuracy is over the whole feed.
 */
import { loadDataset } from '../model/data/dataset.ts';
import { randomInputs } from '../model/tflite/probe-inputs.ts';
import { UsageError } from '../quant/errors.ts';
import { shapeSize } from '../quant/format/shapes.ts';
import type { QuantModel } from '../quant/format/types.ts';
import { argmax, evaluate } from '../quant/golden/evaluate.ts';
import { GoldenModel } from '../quant/golden/run.ts';
import { pixelTable, quantizeImage } from '../quant/golden/image.ts';
import { readInputs, readLabels } from './inputs.ts';
import type { ModelSource } from './model-source.ts';
import type { CosimOptions } from './options.ts';

export interface Feed {
  /** The input codes of the images that go through the lockstep (`images` of them). */
  codes: Int8Array;
  images: number;
  /** Inputs in the whole feed (the test set, or every input given). */
  total: number;
  /** Labels of the lockstep's images, when known. */
  labels?: Uint8Array;
  /** The golden model's accuracy over the whole feed, from its predictions over the lockstep's images when those are all. */
  goldenAccuracy(predictionsOfImages: Int32Array): number | undefined;
  /** Where the inputs came from, for the report. */
  source: string;
}

const RANDOM_DEFAULT = 100;

function checkedImages(o: CosimOptions, total: number, of: string): number {
  const images = o.images ?? total;
  if (!Number.isInteger(images) || images < 1 || images > total) throw new UsageError(`--images must be an integer in [1, ${total}] (${of}), got ${images}`);
  return images;
}

export function cosimFeed(o: CosimOptions, src: ModelSource, model: QuantModel): Feed {
  if (src.imported) return importedFeed(o, model);
  const data = loadDataset(src.dataset);
  const inSize = data.shape[0] * data.shape[1] * data.shape[2];
  const total = data.test.labels.length;
  const images = checkedImages(o, total, `the ${src.dataset} test set`);
  const labels = data.test.labels.subarray(0, images);
  return {
    codes: quantizeImage(model, data.test.images.subarray(0, images * inSize), pixelTable(model)),
    images, total, labels, source: `the ${src.dataset} test set`,
    goldenAccuracy: (p) => (images === total ? p.reduce((a, v, i) => a + (v === data.test.labels[i] ? 1 : 0), 0) / total : evaluate(model, data.test.images, data.test.labels).accuracy),
  };
}

function importedFeed(o: CosimOptions, model: QuantModel): Feed {
  const size = shapeSize(model.input.shape);
  let all: Int8Array;
  let names: string[];
  let source: string;
  if (o.inputs !== undefined) {
    const given = readInputs(o.inputs, model.input.shape);
    all = given.codes;
    names = given.names;
    source = o.inputs;
  } else {
    if (o.labels !== undefined) throw new UsageError('--labels needs --inputs: random inputs have no labels');
    const count = o.images ?? RANDOM_DEFAULT;
    const seed = o.seed ?? 1;
    const probes = randomInputs(size, count, seed);
    all = new Int8Array(count * size);
    probes.forEach((p, i) => all.set(p.codes, i * size));
    names = probes.map((_, i) => String(i));
    source = `${count} seeded random inputs (seed ${seed})`;
  }
  const total = all.length / size;
  const images = checkedImages(o, total, `the ${total} inputs`);
  const feed: Feed = { codes: all.subarray(0, images * size), images, total, source, goldenAccuracy: () => undefined };
  if (o.labels !== undefined) {
    const labels = readLabels(o.labels, { codes: all, count: total, names }, model.classes);
    feed.labels = Uint8Array.from(labels.subarray(0, images));
    feed.goldenAccuracy = (p) => {
      let preds = p;
      if (preds.length !== total) {
        const out = new GoldenModel(model).run(all, { batch: total }).output;
        preds = Int32Array.from({ length: total }, (_, i) => argmax(out, i * model.classes, model.classes));
      }
      return preds.reduce((a, v, i) => a + (v === labels[i] ? 1 : 0), 0) / total;
    };
  }
  return feed;
}
