// The depthwise conv (depth multiplier 1) and its output stage: out[b, oy, ox, c] = the stage of channel c on
// wrap32(sum over the window of x[b, iy, ix, c] * w[ky, kx, c]), the taps outside the image reading `pad` (the input
// zero point, which the folded bias accounts for). 16 channels a vector on AVX-512 (the products of two int8 fit
// int32 lanes, the sums wrap like the accumulator), one at a time elsewhere.
// Part of the golden model's native kernels: included by kernels.cc, the one translation unit.
#pragma once

namespace {

void depthwise(const int8_t* src, const Geometry& g, int pad, const int8_t* w, const Stages& st, int8_t* out,
               int batch, std::vector<int8_t>& buffer) {
  PaddedImage image(src, g, pad, buffer);
  const int c = g.inC;
  const int cp = (c + 15) & ~15;
  const int64_t rowBytes = (int64_t)image.pW * c;
#if IC_GOLDEN_VNNI
  const int blocks = cp / 16;
  std::vector<StageVectors> stages((size_t)blocks);
  for (int j = 0; j < blocks; j++) stages[(size_t)j] = stageVectors(st, 16 * j);
#endif
  for (int b = 0; b < batch; b++) {
    image.load(b);
    for (int oy = 0; oy < g.outH; oy++) {
      for (int ox = 0; ox < g.outW; ox++) {
        const int8_t* win = image.window(oy, ox);
        int8_t* o = out + (((int64_t)b * g.outH + oy) * g.outW + ox) * c;
#if IC_GOLDEN_VNNI
        // the last block reads up to 15 bytes past the pixel (the next one's, or the image's slack): lanes past C
        // are never stored
        for (int j = 0; j < blocks; j++) {
          __m512i acc = _mm512_setzero_si512();
          for (int ky = 0; ky < g.kh; ky++) {
            for (int kx = 0; kx < g.kw; kx++) {
              const __m512i x = _mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i*)(win + ky * rowBytes + kx * c + 16 * j)));
              const __m512i wv = _mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i*)(w + (ky * g.kw + kx) * cp + 16 * j)));
              acc = _mm512_add_epi32(acc, _mm512_mullo_epi32(x, wv));
            }
          }
          const int left = c - 16 * j;
          const __mmask16 mask = left >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << left) - 1);
          _mm_mask_storeu_epi8(o + 16 * j, mask, requantVector(acc, st, stages[(size_t)j]));
        }
#else
        for (int ch = 0; ch < c; ch++) {
          uint32_t acc = 0;
          for (int ky = 0; ky < g.kh; ky++) {
            for (int kx = 0; kx < g.kw; kx++) {
              acc += (uint32_t)(win[ky * rowBytes + kx * c + ch] * w[(ky * g.kw + kx) * cp + ch]);
            }
          }
          o[ch] = requantOne((int32_t)acc, st, ch);
        }
#endif
      }
    }
  }
}

} // namespace
