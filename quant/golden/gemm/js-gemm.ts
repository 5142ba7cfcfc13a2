/**
 * The int8 GEMM in plain JS: C[M, N] = wrap32(sum_k A[m, k] * B[k, n]), the fallback of the WebAssembly kernel and
 * its cross-check.
 *
 * Two columns per double: B is packed once per layer with columns n and n+4 of a panel of 8 in one float64,
 * `b[k][n] + 2^26 * b[k][n+4]`, so one multiply-add of a double does two int8 MACs. Over a chunk of at most
 * CHUNK = 2047 reductions the low sum L = sum a*b[.][n] stays within |L| <= 2047 * 2^14 < 2^25 and the whole
 * double below 2^52, so every product and partial sum is an exact integer and the pair splits back exactly:
 *   S = H * 2^26 + L,  H = floor((S + 2^25) / 2^26),  L = S - H * 2^26.
 * Chunk sums are added into C with int32 wrap (`| 0`), the accumulator's own arithmetic. A 4-row x 8-column tile
 * keeps 16 double accumulators in registers: 8 loads per 32 MACs.
 */
const SPLIT = 2 ** 26;
const HALF_SPLIT = 2 ** 25;
const CHUNK = 2047;

/** B[K, N] as ceil(N/8) panels of [K][4] pair-packed doubles (zero past N). */
export function packBJs(b: Int8Array, k: number, n: number): Float64Array {
  const panels = Math.ceil(n / 8);
  const data = new Float64Array(panels * k * 4);
  for (let p = 0; p < panels; p++) {
    for (let kk = 0; kk < k; kk++) {
      const row = kk * n;
      for (let j = 0; j < 4; j++) {
        const lo = p * 8 + j;
        const hi = lo + 4;
        data[(p * k + kk) * 4 + j] = (lo < n ? (b[row + lo] as number) : 0) + (hi < n ? (b[row + hi] as number) : 0) * SPLIT;
      }
    }
  }
  return data;
}

let scratchA = new Float64Array(0);

/** A[M, K] as ceil(M/4) panels of [K][4] doubles (rows past M are zero). */
function packA(a: Int8Array, m: number, k: number): Float64Array {
  const panels = Math.ceil(m / 4);
  if (scratchA.length < panels * k * 4) scratchA = new Float64Array(panels * k * 4);
  const ap = scratchA;
  for (let p = 0; p < panels; p++) {
    for (let i = 0; i < 4; i++) {
      const row = p * 4 + i;
      let d = p * k * 4 + i;
      if (row < m) {
        let s = row * k;
        for (let kk = 0; kk < k; kk++, d += 4) ap[d] = a[s++] as number;
      } else {
        for (let kk = 0; kk < k; kk++, d += 4) ap[d] = 0;
      }
    }
  }
  return ap;
}

/** Adds the split pair sum v (columns col and col + 4 of row) into C with int32 wrap. */
function addPair(c: Int32Array, o: number, col: number, n: number, v: number): void {
  const hi = Math.floor((v + HALF_SPLIT) / SPLIT);
  const lo = v - hi * SPLIT;
  if (col < n) c[o + col] = ((c[o + col] as number) + lo) | 0;
  if (col + 4 < n) c[o + col + 4] = ((c[o + col + 4] as number) + hi) | 0;
}

function storeRow(c: Int32Array, row: number, m: number, n: number, col0: number, v0: number, v1: number, v2: number, v3: number): void {
  if (row >= m) return;
  const o = row * n;
  addPair(c, o, col0, n, v0);
  addPair(c, o, col0 + 1, n, v1);
  addPair(c, o, col0 + 2, n, v2);
  addPair(c, o, col0 + 3, n, v3);
}

/** C[M, N] = A[M, K] * B (packed by packBJs); the caller has checked the sizes. */
export function gemmJs(a: Int8Array, m: number, k: number, n: number, bp: Float64Array, c: Int32Array): void {
  const ap = packA(a, m, k);
  const rowPanels = Math.ceil(m / 4);
  const colPanels = Math.ceil(n / 8);
  c.fill(0, 0, m * n);
  for (let k0 = 0; k0 < k; k0 += CHUNK) {
    const t0 = k0 * 4;
    const t1 = Math.min(k, k0 + CHUNK) * 4;
    for (let ip = 0; ip < rowPanels; ip++) {
      const aBase = ip * k * 4;
      for (let jp = 0; jp < colPanels; jp++) {
        const bBase = jp * k * 4;
        let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
        let s20 = 0, s21 = 0, s22 = 0, s23 = 0, s30 = 0, s31 = 0, s32 = 0, s33 = 0;
        for (let t = t0; t < t1; t += 4) {
          const a0 = ap[aBase + t] as number;
          const a1 = ap[aBase + t + 1] as number;
          const a2 = ap[aBase + t + 2] as number;
          const a3 = ap[aBase + t + 3] as number;
          const b0 = bp[bBase + t] as number;
          const b1 = bp[bBase + t + 1] as number;
          const b2 = bp[bBase + t + 2] as number;
          const b3 = bp[bBase + t + 3] as number;
          s00 += a0 * b0; s01 += a0 * b1; s02 += a0 * b2; s03 += a0 * b3;
          s10 += a1 * b0; s11 += a1 * b1; s12 += a1 * b2; s13 += a1 * b3;
          s20 += a2 * b0; s21 += a2 * b1; s22 += a2 * b2; s23 += a2 * b3;
          s30 += a3 * b0; s31 += a3 * b1; s32 += a3 * b2; s33 += a3 * b3;
        }
        const row0 = ip * 4;
        const col0 = jp * 8;
        storeRow(c, row0, m, n, col0, s00, s01, s02, s03);
        storeRow(c, row0 + 1, m, n, col0, s10, s11, s12, s13);
        storeRow(c, row0 + 2, m, n, col0, s20, s21, s22, s23);
        storeRow(c, row0 + 3, m, n, col0, s30, s31, s32, s33);
      }
    }
  }
}
