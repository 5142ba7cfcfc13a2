// The golden model's native kernels (C++17, C ABI), built by `make native` into out/native/golden-kernels.so with
// -O3 -march=native for the machine it runs on, and loaded through koffi by ./kernels.ts. Where the library is
// absent the golden model runs its WebAssembly kernels (../wasm/kernels.wat), which stay the reference these are
// tested against (test/quant/golden/native-kernels.test.ts), as the plain-JS ones stay theirs.
//
//   ic_golden_gemm          C[M, N] = wrap32(sum_k A[m, k] * B[k, n])   twin: ../wasm/kernels.wat gemm, ../gemm/js-gemm.ts
//   ic_golden_gemm_requant  the same GEMM with each layer's output stage on the accumulators in registers, int8
//                           out[m, n] = requantize(C[m, n], column n's stage)      twin: quant/spec requantize
//
// Integer arithmetic only: every path computes the same bits on every machine, whatever the compiler picked.

#include <stdint.h>
#include <string.h>

#if defined(__AVX512F__) && defined(__AVX512BW__) && defined(__AVX512VNNI__)
// GCC 12's AVX-512 headers trip its own -Wmaybe-uninitialized (GCC bug 105593: _mm512_undefined_* in the inline
// intrinsics), which -Werror would make fatal; nothing of ours is uninitialized there.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#define IC_GOLDEN_VNNI 1
#else
#define IC_GOLDEN_VNNI 0
#endif
#if IC_GOLDEN_VNNI && defined(__AMX_TILE__) && defined(__AMX_INT8__) && defined(__linux__)
#include <sys/syscall.h>
#include <unistd.h>
#define IC_GOLDEN_AMX 1
#else
#define IC_GOLDEN_AMX 0
#endif

namespace {

// ------------------------------------------------------------------------------------------------------------
// The output stage of quant/spec/output.ts, one column at a time: x = wrap32(acc + bias), then in the layer's
// rounding mode
//   single (0): y = floor((x * m0 + 2^(t-1)) / 2^t), t = 31 - shift in [1, 62], exact in int64
//   double (1): y = RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(wrap32(x << l), m0), r)
//   ruy    (2): y = floor((SRDHM(wrap32(x << l), m0) + 2^(r-1)) / 2^r)
// with l = max(shift, 0) and r = max(-shift, 0), then q = clamp(y, lo, hi) + zp, lo = actMin - zp, hi = actMax - zp
// (the same as clamp(y + zp, actMin, actMax) for the int8 bounds ./kernels.ts checks). m0 is in [0, 2^31 - 1], so
// SRDHM's one overflow (both INT32_MIN) cannot happen, and floor((p + 2^30) / 2^31) is its nudge-then-truncate.
//
// The stages (../gemm/native-gemm.ts nativeStages): int32 records of STAGE_FIELDS rows of the columns rounded up to
// 16: bias, m0, shift; then the mode, zp, lo, hi once.
// ------------------------------------------------------------------------------------------------------------
struct Stages {
  const int32_t* bias;
  const int32_t* m0;
  const int32_t* shift;
  int mode, zp, lo, hi;
};

inline Stages stagesOf(const int32_t* rec, int n) {
  const int stride = (n + 15) & ~15;
  return {rec, rec + stride, rec + 2 * stride, rec[3 * stride], rec[3 * stride + 1], rec[3 * stride + 2], rec[3 * stride + 3]};
}

inline int8_t requantOne(int32_t acc, const Stages& st, int j) {
  const int32_t x = (int32_t)((uint32_t)acc + (uint32_t)st.bias[j]);
  const int32_t m0 = st.m0[j];
  const int32_t shift = st.shift[j];
  int64_t y;
  if (st.mode == 0) {
    const int t = 31 - shift;
    y = ((int64_t)x * m0 + ((int64_t)1 << (t - 1))) >> t;
  } else {
    const int l = shift > 0 ? shift : 0;
    const int r = shift > 0 ? 0 : -shift;
    const int32_t xl = (int32_t)((uint32_t)x << l);
    const int32_t s = (int32_t)(((int64_t)xl * m0 + ((int64_t)1 << 30)) >> 31);
    if (st.mode == 1) {
      const int32_t mask = (int32_t)(((uint32_t)1 << r) - 1);
      const int32_t rem = s & mask;
      const int32_t threshold = (mask >> 1) + (s < 0 ? 1 : 0);
      y = (s >> r) + (rem > threshold ? 1 : 0);
    } else {
      const uint32_t half = r > 0 ? (uint32_t)1 << (r - 1) : 0;
      y = (s >> r) + (int32_t)(((uint32_t)(s & (int32_t)(((uint32_t)1 << r) - 1)) + half) >> r);
    }
  }
  y = y < st.lo ? st.lo : y > st.hi ? st.hi : y;
  return (int8_t)(y + st.zp);
}

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

#if IC_GOLDEN_VNNI
// vpdpbusd multiplies unsigned bytes by signed ones: A is made unsigned by a + 128 (a ^ 0x80), and the excess
// 128 * sum_k B[k, n] (the panel's last 64 bytes) is taken off at the end. Both sums wrap modulo 2^32, so the
// result is wrap32(sum_k a * b) exactly: four products of at most 255 * 128 each fit an int32 lane, and the
// non-saturating vpdpbusd adds them with wrap-around, like the hardware's accumulator.
//
// A tile of R rows x P panels (16 columns each) keeps R * P zmm accumulators over K.
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
    const __m512i xl = _mm512_sllv_epi32(x, v.left);
    const __m512i nudge = _mm512_set1_epi64((int64_t)1 << 30);
    const __m512i pe = _mm512_srai_epi64(_mm512_add_epi64(_mm512_mul_epi32(xl, v.m0), nudge), 31);
    const __m512i po = _mm512_srai_epi64(
        _mm512_add_epi64(_mm512_mul_epi32(_mm512_srli_epi64(xl, 32), _mm512_srli_epi64(v.m0, 32)), nudge), 31);
    const __m512i s = interleaveLow(pe, po);
    const __m512i one = _mm512_set1_epi32(1);
    const __m512i mask = _mm512_sub_epi32(_mm512_sllv_epi32(one, v.right), one);
    const __m512i rem = _mm512_and_si512(s, mask);
    const __m512i q = _mm512_srav_epi32(s, v.right);
    if (st.mode == 1) {
      // RoundingDivideByPOT: up by one where rem > mask / 2 + (s < 0)
      const __mmask16 neg = _mm512_cmplt_epi32_mask(s, _mm512_setzero_si512());
      const __m512i threshold = _mm512_mask_add_epi32(_mm512_srli_epi32(mask, 1), neg, _mm512_srli_epi32(mask, 1), one);
      y = _mm512_mask_add_epi32(q, _mm512_cmpgt_epi32_mask(rem, threshold), q, one);
    } else {
      // ties toward +infinity: q + ((rem + 2^(r-1)) >> r), unsigned (rem + half < 2^32); half = 0 where r = 0
      const __m512i half = _mm512_srli_epi32(_mm512_add_epi32(mask, one), 1);
      y = _mm512_add_epi32(q, _mm512_srlv_epi32(_mm512_add_epi32(rem, half), v.right));
    }
    y = _mm512_min_epi32(_mm512_max_epi32(y, _mm512_set1_epi32(st.lo)), _mm512_set1_epi32(st.hi));
  }
  return _mm512_cvtepi32_epi8(_mm512_add_epi32(y, _mm512_set1_epi32(st.zp)));
}

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

// c != nullptr: C = A * B; else out = the stage st on A * B.
void gemmVnni(const int8_t* a, int lda, const int8_t* b, int32_t* c, int ldc, int m, int k, int n, const Stages* st,
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

#if IC_GOLDEN_AMX
// ------------------------------------------------------------------------------------------------------------
// AMX (Sapphire Rapids and later): tdpbssd multiplies a 16 x 64 int8 A tile by a 16-quad x 16-column B tile (the
// packed panel as it lies) into a 16 x 16 int32 C tile, signed by signed, each four-product sum added to its lane
// with wrap-around, so no excess is taken off. A tile of 32 rows x 32 columns keeps four C tiles (tmm0-3) over K,
// with two A tiles (tmm4-5) and two B tiles (tmm6-7). A's 32 rows are first copied into `rows`, K padded to 64,
// so that the tiles never read outside A. Linux hands a process the AMX state only on request
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

void gemmAmx(const int8_t* a, int lda, const int8_t* b, int32_t* c, int ldc, int m, int k, int n, const Stages* st,
             int8_t* out, int ldo) {
  alignas(64) static thread_local int8_t rows[32 * AMX_MAX_K];
  alignas(64) int32_t acc[32 * 32];
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
    for (int r = 0; r < rowsA; r++) memcpy(rows + (int64_t)r * kp, a + (int64_t)(i0 + r) * lda, (size_t)k);
    for (int p0 = 0; p0 < panels; p0 += 2) {
      const bool two = p0 + 1 < panels;
      const int8_t* b0 = b + p0 * panel;
      const int8_t* b1 = two ? b0 + panel : b0;
      _tile_zero(0);
      _tile_zero(1);
      _tile_zero(2);
      _tile_zero(3);
      for (int kb = 0; kb < blocks; kb++) {
        _tile_loadd(4, rows + kb * 64, kp);
        _tile_loadd(5, rows + 16 * (int64_t)kp + kb * 64, kp);
        _tile_loadd(6, b0 + kb * 1024, 64);
        _tile_dpbssd(0, 4, 6);
        _tile_dpbssd(2, 5, 6);
        if (two) {
          _tile_loadd(7, b1 + kb * 1024, 64);
          _tile_dpbssd(1, 4, 7);
          _tile_dpbssd(3, 5, 7);
        }
      }
      // acc: 32 rows x 32 int32, 128 bytes a row
      _tile_stored(0, acc, 128);
      _tile_stored(1, acc + 16, 128);
      _tile_stored(2, acc + 16 * 32, 128);
      _tile_stored(3, acc + 16 * 32 + 16, 128);
      for (int q = 0; q < (two ? 2 : 1); q++) {
        const int col0 = 16 * (p0 + q);
        const int left = n - col0;
        const __mmask16 mask = left >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << left) - 1);
        if (c != nullptr) {
          for (int r = 0; r < rowsA; r++) {
            _mm512_mask_storeu_epi32(c + (int64_t)(i0 + r) * ldc + col0, mask, _mm512_load_si512(acc + r * 32 + 16 * q));
          }
        } else {
          const StageVectors v = stageVectors(*st, col0);
          for (int r = 0; r < rowsA; r++) {
            _mm_mask_storeu_epi8(out + (int64_t)(i0 + r) * ldo + col0, mask, requantVector(_mm512_load_si512(acc + r * 32 + 16 * q), *st, v));
          }
        }
      }
    }
  }
  _tile_release();
}
#endif

bool amxOn() {
#if IC_GOLDEN_AMX
  return amxGranted;
#else
  return false;
#endif
}

void gemm(const int8_t* a, int lda, const int8_t* b, int32_t* c, int ldc, int m, int k, int n, const Stages* st,
          int8_t* out, int ldo) {
#if IC_GOLDEN_AMX
  if (amxGranted && k <= AMX_MAX_K) {
    gemmAmx(a, lda, b, c, ldc, m, k, n, st, out, ldo);
    return;
  }
#endif
  gemmVnni(a, lda, b, c, ldc, m, k, n, st, out, ldo);
}
#else
bool amxOn() { return false; }

// The portable path: the same packed B, signed A used as it is, accumulated in uint32 (wrap-around is defined
// there; int32 overflow is not in C++). The compiler vectorizes the inner loop for what -march=native offers.
void gemm(const int8_t* a, int lda, const int8_t* b, int32_t* c, int ldc, int m, int k, int n, const Stages* st,
          int8_t* out, int ldo) {
  const int64_t panel = panelBytes(k);
  const int quads = quadsOf(k);
  const int panels = (n + 15) >> 4;
  for (int i = 0; i < m; i++) {
    const int8_t* row = a + (int64_t)i * lda;
    for (int p = 0; p < panels; p++) {
      const int8_t* bp = b + p * panel;
      uint32_t acc[16] = {0};
      for (int q = 0; q < quads; q++) {
        const int32_t v = quadOf(row, q, k);
        int8_t x[4];
        memcpy(x, &v, 4);
        const int8_t* bq = bp + (int64_t)q * 64;
        for (int j = 0; j < 16; j++) {
          acc[j] += (uint32_t)(x[0] * bq[4 * j] + x[1] * bq[4 * j + 1] + x[2] * bq[4 * j + 2] + x[3] * bq[4 * j + 3]);
        }
      }
      const int cols = n - 16 * p < 16 ? n - 16 * p : 16;
      for (int j = 0; j < cols; j++) {
        if (c != nullptr) c[(int64_t)i * ldc + 16 * p + j] = (int32_t)acc[j];
        else out[(int64_t)i * ldo + 16 * p + j] = requantOne((int32_t)acc[j], *st, 16 * p + j);
      }
    }
  }
}
#endif

} // namespace

extern "C" {

// The ABI version ./kernels.ts checks before it binds anything: bump it with every change of a signature or layout.
int ic_golden_abi(void) { return 3; }

// Which path runs: "amx-int8" (compiled, and granted by the kernel), "avx512-vnni" or "portable".
const char* ic_golden_isa(void) { return amxOn() ? "amx-int8" : IC_GOLDEN_VNNI ? "avx512-vnni" : "portable"; }

// C[m, n] (row stride ldc) = A[m, k] (row stride lda) * B (packed as above). m, k, n >= 1; lda >= k; ldc >= n.
void ic_golden_gemm(const int8_t* a, int lda, const int8_t* b, int32_t* c, int ldc, int m, int k, int n) {
  gemm(a, lda, b, c, ldc, m, k, n, nullptr, nullptr, 0);
}

// out[m, n] (row stride ldo) = the output stage of `stages` (laid out as above) on A[m, k] * B.
void ic_golden_gemm_requant(const int8_t* a, int lda, const int8_t* b, const int32_t* stages, int8_t* out, int ldo,
                            int m, int k, int n) {
  const Stages st = stagesOf(stages, n);
  gemm(a, lda, b, nullptr, 0, m, k, n, &st, out, ldo);
}

// The output stage alone on int32 accumulators C[m, n] (row stride ldc), for tests of both paths' arithmetic.
void ic_golden_requant(const int32_t* c, int ldc, const int32_t* stages, int8_t* out, int ldo, int m, int n) {
  const Stages st = stagesOf(stages, n);
  for (int i = 0; i < m; i++)
    for (int j = 0; j < n; j++) out[(int64_t)i * ldo + j] = requantOne(c[(int64_t)i * ldc + j], st, j);
}

} // extern "C"
