/**
 * The golden side of a regression case: quant/golden's int8 GEMM (exact modulo 2^32) followed by quant/spec's
 * requantize of every element, and for network cases quant/golden's runGolden. No arithmetic lives here.
 */
import { gemmInt8 } from '../quant/golden/index.ts';
import { requantize } from '../quant/spec/index.ts';
import type { GemmCase } from './gemm-draws.ts';

/** Y[M, N] int8 of the case, in the rounding mode its program chooses (ops.round). */
export function goldenGemm(g: GemmCase): Int8Array {
  const { m, k, n, ops } = g;
  const acc = gemmInt8(ops.x, ops.w, m, k, n);
  const y = new Int8Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let c = 0; c < n; c++) {
      y[i * n + c] = requantize(
        acc[i * n + c] as number,
        ops.bias[c] as number,
        ops.m0[c] as number,
        ops.shift[c] as number,
        ops.zp,
        ops.min,
        ops.max,
        ops.round,
      );
    }
  }
  return y;
}
