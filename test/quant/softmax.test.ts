/**
 * quant/spec softmax.ts: TFLite's int8 softmax in both variants. Exact rows that TFLite Micro's reference kernel and
 * TF 2.9's float lookup-table kernel give (compiled from their sources, with glibc's expf, for these vectors),
 * hand-worked points (uniform rows, a round-half-away tie), a float32 reference written with Float32Array
 * temporaries, and a float64 softmax within one code.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { expf, softmaxFloatLut, softmaxLookupTable, softmaxReference, softmaxReferenceParams } from '../../quant/spec/index.ts';
import { check } from './fc-helpers.ts';

const ref = (scale: number, beta: number, row: number[]): number[] => {
  const out = new Int8Array(row.length);
  softmaxReference(Int8Array.from(row), softmaxReferenceParams(scale, beta), out);
  return [...out];
};
const lut = (scale: number, beta: number, row: number[]): number[] => {
  const out = new Int8Array(row.length);
  softmaxFloatLut(Int8Array.from(row), softmaxLookupTable(scale, beta), 1 / 256, -128, out);
  return [...out];
};
/** round(256 * softmax) - 128 in float64 (the exact answer before the int8 rounding) */
function real(scale: number, beta: number, row: Int8Array): number[] {
  const m = Math.max(...row);
  const e = [...row].map((x) => Math.exp(Math.fround(scale) * Math.fround(beta) * (x - m)));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => (256 * v) / s - 128);
}

const rows = fc.integer({ min: 1, max: 40 }).chain((n) => fc.array(fc.integer({ min: -128, max: 127 }), { minLength: n, maxLength: n }));
const scales = fc.float({ min: Math.fround(0.002), max: Math.fround(0.5), noNaN: true });

/** The property that a softmax kernel (beta 1) is within one code of the float64 softmax on seeded random rows. */
function checkWithinOneCode(name: string, kernel: typeof ref, numRuns: number): void {
  check(
    name,
    fc.property(rows, scales, (row, s) => {
      const want = real(s, 1, Int8Array.from(row));
      const got = kernel(s, 1, row);
      want.forEach((r, i) => assert.ok(Math.abs((got[i] as number) - Math.min(127, r)) <= 1, `S=${s} row=${row}: ${got} vs ${want}`));
    }),
    numRuns,
  );
}

describe('quant/spec softmax, fixed point (TFLite Micro reference)', () => {
  it('softmaxReferenceParams: PreprocessSoftmaxScaling and CalculateInputRadius (TFLite Micro values)', () => {
    assert.deepEqual(softmaxReferenceParams(0.0625, 1), { inputMultiplier: 1073741824, inputLeftShift: 23, diffMin: -248 });
    assert.deepEqual(softmaxReferenceParams(1 / 256, 1), { inputMultiplier: 1073741824, inputLeftShift: 19, diffMin: -3968 });
    assert.deepEqual(softmaxReferenceParams(0.1, 1), { inputMultiplier: 1717986944, inputLeftShift: 23, diffMin: -248 });
    assert.deepEqual(softmaxReferenceParams(0.0359, 2.5), { inputMultiplier: 1541893280, inputLeftShift: 23, diffMin: -248 });
    assert.throws(() => softmaxReferenceParams(32, 1), /shift above 30/); // beta * S >= 16: TFLite's shift would be 31
  });
  it('gives the rows TFLite Micro gives', () => {
    assert.deepEqual(ref(0.0625, 1, [10, 0, -20, 5]), [-22, -71, -112, -51]);
    assert.deepEqual(ref(0.0625, 1, [0, 0, 0]), [-43, -43, -43]);
    assert.deepEqual(ref(0.0625, 1, [127, -128]), [127, -128]); // 1 saturates to 127; a difference below diffMin is -128
    assert.deepEqual(ref(0.1, 1, [-128, -100, -50, 0, 50]), [-128, -128, -128, -126, 126]);
    assert.deepEqual(ref(1 / 256, 1, [127, -128, 0]), [1, -80, -49]);
  });
  it('uniform rows: n equal inputs give round(256 / n) - 128', () => {
    for (const [n, want] of [[2, 0], [4, -64], [8, -96], [256, -127]] as const) assert.deepEqual(ref(0.05, 1, Array(n).fill(7)), Array(n).fill(want), `n=${n}`);
  });
  it('is within one code of the float64 softmax (property)', () => checkWithinOneCode('softmaxReference', ref, 2000));
});

describe('quant/spec softmax, float lookup table (TF 2.9 optimized)', () => {
  it('softmaxLookupTable: table[255 - d] = expf(float32(float32(-S * beta) * d)), table[255] = 1', () => {
    const t = softmaxLookupTable(0.058634147, 1);
    assert.equal(t[255], 1);
    assert.equal(t[5], 4.3040600417043606e-7); // glibc's expf(-14.658536911010742); fround(Math.exp) gives 4.3040597574872663e-7
    const s = Math.fround(-Math.fround(0.058634147));
    for (let d = 0; d < 256; d++) assert.equal(t[255 - d], expf(Math.fround(s * d)), `d=${d}`);
  });
  it('gives the rows TF 2.9 gives', () => {
    assert.deepEqual(lut(0.0625, 1, [10, 0, -20, 5]), [-22, -71, -112, -51]);
    assert.deepEqual(lut(0.0625, 1, [0, 0, 0]), [-43, -43, -43]); // inv = float32(1 / (3 / 256)) = 85.333336
    assert.deepEqual(lut(0.1, 1, [-128, -100, -50, 0, 50]), [-128, -128, -128, -126, 126]);
    assert.deepEqual(lut(1 / 256, 1, [127, -128, 0]), [1, -80, -49]);
  });
  it('rounds a tie away from zero: 512 equal inputs give prob exactly 0.5 -> 1 -> -127', () => {
    assert.deepEqual(lut(0.05, 1, Array(512).fill(3)), Array(512).fill(-127));
    assert.deepEqual(lut(0.05, 1, [3, 3]), [0, 0]); // 128 exactly
  });
  it('equals a float32 reference written with Float32Array temporaries (property)', () => {
    check(
      'softmaxFloatLut float32',
      fc.property(rows, scales, fc.constantFrom(1, 0.5, 2.25), (row, s, beta) => {
        const table = softmaxLookupTable(s, beta);
        const f = new Float32Array(4); // [sum, scale, inv, prob]
        const m = Math.max(...row);
        f[0] = 0;
        for (const x of row) f[0] = (f[0] as number) + (table[255 - m + x] as number);
        f[1] = 1 / 256;
        f[1] = (f[0] as number) * (f[1] as number);
        f[2] = 1 / (f[1] as number);
        const want = row.map((x) => {
          f[3] = (table[255 - m + x] as number) * (f[2] as number);
          const p = f[3] as number;
          const r = Math.sign(p) * Math.floor(Math.abs(p) + 0.5); // roundf on a float32 (no 0.49999 corner below 2^23)
          return Math.max(-128, Math.min(127, r - 128));
        });
        const out = new Int8Array(row.length);
        softmaxFloatLut(Int8Array.from(row), table, 1 / 256, -128, out);
        assert.deepEqual([...out], want, `S=${s} beta=${beta} row=${row}`);
      }),
      400, // each run builds a table: 256 emulated expf
    );
  });
  it('is within one code of the float64 softmax (property)', () => checkWithinOneCode('softmaxFloatLut', lut, 400));
  it('checks its arguments', () => {
    assert.throws(() => softmaxFloatLut(new Int8Array(2), new Float32Array(255), 1 / 256, -128, new Int8Array(2)), /256-entry table/);
    assert.throws(() => softmaxReference(new Int8Array(2), softmaxReferenceParams(0.1, 1), new Int8Array(3)), /output has 3 elements, input 2/);
  });
});
