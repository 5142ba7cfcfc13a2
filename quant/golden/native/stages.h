// The output stage, one column at a time (quant/spec/output.ts): the scalar form every path shares.
// Part of the golden model's native kernels: included by kernels.cc, the one translation unit.
#pragma once

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
// Each calling thread's buffers (the AMX row block, a conv's chunk of patch rows, the padded image), found once a
// call: a thread_local in a library opened with dlopen costs a __tls_get_addr call each time it is named.
struct Scratch {
  std::vector<int8_t> rows;
  std::vector<int8_t> image;
};

inline Scratch& scratch() {
  static thread_local Scratch s;
  return s;
}

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

} // namespace
