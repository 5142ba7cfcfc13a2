/**
 * The output stage of a MAC or depthwise layer on kernels.wat (layers/mac-layer.ts, layers/depthwise-layer.ts): the stage bytes it
 * reads, the stage on one chunk of int32 accumulator rows, and the int8 rows read back. `requant` writes rows n bytes
 * apart; `requant_rows` and `requant_rows_double` (where the layer is in their form) write them `stride` apart, the
 * accumulators' stride (n rounded up to 8), and they are compacted to n bytes when read back.
 */
import type { WasmKernels } from './kernels.ts';
import type { OutputStages } from './output-stages.ts';

/** The stage records the kernel reads. */
export function stageBytes(st: OutputStages): Uint8Array {
  return st.rows ? st.rows.bytes : st.bytes;
}

/** Bytes between two output rows in memory, for accumulators `stride` int32 apart. */
export function outputStride(st: OutputStages, stride: number): number {
  return st.rows ? stride : st.n;
}

/**
 * The stage on `rows` accumulator rows at accOff (`stride` int32 apart), written from output row `first` of the
 * output at outOff; stOff: stageBytes(st) in memory. `requant` runs whole groups of 4 rows.
 */
export function requantChunk(kern: WasmKernels, st: OutputStages, stOff: number, accOff: number, stride: number, outOff: number, first: number, rows: number): void {
  const r = st.rows;
  if (r?.double) kern.requant_rows_double(accOff, stride, outOff + first * stride, rows, stOff, st.zp, st.lo, st.hi, r.sh, r.u);
  else if (r) kern.requant_rows(accOff, stride, outOff + first * stride, rows, stOff, st.zp, st.lo, st.hi, r.sh, r.u);
  else kern.requant(accOff, stride, outOff + first * st.n, (rows + 3) & ~3, st.n, stOff, st.zp, st.lo, st.hi);
}

/** The m output rows of n int8 at outOff (outStride apart) as a new array, rows n apart. */
export function readOutputRows(buf: ArrayBuffer, outOff: number, m: number, n: number, outStride: number): Int8Array {
  if (outStride === n) return new Int8Array(buf, outOff, m * n).slice();
  const out = new Int8Array(m * n);
  const padded = new Int8Array(buf, outOff, m * outStride);
  for (let i = 0; i < m; i++) out.set(padded.subarray(i * outStride, i * outStride + n), i * n);
  return out;
}
