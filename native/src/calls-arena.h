// The addon's entries for the KernelArena's kernels (libs/tensor): gemm, the in-place maps
// and the continuous-time LSTM's decay. Arguments arrive checked (napi-signature.h); these
// check sizes and every index a kernel will touch.
#pragma once
#include "active-kernels.h"
#include "napi-signature.h"

namespace seqcast {
namespace {

// c += A b (see kernels.h), each operand at an offset into its array
void gemm(Call& c, int m, int n, int k, In<float> a, int aOff, int lda, int acs, In<float> b, int bOff, int ldb,
          Out<float> cm, int cOff, int ldc) {
  c.require(m >= 0 && n >= 0 && k >= 0 && lda >= 0 && acs >= 0 && ldb >= n && ldc >= n, "bad sizes or strides");
  const bool any = m > 0 && n > 0 && k > 0;
  c.within(any, aOff, aOff + int64_t(m - 1) * lda + int64_t(k - 1) * acs, a.size, "A");
  c.within(any, bOff, bOff + int64_t(k - 1) * ldb + n - 1, b.size, "B");
  c.within(any, cOff, cOff + int64_t(m - 1) * ldc + n - 1, cm.size, "C");
  if (c.ok() && any) K->gemm(m, n, k, a.data + aOff, lda, acs, b.data + bOff, ldb, cm.data + cOff, ldc);
}

// exp / tanh / sigmoid / softplus on buf[off .. off + n), in place
template <void (*Kernels::*Map)(float*, int)>
void map(Call& c, Out<float> buf, int off, int n) {
  c.require(n >= 0, "negative length");
  c.within(n > 0, off, int64_t(off) + n - 1, buf.size, "the range");
  if (c.ok() && n > 0) (K->*Map)(buf.data + off, n);
}

// KernelArena.decay: offsets in floats into buf (state rows at ints[offs + r])
void decay(Call& c, Out<float> buf, In<int32_t> ints, int rows, int H, int offs, int ts, int d, int cb, int cc, int o,
           int e, int x, int th, int h) {
  c.require(rows >= 0 && H >= 0, "negative sizes");
  const bool any = rows > 0 && H > 0;
  c.within(any, offs, int64_t(offs) + rows - 1, ints.size, "offs");
  c.within(any, ts, int64_t(ts) + rows - 1, buf.size, "ts");
  for (const int out : {e, x, th, h}) c.within(any, out, int64_t(out) + int64_t(rows) * H - 1, buf.size, "an output");
  if (c.ok() && any) {
    for (int r = 0; r < rows; r++) {
      const int at = ints[offs + r];
      for (const int in : {d, cb, cc, o}) c.within(true, int64_t(in) + at, int64_t(in) + at + H - 1, buf.size, "a state row");
    }
  }
  if (c.ok() && any) K->decay(buf, ints, rows, H, offs, ts, d, cb, cc, o, e, x, th, h);
}

}  // namespace
}  // namespace seqcast
