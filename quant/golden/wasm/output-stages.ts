/**
 * The constants of kernels.wat's `requant`, one 128-byte record per output column: quant/spec's requantize in
 * each rounding mode as the integer pipelines that kernel runs (its comment derives them), with
 * x = wrap32(acc + bias) << l and the exact 64-bit product p = x * m0:
 *   kind 0, single, t = 31 - shift >= 32: y = hi32(p + 2^(t-1)) >> (t - 32)
 *   kind 1, double / ruy: s = hi32(2p + 2^31) (SaturatingRoundingDoublingHighMul, l = max(shift, 0)), then with
 *           r = max(-shift, 0): y = (s >> r) + (((s & (2^r - 1)) + c2 + (s < 0 ? d : 0)) >>> r), c2 = 2^(r-1)
 *           and d = -1 (double: RoundingDivideByPOT, ties away from zero) or 0 (ruy: ties toward +infinity)
 *   kind 2, single, t <= 31: y = ((p + 2^(t-1) + 2^63) >>> t) - 2^(63-t) in i64 (the floor by a logical shift)
 * then the clamp to [actMin - zp, actMax - zp] and + zp. The records exist only where that equals the spec:
 * m0 in [0, 2^31 - 1], shift in [-31, 30] (what the spec allows), and actMin <= actMax with |zp|, |actMin|,
 * |actMax| <= 2^16; elsewhere `outputStages` returns undefined and the caller keeps the JS path.
 */
import { M0_MAX, SHIFT_MAX, SHIFT_MIN, type RoundingMode } from '../../spec/index.ts';

export const STAGE_BYTES = 128;
const SIGN = 1n << 63n;
/** Bound on |zp|, |actMin|, |actMax| under which the kernel's clamp before + zp equals the spec's after. */
const BOUND = 2 ** 16;

/**
 * The output stage along the rows, four columns a vector. kernels.wat's `requant_rows` form of a single-rounding
 * layer whose every t = 31 - shift is at least 32, whose zero point and bounds are int8 and whose t spread
 * u = max t - min t is at most 22: 112-byte records per group of 4 columns (bias, m0, c1 = 2^(t-1) as lanes,
 * f = 2^(u - s), lo 2^s, (hi + 1) 2^s - 1 with s = t - T), over the columns rounded up to 8, with T the least t
 * (sh = T - 32). Or, `double`, the `requant_rows_double` form of a double or ruy layer (rowStagesDouble).
 */
export interface RowStages {
  bytes: Uint8Array;
  sh: number;
  u: number;
  /** The double or ruy form (requant_rows_double; see rowStagesDouble): sh is then r0, the least right shift. */
  double?: boolean;
}

export const ROW_GROUP_BYTES = 112;
/** The largest t spread requant_rows takes: lo, hi and the products stay within int32. */
const ROW_SPREAD_MAX = 22;
/** requant_rows_double's record: 8 x i32x4. */
export const ROW_GROUP_BYTES_DOUBLE = 128;
/** The largest right shift r requant_rows_double takes: (|bound| + 2) 2^r stays within int32. */
const ROW_RIGHT_MAX = 22;

/** Column-wise requant constants, and the layer's output bounds as the kernel takes them. */
export interface OutputStages {
  n: number;
  /** n records in kernels.wat's layout. */
  bytes: Uint8Array;
  /** The same stage along the rows, where the layer allows it. */
  rows?: RowStages;
  zp: number;
  /** actMin - zp and actMax - zp. */
  lo: number;
  hi: number;
}

/** What a MAC layer's output stage needs: its folded bias, per-channel multipliers, rounding, zero point and clamps. */
export interface OutputParams {
  bias: Int32Array;
  multiplier: Int32Array;
  shift: Int32Array;
  mode: RoundingMode;
  zp: number;
  actMin: number;
  actMax: number;
}

/** outputStages of a layer's OutputParams. */
export function stagesOf(o: OutputParams): OutputStages | undefined {
  return outputStages(o.bias, o.multiplier, o.shift, o.mode, o.zp, o.actMin, o.actMax);
}

export function outputStages(
  bias: Int32Array,
  multiplier: Int32Array,
  shift: Int32Array,
  mode: RoundingMode,
  zp: number,
  actMin: number,
  actMax: number,
): OutputStages | undefined {
  const n = bias.length;
  if (multiplier.length !== n || shift.length !== n) return undefined;
  for (const v of [zp, actMin, actMax]) if (!(Number.isInteger(v) && Math.abs(v) <= BOUND)) return undefined;
  if (actMin > actMax) return undefined;
  const bytes = new Uint8Array(n * STAGE_BYTES);
  const view = new DataView(bytes.buffer);
  for (let col = 0; col < n; col++) {
    const m0 = multiplier[col] as number;
    const sh = shift[col] as number;
    if (!(Number.isInteger(m0) && m0 >= 0 && m0 <= M0_MAX && Number.isInteger(sh) && sh >= SHIFT_MIN && sh <= SHIFT_MAX)) return undefined;
    const o = col * STAGE_BYTES;
    const i32x4 = (at: number, v: number) => {
      for (let lane = 0; lane < 4; lane++) view.setInt32(o + at + 4 * lane, v, true);
    };
    const u64x2 = (at: number, v: bigint) => {
      for (let lane = 0; lane < 2; lane++) view.setBigUint64(o + at + 8 * lane, BigInt.asUintN(64, v), true);
    };
    i32x4(0, bias[col] as number);
    i32x4(16, m0);
    let l = 0, shAmount = 0, kind = 0;
    if (mode === 'single') {
      const t = 31 - sh;
      if (t >= 32) {
        u64x2(32, 1n << BigInt(t - 1));
        shAmount = t - 32;
      } else {
        kind = 2;
        u64x2(32, (1n << BigInt(t - 1)) + SIGN);
        u64x2(48, 1n << BigInt(63 - t));
        shAmount = t;
      }
    } else {
      kind = 1;
      l = sh > 0 ? sh : 0;
      const r = sh > 0 ? 0 : -sh;
      u64x2(32, 1n << 31n);
      i32x4(64, r === 0 ? 0 : 2 ** r - 1);
      i32x4(80, r === 0 ? 0 : 2 ** (r - 1));
      i32x4(96, r > 0 && mode === 'double' ? -1 : 0);
      shAmount = r;
    }
    view.setInt32(o + 112, l, true);
    view.setInt32(o + 116, shAmount, true);
    view.setInt32(o + 120, kind, true);
  }
  const stages: OutputStages = { n, bytes, zp, lo: actMin - zp, hi: actMax - zp };
  const rows = rowStages(bias, multiplier, shift, mode, zp, actMin, actMax);
  if (rows) stages.rows = rows;
  return stages;
}

/** The least and largest f(shift) over a layer's columns. */
function rangeOf(shift: Int32Array, f: (sh: number) => number): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const sh of shift) {
    min = Math.min(min, f(sh));
    max = Math.max(max, f(sh));
  }
  return { min, max };
}

/** Zeroed records for n columns rounded up to 8, `groupBytes` per group of 4. */
function groupRecords(n: number, groupBytes: number): { bytes: Uint8Array; view: DataView } {
  const bytes = new Uint8Array(2 * Math.ceil(n / 8) * groupBytes);
  return { bytes, view: new DataView(bytes.buffer) };
}

function rowStages(bias: Int32Array, multiplier: Int32Array, shift: Int32Array, mode: RoundingMode, zp: number, actMin: number, actMax: number): RowStages | undefined {
  const n = bias.length;
  if (actMin < -128 || actMax > 127 || zp < -128 || zp > 127 || n === 0) return undefined;
  if (mode !== 'single') return rowStagesDouble(bias, multiplier, shift, mode, zp, actMin, actMax);
  const { min: tMin, max: tMax } = rangeOf(shift, (sh) => 31 - sh);
  if (tMin < 32 || tMax - tMin > ROW_SPREAD_MAX) return undefined;
  const u = tMax - tMin;
  const lo = actMin - zp;
  const hi = actMax - zp;
  const { bytes, view } = groupRecords(n, ROW_GROUP_BYTES);
  for (let col = 0; col < n; col++) {
    const o = (col >> 2) * ROW_GROUP_BYTES;
    const lane = col & 3;
    const t = 31 - (shift[col] as number);
    view.setInt32(o + 4 * lane, bias[col] as number, true);
    view.setInt32(o + 16 + 4 * lane, multiplier[col] as number, true);
    view.setBigUint64(o + 32 + 8 * lane, 1n << BigInt(t - 1), true); // lanes 0-1 at 32, 2-3 at 48
    const sLane = t - tMin;
    view.setInt32(o + 64 + 4 * lane, 2 ** (u - sLane), true);
    view.setInt32(o + 80 + 4 * lane, lo * 2 ** sLane, true);
    view.setInt32(o + 96 + 4 * lane, (hi + 1) * 2 ** sLane - 1, true);
  }
  return { bytes, sh: tMin - 32, u };
}

/**
 * kernels.wat's `requant_rows_double` form of a double or ruy layer whose every right shift r = max(-shift, 0) is
 * at most 22 and whose zero point and bounds are int8: 128-byte records per group of 4 columns (bias, 2^l with
 * l = max(shift, 0), m0, a = (lo - 1) 2^r, b = (hi + 1) 2^r, c2 = 2^(r-1), d, f = 2^(u - (r - r0)) as lanes) over
 * the columns rounded up to 8, with r0 the least r and u the largest r - r0 (sh = r0).
 */
function rowStagesDouble(bias: Int32Array, multiplier: Int32Array, shift: Int32Array, mode: RoundingMode, zp: number, actMin: number, actMax: number): RowStages | undefined {
  const n = bias.length;
  const right = (sh: number) => (sh > 0 ? 0 : -sh);
  const { min: r0, max: rMax } = rangeOf(shift, right);
  if (rMax > ROW_RIGHT_MAX) return undefined;
  const u = rMax - r0;
  const lo = actMin - zp;
  const hi = actMax - zp;
  const { bytes, view } = groupRecords(n, ROW_GROUP_BYTES_DOUBLE);
  for (let col = 0; col < n; col++) {
    const o = (col >> 2) * ROW_GROUP_BYTES_DOUBLE + 4 * (col & 3);
    const sh = shift[col] as number;
    const r = right(sh);
    view.setInt32(o, bias[col] as number, true);
    view.setInt32(o + 16, 2 ** (sh > 0 ? sh : 0) | 0, true);
    view.setInt32(o + 32, multiplier[col] as number, true);
    view.setInt32(o + 48, (lo - 1) * 2 ** r, true);
    view.setInt32(o + 64, (hi + 1) * 2 ** r, true);
    view.setInt32(o + 80, r === 0 ? 0 : 2 ** (r - 1), true);
    view.setInt32(o + 96, r > 0 && mode === 'double' ? -1 : 0, true);
    view.setInt32(o + 112, 2 ** (u - (r - r0)), true);
  }
  return { bytes, sh: r0, u, double: true };
}
