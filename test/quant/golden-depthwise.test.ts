/**
 * The golden model's depthwise2d and avgpool2d layers against straightforward transcriptions of TFLite's reference
 * loops (integer_ops::DepthwiseConvPerChannel, AveragePool): the input offset added to every tap, padded taps
 * skipped, no folded bias, the pool's divisor the count of in-bounds taps. Seeded; the seed is in each message.
 */
import assert from 'node:assert/strict';
import { convGeometry } from '../../quant/format/shapes.ts';
import { randomModel } from '../../quant/format/random-model.ts';
import type { AvgPool2DLayer, DepthwiseConv2DLayer } from '../../quant/format/types.ts';
import { runLayer } from '../../quant/golden/layers.ts';
import { runGolden } from '../../quant/golden/run.ts';
import { Rng } from '../../quant/random.ts';
import { ROUNDING_MODES, multiplyByQuantizedMultiplier, type RoundingMode } from '../../quant/spec/index.ts';

/** Calls tap(iy, ix, fy, fx) for the in-bounds taps of output (oy, ox), as TFLite's reference loops skip the rest. */
function forTaps(g: ReturnType<typeof convGeometry>, oy: number, ox: number, tap: (iy: number, ix: number, fy: number, fx: number) => void): void {
  for (let fy = 0; fy < g.kh; fy++) {
    for (let fx = 0; fx < g.kw; fx++) {
      const iy = oy * g.strideH - g.padTop + fy;
      const ix = ox * g.strideW - g.padLeft + fx;
      if (iy >= 0 && iy < g.inH && ix >= 0 && ix < g.inW) tap(iy, ix, fy, fx);
    }
  }
}

function referenceDepthwise(l: DepthwiseConv2DLayer, x: Int8Array, mode: RoundingMode): Int8Array {
  const g = convGeometry(l.inputShape, l.kernel, l.strides, l.padding);
  const out = new Int8Array(g.outH * g.outW * g.inC);
  const inputOffset = -l.input.zeroPoint;
  for (let oy = 0; oy < g.outH; oy++) {
    for (let ox = 0; ox < g.outW; ox++) {
      for (let c = 0; c < g.inC; c++) {
        let acc = 0;
        forTaps(g, oy, ox, (iy, ix, fy, fx) => {
          acc += ((x[(iy * g.inW + ix) * g.inC + c] as number) + inputOffset) * (l.weights[(fy * g.kw + fx) * g.inC + c] as number);
        });
        acc += l.bias[c] as number;
        let y = multiplyByQuantizedMultiplier(acc | 0, l.multiplier[c] as number, l.shift[c] as number, mode) + l.output.zeroPoint;
        y = Math.max(l.actMin, Math.min(l.actMax, y));
        out[(oy * g.outW + ox) * g.inC + c] = y;
      }
    }
  }
  return out;
}

function referenceAvgPool(l: AvgPool2DLayer, x: Int8Array): Int8Array {
  const g = convGeometry(l.inputShape, l.pool, l.strides, l.padding);
  const out = new Int8Array(g.outH * g.outW * g.inC);
  for (let oy = 0; oy < g.outH; oy++) {
    for (let ox = 0; ox < g.outW; ox++) {
      for (let c = 0; c < g.inC; c++) {
        let sum = 0;
        let count = 0;
        forTaps(g, oy, ox, (iy, ix) => {
          sum += x[(iy * g.inW + ix) * g.inC + c] as number;
          count++;
        });
        // TFLite: (sum > 0 ? sum + count/2 : sum - count/2) / count, C division (truncating toward zero)
        const avg = Math.trunc((sum > 0 ? sum + Math.trunc(count / 2) : sum - Math.trunc(count / 2)) / count);
        out[(oy * g.outW + ox) * g.inC + c] = Math.max(l.actMin, Math.min(l.actMax, avg));
      }
    }
  }
  return out;
}

describe('golden model: depthwise2d and avgpool2d against TFLite reference loops', () => {
  it('depthwise2d, 200 random layers (stride 1 and 2, same and valid, 1..3 x 1..3 windows), every rounding mode', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const rng = new Rng(seed);
      const model = randomModel(rng, { inputShape: [rng.int(3, 9), rng.int(3, 9), rng.int(1, 9)], layers: ['depthwise2d', 'dense'], extreme: seed % 4 === 0 });
      const l = model.layers[0] as DepthwiseConv2DLayer;
      const x = Int8Array.from({ length: l.inputShape.reduce((a, b) => a * b, 1) }, () => rng.int(l.input.qmin, l.input.qmax));
      for (const mode of ROUNDING_MODES) assert.deepEqual(runLayer(l, x, mode), referenceDepthwise(l, x, mode), `seed ${seed}, ${mode}`);
    }
  });

  it('avgpool2d, 200 random layers: the divisor counts only in-bounds taps under same padding, ties away from zero', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const rng = new Rng(1000 + seed);
      const model = randomModel(rng, { inputShape: [rng.int(2, 9), rng.int(2, 9), rng.int(1, 4)], layers: ['avgpool2d', 'dense'] });
      const l = model.layers[0] as AvgPool2DLayer;
      const x = Int8Array.from({ length: l.inputShape.reduce((a, b) => a * b, 1) }, () => rng.int(-128, 127));
      assert.deepEqual(runLayer(l, x, 'single'), referenceAvgPool(l, x), `seed ${1000 + seed}`);
    }
  });

  it('a stack of conv2d, depthwise2d, avgpool2d and dense runs batched as image by image', () => {
    const rng = new Rng(77);
    const model = randomModel(rng, { inputShape: [8, 8, 2], layers: ['conv2d', 'depthwise2d', 'avgpool2d', 'dense'], classes: 4 });
    const size = 8 * 8 * 2;
    const codes = Int8Array.from({ length: 5 * size }, () => rng.int(model.input.qmin, model.input.qmax));
    const batched = runGolden(model, codes, { batch: 5 }).output;
    for (let i = 0; i < 5; i++) assert.deepEqual(batched.subarray(i * 4, (i + 1) * 4), runGolden(model, codes.subarray(i * size, (i + 1) * size)).output, `image ${i}`);
  });
});
