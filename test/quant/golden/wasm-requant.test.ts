/**
 * kernels.wat's `requant`, `requant_rows` and `requant_rows_double` (with the records of
 * quant/golden/wasm/output-stages.ts) against quant/spec's requantize,
 * element by element, in every rounding mode: a sweep of every shift in [-31, 30] with m0 and accumulators at
 * their extremes and biases at the int32 limits, exact ties of both roundings, then seeded property tests
 * (fast-check; FC_SEED, FC_RUNS) over random columns. Also the parameters the kernel refuses (the JS path runs
 * them).
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  INT32_MAX,
  INT32_MIN,
  M0_MAX,
  M0_MIN,
  ROUNDING_MODES,
  SHIFT_MAX,
  SHIFT_MIN,
  requantize,
  type RoundingMode,
} from '../../../quant/spec/index.ts';
import { align16, wasmKernels, wasmMemory } from '../../../quant/golden/wasm/kernels.ts';
import { outputStages } from '../../../quant/golden/wasm/output-stages.ts';
import { check, runsOr } from '../fc-helpers.ts';

const RUNS = runsOr(400);

interface Column {
  bias: number;
  m0: number;
  shift: number;
}

interface Stage {
  zp: number;
  actMin: number;
  actMax: number;
}

/** requant of rows x columns accumulators (row-major, rows a multiple of 4) on the kernel. */
function kernelRequant(acc: Int32Array, columns: Column[], mode: RoundingMode, st: Stage): Int8Array {
  const kern = wasmKernels();
  assert.ok(kern, 'WebAssembly SIMD is available on this runtime');
  const n = columns.length;
  const rows = acc.length / n;
  assert.equal(rows % 4, 0);
  const stages = outputStages(
    Int32Array.from(columns, (c) => c.bias),
    Int32Array.from(columns, (c) => c.m0),
    Int32Array.from(columns, (c) => c.shift),
    mode,
    st.zp,
    st.actMin,
    st.actMax,
  );
  assert.ok(stages, 'the kernel takes these parameters');
  const stOff = align16(acc.byteLength);
  const outOff = align16(stOff + stages.bytes.length);
  const buf = wasmMemory(kern, outOff + rows * n + 16);
  new Int32Array(buf, 0, acc.length).set(acc);
  new Uint8Array(buf, stOff, stages.bytes.length).set(stages.bytes);
  kern.requant(0, n, outOff, rows, n, stOff, stages.zp, stages.lo, stages.hi);
  return new Int8Array(buf, outOff, rows * n).slice();
}

/**
 * requant_rows (single) or requant_rows_double (double, ruy) of rows x columns accumulators (row-major), or
 * undefined when the layer is not in that form.
 */
function kernelRequantRows(acc: Int32Array, columns: Column[], st: Stage, mode: RoundingMode = 'single'): Int8Array | undefined {
  const kern = wasmKernels();
  assert.ok(kern);
  const n = columns.length;
  const np = (n + 7) & ~7;
  const rows = acc.length / n;
  const stages = outputStages(
    Int32Array.from(columns, (c) => c.bias),
    Int32Array.from(columns, (c) => c.m0),
    Int32Array.from(columns, (c) => c.shift),
    mode,
    st.zp,
    st.actMin,
    st.actMax,
  );
  if (stages?.rows === undefined) return undefined;
  assert.equal(stages.rows.double === true, mode !== 'single', 'the form of the mode');
  const padded = new Int32Array(rows * np);
  for (let r = 0; r < rows; r++) padded.set(acc.subarray(r * n, (r + 1) * n), r * np);
  const stOff = align16(padded.byteLength);
  const outOff = align16(stOff + stages.rows.bytes.length);
  const buf = wasmMemory(kern, outOff + rows * np + 16);
  new Int32Array(buf, 0, padded.length).set(padded);
  new Uint8Array(buf, stOff, stages.rows.bytes.length).set(stages.rows.bytes);
  const run = mode === 'single' ? kern.requant_rows : kern.requant_rows_double;
  run(0, np, outOff, rows, stOff, stages.zp, stages.lo, stages.hi, stages.rows.sh, stages.rows.u);
  const out = new Int8Array(buf, outOff, rows * np);
  return Int8Array.from({ length: rows * n }, (_, i) => out[Math.floor(i / n) * np + (i % n)] as number);
}

function compare(got: Int8Array, acc: Int32Array, columns: Column[], mode: RoundingMode, st: Stage, what: string): void {
  const n = columns.length;
  for (let i = 0; i < acc.length; i++) {
    const c = columns[i % n] as Column;
    const a = acc[i] as number;
    const want = (requantize(a, c.bias, c.m0, c.shift, st.zp, st.actMin, st.actMax, mode) << 24) >> 24;
    if (got[i] !== want) {
      assert.fail(`${what} ${mode}: acc ${a}, bias ${c.bias}, m0 ${c.m0}, shift ${c.shift}, zp ${st.zp}, [${st.actMin}, ${st.actMax}]: kernel ${got[i]}, spec ${want}`);
    }
  }
}

/** Element-by-element comparison with the spec (requant, and requant_rows where the layer is in its form). */
function assertSpec(acc: Int32Array, columns: Column[], mode: RoundingMode, st: Stage): void {
  compare(kernelRequant(acc, columns, mode, st), acc, columns, mode, st, 'requant');
  const rows = kernelRequantRows(acc, columns, st, mode);
  if (rows) compare(rows, acc, columns, mode, st, mode === 'single' ? 'requant_rows' : 'requant_rows_double');
}

const EXTREME_ACC = [INT32_MIN, INT32_MIN + 1, -(2 ** 30) - 1, -(2 ** 30), -(2 ** 16), -65537, -3, -2, -1, 0, 1, 2, 3, 65535, 2 ** 16, 2 ** 30, 2 ** 30 + 1, INT32_MAX - 1, INT32_MAX];
const EXTREME_M0 = [0, 1, M0_MIN, M0_MIN + 1, 1518500250, M0_MAX - 1, M0_MAX];
const EXTREME_BIAS = [0, INT32_MIN, INT32_MAX, -1];

describe('quant/golden/wasm requant equals quant/spec requantize', function () {
  before(function () {
    if (wasmKernels() === null) this.skip();
  });

  for (const mode of ROUNDING_MODES) {
    it(`${mode}: every shift in [${SHIFT_MIN}, ${SHIFT_MAX}] x m0 at its extremes x acc and bias at the int32 limits`, () => {
      const columns: Column[] = [];
      for (let shift = SHIFT_MIN; shift <= SHIFT_MAX; shift++) {
        for (const m0 of EXTREME_M0) for (const bias of EXTREME_BIAS) columns.push({ bias, m0, shift });
      }
      const rows = EXTREME_ACC.length + ((4 - (EXTREME_ACC.length % 4)) % 4);
      const acc = new Int32Array(rows * columns.length);
      for (let r = 0; r < rows; r++) acc.fill(EXTREME_ACC[r % EXTREME_ACC.length] as number, r * columns.length, (r + 1) * columns.length);
      for (const st of [{ zp: 0, actMin: -128, actMax: 127 }, { zp: -128, actMin: -128, actMax: 127 }, { zp: 127, actMin: -128, actMax: 127 }, { zp: -5, actMin: -5, actMax: 100 }, { zp: 3, actMin: 7, actMax: 7 }]) {
        assertSpec(acc, columns, mode, st);
      }
    });

    it(`${mode}: exact ties of the rounding at every shift (m0 = 2^30, acc = odd multiples of powers of two)`, () => {
      const columns: Column[] = [];
      for (let shift = SHIFT_MIN; shift <= SHIFT_MAX; shift++) columns.push({ bias: 0, m0: M0_MIN, shift });
      const accs: number[] = [];
      for (let e = 0; e <= 30; e++) for (const odd of [1, -1, 3, -3]) accs.push(odd * 2 ** e);
      while (accs.length % 4 !== 0) accs.push(0);
      const acc = new Int32Array(accs.length * columns.length);
      accs.forEach((a, r) => acc.fill(a | 0, r * columns.length, (r + 1) * columns.length));
      // wide output bounds so that the ties show in the result rather than in the clamp
      assertSpec(acc, columns, mode, { zp: 0, actMin: -(2 ** 16), actMax: 2 ** 16 });
      assertSpec(acc, columns, mode, { zp: 0, actMin: -128, actMax: 127 });
      if (mode !== 'single') {
        // the row form: shifts 30 .. -22 (right shifts up to its largest) in one layer, every tie
        const rowColumns = columns.filter((c) => c.shift >= -22);
        const rowAcc = new Int32Array(accs.length * rowColumns.length);
        accs.forEach((a, r) => rowAcc.fill(a | 0, r * rowColumns.length, (r + 1) * rowColumns.length));
        for (const st of [{ zp: 0, actMin: -128, actMax: 127 }, { zp: 5, actMin: -100, actMax: 90 }]) {
          const rows = kernelRequantRows(rowAcc, rowColumns, st, mode);
          assert.ok(rows);
          compare(rows, rowAcc, rowColumns, mode, st, 'requant_rows_double');
        }
      }
      if (mode === 'single') {
        // the row form: shifts -1 .. -23 (its widest spread) in one layer
        const rowColumns = columns.filter((c) => c.shift <= -1 && c.shift >= -23);
        const rowAcc = new Int32Array(accs.length * rowColumns.length);
        accs.forEach((a, r) => rowAcc.fill(a | 0, r * rowColumns.length, (r + 1) * rowColumns.length));
        for (const st of [{ zp: 0, actMin: -128, actMax: 127 }, { zp: 5, actMin: -100, actMax: 90 }]) {
          const rows = kernelRequantRows(rowAcc, rowColumns, st);
          assert.ok(rows);
          compare(rows, rowAcc, rowColumns, 'single', st, 'requant_rows');
        }
      }
    });
  }

  it('requant_rows (single rounding, shifts <= -1 spread up to 22, int8 bounds): every window of shifts x extremes', () => {
    let covered = 0;
    for (let top = -1; top >= SHIFT_MIN; top--) {
      for (const spread of [0, 1, 3, 22]) {
        const shifts = [top, Math.max(SHIFT_MIN, top - spread), Math.max(SHIFT_MIN, top - Math.floor(spread / 2))];
        const columns: Column[] = [];
        for (const shift of shifts) for (const m0 of EXTREME_M0) for (const bias of EXTREME_BIAS.slice(0, 3)) columns.push({ bias, m0, shift });
        const acc = new Int32Array(EXTREME_ACC.length * columns.length);
        EXTREME_ACC.forEach((a, r) => acc.fill(a, r * columns.length, (r + 1) * columns.length));
        for (const st of [{ zp: 0, actMin: -128, actMax: 127 }, { zp: -128, actMin: -128, actMax: 127 }, { zp: 127, actMin: 0, actMax: 127 }, { zp: 3, actMin: 7, actMax: 7 }]) {
          const rows = kernelRequantRows(acc, columns, st);
          assert.ok(rows, `shifts ${shifts} take the row form`);
          compare(rows, acc, columns, 'single', st, 'requant_rows');
          covered++;
        }
      }
    }
    assert.equal(covered, 31 * 4 * 4);
    const wide = [{ bias: 0, m0: M0_MIN, shift: -1 }, { bias: 0, m0: M0_MIN, shift: -24 }];
    assert.equal(kernelRequantRows(new Int32Array(8), wide, { zp: 0, actMin: -128, actMax: 127 }), undefined, 'a spread of 23 is not in the row form');
    assert.equal(kernelRequantRows(new Int32Array(8), [{ bias: 0, m0: M0_MIN, shift: 0 }], { zp: 0, actMin: -128, actMax: 127 }), undefined, 'shift 0 is not');
  });

  for (const mode of ['double', 'ruy'] as const) {
    it(`requant_rows_double, ${mode} (right shifts <= 22, int8 bounds): every window of shifts x extremes, and what it refuses`, () => {
      let covered = 0;
      for (let top = SHIFT_MAX; top >= -22; top--) {
        for (const spread of [0, 1, 5, 22, 52]) {
          const shifts = [top, Math.max(-22, top - spread), Math.max(-22, top - Math.floor(spread / 2))];
          const columns: Column[] = [];
          for (const shift of shifts) for (const m0 of EXTREME_M0) for (const bias of EXTREME_BIAS) columns.push({ bias, m0, shift });
          const acc = new Int32Array(EXTREME_ACC.length * columns.length);
          EXTREME_ACC.forEach((a, r) => acc.fill(a, r * columns.length, (r + 1) * columns.length));
          for (const st of [{ zp: 0, actMin: -128, actMax: 127 }, { zp: -128, actMin: -128, actMax: 127 }, { zp: 127, actMin: -128, actMax: 127 }, { zp: -128, actMin: 127, actMax: 127 }, { zp: 3, actMin: 7, actMax: 7 }]) {
            const rows = kernelRequantRows(acc, columns, st, mode);
            assert.ok(rows, `shifts ${shifts} take the row form`);
            compare(rows, acc, columns, mode, st, 'requant_rows_double');
            covered++;
          }
        }
      }
      assert.equal(covered, 53 * 5 * 5);
      const deep = [{ bias: 0, m0: M0_MIN, shift: 0 }, { bias: 0, m0: M0_MIN, shift: -23 }];
      assert.equal(kernelRequantRows(new Int32Array(8), deep, { zp: 0, actMin: -128, actMax: 127 }, mode), undefined, 'a right shift of 23 is not in the row form');
      assert.equal(kernelRequantRows(new Int32Array(8), [{ bias: 0, m0: M0_MIN, shift: -1 }], { zp: 0, actMin: -300, actMax: 127 }, mode), undefined, 'bounds beyond int8 are not');
    });
  }

  it('requant_rows_double on random layers in its form (fast-check, seeded)', () => {
    const int32 = fc.oneof(fc.integer({ min: INT32_MIN, max: INT32_MAX }), fc.constantFrom(...EXTREME_ACC), fc.integer({ min: -3000, max: 3000 }));
    const prop = fc.property(
      fc.constantFrom('double', 'ruy') as fc.Arbitrary<RoundingMode>,
      fc.array(fc.record({ bias: int32, m0: fc.oneof(fc.integer({ min: M0_MIN, max: M0_MAX }), fc.constantFrom(...EXTREME_M0)), shift: fc.integer({ min: -22, max: SHIFT_MAX }) }), { minLength: 1, maxLength: 20 }),
      fc.tuple(fc.integer({ min: -128, max: 127 }), fc.integer({ min: -128, max: 127 }), fc.integer({ min: -128, max: 127 })),
      fc.array(int32, { minLength: 64, maxLength: 64 }),
      (mode, columns, [zp, a, b], pool) => {
        const st = { zp, actMin: Math.min(a, b), actMax: Math.max(a, b) };
        const acc = Int32Array.from({ length: 5 * columns.length }, (_, i) => pool[i % pool.length] as number);
        const rows = kernelRequantRows(acc, columns, st, mode);
        assert.ok(rows);
        compare(rows, acc, columns, mode, st, 'requant_rows_double');
      },
    );
    check('wasm requant_rows_double', prop, RUNS);
  });

  it('random columns and accumulators in every mode (fast-check, seeded)', () => {
    const int32 = fc.oneof(fc.integer({ min: INT32_MIN, max: INT32_MAX }), fc.constantFrom(...EXTREME_ACC), fc.integer({ min: -300, max: 300 }));
    const m0 = fc.oneof(fc.integer({ min: M0_MIN, max: M0_MAX }), fc.constantFrom(...EXTREME_M0), fc.integer({ min: 0, max: M0_MAX }));
    const column = fc.record({ bias: int32, m0, shift: fc.integer({ min: SHIFT_MIN, max: SHIFT_MAX }) });
    const stage = fc
      .tuple(fc.integer({ min: -128, max: 127 }), fc.integer({ min: -128, max: 127 }), fc.integer({ min: -128, max: 127 }))
      .map(([zp, a, b]) => ({ zp, actMin: Math.min(a, b), actMax: Math.max(a, b) }));
    const prop = fc.property(
      fc.constantFrom(...ROUNDING_MODES),
      fc.array(column, { minLength: 1, maxLength: 9 }),
      fc.integer({ min: 1, max: 3 }),
      stage,
      fc.array(int32, { minLength: 108, maxLength: 108 }),
      (mode, columns, groups, st, pool) => {
        const acc = Int32Array.from({ length: 4 * groups * columns.length }, (_, i) => pool[i % pool.length] as number);
        assertSpec(acc, columns, mode, st);
      },
    );
    check('wasm requant', prop, RUNS);
  });

  it('requant_rows on random layers in its form (fast-check, seeded)', () => {
    const int32 = fc.oneof(fc.integer({ min: INT32_MIN, max: INT32_MAX }), fc.constantFrom(...EXTREME_ACC), fc.integer({ min: -3000, max: 3000 }));
    const prop = fc.property(
      fc.integer({ min: -31, max: -1 }),
      fc.array(fc.record({ bias: int32, m0: fc.oneof(fc.integer({ min: M0_MIN, max: M0_MAX }), fc.constantFrom(...EXTREME_M0)), drop: fc.integer({ min: 0, max: 22 }) }), { minLength: 1, maxLength: 20 }),
      fc.tuple(fc.integer({ min: -128, max: 127 }), fc.integer({ min: -128, max: 127 }), fc.integer({ min: -128, max: 127 })),
      fc.array(int32, { minLength: 64, maxLength: 64 }),
      (top, cols, [zp, a, b], pool) => {
        const columns = cols.map((c) => ({ bias: c.bias, m0: c.m0, shift: Math.max(SHIFT_MIN, top - c.drop) }));
        const spread = Math.max(...columns.map((c) => c.shift)) - Math.min(...columns.map((c) => c.shift));
        fc.pre(spread <= 22);
        const st = { zp, actMin: Math.min(a, b), actMax: Math.max(a, b) };
        const acc = Int32Array.from({ length: 5 * columns.length }, (_, i) => pool[i % pool.length] as number);
        const rows = kernelRequantRows(acc, columns, st);
        assert.ok(rows);
        compare(rows, acc, columns, 'single', st, 'requant_rows');
      },
    );
    check('wasm requant_rows', prop, RUNS);
  });

  it('refuses what it would not compute like the spec: m0 or shift out of range, actMin > actMax, huge zero points', () => {
    const one = (m0: number, shift: number) => [Int32Array.of(0), Int32Array.of(m0), Int32Array.of(shift)] as const;
    assert.equal(outputStages(...one(-1, 0), 'single', 0, -128, 127), undefined);
    assert.equal(outputStages(...one(M0_MIN, SHIFT_MIN - 1), 'double', 0, -128, 127), undefined);
    assert.equal(outputStages(...one(M0_MIN, SHIFT_MAX + 1), 'ruy', 0, -128, 127), undefined);
    assert.equal(outputStages(...one(M0_MIN, 0), 'single', 0, 5, 4), undefined);
    assert.equal(outputStages(...one(M0_MIN, 0), 'single', 2 ** 20, -128, 127), undefined);
    assert.ok(outputStages(...one(M0_MIN, 0), 'single', 0, -128, 127));
  });
});
