// The golden model's native kernels (C++17, C ABI), built by `make native` into out/native/golden-kernels.so with
// -O3 -march=native for the machine it runs on, and loaded through koffi by ./kernels.ts. Where the library is
// absent the golden model runs its WebAssembly kernels (../wasm/kernels.wat), which stay the reference these are
// tested against (test/quant/golden/native-kernels.test.ts), as the plain-JS ones stay theirs.
//
//   ic_golden_gemm          C[M, N] = wrap32(sum_k A[m, k] * B[k, n])   twin: ../wasm/kernels.wat gemm, ../gemm/js-gemm.ts
//   ic_golden_gemm_requant  the same GEMM with each layer's output stage on the accumulators in registers, int8
//                           out[m, n] = requantize(C[m, n], column n's stage)      twin: quant/spec requantize
//   ic_golden_conv(_requant) the same on the patch matrix of NHWC images, built tile by tile    twin: im2col + gemm
//   ic_golden_depthwise_requant  a depthwise conv (multiplier 1) and its output stage   twin: ../layers.ts runDepthwise
//   ic_golden_add           ADD of two int8 tensors through its table          twin: quant/kernels add
//   ic_golden_requant       the output stage alone (the scalar form; for tests)
//
// Integer arithmetic only: every path computes the same bits on every machine, whatever the compiler picked. The
// paths live in the headers beside this file, this one translation unit includes them:
//   stages.h    the output stage, scalar        layout.h    B's packed layout
//   avx512.h    AVX-512 VNNI GEMM and stage     amx.h       the AMX GEMM (where Linux grants AMX)
//   portable.h  plain loops, for CPUs without AVX-512 VNNI
//   add.h       ADD's table lookup, 16 a gather on AVX-512
//   image.h     an NHWC image padded for the windows of a conv   depthwise.h  the depthwise conv and its stage

#include <stdint.h>
#include <string.h>

#include <vector>

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


#include "stages.h"
#include "layout.h"
#include "avx512.h"
#include "amx.h"
#include "portable.h"
#include "add.h"
#include "image.h"
#include "depthwise.h"

namespace {

bool amxOn() {
#if IC_GOLDEN_AMX
  return amxGranted;
#else
  return false;
#endif
}

// A plain A for the AMX path: its 32-row blocks read in place where the tiles' reads past K (64 bytes at a time,
// meeting B's zeros) stay inside A, else copied.
struct PlainFill {
  const int8_t* a;
  int lda;
  int k;
  int m;
  void operator()(int first, int count, int8_t* dst, int ld) const {
    for (int r = 0; r < count; r++) memcpy(dst + (int64_t)r * ld, a + (int64_t)(first + r) * lda, (size_t)k);
  }
  const int8_t* direct(int first, int count, int kp, int* ld) const {
    if (count < 32 || (int64_t)(first + 31) * lda + kp > (int64_t)m * lda) return nullptr;
    *ld = lda;
    return a + (int64_t)first * lda;
  }
};

// ------------------------------------------------------------------------------------------------------------
// The patch matrix of NHWC images in quant/format/im2col.ts's order (row m = (b * outH + oy) * outW + ox, column
// k = (ky * kw + kx) * inC + c), built a block of rows at a time where the GEMM wants it from each image's padded
// copy (image.h): a patch row is kh runs of kw * inC bytes.
// ------------------------------------------------------------------------------------------------------------
// len bytes from src to dst in whole vectors: up to 15 (16 and 32-byte moves) or 63 bytes past both ends are read
// and written. The runs of a row are written in order and the rows in order, so what a move writes past its run
// the next run overwrites; the buffers carry 64 bytes of slack for the last one.
inline void copyRun(int8_t* dst, const int8_t* src, int len) {
#if IC_GOLDEN_VNNI
  if (len <= 16) {
    _mm_storeu_si128((__m128i*)dst, _mm_loadu_si128((const __m128i*)src));
  } else if (len <= 32) {
    _mm256_storeu_si256((__m256i*)dst, _mm256_loadu_si256((const __m256i*)src));
  } else {
    for (int o = 0; o < len; o += 64) _mm512_storeu_si512(dst + o, _mm512_loadu_si512(src + o));
  }
#else
  memcpy(dst, src, (size_t)len);
#endif
}

struct ConvFill {
  PaddedImage image;
  int current = -1;

  const int8_t* direct(int, int, int, int*) const { return nullptr; } // a patch row exists only once built

  ConvFill(const int8_t* src, const Geometry& g, int pad, std::vector<int8_t>& buffer) : image(src, g, pad, buffer) {}

  void operator()(int first, int count, int8_t* dst, int ld) {
    const Geometry& g = image.g;
    const int run = g.kw * g.inC;
    const int64_t rowBytes = (int64_t)image.pW * g.inC;
    const int plane = g.outH * g.outW;
    // one division a block; the row's (b, oy, ox) then advance by counting
    int b = first / plane;
    int pix = first - b * plane;
    int oy = pix / g.outW;
    int ox = pix - oy * g.outW;
    for (int r = 0; r < count; r++) {
      if (b != current) {
        image.load(b);
        current = b;
      }
      const int8_t* win = image.window(oy, ox);
      int8_t* d = dst + (int64_t)r * ld;
      for (int ky = 0; ky < g.kh; ky++) copyRun(d + ky * run, win + ky * rowBytes, run);
      if (++ox == g.outW) {
        ox = 0;
        if (++oy == g.outH) {
          oy = 0;
          b++;
        }
      }
    }
  }
};

// Rows of A from `fill`, on the AMX path where it runs, else built a chunk at a time and multiplied in place.
template <class Fill>
void gemmFilled(Fill& fill, int m, int k, const int8_t* b, int32_t* c, int ldc, int n, const Stages* st,
                int8_t* out, int ldo, Scratch& s) {
#if IC_GOLDEN_AMX
  if (amxGranted && k <= AMX_MAX_K) {
    s.rows.resize((size_t)32 * AMX_MAX_K + 64);
    gemmAmx(fill, m, k, b, c, ldc, n, st, out, ldo, s.rows.data());
    return;
  }
#endif
  const int chunk = 256;
  std::vector<int8_t>& rows = s.rows;
  rows.resize((size_t)chunk * k + 64);
  for (int i0 = 0; i0 < m; i0 += chunk) {
    const int count = m - i0 < chunk ? m - i0 : chunk;
    fill(i0, count, rows.data(), k);
    gemmDirect(rows.data(), k, b, c ? c + (int64_t)i0 * ldc : nullptr, ldc, count, k, n, st,
               out ? out + (int64_t)i0 * ldo : nullptr, ldo);
  }
}

void gemm(const int8_t* a, int lda, const int8_t* b, int32_t* c, int ldc, int m, int k, int n, const Stages* st,
          int8_t* out, int ldo) {
#if IC_GOLDEN_AMX
  if (amxGranted && k <= AMX_MAX_K) {
    PlainFill fill{a, lda, k, m};
    Scratch& s = scratch();
    s.rows.resize((size_t)32 * AMX_MAX_K + 64);
    gemmAmx(fill, m, k, b, c, ldc, n, st, out, ldo, s.rows.data());
    return;
  }
#endif
  gemmDirect(a, lda, b, c, ldc, m, k, n, st, out, ldo);
}

void conv(const int8_t* src, const int32_t* geometry, int pad, const int8_t* b, int32_t* c, int ldc, int batch, int n,
          const Stages* st, int8_t* out, int ldo) {
  const Geometry g = geometryOf(geometry);
  if (g.kh == 1 && g.kw == 1 && g.strideH == 1 && g.strideW == 1 && g.outH == g.inH && g.outW == g.inW) {
    // a pointwise conv: its patch matrix is the images themselves, [batch * H * W, C]
    gemm(src, g.inC, b, c, ldc, batch * g.outH * g.outW, g.inC, n, st, out, ldo);
    return;
  }
  Scratch& s = scratch();
  ConvFill fill(src, g, pad, s.image);
  gemmFilled(fill, batch * g.outH * g.outW, g.kh * g.kw * g.inC, b, c, ldc, n, st, out, ldo, s);
}

} // namespace


extern "C" {

// The ABI version ./kernels.ts checks before it binds anything: bump it with every change of a signature or layout.
int ic_golden_abi(void) { return 8; }

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

// The conv layer of `batch` NHWC images: C (row stride ldc) = im2col(src) * B, or with `stages` the int8 out
// (row stride ldo). geometry: inH, inW, inC, kh, kw, strideH, strideW, padTop, padLeft, outH, outW
// (quant/format/shapes.ts convGeometry); pad: the input zero point, what the taps outside the image read.
void ic_golden_conv(const int8_t* src, const int32_t* geometry, int pad, const int8_t* b, int32_t* c, int ldc, int batch,
                    int n) {
  conv(src, geometry, pad, b, c, ldc, batch, n, nullptr, nullptr, 0);
}

void ic_golden_conv_requant(const int8_t* src, const int32_t* geometry, int pad, const int8_t* b, const int32_t* stages,
                            int8_t* out, int ldo, int batch, int n) {
  const Stages st = stagesOf(stages, n);
  conv(src, geometry, pad, b, nullptr, 0, batch, n, &st, out, ldo);
}

// The depthwise conv (depth multiplier 1) of `batch` NHWC images and its output stage into the int8 NHWC out;
// weights: int8 [kh * kw][C rounded up to 32], zero past C (depthwise-layer.ts prepareNativeDepthwise).
void ic_golden_depthwise_requant(const int8_t* src, const int32_t* geometry, int pad, const int8_t* weights,
                                 const int32_t* stages, int8_t* out, int batch) {
  const Geometry g = geometryOf(geometry);
  const Stages st = stagesOf(stages, g.inC);
  depthwise(src, g, pad, weights, st, out, batch, scratch().image);
}

// out[i] = ADD(a[i], b[i]) for i < n, looked up in the layer's table (add.h; 65536 + 4 bytes).
void ic_golden_add(const int8_t* a, const int8_t* b, const int8_t* table, int8_t* out, int n) {
  addLookup(a, b, table, out, n);
}

// The output stage alone on int32 accumulators C[m, n] (row stride ldc), for tests of both paths' arithmetic.
void ic_golden_requant(const int32_t* c, int ldc, const int32_t* stages, int8_t* out, int ldo, int m, int n) {
  const Stages st = stagesOf(stages, n);
  for (int i = 0; i < m; i++)
    for (int j = 0; j < n; j++) out[(int64_t)i * ldo + j] = requantOne(c[(int64_t)i * ldc + j], st, j);
}

} // extern "C"
