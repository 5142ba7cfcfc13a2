// ADD (quant/spec/add.ts addElement: TFLite's reference_integer_ops AddFunc), 16 elements at a time on AVX-512 and
// one at a time elsewhere: each input moved to the common scale, (x + offset) * 2^20 rescaled by
// RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(v, m), -shift), the two summed, the sum rescaled the same
// way to the output, + its zero point, clamped. Every multiplier is in [0, 2^31 - 1] and every shift in [-31, 0]
// (QuantizeMultiplierSmallerThanOneExp's), which ./kernels.ts checks before it calls.
// Part of the golden model's native kernels: included by kernels.cc, the one translation unit.
#pragma once

namespace {

// ic_golden_add's parameters, in quant/spec AddParams order.
struct AddParams {
  int32_t leftShift, input1Offset, input2Offset, outputOffset, input1Multiplier, input1Shift, input2Multiplier,
      input2Shift, outputMultiplier, outputShift, actMin, actMax;
};

inline int32_t srdhm(int32_t x, int32_t m0) { return (int32_t)(((int64_t)x * m0 + ((int64_t)1 << 30)) >> 31); }

inline int32_t rdbpot(int32_t x, int e) {
  const int32_t mask = (int32_t)(((uint32_t)1 << e) - 1);
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> e) + ((x & mask) > threshold ? 1 : 0);
}

inline int8_t addOne(int8_t x1, int8_t x2, const AddParams& p) {
  const int32_t scaled1 = rdbpot(srdhm((p.input1Offset + x1) * (1 << p.leftShift), p.input1Multiplier), -p.input1Shift);
  const int32_t scaled2 = rdbpot(srdhm((p.input2Offset + x2) * (1 << p.leftShift), p.input2Multiplier), -p.input2Shift);
  const int32_t raw = rdbpot(srdhm(scaled1 + scaled2, p.outputMultiplier), -p.outputShift) + p.outputOffset;
  return (int8_t)(raw < p.actMin ? p.actMin : raw > p.actMax ? p.actMax : raw);
}

void add(const int8_t* a, const int8_t* b, const AddParams& p, int8_t* out, int n) {
  int i = 0;
#if IC_GOLDEN_VNNI
  const __m512i off1 = _mm512_set1_epi32(p.input1Offset), off2 = _mm512_set1_epi32(p.input2Offset);
  const __m512i m1 = _mm512_set1_epi32(p.input1Multiplier), m2 = _mm512_set1_epi32(p.input2Multiplier);
  const __m512i mo = _mm512_set1_epi32(p.outputMultiplier);
  const __m512i r1 = _mm512_set1_epi32(-p.input1Shift), r2 = _mm512_set1_epi32(-p.input2Shift);
  const __m512i ro = _mm512_set1_epi32(-p.outputShift);
  const __m512i zo = _mm512_set1_epi32(p.outputOffset);
  const __m512i lo = _mm512_set1_epi32(p.actMin), hi = _mm512_set1_epi32(p.actMax);
  const __m128i left = _mm_cvtsi32_si128(p.leftShift);
  for (; i + 16 <= n; i += 16) {
    const __m512i x1 = _mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i*)(a + i)));
    const __m512i x2 = _mm512_cvtepi8_epi32(_mm_loadu_si128((const __m128i*)(b + i)));
    const __m512i s1 = rdbpotVector(srdhmVector(_mm512_sll_epi32(_mm512_add_epi32(x1, off1), left), m1), r1);
    const __m512i s2 = rdbpotVector(srdhmVector(_mm512_sll_epi32(_mm512_add_epi32(x2, off2), left), m2), r2);
    const __m512i raw = _mm512_add_epi32(rdbpotVector(srdhmVector(_mm512_add_epi32(s1, s2), mo), ro), zo);
    _mm_storeu_si128((__m128i*)(out + i), _mm512_cvtepi32_epi8(_mm512_min_epi32(_mm512_max_epi32(raw, lo), hi)));
  }
#endif
  for (; i < n; i++) out[i] = addOne(a[i], b[i], p);
}

} // namespace
