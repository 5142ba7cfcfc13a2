// The portable path: plain loops over the same packed B, for CPUs without AVX-512 VNNI.
// Part of the golden model's native kernels: included by kernels.cc, the one translation unit.
#pragma once

#if !IC_GOLDEN_VNNI
namespace {

// The portable path: the same packed B, signed A used as it is, accumulated in uint32 (wrap-around is defined
// there; int32 overflow is not in C++). The compiler vectorizes the inner loop for what -march=native offers.
void gemmDirect(const int8_t* a, int lda, const int8_t* b, int32_t* c, int ldc, int m, int k, int n, const Stages* st,
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

} // namespace
#endif // !IC_GOLDEN_VNNI
