/**
 * Lowering a planned GEMM to per-cycle beats (docs/ARCHITECTURE.md section 7): every command of the plan becomes
 * the port words of the cycles it occupies. Padding past K and N is zero (a zero activation or weight adds nothing;
 * the input zero point lives in the bias).
 */
import { CosimError } from '../../quant/errors.ts';
import type { RoundingMode } from '../../quant/spec/index.ts';
import { IN, ROUND_CODE, aDataOffset, inWords, type ArrayConfig } from '../contract/index.ts';
import type { GemmPlan } from './schedule.ts';

/** The operands of Y = requantize(X * W + bias) for one GEMM. */
export interface GemmOperands {
  /** X[M, K], int8 row-major. */
  x: Int8Array;
  /** W[K, N], int8 row-major. */
  w: Int8Array;
  /** Per-column int32 bias with the input zero point folded in (quant/spec foldInputZeroPoint). */
  bias: Int32Array;
  m0: Int32Array;
  shift: Int32Array;
  zp: number;
  min: number;
  max: number;
  /** The requantizer's rounding of the layer (c_round_i of its configuration command): one of the array's roundingModes. */
  round: RoundingMode;
}

function claim(beats: Int32Array, o: number, en: number, what: string, t: number): void {
  if (beats[o + en] === 1) throw new CosimError(`lowering: two ${what} commands in cycle ${t} (a scheduling bug)`);
  beats[o + en] = 1;
}

export function lowerGemm(cfg: ArrayConfig, plan: GemmPlan, ops: GemmOperands): Int32Array {
  const R = cfg.rows;
  const C = cfg.cols;
  const { k: K, n: N } = plan;
  const iw = inWords(cfg);
  const beats = new Int32Array(plan.nCycles * iw);
  const { x, w } = ops;
  for (const cmd of plan.commands) {
    switch (cmd.op) {
      case 'loadConfig': {
        const o = cmd.cycle * iw;
        claim(beats, o, IN.cEn, 'configuration', cmd.cycle);
        beats[o + IN.cZp] = cmd.zp;
        beats[o + IN.cMin] = cmd.min;
        beats[o + IN.cMax] = cmd.max;
        beats[o + IN.cRound] = ROUND_CODE[cmd.round];
        break;
      }
      case 'loadParams': {
        for (let c = 0; c < C; c++) {
          const t = cmd.cycle + c;
          const o = t * iw;
          const col = cmd.n * C + c;
          claim(beats, o, IN.pEn, 'parameter', t);
          beats[o + IN.pCol] = c;
          if (col < N) {
            beats[o + IN.pBias] = ops.bias[col] as number;
            beats[o + IN.pM0] = ops.m0[col] as number;
            beats[o + IN.pShift] = ops.shift[col] as number;
          }
        }
        break;
      }
      case 'loadWeights': {
        const n0 = cmd.tile.n * C;
        const cols = Math.min(C, N - n0);
        for (let r = 0; r < R; r++) {
          const t = cmd.cycle + r;
          const o = t * iw;
          claim(beats, o, IN.wEn, 'weight-row', t);
          beats[o + IN.wBank] = cmd.bank;
          beats[o + IN.wRow] = r;
          const kk = cmd.tile.k * R + r;
          if (kk < K) {
            const src = kk * N + n0;
            for (let c = 0; c < cols; c++) beats[o + IN.wData + c] = w[src + c] as number;
          }
        }
        break;
      }
      case 'stream': {
        for (let a = 0; a < cmd.rows; a++) {
          const t = cmd.cycle + a;
          const o = t * iw;
          claim(beats, o, IN.aEn, 'activation', t);
          beats[o + IN.aBank] = cmd.bank;
          beats[o + IN.aFirst] = cmd.first ? 1 : 0;
          beats[o + IN.aLast] = cmd.last ? 1 : 0;
          beats[o + IN.aAddr] = a;
        }
        break;
      }
      case 'read':
        break;
    }
  }
  lowerActivations(activationSlots(cfg, plan), x, beats);
  return beats;
}

/** Where a GEMM's activation words go: beat word pos[j] takes X[xIndex[j]] (every a_data word below K of every stream command). */
export interface ActivationSlots {
  pos: Int32Array;
  xIndex: Int32Array;
}

/**
 * The activation words of a lowered GEMM, as slots: X[m, k*R ..] of every stream command into a_data of its cycles,
 * the words past K left out (zero in a lowering). All other words of the beats are X's shape's, not its values'
 * (gemm-template.ts writes a new X into a copy of them).
 */
export function activationSlots(cfg: ArrayConfig, plan: GemmPlan): ActivationSlots {
  const R = cfg.rows;
  const D = cfg.accDepth;
  const K = plan.k;
  const iw = inWords(cfg);
  const aOff = aDataOffset(cfg);
  const streams = plan.commands.filter((c) => c.op === 'stream');
  const count = streams.reduce((sum, c) => sum + c.rows * Math.min(R, K - c.tile.k * R), 0);
  const pos = new Int32Array(count);
  const xIndex = new Int32Array(count);
  let j = 0;
  for (const cmd of streams) {
    const k0 = cmd.tile.k * R;
    const kn = Math.min(R, K - k0);
    let src = cmd.tile.pass * D * K + k0;
    let o = cmd.cycle * iw + aOff;
    for (let a = 0; a < cmd.rows; a++, src += K, o += iw) {
      for (let r = 0; r < kn; r++, j++) {
        pos[j] = o + r;
        xIndex[j] = src + r;
      }
    }
  }
  return { pos, xIndex };
}

/** Writes X's activation words into beats (slots: activationSlots of the beats' plan). */
export function lowerActivations(slots: ActivationSlots, x: Int8Array, beats: Int32Array): void {
  const { pos, xIndex } = slots;
  for (let j = 0; j < pos.length; j++) beats[pos[j] as number] = x[xIndex[j] as number] as number;
}
