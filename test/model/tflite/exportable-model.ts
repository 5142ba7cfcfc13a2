/**
 * Random models (quant/format randomModel) made exportable: every scale a float32 and every multiplier the one
 * TFLite's CONV_2D Prepare derives from those scales (perChannelMultipliers), as the trainer makes them. randomModel's
 * own multipliers come from reals unrelated to its weight scales, which no .tflite file can carry.
 */
import { randomModel, type RandomModelOptions } from '../../../quant/format/random-model.ts';
import { isMacLayer, type QuantModel, type TensorQuant } from '../../../quant/format/types.ts';
import { Rng } from '../../../quant/random.ts';
import { perChannelMultipliers } from '../../../quant/spec/index.ts';

const f32 = (q: TensorQuant): TensorQuant => ({ ...q, scale: Math.fround(q.scale) });

export function exportableModel(seed: number, opts: RandomModelOptions = {}): QuantModel {
  const m = randomModel(new Rng(seed), { ...opts, extreme: false });
  m.input = { ...f32(m.input), shape: m.input.shape };
  for (const l of m.layers) {
    if (!isMacLayer(l)) continue;
    l.input = f32(l.input);
    l.output = f32(l.output);
    const p = perChannelMultipliers(l.input.scale, l.weightScales, l.output.scale);
    l.multiplier = p.multiplier;
    l.shift = p.shift;
  }
  return m;
}
