/**
 * Corner-case GEMM generators of the regression:
 *  - accExtremeGemm: int8 extremes (-128 x -128 and 127 x -128) in every MAC, with biases placed so that
 *    wrap32(acc + bias) lands within a few steps of both int32 bounds (some columns wrap, some do not);
 *  - tieGemm: x = acc + bias constructed so that the requantizer meets exact halves: in single rounding
 *    x*m0 / 2^(31-shift) has fraction 1/2; in double rounding either SaturatingRoundingDoublingHighMul (x*m0 / 2^31)
 *    or RoundingDivideByPOT (by 2^-shift) sees one, each with both signs of x;
 *  - clampGemm: multipliers far too large for the output range and narrow windows, so that outputs pile up on both
 *    clamp bounds (and fused ReLU).
 * Each returns the operands the array takes (the input zero point is 0, so the bias is exactly as chosen).
 */
import type { ArrayConfig } from '../../hw-sim/index.ts';
import type { Rng } from '../../quant/random.ts';
import { INT32_MAX, INT32_MIN, quantizeMultiplier, wrapInt32 } from '../../quant/spec/index.ts';
import { pickClamp, pickDim, pickM, pickMultiplier, type GemmCase } from './case-gen.ts';

export function accExtremeGemm(rng: Rng, cfg: ArrayConfig): GemmCase {
  const m = pickM(rng, cfg);
  const k = pickDim(rng, cfg.rows);
  const n = pickDim(rng, cfg.cols);
  const w = new Int8Array(k * n).fill(-128);
  const x = new Int8Array(m * k);
  for (let i = 0; i < m; i++) {
    const u = rng.next();
    for (let j = 0; j < k; j++) x[i * k + j] = u < 0.4 ? -128 : u < 0.8 ? 127 : rng.pick([-128, 127, rng.int(-128, 127)]);
  }
  const bias = new Int32Array(n);
  const m0 = new Int32Array(n);
  const shift = new Int32Array(n);
  const bits = { w: 8, a: 8, o: 8 };
  for (let c = 0; c < n; c++) {
    // acc of an all -128 row is k * 2^14, of an all 127 row -k * 16256: put one of them a few steps from a bound
    const step = rng.int(-3, 3);
    bias[c] = rng.next() < 0.5 ? wrapInt32(INT32_MAX - k * 16384 + step) : wrapInt32(INT32_MIN + k * 16256 + step);
    const q = pickMultiplier(rng, k, bits);
    m0[c] = q.m0;
    shift[c] = q.shift;
  }
  const { zp, min, max } = pickClamp(rng, 8);
  return { m, k, n, bits, inputZeroPoint: 0, ops: { x, w, bias, m0, shift, zp, min, max } };
}

/** A value v = 2^(e-1) (mod 2^e) inside int8. */
function halfResidue(rng: Rng, e: number): number {
  const h = 2 ** (e - 1);
  const step = 2 ** e;
  const qLo = Math.ceil((-128 - h) / step);
  const qHi = Math.floor((127 - h) / step);
  return h + rng.int(qLo, qHi) * step;
}

/**
 * Every column uses W[0][c] = +-1 and W[r > 0][c] = 0, so x = +-X[m][0] + bias[c] with bias[c] = 0 (mod 2^e);
 * half of the rows have X[m][0] = 2^(e-1) (mod 2^e), which makes x an exact half at the rounding step of divisor 2^e.
 */
export function tieGemm(rng: Rng, cfg: ArrayConfig): GemmCase {
  const m = Math.max(2, pickM(rng, cfg));
  const k = pickDim(rng, cfg.rows);
  const n = pickDim(rng, cfg.cols);
  let e: number;
  let m0v: number;
  let s: number;
  if (cfg.roundingMode === 'single' || rng.next() < 0.5) {
    // single: divisor 2^(31 - s) of x*m0 with m0 = j*2^p gives x*j / 2^e, e = 31 - s - p.
    // double, same construction with s = 0: the tie is in SRDHM's x*m0 / 2^31.
    s = cfg.roundingMode === 'single' ? rng.int(-6, 0) : 0;
    e = rng.int(Math.max(1, 1 - s), 8);
    const p = 31 - s - e;
    const j = p === 30 ? 1 : 2 * rng.int(2 ** (29 - p), 2 ** (30 - p) - 1) + 1; // odd, m0 in [2^30, 2^31)
    m0v = j * 2 ** p;
  } else {
    // double: m0 = 2^30 halves x exactly when x is even; RoundingDivideByPOT by 2^r then sees x/2 = 2^(r-1) mod 2^r.
    e = rng.int(2, 8);
    s = -(e - 1);
    m0v = 2 ** 30;
  }
  const w = new Int8Array(k * n);
  for (let c = 0; c < n; c++) w[c] = rng.pick([-1, 1]);
  const x = new Int8Array(m * k);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < k; j++) x[i * k + j] = rng.int(-128, 127);
    if (i % 2 === 0) x[i * k] = halfResidue(rng, e);
  }
  const bias = Int32Array.from({ length: n }, () => 2 ** e * rng.int(-4, 4));
  const q = quantizeMultiplier(m0v / 2 ** 31); // the same m0 through the spec's own encoder (a check of the construction)
  if (q.m0 !== m0v || q.shift !== 0) throw new RangeError(`tieGemm: m0 ${m0v} does not round-trip (${q.m0}, ${q.shift})`);
  return {
    m,
    k,
    n,
    bits: { w: 2, a: 8, o: 8 },
    inputZeroPoint: 0,
    ops: { x, w, bias, m0: new Int32Array(n).fill(m0v), shift: new Int32Array(n).fill(s), zp: rng.int(-20, 20), min: -128, max: 127 },
  };
}

export function clampGemm(rng: Rng, cfg: ArrayConfig): GemmCase {
  const m = Math.max(4, pickM(rng, cfg));
  const k = pickDim(rng, cfg.rows);
  const n = pickDim(rng, cfg.cols);
  const x = Int8Array.from({ length: m * k }, () => rng.int(-128, 127));
  const w = Int8Array.from({ length: k * n }, () => rng.int(-127, 127));
  const bias = Int32Array.from({ length: n }, () => rng.int(-2000, 2000));
  const bits = { w: 8, a: 8, o: 8 };
  const accSpan = Math.sqrt(k) * 128 * 127;
  const m0 = new Int32Array(n);
  const shift = new Int32Array(n);
  for (let c = 0; c < n; c++) {
    const q = quantizeMultiplier((256 / accSpan) * (4 + 28 * rng.next()));
    m0[c] = q.m0;
    shift[c] = q.shift;
  }
  const zp = rng.int(-16, 16);
  const u = rng.next();
  let min: number;
  let max: number;
  if (u < 0.3) [min, max] = [zp, 127]; // fused ReLU
  else if (u < 0.5) [min, max] = [-128, 127];
  else {
    min = rng.int(-100, zp);
    max = rng.int(zp, 100);
  }
  return { m, k, n, bits, inputZeroPoint: 0, ops: { x, w, bias, m0, shift, zp, min, max } };
}
