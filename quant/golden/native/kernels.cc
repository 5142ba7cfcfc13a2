// The golden model's native kernels (C++17, C ABI), built by `make native` into out/native/golden-kernels.so with
// -O3 -march=native for the machine it runs on, and loaded through koffi by ./kernels.ts. Where the library is
// absent the golden model runs its WebAssembly kernels (../wasm/kernels.wat), which stay the reference these are
// tested against (test/quant/golden/native-kernels.test.ts), as the plain-JS ones stay theirs.
//
//   ic_golden_gemm  C[M, N] = wrap32(sum_k A[m, k] * B[k, n])     twin: ../wasm/kernels.wat gemm, ../gemm/js-gemm.ts
//
// Integer arithmetic only: every path computes the same bits on every machine, whatever the compiler picked.

#include <stdint.h>
#include <string.h>

#if defined(__AVX512F__) && defined(__AVX512BW__) && defined(__AVX512VNNI__)
#include <immintrin.h>
#define IC_GOLDEN_VNNI 1
#else
#define IC_GOLDEN_VNNI 0
#endif

namespace {

// ------------------------------------------------------------------------------------------------------------
// B packed by ../gemm/native-gemm.ts packBNative: ceil(N/16) panels, each
//   ceil(K/4) quads x [16 columns][4 reductions] int8 (zero past K and N), then 16 int32: 128 * sum_k B[k, n],
//   wrapped to 32 bits (zero past N),
// so that a panel is PANEL_BYTES(K) long. The quad layout is what vpdpbusd multiplies: lane j of one 64-byte load
// holds B[4q .. 4q+3, 16p + j].
// ------------------------------------------------------------------------------------------------------------
inline int quadsOf(int k) { return (k + 3) >> 2; }
inline int64_t panelBytes(int k) { return (int64_t)quadsOf(k) * 64 + 64; }

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
template <int R, int P>
inline void tile(const int8_t* a, int lda, int k, const int8_t* b, int64_t panel, int32_t* c, int ldc, int cols) {
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
    const __m512i excess = _mm512_loadu_si512(b + p * panel + (int64_t)quads * 64);
    const int left = cols - 16 * p;
    const __mmask16 mask = left >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << left) - 1);
    for (int r = 0; r < R; r++) {
      _mm512_mask_storeu_epi32(c + (int64_t)r * ldc + 16 * p, mask, _mm512_sub_epi32(acc[r][p], excess));
    }
  }
}

template <int P>
void rowsOf(const int8_t* a, int lda, int m, int k, const int8_t* b, int64_t panel, int32_t* c, int ldc, int cols) {
  int i = 0;
  for (; i + 8 <= m; i += 8) tile<8, P>(a + (int64_t)i * lda, lda, k, b, panel, c + (int64_t)i * ldc, ldc, cols);
  for (; i + 4 <= m; i += 4) tile<4, P>(a + (int64_t)i * lda, lda, k, b, panel, c + (int64_t)i * ldc, ldc, cols);
  for (; i < m; i++) tile<1, P>(a + (int64_t)i * lda, lda, k, b, panel, c + (int64_t)i * ldc, ldc, cols);
}

void gemm(const int8_t* a, int lda, const int8_t* b, int32_t* c, int ldc, int m, int k, int n) {
  const int64_t panel = panelBytes(k);
  const int panels = (n + 15) >> 4;
  int p = 0;
  // two panels (32 columns) a tile: 8 rows x 2 x 16 lanes = 16 accumulators, two B loads per 16 vpdpbusd
  for (; p + 2 <= panels; p += 2) {
    const int cols = n - 16 * p < 32 ? n - 16 * p : 32;
    rowsOf<2>(a, lda, m, k, b + p * panel, panel, c + 16 * p, ldc, cols);
  }
  if (p < panels) rowsOf<1>(a, lda, m, k, b + p * panel, panel, c + 16 * p, ldc, n - 16 * p);
}
#else
// The portable path: the same packed B, signed A used as it is, accumulated in uint32 (wrap-around is defined
// there; int32 overflow is not in C++). The compiler vectorizes the inner loop for what -march=native offers.
void gemm(const int8_t* a, int lda, const int8_t* b, int32_t* c, int ldc, int m, int k, int n) {
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
      for (int j = 0; j < cols; j++) c[(int64_t)i * ldc + 16 * p + j] = (int32_t)acc[j];
    }
  }
}
#endif

} // namespace

extern "C" {

// The ABI version ./kernels.ts checks before it binds anything: bump it with every change of a signature or layout.
int ic_golden_abi(void) { return 1; }

// Which path this build compiled: "avx512-vnni" or "portable".
const char* ic_golden_isa(void) { return IC_GOLDEN_VNNI ? "avx512-vnni" : "portable"; }

// C[m, n] (row stride ldc) = A[m, k] (row stride lda) * B (packed as above). m, k, n >= 1; lda >= k; ldc >= n.
void ic_golden_gemm(const int8_t* a, int lda, const int8_t* b, int32_t* c, int ldc, int m, int k, int n) {
  gemm(a, lda, b, c, ldc, m, k, n);
}

} // extern "C"
