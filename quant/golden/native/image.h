// NHWC images as the windows of a conv read them: each image laid into `image` with its padding around it,
// [pH, pW, inC] with pH = (outH - 1) * strideH + kh and pW = (outW - 1) * strideW + kw (what the windows cover), the
// taps outside the image holding `pad` (the input zero point), so that every window is kh runs of kw * inC
// contiguous bytes. The buffer carries 64 bytes of slack past the image for whole-vector reads.
// Part of the golden model's native kernels: included by kernels.cc, the one translation unit.
#pragma once

namespace {

// quant/format/shapes.ts convGeometry, as ic_golden_conv and ic_golden_depthwise take it.
struct Geometry {
  int inH, inW, inC, kh, kw, strideH, strideW, padTop, padLeft, outH, outW;
};

inline Geometry geometryOf(const int32_t* v) {
  return {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10]};
}

struct PaddedImage {
  const int8_t* src;
  Geometry g;
  int8_t pad;
  int pH, pW;
  std::vector<int8_t>& image;

  PaddedImage(const int8_t* src_, const Geometry& g_, int pad_, std::vector<int8_t>& image_)
      : src(src_), g(g_), pad((int8_t)pad_), pH((g_.outH - 1) * g_.strideH + g_.kh),
        pW((g_.outW - 1) * g_.strideW + g_.kw), image(image_) {
    image.resize((size_t)pH * pW * g.inC + 64);
  }

  // Image b of the batch at src into `image`.
  void load(int b) {
    memset(image.data(), pad, (size_t)pH * pW * g.inC);
    const int8_t* img = src + (int64_t)b * g.inH * g.inW * g.inC;
    const int h = g.inH < pH - g.padTop ? g.inH : pH - g.padTop;
    const int w = g.inW < pW - g.padLeft ? g.inW : pW - g.padLeft;
    for (int y = 0; y < h; y++) {
      memcpy(image.data() + ((int64_t)(y + g.padTop) * pW + g.padLeft) * g.inC, img + (int64_t)y * g.inW * g.inC,
             (size_t)w * g.inC);
    }
  }

  // The window of output pixel (oy, ox): its top-left tap.
  const int8_t* window(int oy, int ox) const {
    return image.data() + ((int64_t)oy * g.strideH * pW + (int64_t)ox * g.strideW) * g.inC;
  }
};

} // namespace
