/**
 * quant/golden/native: every path of kernels.cc against the JS GEMM and quant/spec's requantize. The library
 * `make native` builds (-march=native: AMX on a CPU that has it, else AVX-512 VNNI where it has that), a build
 * without AMX (the VNNI path, on a CPU with both) and a portable build (-march=x86-64-v2, no AVX-512), made here
 * from the same source, on seeded random shapes over every tile edge and on sums that wrap int32.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../../../quant/random.ts';
import { convGeometry, im2col } from '../../../quant/format/index.ts';
import { nativeGeometry } from '../../../quant/golden/wasm/layers/mac-layer.ts';
import { nativeAddTable } from '../../../quant/golden/native/add-layer.ts';
import { addParams } from '../../../quant/spec/index.ts';
import { add, addDirect } from '../../../quant/kernels/index.ts';
import type { AddLayer } from '../../../quant/format/index.ts';
import { gemmInt8 } from '../../../quant/golden/index.ts';
import { nativeStages, packBNative } from '../../../quant/golden/gemm/native-gemm.ts';
import { requantize, ROUNDING_MODES, SHIFT_MAX, SHIFT_MIN, M0_MAX } from '../../../quant/spec/index.ts';
import { loadNativeKernels, nativeKernels, nativeStatus, type NativeKernels } from '../../../quant/golden/native/kernels.ts';

const SEED = process.env.SEED === undefined ? 23 : Number(process.env.SEED);
const SOURCE = fileURLToPath(new URL('../../../quant/golden/native/kernels.cc', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** gemm of one build against the JS engine on random shapes: m over the 8, 4 and 1-row tiles, n over 32/16 panels. */
function checkAgainstJs(kern: NativeKernels, seed: number): void {
  const rng = new Rng(seed);
  for (let t = 0; t < 120; t++) {
    const m = rng.int(1, 40);
    const k = t % 10 === 0 ? rng.int(1000, 3000) : rng.int(1, 200);
    const n = rng.int(1, 70);
    const a = Int8Array.from({ length: m * k }, () => rng.int(-128, 127));
    const b = Int8Array.from({ length: k * n }, () => rng.int(-128, 127));
    const c = new Int32Array(m * n);
    kern.gemm(a, k, packBNative(b, k, n).data, c, n, m, k, n);
    assert.deepEqual(c, gemmInt8(a, b, m, k, n, undefined, 'js'), `seed ${seed}, case ${t}: ${kern.isa} [${m}, ${k}, ${n}]`);
  }
  // wrap-around: 131073 products of 16384 (-128 x -128) and of -16256 pass 2^31 and wrap like the accumulator
  const k = 131073;
  const n = 17;
  const b = new Int8Array(k * n).fill(-128);
  for (let i = 0; i < k; i++) b[i * n + 16] = 127;
  const c = new Int32Array(n);
  kern.gemm(new Int8Array(k).fill(-128), k, packBNative(b, k, n).data, c, n, 1, k, n);
  assert.equal(c[0], (k * 16384) | 0);
  assert.equal(c[16], (k * -16256) | 0);
}

/** A random int32 with the ends and the powers of two around them often. */
function int32(rng: Rng): number {
  const pick = rng.int(0, 5);
  if (pick === 0) return [2 ** 31 - 1, -(2 ** 31), 0, -1, 1][rng.int(0, 4)] as number;
  if (pick === 1) return (rng.int(0, 1) === 0 ? 1 : -1) * 2 ** rng.int(0, 30) + rng.int(-2, 2);
  return (rng.next() * 2 ** 32 - 2 ** 31) | 0;
}

/**
 * The output stage of both entry points against quant/spec's requantize, every rounding mode: the fused epilogue
 * (ic_golden_gemm_requant; the accumulators of a small GEMM plus random int32 biases cover every x = acc + bias,
 * wrapped ones included) and the scalar ic_golden_requant on arbitrary int32 accumulators. Every shift in
 * [-31, 30], m0 at its ends and in between, random zero points and clamps.
 */
function checkRequant(kern: NativeKernels, seed: number): void {
  const rng = new Rng(seed);
  for (const mode of ROUNDING_MODES) {
    for (let t = 0; t < 40; t++) {
      const m = rng.int(1, 20);
      const k = rng.int(1, 40);
      const n = rng.int(1, 70);
      const bias = Int32Array.from({ length: n }, () => int32(rng));
      const m0 = Int32Array.from({ length: n }, () => [0, 1, 2 ** 30, M0_MAX, rng.int(2 ** 30, M0_MAX), rng.int(0, M0_MAX)][rng.int(0, 5)] as number);
      const shift = Int32Array.from({ length: n }, (_, j) => (t < 2 ? SHIFT_MIN + ((j + t * n) % (SHIFT_MAX - SHIFT_MIN + 1)) : rng.int(SHIFT_MIN, SHIFT_MAX)));
      const zp = rng.int(-128, 127);
      const actMin = rng.int(0, 1) === 0 ? -128 : rng.int(-128, 127);
      const actMax = rng.int(0, 1) === 0 ? 127 : rng.int(actMin, 127);
      const stages = nativeStages(bias, m0, shift, mode, zp, actMin, actMax);
      assert.ok(stages);
      const a = Int8Array.from({ length: m * k }, () => rng.int(-128, 127));
      const b = Int8Array.from({ length: k * n }, () => rng.int(-128, 127));
      const acc = gemmInt8(a, b, m, k, n, undefined, 'js');
      const want = Int8Array.from(acc, (v, i) => requantize(v, bias[i % n] as number, m0[i % n] as number, shift[i % n] as number, zp, actMin, actMax, mode));
      const fused = new Int8Array(m * n);
      kern.gemmRequant(a, k, packBNative(b, k, n).data, stages, fused, n, m, k, n);
      assert.deepEqual(fused, want, `seed ${seed}, ${mode} case ${t}: ${kern.isa} fused [${m}, ${k}, ${n}]`);
      const c = Int32Array.from({ length: m * n }, () => int32(rng));
      const scalar = new Int8Array(m * n);
      kern.requant(c, n, stages, scalar, n, m, n);
      const wantScalar = Int8Array.from(c, (v, i) => requantize(v, bias[i % n] as number, m0[i % n] as number, shift[i % n] as number, zp, actMin, actMax, mode));
      assert.deepEqual(scalar, wantScalar, `seed ${seed}, ${mode} case ${t}: ${kern.isa} requant on int32 accumulators`);
    }
  }
}

/**
 * ic_golden_conv and ic_golden_conv_requant against quant/format's im2col, the JS GEMM and the spec on random
 * geometries: kernels 1..5, strides 1..3, same and valid, inC 1..40 (runs of a few bytes to past 64), batches
 * whose rows end inside a tile, and pointwise convs.
 */
function checkConv(kern: NativeKernels, seed: number): void {
  const rng = new Rng(seed);
  for (let t = 0; t < 80; t++) {
    const inC = [1, 2, 3, 8, 16, 17, 32, 40][rng.int(0, 7)] as number;
    const shape = [rng.int(1, 12), rng.int(1, 12), inC];
    // every eighth a pointwise conv (1x1, stride 1), which multiplies the images as they lie
    const pointwise = t % 8 === 0;
    const kernel: [number, number] = pointwise ? [1, 1] : [rng.int(1, 5), rng.int(1, 5)];
    const padding = rng.int(0, 1) === 0 ? 'same' : 'valid';
    if (padding === 'valid' && (kernel[0] > (shape[0] as number) || kernel[1] > (shape[1] as number))) continue;
    const g = convGeometry(shape, kernel, pointwise ? [1, 1] : [rng.int(1, 3), rng.int(1, 3)], padding);
    const batch = rng.int(1, 6);
    const k = g.kh * g.kw * inC;
    const n = rng.int(1, 40);
    const pad = rng.int(-128, 127);
    const input = Int8Array.from({ length: batch * g.inH * g.inW * inC }, () => rng.int(-128, 127));
    const w = Int8Array.from({ length: k * n }, () => rng.int(-128, 127));
    const a = im2col(input, g, pad, batch);
    const m = a.length / k;
    const want = gemmInt8(a, w, m, k, n, undefined, 'js');
    const packed = packBNative(w, k, n).data;
    const c = new Int32Array(m * n);
    kern.conv(input, nativeGeometry(g), pad, packed, c, n, batch, n);
    const what = `seed ${seed}, case ${t}: ${kern.isa} conv [${shape}] kernel [${kernel}] strides [${g.strideH}, ${g.strideW}] ${padding}, batch ${batch}, N=${n}`;
    assert.deepEqual(c, want, what);
    const bias = Int32Array.from({ length: n }, () => int32(rng));
    const m0 = Int32Array.from({ length: n }, () => rng.int(2 ** 30, M0_MAX));
    const shift = Int32Array.from({ length: n }, () => rng.int(-20, 2));
    const mode = ROUNDING_MODES[t % 3] as (typeof ROUNDING_MODES)[number];
    const zp = rng.int(-128, 127);
    const stages = nativeStages(bias, m0, shift, mode, zp, -128, 127) as Int32Array;
    const out = new Int8Array(m * n);
    kern.convRequant(input, nativeGeometry(g), pad, packed, stages, out, n, batch, n);
    assert.deepEqual(out, Int8Array.from(want, (v, i) => requantize(v, bias[i % n] as number, m0[i % n] as number, shift[i % n] as number, zp, -128, 127, mode)), `${what}, ${mode} stage`);
  }
}

/**
 * ic_golden_add against quant/kernels add (the table of quant/spec addElement) and, on the first ten layers, the
 * spec's element loop, on 100 random layers: scales over 2^-6 .. 2^2, every zero point, clamps; the first takes
 * every pair of codes once, the lengths end inside a vector.
 */
function checkAdd(kern: NativeKernels, seed: number): void {
  const rng = new Rng(seed);
  for (let t = 0; t < 100; t++) {
    const q = () => ({ scale: 2 ** (rng.next() * 8 - 6), zeroPoint: rng.int(-128, 127) });
    const lo = rng.int(-128, 0);
    const params = addParams(q(), q(), q(), rng.int(0, 1) === 0 ? -128 : lo, rng.int(0, 1) === 0 ? 127 : rng.int(lo, 127));
    const n = t === 0 ? 65536 : rng.int(1, 3000);
    const layer = { type: 'add', name: `add${t}`, inputShape: [n], outputShape: [n], params } as unknown as AddLayer;
    const a = t === 0 ? Int8Array.from({ length: n }, (_, i) => (i >> 8) - 128) : Int8Array.from({ length: n }, () => rng.int(-128, 127));
    const b = t === 0 ? Int8Array.from({ length: n }, (_, i) => (i & 255) - 128) : Int8Array.from({ length: n }, () => rng.int(-128, 127));
    const out = new Int8Array(n);
    kern.add(a, b, nativeAddTable(params), out, n);
    assert.deepEqual(out, add(layer, a, b), `seed ${seed}, case ${t}: ${kern.isa} add of ${n} elements`);
    if (t < 10) assert.deepEqual(out, addDirect(layer, a, b), `seed ${seed}, case ${t}: ${kern.isa} add against the spec's element loop`);
  }
}

/**
 * ic_golden_depthwise_requant against a direct loop over the windows (taps outside the image read the pad code) and
 * the spec's requantize, on random geometries: channels 1..70 (blocks of 16 and tails), kernels 1..5, strides 1..3.
 */
function checkDepthwise(kern: NativeKernels, seed: number): void {
  const rng = new Rng(seed);
  for (let t = 0; t < 60; t++) {
    const inC = [1, 3, 8, 16, 17, 32, 64, 70][rng.int(0, 7)] as number;
    const shape = [rng.int(1, 10), rng.int(1, 10), inC];
    const kernel: [number, number] = [rng.int(1, 5), rng.int(1, 5)];
    const padding = rng.int(0, 1) === 0 ? 'same' : 'valid';
    if (padding === 'valid' && (kernel[0] > (shape[0] as number) || kernel[1] > (shape[1] as number))) continue;
    const g = convGeometry(shape, kernel, [rng.int(1, 3), rng.int(1, 3)], padding);
    const batch = rng.int(1, 4);
    const pad = rng.int(-128, 127);
    const input = Int8Array.from({ length: batch * g.inH * g.inW * inC }, () => rng.int(-128, 127));
    const w = Int8Array.from({ length: g.kh * g.kw * inC }, () => rng.int(-128, 127));
    const bias = Int32Array.from({ length: inC }, () => int32(rng));
    const m0 = Int32Array.from({ length: inC }, () => rng.int(2 ** 30, M0_MAX));
    const shift = Int32Array.from({ length: inC }, () => rng.int(-20, 4));
    const mode = ROUNDING_MODES[t % 3] as (typeof ROUNDING_MODES)[number];
    const zp = rng.int(-128, 127);
    const actMin = rng.int(0, 1) === 0 ? -128 : zp;
    const stages = nativeStages(bias, m0, shift, mode, zp, actMin, 127) as Int32Array;
    const cp = (inC + 31) & ~31;
    const packed = new Int8Array(g.kh * g.kw * cp);
    for (let i = 0; i < g.kh * g.kw; i++) packed.set(w.subarray(i * inC, (i + 1) * inC), i * cp);
    const want = new Int8Array(batch * g.outH * g.outW * inC);
    for (let b = 0; b < batch; b++) for (let oy = 0; oy < g.outH; oy++) for (let ox = 0; ox < g.outW; ox++) for (let c = 0; c < inC; c++) {
      let acc = 0;
      for (let ky = 0; ky < g.kh; ky++) for (let kx = 0; kx < g.kw; kx++) {
        const iy = oy * g.strideH - g.padTop + ky;
        const ix = ox * g.strideW - g.padLeft + kx;
        const x = iy >= 0 && iy < g.inH && ix >= 0 && ix < g.inW ? (input[((b * g.inH + iy) * g.inW + ix) * inC + c] as number) : pad;
        acc += x * (w[(ky * g.kw + kx) * inC + c] as number);
      }
      want[((b * g.outH + oy) * g.outW + ox) * inC + c] = requantize(acc, bias[c] as number, m0[c] as number, shift[c] as number, zp, actMin, 127, mode);
    }
    const out = new Int8Array(want.length);
    kern.depthwiseRequant(input, nativeGeometry(g), pad, packed, stages, out, batch);
    assert.deepEqual(out, want, `seed ${seed}, case ${t}: ${kern.isa} depthwise [${shape}] kernel [${kernel}] strides [${g.strideH}, ${g.strideW}] ${padding}, batch ${batch}, ${mode}`);
  }
}

/** Every check above on one build, each from its own seed. */
function checkAll(kern: NativeKernels, seed: number): void {
  checkAgainstJs(kern, seed);
  checkRequant(kern, seed + 1);
  checkConv(kern, seed + 2);
  checkAdd(kern, seed + 3);
  checkDepthwise(kern, seed + 4);
}

function cpuHas(flag: string): boolean {
  const cpu = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  return new RegExp(`\\b${flag}\\b`).test(cpu);
}

/** kernels.cc built with `flags` into a scratch folder, bound, handed to `check`. */
function withBuild(flags: string[], check: (kern: NativeKernels) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'golden-native-'));
  try {
    const so = join(dir, 'kernels.so');
    execFileSync('g++', ['-std=c++17', '-O3', ...flags, '-Wall', '-Wextra', '-Werror', '-shared', '-fPIC', '-o', so, SOURCE]);
    check(loadNativeKernels(so));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('quant/golden/native kernels equal the JS GEMM and quant/spec requantize', function () {
  this.timeout(120_000);

  it('the library make native built: on this CPU\'s fastest path, bit for bit', function () {
    const kern = nativeKernels();
    assert.ok(kern, `the native kernels: ${nativeStatus()}`);
    // Linux hands out the AMX state on request from 5.16 on (arch_prctl ARCH_REQ_XCOMP_PERM); an older kernel leaves the VNNI path
    const [major = 0, minor = 0] = release().split('.').map(Number);
    const amxGranted = process.platform === 'linux' && (major > 5 || (major === 5 && minor >= 16));
    if (cpuHas('amx_int8') && amxGranted) assert.equal(kern.isa, 'amx-int8', `this CPU has AMX and Linux ${release()} grants it: -march=native should compile that path`);
    else if (cpuHas('amx_int8')) assert.ok(kern.isa === 'amx-int8' || kern.isa === 'avx512-vnni', kern.isa);
    else if (cpuHas('avx512_vnni')) assert.equal(kern.isa, 'avx512-vnni', 'this CPU has AVX-512 VNNI: -march=native should compile that path');
    checkAll(kern, SEED);
  });

  it('a build without AMX on a CPU that has it (the AVX-512 VNNI path), bit for bit', function () {
    if (!cpuHas('amx_int8')) this.skip(); // elsewhere the library make native built is that path, checked above
    withBuild(['-march=native', '-mno-amx-tile', '-mno-amx-int8'], (kern) => {
      assert.equal(kern.isa, 'avx512-vnni');
      checkAll(kern, SEED + 100);
    });
  });

  it('a portable build named by INT8COSIM_GOLDEN_NATIVE is loaded, and the WebAssembly kernels still run by default', function () {
    if (process.arch !== 'x64') this.skip();
    const dir = mkdtempSync(join(tmpdir(), 'golden-native-'));
    try {
      const so = join(dir, 'portable.so');
      execFileSync('g++', ['-std=c++17', '-O3', '-march=x86-64-v2', '-shared', '-fPIC', '-o', so, SOURCE]);
      const script = `const g = await import('./quant/golden/gemm/gemm.ts');\nconsole.log(JSON.stringify([g.defaultGemmEngine(), g.goldenKernels()]));`;
      const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        cwd: ROOT, encoding: 'utf8', env: { ...process.env, INT8COSIM_GOLDEN_NATIVE: so, INT8COSIM_GEMM: '' },
      });
      assert.deepEqual(JSON.parse(out.trim().split('\n').pop() as string), ['wasm', 'WebAssembly SIMD (the native kernels have only their portable loops here, slower)']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a portable build of the same source (no AVX-512), bit for bit', function () {
    if (process.arch !== 'x64') this.skip(); // -march=x86-64-v2 names an x86 baseline
    withBuild(['-march=x86-64-v2'], (kern) => {
      assert.equal(kern.isa, 'portable');
      checkAll(kern, SEED + 200);
    });
  });
});
