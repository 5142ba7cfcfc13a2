/**
 * Proofs that a corner case hits its corner: each corner's property recomputed from the case's operands or beats
 * with quant/spec and hw-sim, independently of the generator's construction. `proveCorner` returns what is missing
 * (empty when the corner is hit). Also: every corner case runs inside the contract on hw-sim (hazard checker on)
 * and, for GEMMs, hw-sim's output rows equal the golden model's.
 */
import { ArraySim, IN, OUT, REG, REG_WORDS_PER_PE, compileGemm, inWords, oAccOffset, outWords, regWords, type Program } from '../../hw-sim/index.ts';
import { gatherOutputs } from '../../hw-sim/compiler/gather.ts';
import { gemmInt8 } from '../../quant/golden/index.ts';
import { Rng } from '../../quant/random.ts';
import {
  INT32_MAX, INT32_MIN, multiplyByQuantizedMultiplier, outputStage, saturatingRoundingDoublingHighMul, wrapInt32,
} from '../../quant/spec/index.ts';
import type { CaseKind, RegressCase } from '../../verify/case-gen.ts';
import { LEFT_SHIFTS, RIGHT_SHIFTS } from '../../verify/corners.ts';
import { goldenGemm } from '../../verify/golden.ts';
import { idleNoise } from '../../verify/stimulus.ts';

/** One output element of a GEMM case: x exact (not wrapped), y the multiplier's output, v = y + zp, q the code. */
interface Elem {
  col: number;
  x: number;
  y: number;
  v: number;
  q: number;
  m0: number;
  shift: number;
}

function elements(c: RegressCase): Elem[] {
  const g = c.gemm!;
  const { ops } = g;
  const acc = gemmInt8(ops.x, ops.w, g.m, g.k, g.n); // exact here: every corner keeps |acc| < 2^31
  return Array.from(acc, (a, i) => {
    const col = i % g.n;
    const m0 = ops.m0[col] as number;
    const shift = ops.shift[col] as number;
    const x = a + (ops.bias[col] as number);
    const y = multiplyByQuantizedMultiplier(wrapInt32(x), m0, shift, ops.round);
    return { col, x, y, v: y + ops.zp, q: outputStage(y, ops.zp, ops.min, ops.max), m0, shift };
  });
}

/** The beats the runner drives for a case: a raw stream, or the compiled program with its idle noise. */
export function caseBeats(c: RegressCase): { beats: Int32Array; program?: Program } {
  if (c.raw) return { beats: c.raw };
  const g = c.gemm!;
  const p = compileGemm(c.cfg, g.m, g.k, g.n, g.ops, c.kind);
  if (c.noiseSeed !== undefined) idleNoise(new Rng(c.noiseSeed), c.cfg, p.beats);
  return { beats: p.beats, program: p };
}

/** Runs the case on hw-sim with the hazard checker (throws outside the contract); GEMMs: rows vs golden. */
export function runOnHwSim(c: RegressCase, onCycle?: (sim: ArraySim, t: number, out: Int32Array) => void): Int32Array {
  const { beats, program } = caseBeats(c);
  const iw = inWords(c.cfg);
  const ow = outWords(c.cfg);
  const n = beats.length / iw;
  const out = new Int32Array(n * ow);
  const sim = new ArraySim(c.cfg, { checkHazards: true });
  sim.reset();
  for (let t = 0; t < n; t++) {
    sim.step(beats, t * iw, out, t * ow);
    onCycle?.(sim, t, out);
  }
  if (program) {
    const y = gatherOutputs(program, out);
    const want = goldenGemm(c.gemm!);
    const i = want.findIndex((v, j) => v !== y[j]);
    if (i >= 0) throw new Error(`seed ${c.seed} (${c.kind}): hw-sim Y[${Math.floor(i / c.gemm!.n)}][${i % c.gemm!.n}] = ${y[i]}, golden ${want[i]}`);
  }
  return out;
}

const word = (beats: Int32Array, iw: number, t: number, k: number): number => beats[t * iw + k] as number;

/** Cycles t where an idle slot carries a_first and the address of the non-first beat in t + 1. */
export function aimedIdleSlots(c: RegressCase): number {
  const { beats } = caseBeats(c);
  const iw = inWords(c.cfg);
  let n = 0;
  for (let t = 0; t + 1 < beats.length / iw; t++) {
    const w = (k: number, d = 0): number => word(beats, iw, t + d, k);
    if (w(IN.aEn) === 0 && w(IN.aFirst) === 1 && w(IN.aEn, 1) === 1 && w(IN.aFirst, 1) === 0 && w(IN.aAddr) === w(IN.aAddr, 1)) n++;
  }
  return n;
}

function tieMissing(c: RegressCase, isTie: (e: Elem) => number): string[] {
  const { min, max } = c.gemm!.ops;
  let pos = 0;
  let neg = 0;
  for (const e of elements(c)) {
    const sign = isTie(e);
    if (sign === 0 || !(e.v > min && e.v < max)) continue; // a tie decides the code only where no clamp hides it
    if (sign > 0) pos++;
    else neg++;
  }
  return pos > 0 && neg > 0 ? [] : [`unclamped exact halves: ${pos} positive, ${neg} negative`];
}

const mod = (a: bigint, m: bigint): bigint => ((a % m) + m) % m;

/** +1 / -1: x*m0 / 2^(31-s) has fraction exactly 1/2 (single rounding), with the sign of x; 0 otherwise. */
function singleTie(e: Elem): number {
  const t = BigInt(31 - e.shift);
  return mod(BigInt(wrapInt32(e.x)) * BigInt(e.m0), 1n << t) === 1n << (t - 1n) ? Math.sign(e.x) : 0;
}

function srdhmTie(e: Elem): number {
  const xl = wrapInt32(wrapInt32(e.x) * 2 ** Math.max(e.shift, 0));
  return mod(BigInt(xl) * BigInt(e.m0), 1n << 31n) === 1n << 30n ? Math.sign(xl) : 0;
}

function rdbpotTie(e: Elem): number {
  const r = -e.shift;
  if (r < 1) return 0;
  const hi = saturatingRoundingDoublingHighMul(wrapInt32(wrapInt32(e.x) * 2 ** Math.max(e.shift, 0)), e.m0);
  return (hi & ((1 << r) - 1)) === 1 << (r - 1) ? Math.sign(hi) : 0;
}

/** -128 x -128 at every PE in both banks, seen in hw-sim's registers (a_q, v_q, bank_q and the weight used). */
function extremeProductsMissing(c: RegressCase): string[] {
  const { rows: R, cols: C } = c.cfg;
  const seen = new Uint8Array(2 * R * C);
  const rw = regWords(c.cfg);
  let prev = new Int32Array(rw);
  let cur = new Int32Array(rw);
  runOnHwSim(c, (sim) => {
    sim.readRegisters(cur);
    for (let pe = 0; pe < R * C; pe++) {
      const o = pe * REG_WORDS_PER_PE;
      const bank = cur[o + REG.bank] as number;
      const w = prev[o + (bank === 0 ? REG.w0 : REG.w1)]; // the weight before the edge is the one multiplied
      if (cur[o + REG.v] === 1 && cur[o + REG.a] === -128 && w === -128) seen[bank * R * C + pe] = 1;
    }
    [prev, cur] = [cur, prev];
  });
  const missing = seen.reduce((n, v) => n + (v === 0 ? 1 : 0), 0);
  return missing === 0 ? [] : [`-128 x -128 missing at ${missing} of ${2 * R * C} (PE, bank) pairs`];
}

/** What the reset-state stream must show: reset state read before its write, and hw-sim's reset values. */
function resetStateMissing(c: RegressCase): string[] {
  const beats = c.raw!;
  const { rows: R, cols: C } = c.cfg;
  const iw = inWords(c.cfg);
  const n = beats.length / iw;
  const w = (t: number, k: number): number => word(beats, iw, t, k);
  const firstWrite = new Array<number>(2 * R).fill(Infinity);
  const firstParam = new Array<number>(C).fill(Infinity);
  let firstConfig = Infinity;
  for (let t = n - 1; t >= 0; t--) {
    if (w(t, IN.wEn) === 1) firstWrite[w(t, IN.wBank) * R + w(t, IN.wRow)] = t;
    if (w(t, IN.pEn) === 1) firstParam[w(t, IN.pCol)] = t;
    if (w(t, IN.cEn) === 1) firstConfig = t;
  }
  const missing: string[] = [];
  // every weight row of both banks is multiplied before it is first written (row r of a beat t is used in t + r)
  for (let b = 0; b < 2; b++) {
    for (let r = 0; r < R; r++) {
      let read = false;
      for (let t = 0; t < n && !read; t++) read = w(t, IN.aEn) === 1 && w(t, IN.aBank) === b && t + r < (firstWrite[b * R + r] as number);
      if (!read) missing.push(`bank ${b} row ${r} is never multiplied before its first write`);
    }
  }
  // outputs: rows requantized in cycle t - 1 (R + C after their last beat) with state not written yet
  const ow = outWords(c.cfg);
  const acc0 = oAccOffset(c.cfg);
  const firstWeight = Math.min(...firstWrite);
  const zp = firstConfig < n ? w(firstConfig, IN.cZp) : 0;
  const written = firstParam.map((p) => p < n);
  const clampSeen = new Uint8Array(C); // y != 0 met the reset clamp min = max = 0
  const m0Seen = new Uint8Array(C); // x != 0 met the reset multiplier
  let zeroRows = 0;
  const out = runOnHwSim(c);
  for (let t = 1; t < n; t++) {
    const o = t * ow;
    if (out[o + OUT.oValid] !== 1) continue;
    const rq = t - 1;
    if (rq <= firstWeight && rq <= firstConfig && rq <= Math.min(...firstParam)) zeroRows++;
    for (let col = 0; col < C; col++) {
      const data = out[o + OUT.oData + col] as number;
      const x = out[o + acc0 + col] as number;
      const p = firstParam[col] as number;
      if (rq <= firstWeight && rq <= p && x !== 0) missing.push(`hw-sim: cycle ${t} column ${col}: o_acc_o ${x} with reset weights and bias, the contract says 0`);
      if (rq <= firstConfig && data !== 0) missing.push(`hw-sim: cycle ${t} column ${col}: o_data_o ${data} with the reset configuration, the contract says 0`);
      if (rq > firstConfig && rq <= p && data !== zp) missing.push(`hw-sim: cycle ${t} column ${col}: o_data_o ${data} with reset parameters, the contract says zp = ${zp}`);
      if (rq > firstConfig && rq <= p && x !== 0) m0Seen[col] = 1;
      // before the first configuration write the requantizer runs in the reset mode (round_q = 0: single)
      if (rq <= firstConfig && rq > p && multiplyByQuantizedMultiplier(x, w(p, IN.pM0), w(p, IN.pShift), 'single') !== 0) clampSeen[col] = 1;
    }
  }
  if (zeroRows === 0) missing.push('no row is requantized before any weight, parameter or configuration write');
  if (!written.some((v) => v)) missing.push('no column gets parameters');
  if (written.every((v) => v)) missing.push('every column gets parameters: none keeps its reset ones to the end');
  for (let col = 0; col < C; col++) {
    if (written[col] && clampSeen[col] === 0) missing.push(`column ${col}: y != 0 never meets the reset clamp`);
    if (!written[col] && m0Seen[col] === 0) missing.push(`column ${col}: x != 0 never meets the reset multiplier after the configuration`);
  }
  return missing;
}

/** What is missing for case c to hit its corner (empty: hit). Kinds of the random mix have no proof here. */
export function proveCorner(c: RegressCase): string[] {
  const need = (ok: boolean, what: string): string[] => (ok ? [] : [what]);
  const k: CaseKind = c.kind;
  const els = c.gemm ? elements(c) : [];
  const ops = c.gemm?.ops;
  switch (k) {
    case 'reset-state':
      return resetStateMissing(c);
    case 'int8-extremes':
      return [
        ...need(els.some((e) => e.x > INT32_MAX), 'acc + bias never beyond INT32_MAX'),
        ...need(els.some((e) => e.x < INT32_MIN), 'acc + bias never below INT32_MIN'),
        ...need(els.some((e) => (e.x <= INT32_MAX && e.x >= INT32_MAX - 3) || (e.x >= INT32_MIN && e.x <= INT32_MIN + 3)), 'acc + bias never within 3 of a bound'),
        ...extremeProductsMissing(c),
      ];
    case 'tie-single':
      return [...need(ops!.round === 'single', `rounds ${ops!.round}`), ...tieMissing(c, (e) => (e.shift <= 0 ? singleTie(e) : 0))];
    case 'tie-single-left':
      return [...need(ops!.round === 'single', `rounds ${ops!.round}`), ...tieMissing(c, (e) => (e.shift > 0 ? singleTie(e) : 0))];
    case 'tie-srdhm':
      return [...need(ops!.round === 'double' || ops!.round === 'ruy', `rounds ${ops!.round}`), ...tieMissing(c, srdhmTie)];
    case 'tie-rdbpot':
      return [...need(ops!.round === 'double', `rounds ${ops!.round}`), ...tieMissing(c, rdbpotTie)];
    case 'tie-ruy': // ruy's final shift meets the halves where RoundingDivideByPOT would: the same test of the high-mul
      return [...need(ops!.round === 'ruy', `rounds ${ops!.round}`), ...tieMissing(c, rdbpotTie)];
    case 'clamp-both-bounds': {
      const { min, max } = ops!;
      const cols = new Set(els.map((e) => e.col));
      const both = [...cols].every((col) => els.some((e) => e.col === col && e.v > max) && els.some((e) => e.col === col && e.v < min));
      return [...need(min <= max, `min ${min} > max ${max}`), ...need(both, 'some column does not go beyond both bounds')];
    }
    case 'clamp-min-above-max': {
      const { min, max } = ops!;
      return [
        ...need(min > max, `min ${min} <= max ${max}`),
        ...need(els.some((e) => e.v > max && e.v < min), 'no value between max and min (where the order of the two compares decides)'),
        ...need(els.some((e) => e.v >= min), 'no value at or above min'),
        ...need(els.some((e) => e.v <= max), 'no value at or below max'),
      ];
    }
    case 'shift-left': {
      const used = new Set(ops!.shift);
      const { min, max } = ops!;
      return [
        ...need(LEFT_SHIFTS.every((s) => used.has(s)), `left shifts used: ${[...used].join(', ')}`),
        ...need(els.some((e) => e.shift >= 1 && e.shift <= 4 && e.y !== 0 && e.v > min && e.v < max), 'no unclamped non-zero result of a shift 1 .. 4'),
        ...need(els.some((e) => e.shift >= 16 && e.x !== 0), 'no non-zero x meets a shift >= 16'),
      ];
    }
    case 'shift-right': {
      const used = new Set(ops!.shift);
      return [
        ...need(RIGHT_SHIFTS.every((s) => used.has(s)), `right shifts used: ${[...used].join(', ')}`),
        ...need(els.some((e) => e.shift === -31 && e.y !== 0), 'shift -31 never gives y != 0'),
        ...need(els.some((e) => e.shift <= -16 && e.shift > -31 && e.y !== 0), 'shifts -16 .. -30 never give y != 0'),
      ];
    }
    case 'idle-first':
      return need(aimedIdleSlots(c) > 0, 'no idle slot with a_first and the address of the non-first beat after it');
    case 'raw-forwarding': {
      const iw = inWords(c.cfg);
      const b = c.raw!;
      let backToBack = 0;
      for (let t = 0; t + 1 < b.length / iw; t++) {
        if (word(b, iw, t, IN.aEn) === 1 && word(b, iw, t + 1, IN.aEn) === 1 && word(b, iw, t + 1, IN.aFirst) === 0 && word(b, iw, t, IN.aAddr) === word(b, iw, t + 1, IN.aAddr)) backToBack++;
      }
      runOnHwSim(c);
      return [...need(backToBack > 0, 'no back-to-back accumulate to one address'), ...need(aimedIdleSlots(c) > 0, 'no aimed idle slot')];
    }
    case 'all-addresses': {
      const { beats, program } = caseBeats(c);
      const iw = inWords(c.cfg);
      const D = c.cfg.accDepth;
      const firstAt = new Uint8Array(D);
      const addAt = new Uint8Array(D);
      for (let t = 0; t < beats.length / iw; t++) {
        if (word(beats, iw, t, IN.aEn) !== 1) continue;
        (word(beats, iw, t, IN.aFirst) === 1 ? firstAt : addAt)[word(beats, iw, t, IN.aAddr)] = 1;
      }
      return [
        ...need((program?.plan.passes ?? 0) >= 2, 'fewer than two accumulator passes'),
        ...need(firstAt.every((v) => v === 1) && addAt.every((v) => v === 1), 'some address is not both overwritten and accumulated'),
      ];
    }
    default:
      return [`${k} is a kind of the random mix, not a corner`];
  }
}
