/**
 * The operand draws of the regression's GEMMs, shared by the random mix (case-gen.ts), the corner generators
 * (corners.ts) and the raw beat streams (stimulus.ts): shapes around the array dimensions, real multipliers over
 * every shift, biases anywhere in int32, output clamps (full range, fused ReLU, a window, min > max), and the
 * requantizer's rounding of the program (any mode the array implements).
 */
import type { ArrayConfig, GemmOperands } from '../hw-sim/index.ts';
import type { Rng } from '../quant/random.ts';
import { INT32_MAX, INT32_MIN, intRange, quantizeMultiplier, type RoundingMode } from '../quant/spec/index.ts';

export interface GemmCase {
  m: number;
  k: number;
  n: number;
  /** Operands as the array takes them (bias with the input zero point folded in). */
  ops: GemmOperands;
  /** Bit widths of the weights, the input activations and the output. */
  bits: { w: number; a: number; o: number };
  inputZeroPoint: number;
}

/** The rounding of one program: any mode the array implements (its configuration command carries it). */
export function pickRound(rng: Rng, cfg: Pick<ArrayConfig, 'roundingModes'>): RoundingMode {
  return rng.pick(cfg.roundingModes);
}

/** M: 1 (a dense layer), within one pass, or several passes of the accumulator (capped for speed). */
export function pickM(rng: Rng, cfg: ArrayConfig): number {
  const d = cfg.accDepth;
  const u = rng.next();
  if (u < 0.12) return 1;
  if (u < 0.7) return rng.int(1, Math.min(d, 48));
  return rng.int(Math.min(d, 48) + 1, Math.min(3 * d + 1, 96));
}

/** K or N: around the array dimension, including exact multiples and ragged last tiles. */
export function pickDim(rng: Rng, arrayDim: number): number {
  const u = rng.next();
  if (u < 0.15) return arrayDim * rng.int(1, 3);
  return rng.int(1, 3 * arrayDim + 2);
}

/** A real multiplier: realistic (outputs span the range) or log-uniform over every shift, with the extremes. */
export function pickMultiplier(rng: Rng, k: number, bits: GemmCase['bits']): { m0: number; shift: number } {
  const u = rng.next();
  if (u < 0.5) {
    const accSpan = Math.sqrt(k) * 2 ** (bits.a - 1) * 2 ** (bits.w - 1);
    return quantizeMultiplier((2 ** bits.o / accSpan) * (0.25 + 4 * rng.next()));
  }
  if (u < 0.9) return quantizeMultiplier(2 ** (-36 + 40 * rng.next()));
  // the ends of the encoding: shift -31 and 30, m0 at 2^30 and 2^31 - 1, and a zero multiplier
  return rng.pick([
    { m0: 2 ** 30, shift: -31 },
    { m0: INT32_MAX, shift: -31 },
    { m0: INT32_MAX, shift: 30 },
    { m0: 2 ** 30, shift: 30 },
    { m0: 0, shift: 0 },
    { m0: INT32_MAX, shift: 0 },
    { m0: rng.int(2 ** 30, INT32_MAX), shift: rng.int(-31, 30) },
  ]);
}

/** A raw bias: small, realistic, or anywhere in int32 (then acc + bias may wrap). */
export function pickBias(rng: Rng): number {
  const u = rng.next();
  if (u < 0.5) return rng.int(-5000, 5000);
  if (u < 0.8) return rng.int(-(2 ** 20), 2 ** 20);
  if (u < 0.9) return rng.pick([INT32_MIN, INT32_MAX, INT32_MIN + 1, INT32_MAX - 1]);
  return rng.int32();
}

/** The output configuration: full b-bit range, fused ReLU, a narrow window, or (rarely) min > max. */
export function pickClamp(rng: Rng, oBits: number): { zp: number; min: number; max: number } {
  const { qmin, qmax } = intRange(oBits, false);
  const zp = rng.int(qmin, qmax);
  const u = rng.next();
  if (u < 0.4) return { zp, min: qmin, max: qmax };
  if (u < 0.7) return { zp, min: zp, max: qmax }; // fused ReLU
  if (u < 0.97) {
    const a = rng.int(-128, 127);
    const b = rng.int(-128, 127);
    return { zp: rng.int(-128, 127), min: Math.min(a, b), max: Math.max(a, b) };
  }
  return { zp, min: rng.int(1, 127), max: rng.int(-128, 0) }; // the contract has no min <= max rule
}
