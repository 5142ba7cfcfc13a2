// The depthwise conv (depth multiplier 1) and its output stage: out[b, oy, ox, c] = the stage of channel c on
// wrap32(sum over the window of x[b, iy, ix, c] * w[ky, kx, c]), the taps outside the image reading `pad` (the input
// zero point, which the folded bias accounts for). Weights int8 [kh * kw][C rounded up to 32], zero past C.
// Part of the golden model's native kernels: included by kernels.cc, the one translation unit.
//
// On AVX-512 VNNI, 32 channels a block: the codes of two taps widened to int16 and interleaved channel by channel
// (vpunpcklwd / vpunpckhwd), so that one vpdpwssd adds both taps' products of 16 channels into their int32 lanes
// (each product at most 2^14: the sums wrap like the accumulator, nothing saturates); an odd last tap is paired
// with itself and zero weights. The interleave leaves the low accumulator with channels 0-3, 8-11, 16-19, 24-27 of
// the block and the high one with 4-7, 12-15, 20-23, 28-31: the stage reads its parameters in that order, and the
// two 16-byte results are interleaved back 4 bytes at a time. One channel at a time elsewhere.
#pragma once

namespace {

#if IC_GOLDEN_VNNI
// The channel of lane i of a block's low (half 0) or high (half 1) accumulator.
inline int laneChannel(int i, int half) { return 8 * (i >> 2) + 4 * half + (i & 3); }

// NB blocks of 32 channels from block j0 of one output pixel. off: each tap's offset in the padded image;
// pairs: the weights as [tap pair][block][low, high] int16 vectors; stages: [block][low, high].
template <int NB>
inline void group(const int8_t* win, const int64_t* off, int taps, const int16_t* pairs, int blocks, int j0, int c,
                  const Stages& st, const StageVectors* stages, int8_t* o) {
  __m512i lo[NB], hi[NB];
  for (int q = 0; q < NB; q++) lo[q] = hi[q] = _mm512_setzero_si512();
  const int8_t* x0 = win + 32 * j0;
  for (int t = 0, p = 0; t < taps; t += 2, p++) {
    const int8_t* xa = x0 + off[t];
    const int8_t* xb = t + 1 < taps ? x0 + off[t + 1] : xa;
    const int16_t* wp = pairs + ((int64_t)p * blocks + j0) * 64;
    for (int q = 0; q < NB; q++) {
      const __m512i a = _mm512_cvtepi8_epi16(_mm256_loadu_si256((const __m256i*)(xa + 32 * q)));
      const __m512i b = _mm512_cvtepi8_epi16(_mm256_loadu_si256((const __m256i*)(xb + 32 * q)));
      lo[q] = _mm512_dpwssd_epi32(lo[q], _mm512_unpacklo_epi16(a, b), _mm512_loadu_si512(wp + 64 * q));
      hi[q] = _mm512_dpwssd_epi32(hi[q], _mm512_unpackhi_epi16(a, b), _mm512_loadu_si512(wp + 64 * q + 32));
    }
  }
  for (int q = 0; q < NB; q++) {
    const int j = j0 + q;
    const __m128i l = requantVector(lo[q], st, stages[2 * j]);
    const __m128i h = requantVector(hi[q], st, stages[2 * j + 1]);
    const int left = c - 32 * j;
    const int left1 = left - 16;
    const __mmask16 m0 = left >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << left) - 1);
    const __mmask16 m1 = left1 >= 16 ? (__mmask16)0xffff : left1 <= 0 ? (__mmask16)0 : (__mmask16)((1u << left1) - 1);
    _mm_mask_storeu_epi8(o + 32 * j, m0, _mm_unpacklo_epi32(l, h));
    _mm_mask_storeu_epi8(o + 32 * j + 16, m1, _mm_unpackhi_epi32(l, h));
  }
}
#endif

void depthwise(const int8_t* src, const Geometry& g, int pad, const int8_t* w, const Stages& st, int8_t* out,
               int batch, std::vector<int8_t>& buffer) {
  PaddedImage image(src, g, pad, buffer);
  const int c = g.inC;
  const int cp = (c + 31) & ~31;
  const int64_t rowBytes = (int64_t)image.pW * c;
  const int taps = g.kh * g.kw;
#if IC_GOLDEN_VNNI
  const int blocks = cp / 32;
  std::vector<int64_t> off((size_t)taps);
  for (int t = 0; t < taps; t++) off[(size_t)t] = (t / g.kw) * rowBytes + (int64_t)(t % g.kw) * c;
  // the weights of each tap pair, interleaved as the codes will be: [pair][block][low 32, high 32] int16
  const int npairs = (taps + 1) / 2;
  std::vector<int16_t> pairs((size_t)npairs * blocks * 64);
  for (int p = 0; p < npairs; p++) {
    for (int j = 0; j < blocks; j++) {
      const __m512i a = _mm512_cvtepi8_epi16(_mm256_loadu_si256((const __m256i*)(w + (2 * p) * cp + 32 * j)));
      const __m512i b = 2 * p + 1 < taps ? _mm512_cvtepi8_epi16(_mm256_loadu_si256((const __m256i*)(w + (2 * p + 1) * cp + 32 * j)))
                                         : _mm512_setzero_si512();
      int16_t* d = pairs.data() + ((int64_t)p * blocks + j) * 64;
      _mm512_storeu_si512(d, _mm512_unpacklo_epi16(a, b));
      _mm512_storeu_si512(d + 32, _mm512_unpackhi_epi16(a, b));
    }
  }
  // the stage's parameters in the accumulators' lane order, [block][low, high] x 16
  std::vector<int32_t> bias((size_t)cp), m0((size_t)cp), shift((size_t)cp);
  for (int j = 0; j < blocks; j++) {
    for (int half = 0; half < 2; half++) {
      for (int i = 0; i < 16; i++) {
        const int ch = 32 * j + laneChannel(i, half);
        const size_t at = (size_t)(32 * j + 16 * half + i);
        bias[at] = ch < c ? st.bias[ch] : 0;
        m0[at] = ch < c ? st.m0[ch] : 0;
        shift[at] = ch < c ? st.shift[ch] : 0;
      }
    }
  }
  const Stages permuted{bias.data(), m0.data(), shift.data(), st.mode, st.zp, st.lo, st.hi};
  std::vector<StageVectors> stages((size_t)blocks * 2);
  for (int h = 0; h < 2 * blocks; h++) stages[(size_t)h] = stageVectors(permuted, 16 * h);
#endif
  for (int b = 0; b < batch; b++) {
    image.load(b);
    for (int oy = 0; oy < g.outH; oy++) {
      for (int ox = 0; ox < g.outW; ox++) {
        const int8_t* win = image.window(oy, ox);
        int8_t* o = out + (((int64_t)b * g.outH + oy) * g.outW + ox) * c;
#if IC_GOLDEN_VNNI
        // 64 channels at a time; the last block reads up to 31 bytes past the pixel (the next one's, or the
        // image's slack): lanes past C are never stored
        for (int j0 = 0; j0 < blocks; j0 += 2) {
          if (blocks - j0 >= 2) group<2>(win, off.data(), taps, pairs.data(), blocks, j0, c, st, stages.data(), o);
          else group<1>(win, off.data(), taps, pairs.data(), blocks, j0, c, st, stages.data(), o);
        }
#else
        for (int ch = 0; ch < c; ch++) {
          uint32_t acc = 0;
          for (int t = 0; t < taps; t++) {
            acc += (uint32_t)(win[(t / g.kw) * rowBytes + (t % g.kw) * c + ch] * w[t * cp + ch]);
          }
          o[ch] = requantOne((int32_t)acc, st, ch);
        }
#endif
      }
    }
  }
}

} // namespace
