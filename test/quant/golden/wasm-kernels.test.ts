/**
 * kernels.wat's im2col, maxpool, avgpool and whole MAC layers (quant/golden/wasm; their GEMM on kernels.wat and on
 * the native kernels) against their plain twins:
 * quant/format's im2col, quant/kernels' maxPool2d and averagePool2d, and im2col + the JS GEMM + quant/spec's
 * requantize, on seeded random geometries (SEED env var, printed on failure), every rounding mode, batches that
 * span several chunks.
 */
import assert from 'node:assert/strict';
import { Rng } from '../../../quant/random.ts';
import { foldInputZeroPoint, quantizeMultiplier, requantize, ROUNDING_MODES, type RoundingMode } from '../../../quant/spec/index.ts';
import { convGeometry, im2col, type AddLayer, type AvgPool2DLayer, type ConvGeometry, type MaxPool2DLayer } from '../../../quant/format/index.ts';
import { add, addDirect, averagePool2d, maxPool2d } from '../../../quant/kernels/index.ts';
import { addParams } from '../../../quant/spec/index.ts';
import { runWasmAdd } from '../../../quant/golden/wasm/layers/add-layer.ts';
import { gemmInt8, packB } from '../../../quant/golden/index.ts';
import { align16, wasmKernels, wasmMemory } from '../../../quant/golden/wasm/kernels.ts';
import { prepareWasmMaxPool, runWasmMaxPool } from '../../../quant/golden/wasm/layers/max-pool.ts';
import { prepareWasmAvgPool, runWasmAvgPool } from '../../../quant/golden/wasm/layers/avg-pool.ts';
import { prepareWasmMac, runWasmMac } from '../../../quant/golden/wasm/layers/mac-layer.ts';
import { nativeKernels, nativeStatus } from '../../../quant/golden/native/kernels.ts';
import { prepareLayer, runPreparedLayer } from '../../../quant/golden/layers.ts';
import { uniformArithmetic } from '../../../quant/format/arithmetic.ts';
import type { DepthwiseConv2DLayer } from '../../../quant/format/index.ts';

const SEED = process.env.SEED === undefined ? 17 : Number(process.env.SEED);

function randomGeometry(rng: Rng, inC: number): { g: ConvGeometry; shape: number[]; kernel: [number, number]; strides: [number, number]; padding: 'same' | 'valid' } {
  for (;;) {
    const shape = [rng.int(1, 9), rng.int(1, 9), inC];
    const kernel: [number, number] = [rng.int(1, 4), rng.int(1, 4)];
    const strides: [number, number] = [rng.int(1, 3), rng.int(1, 3)];
    const padding = rng.int(0, 1) === 0 ? 'same' : 'valid';
    if (padding === 'valid' && (kernel[0] > (shape[0] as number) || kernel[1] > (shape[1] as number))) continue;
    return { g: convGeometry(shape, kernel, strides, padding), shape, kernel, strides, padding };
  }
}

function randomInt8(rng: Rng, n: number): Int8Array {
  return Int8Array.from({ length: n }, () => rng.int(-128, 127));
}

/** conv2d or dense by the book: im2col, the JS GEMM, the spec's requantize per element. */
function referenceMac(input: Int8Array, batch: number, w: Int8Array, k: number, n: number, bias: Int32Array, m0: Int32Array, shift: Int32Array, zIn: number, zOut: number, actMin: number, actMax: number, mode: RoundingMode, g?: ConvGeometry): Int8Array {
  const a = g ? im2col(input, g, zIn, batch) : input;
  const m = a.length / k;
  const acc = gemmInt8(a, w, m, k, n, undefined, 'js');
  const folded = foldInputZeroPoint(bias, w, k, n, zIn);
  return Int8Array.from(acc, (v, i) => requantize(v, folded[i % n] as number, m0[i % n] as number, shift[i % n] as number, zOut, actMin, actMax, mode));
}

describe('quant/golden/wasm kernels equal their plain twins', function () {
  before(function () {
    if (wasmKernels() === null) this.skip();
  });

  it('im2col equals quant/format im2col on 300 random geometries (inC 1..17, strides 1..3, same and valid)', () => {
    const rng = new Rng(SEED);
    const kern = wasmKernels()!;
    let unrolled = 0; // cases on the kernel's unrolled path: kh = 3, runs of kw * inC <= 8 bytes
    let wide = 0; // cases whose runs are longer than 8 bytes, moved 16 at a time
    for (let t = 0; t < 300; t++) {
      const inC = [1, 2, 3, 4, 8, 16, 5, 17][rng.int(0, 7)] as number;
      const { g } = randomGeometry(rng, inC);
      if (g.kh === 3 && g.kw * inC <= 8) unrolled++;
      if (g.kw * inC > 8) wide++;
      const batch = rng.int(1, 3);
      const pad = rng.int(-128, 127);
      const input = randomInt8(rng, batch * g.inH * g.inW * inC);
      const want = im2col(input, g, pad, batch);
      const dst = align16(input.length + 16);
      const scratch = align16(dst + want.length + 16);
      const buf = wasmMemory(kern, scratch + ((g.outH - 1) * g.strideH + g.kh) * ((g.outW - 1) * g.strideW + g.kw) * inC + 16);
      new Int8Array(buf, 0, input.length).set(input);
      new Int8Array(buf, dst, want.length + 16).fill(99); // what the kernel must overwrite
      kern.im2col(0, dst, scratch, batch, g.inH, g.inW, g.inC, g.kh, g.kw, g.strideH, g.strideW, g.padTop, g.padLeft, g.outH, g.outW, pad);
      const got = new Int8Array(buf, dst, want.length);
      assert.deepEqual(got, want, `seed ${SEED}, case ${t}: im2col of ${batch} x [${g.inH}, ${g.inW}, ${inC}], kernel ${g.kh}x${g.kw}, strides ${g.strideH},${g.strideW}, pads ${g.padTop},${g.padLeft}`);
    }
    assert.ok(unrolled >= 20, `only ${unrolled} of 300 cases took the unrolled 3-row path`);
    assert.ok(wide >= 20, `only ${wide} of 300 cases took the 16-byte path`);
  });

  it('maxpool equals quant/kernels maxPool2d on 200 random layers (clipped same windows, clamps)', () => {
    const rng = new Rng(SEED + 1);
    for (let t = 0; t < 200; t++) {
      const inC = 8 * rng.int(1, 3);
      const { g, shape, kernel, strides, padding } = randomGeometry(rng, inC);
      const clamp = rng.int(0, 2);
      const a = rng.int(-128, 127);
      const b = rng.int(-128, 127);
      const layer: MaxPool2DLayer = {
        type: 'maxpool2d', name: `pool${t}`, inputShape: shape, outputShape: [g.outH, g.outW, inC], pool: kernel, strides, padding,
        ...(clamp === 0 ? {} : { actMin: Math.min(a, b), actMax: clamp === 1 ? Math.max(a, b) : 127 }),
      };
      const plan = prepareWasmMaxPool(layer);
      assert.ok(plan);
      const batch = rng.int(1, 3);
      const input = randomInt8(rng, batch * shape.reduce((x, y) => x * y, 1));
      assert.deepEqual(runWasmMaxPool(plan, input, batch), maxPool2d(layer, input, batch), `seed ${SEED + 1}, case ${t}: ${JSON.stringify(layer)}`);
    }
    const odd: MaxPool2DLayer = { type: 'maxpool2d', name: 'odd', inputShape: [4, 4, 3], outputShape: [2, 2, 3], pool: [2, 2], strides: [2, 2], padding: 'valid' };
    assert.equal(prepareWasmMaxPool(odd), undefined, 'channels not a multiple of 8 stay on the JS kernel');
  });

  it('avgpool equals quant/kernels averagePool2d on 200 random layers (clipped same windows, their counts, ties, clamps)', () => {
    const rng = new Rng(SEED + 9);
    for (let t = 0; t < 200; t++) {
      const inC = 8 * rng.int(1, 3);
      const { g, shape, kernel, strides, padding } = randomGeometry(rng, inC);
      const a = rng.int(-128, 127);
      const b = rng.int(-128, 127);
      const wide = rng.int(0, 1) === 0;
      const layer: AvgPool2DLayer = {
        type: 'avgpool2d', name: `avg${t}`, inputShape: shape, outputShape: [g.outH, g.outW, inC], pool: kernel, strides, padding,
        actMin: wide ? -128 : Math.min(a, b), actMax: wide ? 127 : Math.max(a, b),
      };
      const plan = prepareWasmAvgPool(layer);
      assert.ok(plan);
      const batch = rng.int(1, 3);
      // codes all at an extreme now and then: the largest sums, and windows whose average is a tie
      const extreme = [-128, 127, 0][rng.int(0, 5)];
      const input = extreme === undefined ? randomInt8(rng, batch * shape.reduce((x, y) => x * y, 1)) : new Int8Array(batch * shape.reduce((x, y) => x * y, 1)).map((_, i) => (i % 2 === 0 ? extreme : rng.int(-128, 127)));
      assert.deepEqual(runWasmAvgPool(plan, input, batch), averagePool2d(layer, input, batch), `seed ${SEED + 9}, case ${t}: ${JSON.stringify(layer)}`);
    }
    // a global pool of the DS-CNN's shape, 25 x 5 x 64
    const global: AvgPool2DLayer = { type: 'avgpool2d', name: 'global', inputShape: [25, 5, 64], outputShape: [1, 1, 64], pool: [25, 5], strides: [25, 5], padding: 'valid', actMin: -128, actMax: 127 };
    const x = randomInt8(new Rng(SEED + 10), 2 * 25 * 5 * 64);
    assert.deepEqual(runWasmAvgPool(prepareWasmAvgPool(global)!, x, 2), averagePool2d(global, x, 2));
    const odd: AvgPool2DLayer = { ...global, name: 'odd', inputShape: [4, 4, 3], outputShape: [2, 2, 3], pool: [2, 2], strides: [2, 2] };
    assert.equal(prepareWasmAvgPool(odd), undefined, 'channels not a multiple of 8 stay on the JS kernel');
  });

  it('add equals quant/kernels add and the spec element loop on 100 random layers (lengths 1..5000, every pair of codes once)', () => {
    const rng = new Rng(SEED + 11);
    for (let t = 0; t < 100; t++) {
      const q = () => ({ scale: 2 ** (rng.next() * 8 - 6), zeroPoint: rng.int(-128, 127) });
      const lo = rng.int(-128, 0);
      const params = addParams(q(), q(), q(), rng.int(0, 1) === 0 ? -128 : lo, rng.int(0, 1) === 0 ? 127 : rng.int(lo, 127));
      const n = t === 0 ? 65536 : rng.int(1, 5000);
      const layer = { type: 'add', name: `add${t}`, inputShape: [n], outputShape: [n], params } as unknown as AddLayer;
      // the first layer takes every pair of codes
      const a = t === 0 ? Int8Array.from({ length: n }, (_, i) => (i >> 8) - 128) : randomInt8(rng, n);
      const b = t === 0 ? Int8Array.from({ length: n }, (_, i) => (i & 255) - 128) : randomInt8(rng, n);
      const got = runWasmAdd(layer, a, b);
      assert.deepEqual(got, add(layer, a, b), `seed ${SEED + 11}, case ${t}: ${n} elements`);
      if (t < 10) assert.deepEqual(got, addDirect(layer, a, b), `seed ${SEED + 11}, case ${t}: the spec's element loop`);
    }
  });

  for (const engine of ['wasm', 'native'] as const) for (const mode of ROUNDING_MODES) {
    it(`conv2d and dense layers (${mode}, ${engine} GEMM) equal im2col + the JS GEMM + the spec, batches over several chunks`, () => {
      if (engine === 'native') assert.ok(nativeKernels(), `the native kernels: ${nativeStatus()}`);
      const rng = new Rng(SEED + 2 + ROUNDING_MODES.indexOf(mode));
      for (let t = 0; t < 40; t++) {
        const dense = t % 4 === 3;
        const inC = rng.int(1, 12);
        const geo = dense ? undefined : randomGeometry(rng, inC);
        const g = geo?.g;
        const k = g ? g.kh * g.kw * inC : rng.int(1, 300);
        const n = rng.int(1, 20);
        const w = Int8Array.from({ length: k * n }, () => rng.int(-127, 127));
        const bias = Int32Array.from({ length: n }, () => (t % 5 === 0 ? [2 ** 31 - 1, -(2 ** 31), 0][rng.int(0, 2)] as number : rng.int(-30000, 30000)));
        const m0 = new Int32Array(n);
        const shift = new Int32Array(n);
        for (let c = 0; c < n; c++) {
          const q = quantizeMultiplier(t % 7 === 0 ? 2 ** rng.int(-20, 8) * (1 + rng.next()) : 1 / (20 * Math.sqrt(k)) * (0.5 + rng.next()));
          m0[c] = q.m0;
          shift[c] = q.shift;
        }
        const zIn = rng.int(-128, 127);
        const zOut = rng.int(-128, 127);
        const relu = rng.int(0, 1) === 1;
        const actMin = relu ? zOut : -128;
        const actMax = 127;
        const plane = g ? g.outH * g.outW : 1;
        // enough images for more than one chunk of 2048 rows now and then
        const batch = t % 10 === 0 ? Math.ceil(2500 / plane) : rng.int(1, 5);
        const inSize = g ? g.inH * g.inW * inC : k;
        const input = randomInt8(rng, batch * inSize);
        const folded = foldInputZeroPoint(bias, w, k, n, zIn);
        const packed = packB(w, k, n, engine);
        const plan = prepareWasmMac(engine === 'native' ? { native: packed.native! } : { wasm: packed.wasm! }, { bias: folded, multiplier: m0, shift, mode, zp: zOut, actMin, actMax }, zIn, g);
        assert.ok(plan, 'the kernels take the layer');
        assert.equal(plan.native, engine === 'native');
        const got = runWasmMac(plan, input, batch);
        const want = referenceMac(input, batch, w, k, n, bias, m0, shift, zIn, zOut, actMin, actMax, mode, g);
        assert.deepEqual(got, want, `seed ${SEED + 2}, case ${t}: ${dense ? 'dense' : 'conv2d'} K=${k} N=${n} batch ${batch}`);
      }
    });
  }

  for (const engine of ['wasm', 'native'] as const) for (const mode of ROUNDING_MODES) {
    it(`depthwise2d layers (${mode}, ${engine} kernels) equal runDepthwise's JS loops (INT8COSIM_GEMM=js), batches over several chunks`, () => {
      if (engine === 'native') assert.ok(nativeKernels(), `the native kernels: ${nativeStatus()}`);
      const rng = new Rng(SEED + 10 + ROUNDING_MODES.indexOf(mode));
      for (let t = 0; t < 40; t++) {
        const inC = [1, 3, 8, 12, 16, 64][rng.int(0, 5)] as number;
        const { g, shape, kernel, strides, padding } = randomGeometry(rng, inC);
        const zOut = rng.int(-128, 127);
        const m0 = new Int32Array(inC);
        const shift = new Int32Array(inC);
        for (let c = 0; c < inC; c++) {
          const q = quantizeMultiplier(t % 7 === 0 ? 2 ** rng.int(-20, 6) * (1 + rng.next()) : (1 / 60) * (0.5 + rng.next()));
          m0[c] = q.m0;
          shift[c] = q.shift;
        }
        const layer: DepthwiseConv2DLayer = {
          type: 'depthwise2d', name: `dw${t}`, inputShape: shape, outputShape: [g.outH, g.outW, inC], kernel, strides, padding,
          weights: Int8Array.from({ length: g.kh * g.kw * inC }, () => rng.int(-127, 127)),
          bias: Int32Array.from({ length: inC }, () => (t % 5 === 0 ? [2 ** 31 - 1, -(2 ** 31), 0][rng.int(0, 2)] as number : rng.int(-30000, 30000))),
          multiplier: m0, shift, weightScales: new Float32Array(inC).fill(0.01), weightBits: 8,
          input: { scale: 0.1, zeroPoint: rng.int(-128, 127), bits: 8, qmin: -128, qmax: 127 },
          output: { scale: 0.1, zeroPoint: zOut, bits: 8, qmin: -128, qmax: 127 },
          actMin: rng.int(0, 1) === 1 ? zOut : -128, actMax: 127, relu: false,
        };
        const arithmetic = uniformArithmetic(mode);
        // INT8COSIM_GEMM names the engine a layer is prepared for: wasm keeps the native kernels out, js both, native
        // takes them whatever their path
        const withCap = <T>(cap: string | undefined, f: () => T): T => {
          const before = process.env.INT8COSIM_GEMM;
          if (cap === undefined) delete process.env.INT8COSIM_GEMM;
          else process.env.INT8COSIM_GEMM = cap;
          try {
            return f();
          } finally {
            if (before === undefined) delete process.env.INT8COSIM_GEMM;
            else process.env.INT8COSIM_GEMM = before;
          }
        };
        const wasm = withCap(engine, () => prepareLayer(layer, arithmetic));
        assert.ok(engine === 'native' ? wasm.nativeDepthwise : wasm.wasmDepthwise, `the ${engine} kernels take the layer`);
        const js = withCap('js', () => prepareLayer(layer, arithmetic));
        assert.equal(js.wasmDepthwise, undefined);
        assert.equal(js.nativeDepthwise, undefined);
        const plane = g.outH * g.outW;
        const batch = t % 10 === 0 ? Math.ceil(1500 / plane) : rng.int(1, 4);
        const input = randomInt8(rng, batch * g.inH * g.inW * inC);
        assert.deepEqual(runPreparedLayer(wasm, [input], batch), runPreparedLayer(js, [input], batch), `seed ${SEED + 10}, case ${t}: depthwise [${shape}] kernel ${kernel} strides ${strides} ${padding}, batch ${batch}`);
      }
    });
  }
});
