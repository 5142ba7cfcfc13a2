/**
 * Input vectors for the requantizer tests: the corner-case cross product, exact ties of both signs at every right
 * shift, and seeded random vectors, each in a rounding mode of its own (the c_round_i code the requantizer takes),
 * written in the $readmemh layout of requant_tb.sv, and the check of its results against quant/spec.
 */
import { writeFileSync } from 'node:fs';
import { ROUND_CODE, roundingModeOfCode } from '../../hw-sim/contract/index.ts';
import { INT32_MAX, INT32_MIN, SHIFT_MAX, SHIFT_MIN, multiplyByQuantizedMultiplier, requantize, type RoundingMode } from '../../quant/spec/index.ts';
import { Rng } from '../../quant/random.ts';
import { readHexLines } from './sim-tools.ts';

export interface RequantVectors {
  n: number;
  acc: Int32Array;
  bias: Int32Array;
  m0: Int32Array;
  shift: Int32Array;
  zp: Int32Array;
  min: Int32Array;
  max: Int32Array;
  /** The rounding mode's c_round_i code (hw-sim/contract ROUND_CODE). */
  round: Int32Array;
}

function alloc(n: number): RequantVectors {
  const a = (): Int32Array => new Int32Array(n);
  return { n, acc: a(), bias: a(), m0: a(), shift: a(), zp: a(), min: a(), max: a(), round: a() };
}

/** Rows [acc, bias, m0, shift, zp, min, max], each once in every mode of `modes`. */
function fromRows(rows: number[][], modes: readonly RoundingMode[]): RequantVectors {
  const v = alloc(rows.length * modes.length);
  let i = 0;
  for (const mode of modes) {
    for (const row of rows) {
      v.acc[i] = row[0] as number;
      v.bias[i] = row[1] as number;
      v.m0[i] = row[2] as number;
      v.shift[i] = row[3] as number;
      v.zp[i] = row[4] as number;
      v.min[i] = row[5] as number;
      v.max[i] = row[6] as number;
      v.round[i] = ROUND_CODE[mode];
      i++;
    }
  }
  return v;
}

/**
 * Exact halves of both signs at every right shift r in 1..31, where the modes part: x = 2t with m0 = 2^30 makes
 * the high-mul exactly t = +-(2j+1) * 2^(r-1) (double rounds it away from zero, ruy toward +infinity), and single
 * sees the same x * m0 / 2^(31+r) = t / 2^r (toward +infinity). Also |t| near 2^31, where ruy's nudge meets the
 * int32 bound.
 */
export function tieVectors(modes: readonly RoundingMode[]): RequantVectors {
  const rows: number[][] = [];
  for (let r = 1; r <= 31; r++) {
    for (const j of [0, 1, 2, 5]) {
      const t = (2 * j + 1) * 2 ** (r - 1);
      if (t >= 2 ** 30) continue; // x = 2t must fit int32
      for (const s of [1, -1]) rows.push([2 * s * t, 0, 2 ** 30, -r, 0, -128, 127]);
    }
    rows.push([INT32_MIN, 0, 2 ** 30, -r, 0, -128, 127], [INT32_MAX, 0, INT32_MAX, -r, 0, -128, 127], [-INT32_MAX, 0, INT32_MAX, -r, 0, -128, 127]);
  }
  return fromRows(rows, modes);
}

const POW2 = Array.from({ length: 31 }, (_, k) => 2 ** k);

/** Exhaustive cross of interesting x, m0 and every shift, plus the output stage's clamps and zero points, in every mode of `modes`. */
export function cornerVectors(modes: readonly RoundingMode[]): RequantVectors {
  const xs = new Set<number>([INT32_MIN, INT32_MIN + 1, -3, -2, -1, 0, 1, 2, 3, 5, 7, 11, INT32_MAX - 1, INT32_MAX]);
  for (const p of POW2) for (const d of [-1, 0, 1]) for (const s of [1, -1]) xs.add((s * p + d) | 0);
  // m0 = INT32_MIN lies outside the contract's [0, 2^31 - 1] but quant/spec defines it, and it is the only way to
  // reach SaturatingRoundingDoublingHighMul(INT32_MIN, INT32_MIN).
  const m0s = [0, 1, 2, 3, 2 ** 29, 2 ** 30, 2 ** 30 + 1, 3 * 2 ** 29, 2 ** 31 - 2, INT32_MAX, INT32_MIN];
  const out: number[][] = [];
  for (const x of xs) for (const m0 of m0s) for (let s = SHIFT_MIN; s <= SHIFT_MAX; s++) out.push([x, 0, m0, s, 0, -128, 127]);
  // Output stage: y = x exactly (m0 = 2^30, shift = 1 in both modes for |x| < 2^30), every clamp order.
  const clamps = [[-128, 127], [0, 127], [-128, -128], [127, 127], [10, -10], [-5, 5], [-1, 0]];
  const ys = [INT32_MIN, INT32_MAX];
  for (let y = -300; y <= 300; y += 7) ys.push(y);
  for (const y of ys) for (const zp of [-128, -1, 0, 1, 127]) for (const [lo, hi] of clamps) out.push([y, 0, 2 ** 30, 1, zp, lo as number, hi as number]);
  // Bias: acc + bias wraps before the multiplier.
  for (const [acc, bias] of [[INT32_MAX, 1], [INT32_MIN, -1], [2 ** 30, 2 ** 30], [-5, 5], [123456, -654321]]) {
    out.push([acc as number, bias as number, 2 ** 30, 0, 0, -128, 127]);
  }
  return fromRows(out, modes);
}

/** n seeded random vectors, spread over the regions where the arithmetic differs (ties, saturation, wrap), each in a mode of `modes`. */
export function randomVectors(n: number, seed: number, modes: readonly RoundingMode[]): RequantVectors {
  const rng = new Rng(seed);
  const v = alloc(n);
  const int8 = (): number => rng.int(-128, 127);
  for (let i = 0; i < n; i++) {
    const kx = rng.int(0, 9);
    let x: number;
    if (kx < 4) x = rng.int32();
    else if (kx < 6) x = rng.int(-65536, 65536);
    else if (kx < 8) x = ((rng.next() < 0.5 ? -1 : 1) * (POW2[rng.int(0, 30)] as number) + rng.int(-3, 3)) | 0;
    else x = rng.next() < 0.5 ? INT32_MIN + rng.int(0, 255) : INT32_MAX - rng.int(0, 255);
    const bias = rng.next() < 0.5 ? 0 : rng.next() < 0.5 ? rng.int(-100000, 100000) : rng.int32();
    v.acc[i] = (x - bias) | 0; // so that x = wrap32(acc + bias) keeps the distribution above
    v.bias[i] = bias;
    const km = rng.int(0, 19);
    if (km < 12) v.m0[i] = rng.int(2 ** 30, INT32_MAX);
    else if (km < 15) v.m0[i] = rng.int(0, INT32_MAX);
    else if (km < 18) v.m0[i] = POW2[rng.int(0, 30)] as number;
    else v.m0[i] = rng.pick([0, 1, 2 ** 30, INT32_MAX]);
    v.shift[i] = rng.int(SHIFT_MIN, SHIFT_MAX);
    v.zp[i] = int8();
    const a = int8();
    const b = int8();
    const kc = rng.int(0, 9);
    v.min[i] = kc < 7 ? Math.min(a, b) : kc < 9 ? -128 : Math.max(a, b);
    v.max[i] = kc < 7 ? Math.max(a, b) : kc < 9 ? 127 : Math.min(a, b);
    v.round[i] = ROUND_CODE[rng.pick(modes)];
  }
  return v;
}

const HEX = new TextEncoder().encode('0123456789abcdef');

/** Writes the low `digits` hex digits of x at buf[o ..]; returns the next offset. */
function putHex(buf: Uint8Array, o: number, x: number, digits: number): number {
  for (let d = digits - 1; d >= 0; d--) buf[o++] = HEX[(x >>> (4 * d)) & 15] as number;
  return o;
}

/** Writes the vectors as 136-bit hex lines {acc, bias, m0, shift, zp, min, max, round}. */
export function writeVectors(file: string, v: RequantVectors): void {
  const buf = new Uint8Array(v.n * 35);
  let o = 0;
  for (let i = 0; i < v.n; i++) {
    o = putHex(buf, o, v.acc[i] as number, 8);
    o = putHex(buf, o, v.bias[i] as number, 8);
    o = putHex(buf, o, v.m0[i] as number, 8);
    o = putHex(buf, o, v.shift[i] as number, 2);
    o = putHex(buf, o, v.zp[i] as number, 2);
    o = putHex(buf, o, v.min[i] as number, 2);
    o = putHex(buf, o, v.max[i] as number, 2);
    o = putHex(buf, o, v.round[i] as number, 2);
    buf[o++] = 10;
  }
  writeFileSync(file, buf);
}

export interface RequantMismatch {
  index: number;
  inputs: string;
  field: 'x' | 'y' | 'q';
  expected: number;
  actual: number;
}

/** Compares requant_tb's results (96-bit lines {x, y, 24'b0, q}) with quant/spec in each vector's mode; returns the first mismatches. */
export function checkResults(file: string, v: RequantVectors, limit = 5): { checked: number; mismatches: RequantMismatch[] } {
  const lines = readHexLines(file);
  if (lines.length !== v.n) throw new Error(`expected ${v.n} result lines in ${file}, got ${lines.length}`);
  const mismatches: RequantMismatch[] = [];
  for (let i = 0; i < v.n && mismatches.length < limit; i++) {
    const line = lines[i] as string;
    const x = parseInt(line.slice(0, 8), 16) | 0;
    const y = parseInt(line.slice(8, 16), 16) | 0;
    const q = (parseInt(line.slice(22, 24), 16) << 24) >> 24;
    const acc = v.acc[i] as number;
    const bias = v.bias[i] as number;
    const m0 = v.m0[i] as number;
    const shift = v.shift[i] as number;
    const zp = v.zp[i] as number;
    const lo = v.min[i] as number;
    const hi = v.max[i] as number;
    const mode = roundingModeOfCode(v.round[i] as number) as RoundingMode;
    const ex = (acc + bias) | 0;
    const ey = multiplyByQuantizedMultiplier(ex, m0, shift, mode);
    const eq = requantize(acc, bias, m0, shift, zp, lo, hi, mode);
    const inputs = `acc=${acc} bias=${bias} m0=${m0} shift=${shift} zp=${zp} min=${lo} max=${hi} mode=${mode}`;
    if (x !== ex) mismatches.push({ index: i, inputs, field: 'x', expected: ex, actual: x });
    else if (y !== ey) mismatches.push({ index: i, inputs, field: 'y', expected: ey, actual: y });
    else if (q !== eq) mismatches.push({ index: i, inputs, field: 'q', expected: eq, actual: q });
  }
  return { checked: v.n, mismatches };
}
