// B's packed layout (../gemm/native-gemm.ts packBNative) and A's quads.
// Part of the golden model's native kernels: included by kernels.cc, the one translation unit.
#pragma once

namespace {

// ------------------------------------------------------------------------------------------------------------
// B packed by ../gemm/native-gemm.ts packBNative: ceil(N/16) panels, each
//   16 ceil(K/64) quads x [16 columns][4 reductions] int8 (zero past K and N), then 16 int32: 128 * sum_k B[k, n],
//   wrapped to 32 bits (zero past N),
// so that a panel is panelBytes(K) long. The quad layout is what vpdpbusd multiplies (lane j of one 64-byte load
// holds B[4q .. 4q+3, 16p + j]) and, 16 quads at a time, an AMX B tile (16 rows of 64 bytes, K = 64 a tile).
// ------------------------------------------------------------------------------------------------------------
inline int quadsOf(int k) { return (k + 3) >> 2; }
inline int paddedQuadsOf(int k) { return ((k + 63) >> 6) * 16; }
inline int64_t panelBytes(int k) { return (int64_t)paddedQuadsOf(k) * 64 + 64; }

// The four bytes A[row, 4q .. 4q+3], zero past K (never read past the row's end, so A needs no slack).
inline int32_t quadOf(const int8_t* row, int q, int k) {
  int32_t v = 0;
  const int left = k - 4 * q;
  memcpy(&v, row + 4 * q, left >= 4 ? 4 : (size_t)left);
  return v;
}

} // namespace
