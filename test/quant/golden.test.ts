/**
 * quant/golden: a tiny hand-built conv + pool + flatten + dense model whose outputs are worked out by hand below
 * (both rounding modes), then conv2d (strides, same/valid padding) and dense against a naive direct computation,
 * and the GEMM against a triple loop, including int32 wrap.
 */
import assert from 'node:assert/strict';
import { Rng } from '../../quant/random.ts';
import { quantizeMultiplier, requantize, intRange } from '../../quant/spec/index.ts';
import { im2col, randomModel, type Conv2DLayer, type QuantModel, type TensorQuant } from '../../quant/format/index.ts';
import { argmax, evaluate, gemmInt8, goldenKernels, nativeGemmAvailable, nativeStatus, quantizeImage, runGolden, runLayer, wasmGemmAvailable, type GemmEngine } from '../../quant/golden/index.ts';
import { convGeometry } from '../../quant/format/shapes.ts';
import { nativeKernels } from '../../quant/golden/native/kernels.ts';

const SEED = process.env.SEED === undefined ? 7 : Number(process.env.SEED);

function q8(zeroPoint: number, scale = 0.1): TensorQuant {
  return { scale, zeroPoint, bits: 8, qmin: -128, qmax: 127 };
}

/** The hand-worked model. */
function tinyModel(): QuantModel {
  const inQ = q8(1, 1 / 255);
  const convQ = q8(-2);
  const half = quantizeMultiplier(0.5); // (2^30, 0)
  const quarter = quantizeMultiplier(0.25); // (2^30, -1)
  const one = quantizeMultiplier(1); // (2^30, 1)
  const hundred = quantizeMultiplier(100); // (1677721600, 7)
  return {
    name: 'tiny',
    input: { ...inQ, shape: [4, 4, 1] },
    roundingMode: 'single',
    classes: 3,
    meta: {},
    layers: [
      {
        type: 'conv2d',
        name: 'conv',
        inputShape: [4, 4, 1],
        outputShape: [2, 2, 2],
        kernel: [2, 2],
        strides: [2, 2],
        padding: 'valid',
        // HWIO [2, 2, 1, 2]: channel 0 = [[1, 0], [0, 1]], channel 1 = [[1, -1], [-1, 1]]
        weights: Int8Array.from([1, 1, 0, -1, 0, -1, 1, 1]),
        bias: Int32Array.from([2, -1]),
        multiplier: Int32Array.from([half.m0, quarter.m0]),
        shift: Int32Array.from([half.shift, quarter.shift]),
        weightScales: Float32Array.from([0.05, 0.025]),
        weightBits: 8,
        input: inQ,
        output: convQ,
        actMin: -2,
        actMax: 127,
        relu: true,
      },
      { type: 'maxpool2d', name: 'pool', inputShape: [2, 2, 2], outputShape: [1, 1, 2], pool: [2, 2], strides: [2, 2], padding: 'valid' },
      { type: 'flatten', name: 'flat', inputShape: [1, 1, 2], outputShape: [2] },
      {
        type: 'dense',
        name: 'fc',
        inputShape: [2],
        outputShape: [3],
        // [K=2, N=3]: rows [1, -2, 0] and [3, 1, -1]
        weights: Int8Array.from([1, -2, 0, 3, 1, -1]),
        bias: Int32Array.from([0, 10, -5]),
        multiplier: Int32Array.from([one.m0, one.m0, hundred.m0]),
        shift: Int32Array.from([one.shift, one.shift, hundred.shift]),
        weightScales: Float32Array.from([0.1, 0.1, 10]),
        weightBits: 8,
        input: convQ,
        output: q8(0),
        actMin: -128,
        actMax: 127,
        relu: false,
      },
    ],
  };
}

// Input codes (input zero point 1).
const X = Int8Array.from([3, 1, 0, 2, 1, 5, 1, 1, 2, 1, 4, 0, 1, 0, 1, 3]);

describe('quant/golden', () => {
  describe('the hand-worked tiny model', () => {
    // conv, stride 2, valid, acc = sum (x - 1) w + bias:
    //   patch (0,0) x-1 = [2 0; 0 4]:  c0 = 6 + 2 = 8    c1 = 6 - 1 = 5
    //   patch (0,1) x-1 = [-1 1; 0 0]: c0 = -1 + 2 = 1   c1 = -2 - 1 = -3
    //   patch (1,0) x-1 = [1 0; 0 -1]: c0 = 0 + 2 = 2    c1 = 0 - 1 = -1
    //   patch (1,1) x-1 = [3 -1; 0 2]: c0 = 5 + 2 = 7    c1 = 6 - 1 = 5
    // c0 * 0.5 = 4, 0.5, 1, 3.5 -> 4, 1, 1, 4 (both modes) -> + zp -2 = 2, -1, -1, 2
    // c1 * 0.25, single: 1.25, -0.75, -0.25, 1.25 -> 1, -1, 0, 1 -> + zp = -1, -3, -2, -1 -> ReLU (min -2): -1, -2, -2, -1
    // c1 double: SRDHM(x, 2^30) = x/2 rounded up (2.5 -> 3, -1.5 -> -1, -0.5 -> 0), then RDBPOT by 1, ties away:
    //   5 -> 3 -> 2;  -3 -> -1 -> -1;  -1 -> 0 -> 0;  5 -> 2  -> + zp = 0, -3, -2, 0 -> ReLU: 0, -2, -2, 0
    const convSingle = [2, -1, -1, -2, -1, -2, 2, -1];
    const convDouble = [2, 0, -1, -2, -1, -2, 2, 0];
    // pool: max per channel; single [2, -1], double [2, 0]
    // dense, input zero point -2: x - zp = single [4, 1], double [4, 2]
    //   single: n0 = 4 + 3 = 7; n1 = -8 + 1 + 10 = 3; n2 = -1 - 5 = -6 -> * 100 = -600 -> clamp -128
    //   double: n0 = 4 + 6 = 10; n1 = -8 + 2 + 10 = 4; n2 = -2 - 5 = -7 -> -700 -> -128
    it('single rounding: every layer as worked out by hand', () => {
      const r = runGolden(tinyModel(), X, { collect: true });
      assert.deepEqual([...(r.layers?.[0] ?? [])], convSingle);
      assert.deepEqual([...(r.layers?.[1] ?? [])], [2, -1]);
      assert.deepEqual([...(r.layers?.[2] ?? [])], [2, -1]);
      assert.deepEqual([...r.output], [7, 3, -128]);
      assert.equal(r.layers?.[3], r.output);
    });
    it('double rounding: the ties of channel 1 round differently', () => {
      const r = runGolden({ ...tinyModel(), roundingMode: 'double' }, X, { collect: true });
      assert.deepEqual([...(r.layers?.[0] ?? [])], convDouble);
      assert.deepEqual([...r.output], [10, 4, -128]);
      const viaOption = runGolden(tinyModel(), X, { roundingMode: 'double' });
      assert.deepEqual([...viaOption.output], [10, 4, -128]);
    });
    it('runs a batch as the images one by one, and evaluates accuracy by argmax', () => {
      const m = tinyModel();
      const x2 = Int8Array.from(X, (v) => 4 - v); // a second image
      const one = runGolden(m, x2).output;
      const both = runGolden(m, Int8Array.from([...X, ...x2]), { batch: 2 }).output;
      assert.deepEqual([...both], [7, 3, -128, ...one]);
      const ev = evaluate(m, Int8Array.from([...X, ...x2]), [0, 2]);
      assert.deepEqual([...ev.predictions], [0, argmax(one)]);
      assert.equal(ev.correct, argmax(one) === 2 ? 2 : 1);
      assert.equal(ev.accuracy, ev.correct / 2);
    });
    it('rejects an input of the wrong size, naming the expected shape', () => {
      assert.throws(() => runGolden(tinyModel(), new Int8Array(15)), /\[4, 4, 1\] = 16 input codes, got 15/);
    });
  });

  it('argmax breaks ties toward the lowest index', () => {
    assert.equal(argmax([1, 5, 5, 2]), 1);
    assert.equal(argmax([-3, -3]), 0);
    assert.equal(argmax(Int8Array.from([0, 9, 1, 9, 9]), 2, 3), 1);
  });

  it('quantizeImage: q = clamp(round half away(p/255/scale) + zp)', () => {
    const m = tinyModel();
    m.input = { shape: [4, 4, 1], scale: 2 / 255, zeroPoint: -100, bits: 8, qmin: -128, qmax: 127 };
    // p/255 / (2/255) = p/2: 0 -> -100, 1 -> 0.5 -> 1 - 100 = -99, 3 -> 1.5 -> 2 -> -98, 255 -> 127.5 -> 128 -> 28
    assert.deepEqual([...quantizeImage(m, Uint8Array.from([0, 1, 3, 255]))], [-100, -99, -98, 28]);
    m.input = { shape: [4, 4, 1], scale: 1 / 255 / 2, zeroPoint: 0, bits: 8, qmin: -128, qmax: 127 };
    assert.deepEqual([...quantizeImage(m, Uint8Array.from([10, 63, 64, 200]))], [20, 126, 127, 127]); // clamped
    // the trainer's fixed input quantization (scale 1/255, zero point -128) maps every pixel p to p - 128
    m.input = { shape: [4, 4, 1], scale: 1 / 255, zeroPoint: -128, bits: 8, qmin: -128, qmax: 127 };
    const all = Uint8Array.from({ length: 256 }, (_, p) => p);
    assert.deepEqual([...quantizeImage(m, all)], [...all].map((p) => p - 128));
  });

  describe('GEMM and im2col', () => {
    // the native engine is built by `make native` (make test runs it first): its absence fails, naming the fix
    const engines: GemmEngine[] = wasmGemmAvailable() ? ['js', 'wasm', 'native'] : ['js', 'native'];
    for (const engine of engines) {
      it(`gemmInt8 (${engine}) equals a triple loop on odd shapes (edges of the tiles)`, () => {
        if (engine === 'native') assert.ok(nativeGemmAvailable(), `the native kernels: ${nativeStatus()}`);
        const rng = new Rng(SEED);
        // the native tiles: 8, 4 and 1 rows, 32 and 16 columns, K in quads with a partial last one
        const shapes = [[1, 1, 1], [5, 7, 3], [4, 4, 4], [9, 13, 6], [17, 2, 11], [8, 33, 16], [6, 72, 19], [3, 5, 17], [13, 130, 33], [2, 3, 40], [23, 64, 48], [11, 9, 65]] as const;
        for (const [m, k, n] of shapes) {
          const a = Int8Array.from({ length: m * k }, () => rng.int(-128, 127));
          const b = Int8Array.from({ length: k * n }, () => rng.int(-128, 127));
          const c = gemmInt8(a, b, m, k, n, undefined, engine);
          for (let i = 0; i < m; i++) {
            for (let j = 0; j < n; j++) {
              let s = 0;
              for (let t = 0; t < k; t++) s += (a[i * k + t] as number) * (b[t * n + j] as number);
              assert.equal(c[i * n + j], s, `seed ${SEED}, [${m}, ${k}, ${n}] at (${i}, ${j})`);
            }
          }
        }
      });
      it(`gemmInt8 (${engine}) wraps int32 like the accumulator past the safe K`, () => {
        if (engine === 'native') assert.ok(nativeGemmAvailable(), `the native kernels: ${nativeStatus()}`);
        const k = 131073; // maxSafeK() + 2 products of 16384; also many full chunks of the JS kernel's pair split
        const n = 8;
        const b = new Int8Array(k * n).fill(-128);
        for (let i = 0; i < k; i++) b[i * n + 5] = 127; // one column of the other sign, sharing a packed pair
        const c = gemmInt8(new Int8Array(k).fill(-128), b, 1, k, n, undefined, engine);
        assert.equal(c[0], (k * 16384) | 0);
        assert.ok((c[0] as number) < 0);
        assert.equal(c[4], (k * 16384) | 0);
        assert.equal(c[5], (k * -16256) | 0);
      });
    }
    it('goldenKernels names the native path, or the engine that runs instead and why', () => {
      assert.ok(nativeGemmAvailable(), `the native kernels: ${nativeStatus()}`);
      // a build with only its portable loops leaves the WebAssembly kernels the default
      if (nativeKernels()?.isa === 'portable') assert.equal(goldenKernels(), 'WebAssembly SIMD (the native kernels have only their portable loops here, slower)');
      else assert.match(goldenKernels(), /^native, (amx-int8|avx512-vnni)$/);
      const before = process.env.INT8COSIM_GEMM;
      try {
        process.env.INT8COSIM_GEMM = 'wasm';
        assert.equal(goldenKernels(), 'WebAssembly SIMD (INT8COSIM_GEMM=wasm)');
        process.env.INT8COSIM_GEMM = 'js';
        assert.equal(goldenKernels(), 'plain JS (INT8COSIM_GEMM=js)');
        process.env.INT8COSIM_GEMM = 'native';
        assert.match(goldenKernels(), /^native, (amx-int8|avx512-vnni|portable)$/);
      } finally {
        if (before === undefined) delete process.env.INT8COSIM_GEMM;
        else process.env.INT8COSIM_GEMM = before;
      }
    });
    it('im2col lays out patches in (kh, kw, cin) order with the zero point in the padding', () => {
      // 3x3x2 input, 2x2 kernel, stride 1, same: out 3x3, pad bottom/right only (padTotal = 1, before = 0)
      const g = convGeometry([3, 3, 2], [2, 2], [1, 1], 'same');
      assert.deepEqual([g.outH, g.outW, g.padTop, g.padLeft], [3, 3, 0, 0]);
      const x = Int8Array.from({ length: 18 }, (_, i) => i);
      const cols = im2col(x, g, -7);
      // row for output (0, 0): pixels (0,0), (0,1), (1,0), (1,1), each 2 channels
      assert.deepEqual([...cols.subarray(0, 8)], [0, 1, 2, 3, 6, 7, 8, 9]);
      // output (2, 2): pixel (2,2) then three padded pixels
      assert.deepEqual([...cols.subarray(8 * 8, 9 * 8)], [16, 17, -7, -7, -7, -7, -7, -7]);
      // 3x3 kernel, stride 2, same on 4x4: out 2x2, padTotal = 1 -> before 0; on 5x5: out 3, padTotal 2 -> before 1
      assert.equal(convGeometry([4, 4, 1], [3, 3], [2, 2], 'same').padTop, 0);
      assert.equal(convGeometry([5, 5, 1], [3, 3], [2, 2], 'same').padTop, 1);
    });
  });

  it('maxpool2d (2x2 fast path and the general window) equals a direct max, odd sizes floor', () => {
    const rng = new Rng(SEED + 3);
    for (const [h, w, c, ph, pw, sh, sw] of [[5, 7, 3, 2, 2, 2, 2], [4, 4, 1, 2, 2, 2, 2], [6, 5, 2, 3, 3, 1, 1], [7, 7, 2, 3, 2, 2, 3], [3, 8, 1, 1, 2, 1, 2]] as const) {
      const g = convGeometry([h, w, c], [ph, pw], [sh, sw], 'valid');
      const layer = { type: 'maxpool2d' as const, name: 'p', inputShape: [h, w, c], outputShape: [g.outH, g.outW, c], pool: [ph, pw] as [number, number], strides: [sh, sw] as [number, number], padding: 'valid' as const };
      const batch = 2;
      const x = Int8Array.from({ length: batch * h * w * c }, () => rng.int(-128, 127));
      const got = runLayer(layer, x, 'single', batch);
      let o = 0;
      for (let b = 0; b < batch; b++) {
        for (let oy = 0; oy < g.outH; oy++) {
          for (let ox = 0; ox < g.outW; ox++) {
            for (let ch = 0; ch < c; ch++, o++) {
              let best = -Infinity;
              for (let ky = 0; ky < ph; ky++) for (let kx = 0; kx < pw; kx++) best = Math.max(best, x[((b * h + oy * sh + ky) * w + ox * sw + kx) * c + ch] as number);
              assert.equal(got[o], best, `[${h}, ${w}, ${c}] pool ${ph}x${pw} stride ${sh}x${sw} at ${b},${oy},${ox},${ch}`);
            }
          }
        }
      }
      assert.equal(o, got.length);
    }
  });

  it('evaluate quantizes uint8 pixels itself and agrees with quantizeImage + runGolden', () => {
    const rng = new Rng(SEED + 4);
    const model = randomModel(rng, { inputShape: [6, 6, 1], layers: ['conv2d', 'maxpool2d', 'dense'], classes: 4 });
    const count = 37; // not a multiple of the batch size
    const pixels = Uint8Array.from({ length: count * 36 }, () => rng.int(0, 255));
    const labels = Array.from({ length: count }, () => rng.int(0, 3));
    const ev = evaluate(model, pixels, labels, { batchSize: 8 });
    let correct = 0;
    for (let i = 0; i < count; i++) {
      const out = runGolden(model, quantizeImage(model, pixels.subarray(i * 36, (i + 1) * 36))).output;
      assert.equal(ev.predictions[i], argmax(out), `image ${i}`);
      if (argmax(out) === labels[i]) correct++;
    }
    assert.equal(ev.correct, correct);
    assert.equal(ev.count, count);
  });

  describe('conv2d and dense against a direct computation', () => {
    /** The convolution written straight from its definition: real zero (x = Z_in) outside the image. */
    function directConv(layer: Conv2DLayer, x: Int8Array, mode: 'single' | 'double' = 'single'): Int8Array {
      const [inH, inW, inC] = layer.inputShape as [number, number, number];
      const [outH, outW, n] = layer.outputShape as [number, number, number];
      const [kh, kw] = layer.kernel;
      const [sh, sw] = layer.strides;
      // TF: total padding so that out = ceil(in / s); the odd one goes at the end
      const padTop = layer.padding === 'same' ? Math.floor(Math.max((outH - 1) * sh + kh - inH, 0) / 2) : 0;
      const padLeft = layer.padding === 'same' ? Math.floor(Math.max((outW - 1) * sw + kw - inW, 0) / 2) : 0;
      const zIn = layer.input.zeroPoint;
      const out = new Int8Array(outH * outW * n);
      for (let oy = 0; oy < outH; oy++) {
        for (let ox = 0; ox < outW; ox++) {
          for (let c = 0; c < n; c++) {
            let acc = 0;
            for (let ky = 0; ky < kh; ky++) {
              for (let kx = 0; kx < kw; kx++) {
                const iy = oy * sh - padTop + ky;
                const ix = ox * sw - padLeft + kx;
                if (iy < 0 || iy >= inH || ix < 0 || ix >= inW) continue; // (x - Z_in) = 0 in the padding
                for (let ci = 0; ci < inC; ci++) {
                  const w = layer.weights[((ky * kw + kx) * inC + ci) * n + c] as number;
                  acc = (acc + ((x[(iy * inW + ix) * inC + ci] as number) - zIn) * w) | 0;
                }
              }
            }
            const v = requantize(acc, layer.bias[c] as number, layer.multiplier[c] as number, layer.shift[c] as number, layer.output.zeroPoint, layer.actMin, layer.actMax, mode);
            out[(oy * outW + ox) * n + c] = v;
          }
        }
      }
      return out;
    }

    it('conv2d with strides 1 and 2, same and valid padding, odd sizes', () => {
      const rng = new Rng(SEED);
      let cases = 0;
      for (let i = 0; i < 40; i++) {
        const model = randomModel(rng, { layers: ['conv2d', 'dense'], inputShape: [rng.int(3, 9), rng.int(3, 9), rng.int(1, 4)] });
        const layer = model.layers[0] as Conv2DLayer;
        // force the interesting cases: every combination of stride and padding comes up
        const x = Int8Array.from({ length: layer.inputShape.reduce((a, b) => a * b, 1) }, () => rng.int(layer.input.qmin, layer.input.qmax));
        const got = runLayer(layer, x, 'single');
        assert.deepEqual([...got], [...directConv(layer, x)], `seed ${SEED}, case ${i}: ${layer.kernel} stride ${layer.strides} ${layer.padding} on [${layer.inputShape}]`);
        if (layer.strides.includes(2)) cases++;
      }
      assert.ok(cases > 5, 'the random layers include stride-2 convolutions');
    });

    it('stride-2 same conv with a 3x3 kernel on an even and an odd input', () => {
      const rng = new Rng(SEED + 1);
      for (const size of [6, 7]) {
        const model = randomModel(rng, { layers: ['conv2d', 'dense'], inputShape: [size, size, 2] });
        const base = model.layers[0] as Conv2DLayer;
        const n = base.bias.length;
        const w = intRange(base.weightBits, true);
        for (const padding of ['same', 'valid'] as const) {
          const g = convGeometry(base.inputShape, [3, 3], [2, 2], padding);
          const layer: Conv2DLayer = {
            ...base,
            kernel: [3, 3],
            strides: [2, 2],
            padding,
            outputShape: [g.outH, g.outW, n],
            weights: Int8Array.from({ length: 9 * 2 * n }, () => rng.int(w.qmin, w.qmax)),
          };
          const x = Int8Array.from({ length: size * size * 2 }, () => rng.int(-128, 127));
          assert.deepEqual([...runLayer(layer, x, 'single')], [...directConv(layer, x)], `${size}x${size} ${padding}`);
        }
      }
    });

    it('extreme layers (int32 biases, every shift, weights at the range ends) in both modes', () => {
      const rng = new Rng(SEED + 5);
      for (let i = 0; i < 20; i++) {
        const model = randomModel(rng, { layers: ['conv2d', 'dense'], inputShape: [rng.int(3, 7), rng.int(3, 7), rng.int(1, 3)], extreme: true });
        const layer = model.layers[0] as Conv2DLayer;
        const x = Int8Array.from({ length: layer.inputShape.reduce((a, b) => a * b, 1) }, () => rng.pick([-128, 127, rng.int(-128, 127)]));
        for (const mode of ['single', 'double'] as const) {
          assert.deepEqual([...runLayer(layer, x, mode)], [...directConv(layer, x, mode)], `seed ${SEED + 5}, case ${i}, ${mode}`);
        }
      }
    });

    it('dense equals sum (x - Z_in) w + bias, requantized', () => {
      const rng = new Rng(SEED + 2);
      const model = randomModel(rng, { layers: ['dense', 'dense'], inputShape: [37] });
      const layer = model.layers[0];
      assert.ok(layer?.type === 'dense');
      const x = Int8Array.from({ length: 37 }, () => rng.int(layer.input.qmin, layer.input.qmax));
      const n = layer.bias.length;
      const got = runLayer(layer, x, 'double');
      for (let c = 0; c < n; c++) {
        let acc = 0;
        for (let k = 0; k < 37; k++) acc += ((x[k] as number) - layer.input.zeroPoint) * (layer.weights[k * n + c] as number);
        const want = requantize(acc, layer.bias[c] as number, layer.multiplier[c] as number, layer.shift[c] as number, layer.output.zeroPoint, layer.actMin, layer.actMax, 'double');
        assert.equal(got[c], want, `channel ${c}`);
      }
    });
  });
});
