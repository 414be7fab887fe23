// The addon's entries for the attention models' layers (libs/events): layer norm, GELU,
// multi-head prefix attention, the whole encoder layer and THP's temporal encoding.
#pragma once
#include "active-kernels.h"
#include "napi-signature.h"

namespace seqcast {
namespace {

// y, xhat [rows * d] and inv [rows] from x [rows * d]
void layerNormForward(Call& c, In<float> x, In<float> g, In<float> b, int d, double eps, Out<float> y, Out<float> xhat,
                      Out<double> inv) {
  c.require(d > 0 && x.size % d == 0, "x is not whole rows of d");
  const size_t rows = d > 0 ? x.size / d : 0;
  c.require(g.size == size_t(d) && b.size == size_t(d), "gamma and beta must have d values");
  c.require(y.size == x.size && xhat.size == x.size && inv.size == rows, "outputs must be y, xhat [rows * d] and inv [rows]");
  if (c.ok()) K->layerNormForward(x, g, b, int(rows), d, eps, y, xhat, inv);
}

void layerNormBackward(Call& c, In<float> gy, In<float> g, In<float> xhat, In<double> inv, int d, Out<float> dx,
                       Out<double> dg, Out<double> db) {
  c.require(d > 0 && gy.size % d == 0, "gy is not whole rows of d");
  const size_t rows = d > 0 ? gy.size / d : 0;
  c.require(g.size == size_t(d) && dg.size == size_t(d) && db.size == size_t(d), "gamma, dg and db must have d values");
  c.require(xhat.size == gy.size && dx.size == gy.size && inv.size == rows,
            "xhat and dx must match gy, inv must have one value per row");
  if (c.ok()) K->layerNormBackward(gy, g, xhat, inv, int(rows), d, dx, dg, db);
}

void geluForward(Call& c, In<float> x, Out<float> y, Out<float> th) {
  c.require(y.size == x.size && th.size == x.size, "y and th must be as long as x");
  if (c.ok()) K->geluForward(x, int(x.size), y, th);
}

// geluErf(x, y, der): y = x Phi(x); der (empty: not wanted) = Phi(x) + x phi(x)
void geluErf(Call& c, In<float> x, Out<float> y, Out<float> der) {
  c.require(y.size == x.size && (der.size == x.size || der.size == 0), "y (and der, unless empty) must be as long as x");
  if (c.ok()) K->geluErf(x, int(x.size), y, der.size ? static_cast<float*>(der) : nullptr);
}

void geluBackward(Call& c, In<float> x, In<float> th, In<float> gy, Out<float> dx) {
  c.require(th.size == x.size && gy.size == x.size && dx.size == x.size, "th, gy and dx must be as long as x");
  if (c.ok()) K->geluBackward(x, th, gy, int(x.size), dx);
}

// The shapes and limits every attention call shares.
struct AttentionShape {
  int B, Q, N, d, heads;
  In<int32_t> limits;
  bool nullKey;
  int lstride;  // set by checkAttention: 0 when one row of limits serves every batch row, else Q
};

bool checkAttention(Call& c, AttentionShape& s) {
  c.require(s.B >= 0 && s.Q >= 0 && s.N >= 0 && s.heads > 0 && s.d > 0 && s.d % s.heads == 0,
            "heads must divide d, sizes must not be negative");
  const size_t nl = s.limits.size;
  c.require(nl == size_t(s.Q) || nl == size_t(s.B) * s.Q, "limits must have Q or B * Q values");
  if (!c.ok()) return false;
  s.lstride = nl == size_t(s.Q) ? 0 : s.Q;
  for (size_t i = 0; i < nl; i++) c.require(s.limits[i] >= -1 && s.limits[i] < s.N, "a limit lies outside keys -1..N-1");
  return c.ok();
}

// out [B, Q, d] from q [B, Q, d], k and v [B, N, d]
void attentionForward(Call& c, In<float> q, In<float> k, In<float> v, int B, int Q, int N, int d, int heads,
                      In<int32_t> limits, bool nullKey, Out<float> out) {
  AttentionShape s{B, Q, N, d, heads, limits, nullKey, 0};
  if (!checkAttention(c, s)) return;
  const size_t qs = size_t(B) * Q * d, ks = size_t(B) * N * d;
  c.require(q.size == qs && out.size == qs && k.size == ks && v.size == ks, "q and out must be [B, Q, d], k and v [B, N, d]");
  if (c.ok()) K->attentionForward(q, k, v, B, Q, N, d, heads, limits, s.lstride, nullKey, out);
}

// dq, dk, dv accumulated from dL/dout g
void attentionBackward(Call& c, In<float> q, In<float> k, In<float> v, In<float> g, int B, int Q, int N, int d,
                       int heads, In<int32_t> limits, bool nullKey, Out<float> dq, Out<float> dk, Out<float> dv) {
  AttentionShape s{B, Q, N, d, heads, limits, nullKey, 0};
  if (!checkAttention(c, s)) return;
  const size_t qs = size_t(B) * Q * d, ks = size_t(B) * N * d;
  c.require(q.size == qs && g.size == qs && dq.size == qs && k.size == ks && v.size == ks && dk.size == ks &&
                dv.size == ks,
            "q, g and dq must be [B, Q, d], k, v, dk and dv [B, N, d]");
  if (c.ok()) K->attentionBackward(q, k, v, g, B, Q, N, d, heads, limits, s.lstride, nullKey, dq, dk, dv);
}

// The encoder layer's attention (Q = N = T) and the sizes of its weights and saved arrays.
struct EncoderShape {
  AttentionShape at;
  int F;
  size_t N, weights, saved;
};

bool checkEncoder(Call& c, EncoderShape& e) {
  if (!checkAttention(c, e.at)) return false;
  c.require(e.F > 0, "F must be positive");
  const size_t d = e.at.d, F = e.F;
  e.N = size_t(e.at.B) * e.at.Q;
  e.weights = 4 * d * d + 2 * d * F + 9 * d + F;  // EncoderLayout
  e.saved = 7 * e.N * d + 3 * e.N * F;
  return c.ok();
}

void encoderForward(Call& c, In<float> x, In<float> w, int B, int T, int d, int F, int heads, In<int32_t> limits,
                    bool nullKey, Out<float> y, Out<float> saved, Out<double> invs) {
  EncoderShape e{{B, T, T, d, heads, limits, nullKey, 0}, F, 0, 0, 0};
  if (!checkEncoder(c, e)) return;
  const size_t Nd = e.N * d;
  c.require(x.size == Nd && y.size == Nd, "x and y must be [B, T, d]");
  c.require(w.size == e.weights, "w must hold the layer's weights (4 d d + 2 d F + 9 d + F)");
  c.require(saved.size == e.saved && invs.size == 2 * e.N, "saved must be 7 N d + 3 N F floats and invs 2 N");
  if (c.ok()) K->encoderForward(x, w, B, T, d, F, heads, limits, e.at.lstride, nullKey, y, saved, invs);
}

void encoderBackward(Call& c, In<float> gy, In<float> x, In<float> w, int B, int T, int d, int F, int heads,
                     In<int32_t> limits, bool nullKey, In<float> saved, In<double> invs, Out<float> dx, Out<float> dw) {
  EncoderShape e{{B, T, T, d, heads, limits, nullKey, 0}, F, 0, 0, 0};
  if (!checkEncoder(c, e)) return;
  const size_t Nd = e.N * d;
  c.require(gy.size == Nd && x.size == Nd && dx.size == Nd, "gy, x and dx must be [B, T, d]");
  c.require(w.size == e.weights && dw.size == e.weights, "w and dw must hold the layer's weights (4 d d + 2 d F + 9 d + F)");
  c.require(saved.size == e.saved && invs.size == 2 * e.N, "saved must be 7 N d + 3 N F floats and invs 2 N");
  if (c.ok()) K->encoderBackward(gy, x, w, B, T, d, F, heads, limits, e.at.lstride, nullKey, saved, invs, dx, dw);
}

// out [ts.length, d]
void temporalEncoding(Call& c, In<float> ts, int d, Out<float> out) {
  c.require(d > 0 && out.size == ts.size * size_t(d), "out must be [ts.length, d] for a positive d");
  if (c.ok()) K->temporalEncoding(ts, int(ts.size), d, out);
}

}  // namespace
}  // namespace seqcast
