// The AVX-512 VNNI path: the GEMM in 8 x 32 register tiles and the output stage on 16 lanes.
// Part of the golden model's native kernels: included by kernels.cc, the one translation unit.
#pragma once

#if IC_GOLDEN_VNNI
namespace {

// The output stage on 16 accumulators, columns j .. j+15 (stage vectors loaded by the caller): lanes in int32 where
// the mode allows, the 64-bit products on the even and the odd lanes apart (vpmuldq multiplies the low halves).
struct StageVectors {
  __m512i bias, m0, left, right, t;
};

inline StageVectors stageVectors(const Stages& st, int j) {
  const __m512i shift = _mm512_loadu_si512(st.shift + j);
  const __m512i zero = _mm512_setzero_si512();
  return {_mm512_loadu_si512(st.bias + j), _mm512_loadu_si512(st.m0 + j), _mm512_max_epi32(shift, zero),
          _mm512_max_epi32(_mm512_sub_epi32(zero, shift), zero), _mm512_sub_epi32(_mm512_set1_epi32(31), shift)};
}

// The low 32 bits of the int64 lanes of even (lanes 0, 2, ...) and odd (1, 3, ...) products, interleaved back.
inline __m512i interleaveLow(__m512i even, __m512i odd) {
  return _mm512_mask_blend_epi32((__mmask16)0xAAAA, even, _mm512_slli_epi64(odd, 32));
}

// SaturatingRoundingDoublingHighMul(x, m0) on 16 lanes, m0 >= 0: floor((x * m0 + 2^30) / 2^31) in int64.
inline __m512i srdhmVector(__m512i x, __m512i m0) {
  const __m512i nudge = _mm512_set1_epi64((int64_t)1 << 30);
  const __m512i pe = _mm512_srai_epi64(_mm512_add_epi64(_mm512_mul_epi32(x, m0), nudge), 31);
  const __m512i po = _mm512_srai_epi64(
      _mm512_add_epi64(_mm512_mul_epi32(_mm512_srli_epi64(x, 32), _mm512_srli_epi64(m0, 32)), nudge), 31);
  return interleaveLow(pe, po);
}

// RoundingDivideByPOT(s, r) on 16 lanes, r in [0, 31]: s >> r, up by one where the remainder passes half
// (mask / 2 + (s < 0): ties away from zero).
inline __m512i rdbpotVector(__m512i s, __m512i r) {
  const __m512i one = _mm512_set1_epi32(1);
  const __m512i mask = _mm512_sub_epi32(_mm512_sllv_epi32(one, r), one);
  const __m512i rem = _mm512_and_si512(s, mask);
  const __m512i q = _mm512_srav_epi32(s, r);
  const __mmask16 neg = _mm512_cmplt_epi32_mask(s, _mm512_setzero_si512());
  const __m512i threshold = _mm512_mask_add_epi32(_mm512_srli_epi32(mask, 1), neg, _mm512_srli_epi32(mask, 1), one);
  return _mm512_mask_add_epi32(q, _mm512_cmpgt_epi32_mask(rem, threshold), q, one);
}

inline __m128i requantVector(__m512i acc, const Stages& st, const StageVectors& v) {
  const __m512i x = _mm512_add_epi32(acc, v.bias);
  const __m512i odd = _mm512_set1_epi64(0xffffffff);
  __m512i y;
  if (st.mode == 0) {
    // t in [1, 62] per lane: floor((x * m0 + 2^(t-1)) / 2^t) in int64, clamped there (no int32 wrap to fear)
    const __m512i te = _mm512_and_si512(v.t, odd);
    const __m512i to = _mm512_srli_epi64(v.t, 32);
    const __m512i one = _mm512_set1_epi64(1);
    __m512i pe = _mm512_mul_epi32(x, v.m0);
    __m512i po = _mm512_mul_epi32(_mm512_srli_epi64(x, 32), _mm512_srli_epi64(v.m0, 32));
    pe = _mm512_srav_epi64(_mm512_add_epi64(pe, _mm512_sllv_epi64(one, _mm512_sub_epi64(te, one))), te);
    po = _mm512_srav_epi64(_mm512_add_epi64(po, _mm512_sllv_epi64(one, _mm512_sub_epi64(to, one))), to);
    const __m512i lo = _mm512_set1_epi64(st.lo), hi = _mm512_set1_epi64(st.hi);
    pe = _mm512_min_epi64(_mm512_max_epi64(pe, lo), hi);
    po = _mm512_min_epi64(_mm512_max_epi64(po, lo), hi);
    y = interleaveLow(pe, po);
  } else {
    const __m512i s = srdhmVector(_mm512_sllv_epi32(x, v.left), v.m0);
    if (st.mode == 1) {
      y = rdbpotVector(s, v.right);
    } else {
      // ties toward +infinity: (s >> r) + (((s & mask) + 2^(r-1)) >> r), unsigned (the sum < 2^32); half = 0 at r = 0
      const __m512i one = _mm512_set1_epi32(1);
      const __m512i mask = _mm512_sub_epi32(_mm512_sllv_epi32(one, v.right), one);
      const __m512i half = _mm512_srli_epi32(_mm512_add_epi32(mask, one), 1);
      y = _mm512_add_epi32(_mm512_srav_epi32(s, v.right),
                           _mm512_srlv_epi32(_mm512_add_epi32(_mm512_and_si512(s, mask), half), v.right));
    }
    y = _mm512_min_epi32(_mm512_max_epi32(y, _mm512_set1_epi32(st.lo)), _mm512_set1_epi32(st.hi));
  }
  return _mm512_cvtepi32_epi8(_mm512_add_epi32(y, _mm512_set1_epi32(st.zp)));
}

// vpdpbusd multiplies unsigned bytes by signed ones: A is made unsigned by a + 128 (a ^ 0x80), and the excess
// 128 * sum_k B[k, n] (the panel's last 64 bytes) is taken off at the end. Both sums wrap modulo 2^32, so the
// result is wrap32(sum_k a * b) exactly: four products of at most 255 * 128 each fit an int32 lane, and the
// non-saturating vpdpbusd adds them with wrap-around, like the hardware's accumulator.
//
// A tile of R rows x P panels (16 columns each) keeps R * P zmm accumulators over K.
// c != nullptr: the int32 accumulators into c; else the output stage st into the int8 rows of out.
template <int R, int P>
inline void tile(const int8_t* a, int lda, int k, const int8_t* b, int64_t panel, int32_t* c, int ldc, int cols,
                 const Stages* st, int col0, int8_t* out, int ldo) {
  const int quads = quadsOf(k);
  const int full = k >> 2;
  const __m512i flip = _mm512_set1_epi8((char)0x80);
  __m512i acc[R][P];
  for (int r = 0; r < R; r++)
    for (int p = 0; p < P; p++) acc[r][p] = _mm512_setzero_si512();
  for (int q = 0; q < full; q++) {
    __m512i bq[P];
    for (int p = 0; p < P; p++) bq[p] = _mm512_loadu_si512(b + p * panel + (int64_t)q * 64);
    for (int r = 0; r < R; r++) {
      int32_t v;
      memcpy(&v, a + (int64_t)r * lda + 4 * q, 4);
      const __m512i x = _mm512_xor_si512(_mm512_set1_epi32(v), flip);
      for (int p = 0; p < P; p++) acc[r][p] = _mm512_dpbusd_epi32(acc[r][p], x, bq[p]);
    }
  }
  if (full < quads) { // the last, partial quad: B is zero past K, so what A holds there is multiplied by zero
    __m512i bq[P];
    for (int p = 0; p < P; p++) bq[p] = _mm512_loadu_si512(b + p * panel + (int64_t)full * 64);
    for (int r = 0; r < R; r++) {
      const __m512i x = _mm512_xor_si512(_mm512_set1_epi32(quadOf(a + (int64_t)r * lda, full, k)), flip);
      for (int p = 0; p < P; p++) acc[r][p] = _mm512_dpbusd_epi32(acc[r][p], x, bq[p]);
    }
  }
  for (int p = 0; p < P; p++) {
    const __m512i excess = _mm512_loadu_si512(b + p * panel + (int64_t)paddedQuadsOf(k) * 64);
    const int left = cols - 16 * p;
    const __mmask16 mask = left >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << left) - 1);
    if (c != nullptr) {
      for (int r = 0; r < R; r++) {
        _mm512_mask_storeu_epi32(c + (int64_t)r * ldc + 16 * p, mask, _mm512_sub_epi32(acc[r][p], excess));
      }
    } else {
      const StageVectors v = stageVectors(*st, col0 + 16 * p);
      for (int r = 0; r < R; r++) {
        _mm_mask_storeu_epi8(out + (int64_t)r * ldo + 16 * p, mask, requantVector(_mm512_sub_epi32(acc[r][p], excess), *st, v));
      }
    }
  }
}

template <int R, int P>
inline void tileAt(const int8_t* a, int lda, int k, const int8_t* b, int64_t panel, int32_t* c, int ldc, int cols,
                   const Stages* st, int col0, int8_t* out, int ldo, int i) {
  tile<R, P>(a + (int64_t)i * lda, lda, k, b, panel, c ? c + (int64_t)i * ldc : nullptr, ldc, cols, st, col0,
             out ? out + (int64_t)i * ldo : nullptr, ldo);
}

template <int P>
void rowsOf(const int8_t* a, int lda, int m, int k, const int8_t* b, int64_t panel, int32_t* c, int ldc, int cols,
            const Stages* st, int col0, int8_t* out, int ldo) {
  int i = 0;
  for (; i + 8 <= m; i += 8) tileAt<8, P>(a, lda, k, b, panel, c, ldc, cols, st, col0, out, ldo, i);
  for (; i + 4 <= m; i += 4) tileAt<4, P>(a, lda, k, b, panel, c, ldc, cols, st, col0, out, ldo, i);
  for (; i < m; i++) tileAt<1, P>(a, lda, k, b, panel, c, ldc, cols, st, col0, out, ldo, i);
}

// c != nullptr: C = A * B; else out = the stage st on A * B. A is read where it lies (row stride lda).
void gemmDirect(const int8_t* a, int lda, const int8_t* b, int32_t* c, int ldc, int m, int k, int n, const Stages* st,
                int8_t* out, int ldo) {
  const int64_t panel = panelBytes(k);
  const int panels = (n + 15) >> 4;
  int p = 0;
  // two panels (32 columns) a tile: 8 rows x 2 x 16 lanes = 16 accumulators, two B loads per 16 vpdpbusd
  for (; p + 2 <= panels; p += 2) {
    const int cols = n - 16 * p < 32 ? n - 16 * p : 32;
    rowsOf<2>(a, lda, m, k, b + p * panel, panel, c ? c + 16 * p : nullptr, ldc, cols, st, 16 * p,
              out ? out + 16 * p : nullptr, ldo);
  }
  if (p < panels) {
    rowsOf<1>(a, lda, m, k, b + p * panel, panel, c ? c + 16 * p : nullptr, ldc, n - 16 * p, st, 16 * p,
              out ? out + 16 * p : nullptr, ldo);
  }
}

} // namespace
#endif // IC_GOLDEN_VNNI
