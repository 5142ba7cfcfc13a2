// The AMX path: the GEMM in 32 x 32 tiles of tdpbssd.
// Part of the golden model's native kernels: included by kernels.cc, the one translation unit.
#pragma once

#if IC_GOLDEN_AMX
namespace {

// ------------------------------------------------------------------------------------------------------------
// AMX (Sapphire Rapids and later): tdpbssd multiplies a 16 x 64 int8 A tile by a 16-quad x 16-column B tile (the
// packed panel as it lies) into a 16 x 16 int32 C tile, signed by signed, each four-product sum added to its lane
// with wrap-around, so no excess is taken off. A tile of 32 rows x 32 columns keeps four C tiles (tmm0-3) over K,
// with two A tiles (tmm4-5) and two B tiles (tmm6-7). A's 32 rows are first laid into `rows` (copied, or built
// there from the image by im2col), K padded to 64, so that the tiles never read outside A. Linux hands a process the AMX state only on request
// (arch_prctl ARCH_REQ_XCOMP_PERM); without it the VNNI path runs.
// ------------------------------------------------------------------------------------------------------------
struct TileConfig {
  uint8_t palette;
  uint8_t startRow;
  uint8_t reserved[14];
  uint16_t colsb[16];
  uint8_t rows[16];
};

bool requestAmx() {
  const long ARCH_REQ_XCOMP_PERM = 0x1023;
  const long XFEATURE_XTILEDATA = 18;
  return syscall(SYS_arch_prctl, ARCH_REQ_XCOMP_PERM, XFEATURE_XTILEDATA) == 0;
}

const bool amxGranted = requestAmx();

// The largest K the row buffer holds: longer reductions take the VNNI path. Within it |sum| <= 8192 * 2^14 = 2^27,
// so no int32 lane can overflow, and tdpbssd's wrap-around is never relied on.
constexpr int AMX_MAX_K = 8192;

// rows: room for 32 rows of AMX_MAX_K bytes and 64 more (ConvFill's last move); fill(first, count, dst, ld): A's rows first .. first + count - 1 into dst, ld bytes apart (ld >= K);
// fill.direct(first, count, kp, &ld): where the tiles may read those rows in place, K padded to kp included, a
// pointer to the first (ld set to the row stride), else nullptr.
// One block's 32 x 32 accumulators in memory, waiting for its output stage.
struct PendingBlock {
  alignas(64) int32_t acc[32 * 32];
  int i0 = -1, p0 = 0, rows = 0;
  bool two = false;
};

// The output stage (or the int32 copy) of a stored block. The epilogue runs one block behind the tiles: a vector
// load of what a tile store has just written waits for that store to complete (tens of cycles a row, measured),
// while the next block's tiles take that long anyway.
inline void finishBlock(const PendingBlock& pb, int32_t* c, int ldc, int n, const Stages* st, int8_t* out, int ldo) {
  for (int q = 0; q < (pb.two ? 2 : 1); q++) {
    const int col0 = 16 * (pb.p0 + q);
    const int left = n - col0;
    const __mmask16 mask = left >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << left) - 1);
    if (c != nullptr) {
      for (int r = 0; r < pb.rows; r++) {
        _mm512_mask_storeu_epi32(c + (int64_t)(pb.i0 + r) * ldc + col0, mask, _mm512_load_si512(pb.acc + r * 32 + 16 * q));
      }
    } else {
      const StageVectors v = stageVectors(*st, col0);
      for (int r = 0; r < pb.rows; r++) {
        _mm_mask_storeu_epi8(out + (int64_t)(pb.i0 + r) * ldo + col0, mask, requantVector(_mm512_load_si512(pb.acc + r * 32 + 16 * q), *st, v));
      }
    }
  }
}

template <class Fill>
void gemmAmx(Fill& fill, int m, int k, const int8_t* b, int32_t* c, int ldc, int n, const Stages* st, int8_t* out,
             int ldo, int8_t* rows) {
  PendingBlock pending[2];
  int turn = 0;
  TileConfig cfg;
  memset(&cfg, 0, sizeof cfg);
  cfg.palette = 1;
  for (int t = 0; t < 8; t++) {
    cfg.rows[t] = 16;
    cfg.colsb[t] = 64;
  }
  _tile_loadconfig(&cfg);
  const int kp = paddedQuadsOf(k) * 4;
  const int blocks = kp / 64;
  const int64_t panel = panelBytes(k);
  const int panels = (n + 15) >> 4;
  for (int i0 = 0; i0 < m; i0 += 32) {
    const int rowsA = m - i0 < 32 ? m - i0 : 32;
    // what `rows` holds past K meets B's zeros, and its rows past M give C rows that are never stored: neither is
    // cleared
    int lda = kp;
    const int8_t* a = fill.direct(i0, rowsA, kp, &lda);
    if (a == nullptr) {
      fill(i0, rowsA, rows, kp);
      a = rows;
    }
    for (int p0 = 0; p0 < panels; p0 += 2) {
      const bool two = p0 + 1 < panels;
      const int8_t* b0 = b + p0 * panel;
      const int8_t* b1 = two ? b0 + panel : b0;
      _tile_zero(0);
      _tile_zero(1);
      _tile_zero(2);
      _tile_zero(3);
      for (int kb = 0; kb < blocks; kb++) {
        _tile_loadd(4, a + kb * 64, lda);
        _tile_loadd(5, a + 16 * (int64_t)lda + kb * 64, lda);
        _tile_loadd(6, b0 + kb * 1024, 64);
        _tile_dpbssd(0, 4, 6);
        _tile_dpbssd(2, 5, 6);
        if (two) {
          _tile_loadd(7, b1 + kb * 1024, 64);
          _tile_dpbssd(1, 4, 7);
          _tile_dpbssd(3, 5, 7);
        }
      }
      // the previous block's epilogue while these tiles finish; then these stored (32 rows x 32 int32, 128 bytes a row)
      PendingBlock& prev = pending[turn ^ 1];
      if (prev.i0 >= 0) finishBlock(prev, c, ldc, n, st, out, ldo);
      PendingBlock& cur = pending[turn];
      _tile_stored(0, cur.acc, 128);
      _tile_stored(1, cur.acc + 16, 128);
      _tile_stored(2, cur.acc + 16 * 32, 128);
      _tile_stored(3, cur.acc + 16 * 32 + 16, 128);
      cur.i0 = i0;
      cur.p0 = p0;
      cur.rows = rowsA;
      cur.two = two;
      prev.i0 = -1;
      turn ^= 1;
    }
  }
  _tile_release();
  PendingBlock& last = pending[turn ^ 1];
  if (last.i0 >= 0) finishBlock(last, c, ldc, n, st, out, ldo);
}

} // namespace
#endif // IC_GOLDEN_AMX
