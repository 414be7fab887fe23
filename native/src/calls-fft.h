// The addon's entries for the FFTs and the fused causal convolution (fft-impl.h): arguments
// arrive checked (napi-signature.h); these check that every array is exactly the size its
// rows and lengths say before a kernel runs.
#pragma once
#include <cstdint>

#include "active-kernels.h"
#include "napi-signature.h"

namespace seqcast {
namespace {

// The kernels keep per-thread lane buffers of n VW floats (8 of them, 64 MiB each at 2^20 on
// AVX-512); libs/tensor sends lengths past 2^18 to its JS plans (native-fft.ts).
constexpr int kMaxFftLength = 1 << 20;

void checkLength(Call& c, int n) { c.require(n >= 1 && n <= kMaxFftLength, "n must be in 1 .. 2^20"); }
void checkSize(Call& c, size_t size, int64_t rows, int64_t width, const char* what) {
  if (c.ok() && size != static_cast<size_t>(rows * width))
    c.require(false, (std::string(what) + " must hold " + std::to_string(rows) + " rows of " + std::to_string(width) +
                      " floats, has " + std::to_string(size)).c_str());
}

// x [rows, len] -> outRe, outIm [rows, n / 2 + 1]
void rfftRows(Call& c, In<float> x, int rows, int len, int n, Out<float> outRe, Out<float> outIm) {
  checkLength(c, n);
  c.require(rows >= 0 && len >= 0, "negative rows or len");
  checkSize(c, x.size, rows, len, "x");
  checkSize(c, outRe.size, rows, n / 2 + 1, "outRe");
  checkSize(c, outIm.size, rows, n / 2 + 1, "outIm");
  if (c.ok() && rows > 0) K->rfftRows(x, rows, len, n, outRe, outIm);
}

// re, im [rows, n / 2 + 1] -> out [rows, n]
void irfftRows(Call& c, In<float> re, In<float> im, int rows, int n, Out<float> out) {
  checkLength(c, n);
  c.require(rows >= 0, "negative rows");
  checkSize(c, re.size, rows, n / 2 + 1, "re");
  checkSize(c, im.size, rows, n / 2 + 1, "im");
  checkSize(c, out.size, rows, n, "out");
  if (c.ok() && rows > 0) K->irfftRows(re, im, rows, n, out);
}

// re, im [rows, n] -> outRe, outIm [rows, n] (inverse: scaled by 1 / n)
void fftRows(Call& c, In<float> re, In<float> im, int rows, int n, bool inverse, Out<float> outRe, Out<float> outIm) {
  checkLength(c, n);
  c.require(rows >= 0, "negative rows");
  for (const auto& [size, what] : {std::pair{re.size, "re"}, {im.size, "im"}, {outRe.size, "outRe"}, {outIm.size, "outIm"}})
    checkSize(c, size, rows, n, what);
  if (c.ok() && rows > 0) K->fftRows(re, im, rows, n, inverse, outRe, outIm);
}

// The shapes both directions of the convolution share.
void checkConv(Call& c, size_t uSize, size_t kSize, int rows, int L, int kRows, int Kt, int n) {
  c.require(rows >= 0 && L >= 1 && Kt >= 1 && kRows >= 1, "rows must be >= 0, L, K and kRows >= 1");
  c.require(c.ok() && rows % kRows == 0, "kRows must divide rows");
  checkLength(c, n);
  c.require(int64_t(n) >= int64_t(L) + std::min(Kt, L) - 1, "n must be >= L + min(K, L) - 1 (no wrap-around)");
  checkSize(c, uSize, rows, L, "u");
  checkSize(c, kSize, kRows, Kt, "k");
}

void fftConvForward(Call& c, In<float> u, In<float> k, int rows, int L, int kRows, int Kt, int n, Out<float> y) {
  checkConv(c, u.size, k.size, rows, L, kRows, Kt, n);
  checkSize(c, y.size, rows, L, "y");
  if (c.ok() && rows > 0) K->fftConvForward(u, k, rows, L, kRows, Kt, n, y);
}

void fftConvBackward(Call& c, In<float> dy, In<float> u, In<float> k, int rows, int L, int kRows, int Kt, int n,
                     Out<float> du, Out<float> dk) {
  checkConv(c, u.size, k.size, rows, L, kRows, Kt, n);
  checkSize(c, dy.size, rows, L, "dy");
  checkSize(c, du.size, rows, L, "du");
  checkSize(c, dk.size, kRows, Kt, "dk");
  if (c.ok()) K->fftConvBackward(dy, u, k, rows, L, kRows, Kt, n, du, dk);
}

// fftConvShared*(..., M, ...): M kernel sets [M][kRows][K] on one signal u [rows][L]
void fftConvSharedForward(Call& c, In<float> u, In<float> k, int rows, int L, int kRows, int Kt, int n, int M,
                          Out<float> y) {
  c.require(M >= 1, "M must be >= 1");
  checkConv(c, u.size, c.ok() ? k.size / M : 0, rows, L, kRows, Kt, n);
  c.require(!c.ok() || k.size == size_t(M) * kRows * Kt, "k must hold M kRows K values");
  c.require(!c.ok() || y.size == size_t(M) * rows * L, "y must hold M rows L values");
  if (c.ok() && rows > 0) K->fftConvSharedForward(u, k, rows, L, kRows, Kt, n, M, y);
}

void fftConvSharedBackward(Call& c, In<float> dy, In<float> u, In<float> k, int rows, int L, int kRows, int Kt, int n,
                           int M, Out<float> du, Out<float> dk) {
  c.require(M >= 1, "M must be >= 1");
  checkConv(c, u.size, c.ok() ? k.size / M : 0, rows, L, kRows, Kt, n);
  c.require(!c.ok() || k.size == size_t(M) * kRows * Kt, "k must hold M kRows K values");
  c.require(!c.ok() || dy.size == size_t(M) * rows * L, "dy must hold M rows L values");
  checkSize(c, du.size, rows, L, "du");
  c.require(!c.ok() || dk.size == size_t(M) * kRows * Kt, "dk must hold M kRows K values");
  if (c.ok()) K->fftConvSharedBackward(dy, u, k, rows, L, kRows, Kt, n, M, du, dk);
}

}  // namespace
}  // namespace seqcast
