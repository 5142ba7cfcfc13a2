// ADD through its table: out[i] = table[(a[i] + 128) * 256 + (b[i] + 128)], the table holding quant/spec addElement
// for every pair of codes (quant/kernels/add.ts addTable, 64 KiB, + 4 bytes of slack). 16 elements a vpgatherdd on
// AVX-512 (each lane loads the 4 bytes at its index and keeps the first: 2.8x the three rescalings computed on 16
// lanes, measured here), one at a time elsewhere.
// Part of the golden model's native kernels: included by kernels.cc, the one translation unit.
#pragma once

namespace {

void addLookup(const int8_t* a, const int8_t* b, const int8_t* table, int8_t* out, int n) {
  const int8_t* centre = table + 128 * 256 + 128; // the entry of (0, 0): indices a * 256 + b from there
  int i = 0;
#if IC_GOLDEN_VNNI
  for (; i + 16 <= n; i += 16) {
    const __m512i x = _mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i*)(a + i)));
    const __m512i y = _mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i*)(b + i)));
    const __m512i v = _mm512_i32gather_epi32(_mm512_add_epi32(_mm512_slli_epi32(x, 8), y), centre, 1);
    _mm_storeu_si128((__m128i*)(out + i), _mm512_cvtepi32_epi8(v));
  }
#endif
  for (; i < n; i++) out[i] = centre[a[i] * 256 + b[i]];
}

} // namespace
