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
  lowerActivations(cfg, plan, x, beats);
  return beats;
}

/**
 * The activation words alone of a lowered GEMM: X[m, k*R ..] of every stream command into a_data of its cycles
 * (the words past K are left as they are: zero in a lowering). All other words of the beats are X's shape's, not
 * its values' (gemm-template.ts writes a new X into a copy of them). With `gather`, X is not given as such but as
 * the input it is gathered from: X[i] = input[source[i]], or pad where source[i] < 0 (a conv layer's im2col).
 */
export function lowerActivations(cfg: ArrayConfig, plan: GemmPlan, x: Int8Array, beats: Int32Array, gather?: { source: Int32Array; pad: number }): void {
  const R = cfg.rows;
  const D = cfg.accDepth;
  const K = plan.k;
  const iw = inWords(cfg);
  const aOff = aDataOffset(cfg);
  const source = gather?.source;
  const pad = gather?.pad ?? 0;
  for (const cmd of plan.commands) {
    if (cmd.op !== 'stream') continue;
    const k0 = cmd.tile.k * R;
    const kn = Math.min(R, K - k0);
    let src = cmd.tile.pass * D * K + k0;
    let o = cmd.cycle * iw + aOff;
    for (let a = 0; a < cmd.rows; a++, src += K, o += iw) {
      if (source === undefined) {
        for (let r = 0; r < kn; r++) beats[o + r] = x[src + r] as number;
      } else {
        for (let r = 0; r < kn; r++) {
          const i = source[src + r] as number;
          beats[o + r] = i < 0 ? pad : (x[i] as number);
        }
      }
    }
  }
}
