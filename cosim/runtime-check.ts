/**
 * The fourth engine of a cosim run: TFLite's own runtime (tfjs-tflite-node, model/tflite/runtime.ts), whenever the
 * run's arithmetic is the one that runtime computes: an imported model in 'tflite-runtime', or a model trained
 * here run in 'ruy' rounding (its CONV_2D and FULLY_CONNECTED then round as TFLite's optimized kernels do; the
 * model is exported with model/tflite exportTflite first). Every output byte of the run's images, the runtime's
 * against the golden model's; with the byte checks of hw-sim and the RTL this makes "TFLite runtime = golden =
 * hw-sim = RTL". Not applicable otherwise (no check is listed then), nor for a trained model that does not export
 * exactly (one trained before the trainer kept its scales in float32: TFLite would derive other multipliers from
 * the file): the run then says why in its log, and its checks are those of the array.
 */
import { readFileSync } from 'node:fs';
import { exportTflite } from '../model/tflite/export-tflite.ts';
import { writeTflite } from '../model/tflite/write-tflite.ts';
import { CosimError } from '../quant/errors.ts';
import type { QuantModel } from '../quant/format/types.ts';
import { GoldenModel } from '../quant/golden/run.ts';
import type { CosimCheck } from './checks.ts';
import type { Feed } from './feed.ts';
import type { ModelSource } from './model-source.ts';

export function runtimeApplies(src: ModelSource, model: QuantModel): boolean {
  return src.imported === true ? model.arithmetic === 'tflite-runtime' : model.roundingMode === 'ruy';
}

/** The check, or the reason it does not apply to this trained model. */
export async function runtimeCheck(src: ModelSource, model: QuantModel, feed: Feed): Promise<CosimCheck | { skipped: string }> {
  const what = `TFLite runtime (tfjs-tflite-node, TFLite 2.9) vs golden model: every output byte of ${feed.images} images`;
  let bytes: Uint8Array;
  try {
    bytes = src.imported === true ? readFileSync(src.modelDir) : writeTflite(exportTflite(src.model));
  } catch (err) {
    if (!(err instanceof CosimError) || src.imported === true) throw err;
    return { skipped: `the model does not export to .tflite exactly, so TFLite's runtime is not compared: ${err.message}` };
  }
  // loaded only here: tfjs-tflite-node brings its own tfjs platform, which the trainer's would see registered twice
  const { openTfliteRuntime } = await import('../model/tflite/runtime.ts');
  const runtime = await openTfliteRuntime(bytes);
  let want: Int8Array;
  try {
    want = runtime.run(feed.codes, feed.images);
  } finally {
    runtime.close();
  }
  const got = new GoldenModel(model).run(feed.codes, { batch: feed.images }).output;
  let differing = 0;
  let first = -1;
  for (let i = 0; i < want.length; i++) {
    if (want[i] !== got[i]) {
      differing++;
      if (first < 0) first = i;
    }
  }
  const check: CosimCheck = { name: 'bytes tflite-golden', status: differing === 0 && want.length === got.length ? 'pass' : 'fail', what, compared: want.length, unit: 'bytes' };
  if (first >= 0) {
    const classes = model.classes;
    check.detail = `${differing} bytes differ; first: image ${Math.floor(first / classes)}, output ${first % classes}: golden ${got[first]}, runtime ${want[first]}`;
  }
  return check;
}
