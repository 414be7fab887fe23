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

// channels-first [B, H, L] (libs/tensor ssm/channel-layer-norm.ts): y, xhat [B H L], rstd [B L]
void channelNormForward(Call& c, In<float> x, In<float> g, In<float> b, int B, int H, int L, double eps, Out<float> y,
                        Out<float> xhat, Out<double> rstd) {
  c.require(B >= 0 && H > 0 && L >= 0, "bad sizes");
  const size_t n = size_t(std::max(B, 0)) * std::max(H, 0) * std::max(L, 0);
  c.require(x.size == n && y.size == n && xhat.size == n, "x, y and xhat must hold B H L values");
  c.require(g.size == size_t(H) && b.size == size_t(H), "gamma and beta must have H values");
  c.require(rstd.size == size_t(std::max(B, 0)) * std::max(L, 0), "rstd must hold B L values");
  if (c.ok() && n > 0) K->channelNormForward(x, g, b, B, H, L, eps, y, xhat, rstd);
}

// dx written; dgamma, dbeta accumulated
void channelNormBackward(Call& c, In<float> dy, In<float> g, In<float> xhat, In<double> rstd, int B, int H, int L,
                         Out<float> dx, Out<double> dgamma, Out<double> dbeta) {
  c.require(B >= 0 && H > 0 && L >= 0, "bad sizes");
  const size_t n = size_t(std::max(B, 0)) * std::max(H, 0) * std::max(L, 0);
  c.require(dy.size == n && xhat.size == n && dx.size == n, "dy, xhat and dx must hold B H L values");
  c.require(g.size == size_t(H) && dgamma.size == size_t(H) && dbeta.size == size_t(H),
            "gamma, dgamma and dbeta must have H values");
  c.require(rstd.size == size_t(std::max(B, 0)) * std::max(L, 0), "rstd must hold B L values");
  if (c.ok() && n > 0) K->channelNormBackward(dy, g, xhat, rstd, B, H, L, dx, dgamma, dbeta);
}

// (libs/tensor ssm/glu-bias.ts) y [B, 2H, L], bias [2H]; scale [B H] and residual [B H L] or empty
void gluForward(Call& c, In<float> y, In<float> bias, In<float> scale, In<float> residual, int B, int H, int L,
                Out<float> lin, Out<float> sig, Out<float> out) {
  c.require(B >= 0 && H > 0 && L >= 0, "bad sizes");
  const size_t n = size_t(std::max(B, 0)) * std::max(H, 0) * std::max(L, 0);
  c.require(y.size == 2 * n && bias.size == 2 * size_t(H), "y must hold B 2H L values, bias 2H");
  c.require(scale.size == 0 || scale.size == size_t(std::max(B, 0)) * H, "scale must be empty or hold B H values");
  c.require(residual.size == 0 || residual.size == n, "residual must be empty or hold B H L values");
  c.require(lin.size == n && sig.size == n && out.size == n, "lin, sig and out must hold B H L values");
  if (c.ok() && n > 0)
    K->gluForward(y, bias, scale.size ? static_cast<const float*>(scale) : nullptr,
                  residual.size ? static_cast<const float*>(residual) : nullptr, B, H, L, lin, sig, out);
}

// dy [B, 2H, L] written, dbias [2H] accumulated
void gluBackward(Call& c, In<float> dout, In<float> lin, In<float> sig, In<float> scale, int B, int H, int L,
                 Out<float> dy, Out<double> dbias) {
  c.require(B >= 0 && H > 0 && L >= 0, "bad sizes");
  const size_t n = size_t(std::max(B, 0)) * std::max(H, 0) * std::max(L, 0);
  c.require(dout.size == n && lin.size == n && sig.size == n, "dout, lin and sig must hold B H L values");
  c.require(scale.size == 0 || scale.size == size_t(std::max(B, 0)) * H, "scale must be empty or hold B H values");
  c.require(dy.size == 2 * n && dbias.size == 2 * size_t(H), "dy must hold B 2H L values, dbias 2H");
  if (c.ok() && n > 0)
    K->gluBackward(dout, lin, sig, scale.size ? static_cast<const float*>(scale) : nullptr, B, H, L, dy, dbias);
}

// (libs/tensor ssm/channel-mix.ts) z [B, H, L], w [O, H], bias [O] or empty -> out [B, O, L]
void channelMixForward(Call& c, In<float> z, In<float> w, In<float> bias, int B, int H, int L, int O, Out<float> out) {
  c.require(B >= 0 && H > 0 && L >= 0 && O > 0, "bad sizes");
  const size_t b = size_t(std::max(B, 0)), l = size_t(std::max(L, 0));
  c.require(z.size == b * H * l && w.size == size_t(O) * H && out.size == b * O * l,
            "z must hold B H L values, w O H, out B O L");
  c.require(bias.size == 0 || bias.size == size_t(O), "bias must be empty or hold O values");
  if (c.ok() && b * l > 0) K->channelMixForward(z, w, bias.size ? static_cast<const float*>(bias) : nullptr, B, H, L, O, out);
}

// dz written; dw, dbias (empty: no bias) accumulated
void channelMixBackward(Call& c, In<float> dout, In<float> z, In<float> w, int B, int H, int L, int O, Out<float> dz,
                        Out<float> dw, Out<double> dbias) {
  c.require(B >= 0 && H > 0 && L >= 0 && O > 0, "bad sizes");
  const size_t b = size_t(std::max(B, 0)), l = size_t(std::max(L, 0));
  c.require(dout.size == b * O * l && z.size == b * H * l && dz.size == b * H * l,
            "dout must hold B O L values, z and dz B H L");
  c.require(w.size == size_t(O) * H && dw.size == size_t(O) * H, "w and dw must hold O H values");
  c.require(dbias.size == 0 || dbias.size == size_t(O), "dbias must be empty or hold O values");
  if (c.ok() && b * l > 0)
    K->channelMixBackward(dout, z, w, B, H, L, O, dz, dw, dbias.size ? static_cast<double*>(dbias) : nullptr);
}

// (libs/tensor ssm/channel-skip.ts) y, u [B, H, L], D [H] -> out = y + D u
void channelSkipForward(Call& c, In<float> y, In<float> u, In<float> D, int B, int H, int L, Out<float> out) {
  c.require(B >= 0 && H > 0 && L >= 0, "bad sizes");
  const size_t n = size_t(std::max(B, 0)) * H * size_t(std::max(L, 0));
  c.require(y.size == n && u.size == n && out.size == n, "y, u and out must hold B H L values");
  c.require(D.size == size_t(H), "D must have H values");
  if (c.ok() && n > 0) K->channelSkipForward(y, u, D, B, H, L, out);
}

// du written, dD accumulated
void channelSkipBackward(Call& c, In<float> g, In<float> u, In<float> D, int B, int H, int L, Out<float> du,
                         Out<double> dD) {
  c.require(B >= 0 && H > 0 && L >= 0, "bad sizes");
  const size_t n = size_t(std::max(B, 0)) * H * size_t(std::max(L, 0));
  c.require(g.size == n && u.size == n && du.size == n, "g, u and du must hold B H L values");
  c.require(D.size == size_t(H) && dD.size == size_t(H), "D and dD must have H values");
  if (c.ok() && n > 0) K->channelSkipBackward(g, u, D, B, H, L, du, dD);
}

// x [rows L] *= g (empty: 1) * scale[row] (empty: 1), in place
void scaleRows(Call& c, Out<float> x, In<float> g, In<float> scale, int rows, int L) {
  c.require(rows >= 0 && L >= 0 && x.size == size_t(std::max(rows, 0)) * size_t(std::max(L, 0)), "x must hold rows L values");
  c.require(g.size == 0 || g.size == x.size, "g must be empty or as long as x");
  c.require(scale.size == 0 || scale.size == size_t(std::max(rows, 0)), "scale must be empty or hold one value per row");
  if (c.ok() && x.size > 0)
    K->scaleRows(x, g.size ? static_cast<const float*>(g) : nullptr, scale.size ? static_cast<const float*>(scale) : nullptr,
                 rows, L);
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
