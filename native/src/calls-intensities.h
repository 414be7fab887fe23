// The addon's entries for the event models' intensities and likelihood terms (libs/events):
// THP's and SAHP's intensities, their sampled terms, SAHP's heads, IntensityFree's terms.
#pragma once
#include "active-kernels.h"
#include "napi-signature.h"

namespace seqcast {
namespace {

// SAHP's intensities: BP = dt.length / S, K = b.length, d = W's rows.
struct SahpShape {
  int BP, S, d, K;
};

bool checkSahp(Call& c, SahpShape& s, size_t nmu, size_t neta, size_t ngam, size_t ndt, size_t nW, size_t nb) {
  c.require(s.S > 0 && ndt % size_t(s.S) == 0, "dt must be whole rows of S gaps");
  if (!c.ok()) return false;
  s.BP = int(ndt / s.S);
  s.K = int(nb);
  s.d = s.K > 0 ? int(nW / s.K) : 0;
  c.require(s.K > 0 && nW == size_t(s.d) * s.K && s.d > 0, "W must be [d, K] for K = b's length");
  c.require(nmu == size_t(s.BP) * s.d && neta == nmu && ngam == nmu, "mu, eta and gamma must be [B P, d]");
  return c.ok();
}

void sahpForward(Call& c, In<float> mu, In<float> eta, In<float> gamma, In<float> dt, In<float> W, In<float> b, int S,
                 Out<float> pre, Out<float> lambda) {
  SahpShape s{0, S, 0, 0};
  if (!checkSahp(c, s, mu.size, eta.size, gamma.size, dt.size, W.size, b.size)) return;
  c.require(pre.size == dt.size * s.K && lambda.size == pre.size, "pre and lambda must be [B P S, K]");
  if (c.ok()) K->sahpForward(mu, eta, gamma, dt, W, b, s.BP, S, s.d, s.K, pre, lambda);
}

void sahpBackward(Call& c, In<float> g, In<float> mu, In<float> eta, In<float> gamma, In<float> dt, In<float> W,
                  In<float> pre, int S, Out<float> dmu, Out<float> deta, Out<float> dgamma, Out<float> ddt, Out<float> dW,
                  Out<float> db) {
  SahpShape s{0, S, 0, 0};
  if (!checkSahp(c, s, mu.size, eta.size, gamma.size, dt.size, W.size, db.size)) return;
  c.require(pre.size == dt.size * s.K && g.size == pre.size, "pre and g must be [B P S, K]");
  c.require(dmu.size == mu.size && deta.size == mu.size && dgamma.size == mu.size && ddt.size == dt.size &&
                dW.size == W.size,
            "gradients must match their inputs");
  if (c.ok()) K->sahpBackward(g, mu, eta, gamma, dt, W, pre, s.BP, S, s.d, s.K, dmu, deta, dgamma, ddt, dW, db);
}

// THP's intensities: BP = denom.length, S = dt.length / BP, K = alpha.length
void thpForward(Call& c, In<float> base, In<float> denom, In<float> dt, In<float> alpha, In<float> logBeta,
                Out<float> pre, Out<float> lambda) {
  const size_t nd = denom.size, na = alpha.size;
  c.require(na > 0 && logBeta.size == na && nd > 0 && base.size == nd * na && dt.size % nd == 0,
            "base must be [B P, K], denom [B P], dt [B P, S], alpha and logBeta [K]");
  c.require(pre.size == dt.size * na && lambda.size == pre.size, "pre and lambda must be [B P S, K]");
  if (c.ok()) K->thpForward(base, denom, dt, alpha, logBeta, int(nd), int(dt.size / nd), int(na), pre, lambda);
}

void thpBackward(Call& c, In<float> g, In<float> denom, In<float> dt, In<float> alpha, In<float> logBeta, In<float> pre,
                 In<float> lambda, Out<float> dBase, Out<float> dDenom, Out<float> dDt, Out<float> dAlpha,
                 Out<float> dLogBeta) {
  const size_t nd = denom.size, na = alpha.size;
  c.require(na > 0 && logBeta.size == na && nd > 0 && dt.size % nd == 0,
            "denom must be [B P], dt [B P, S], alpha and logBeta [K]");
  c.require(pre.size == dt.size * na && lambda.size == pre.size && g.size == pre.size,
            "g, pre and lambda must be [B P S, K]");
  c.require(dBase.size == nd * na && dDenom.size == nd && dDt.size == dt.size && dAlpha.size == na && dLogBeta.size == na,
            "gradients must match their inputs");
  if (c.ok())
    K->thpBackward(g, denom, dt, alpha, logBeta, pre, lambda, int(nd), int(dt.size / nd), int(na), dBase, dDenom, dDt,
                   dAlpha, dLogBeta);
}

// Sampled terms: BP = gaps.length, G = u.length / BP; types in 0..K (K where padded).
bool checkTypes(Call& c, In<int32_t> types, int K) {
  for (size_t p = 0; p < types.size && c.ok(); p++) c.require(types[p] >= 0 && types[p] <= K, "a type lies outside 0..K");
  return c.ok();
}

// THP's: K = alpha.length
struct ThpTermsShape {
  int BP, G, K;
};

bool checkThpTerms(Call& c, ThpTermsShape& s, In<float> denom, In<float> gaps, In<int32_t> types, In<float> u,
                   In<float> alpha, In<float> logBeta) {
  const size_t ng = gaps.size;
  c.require(ng > 0 && denom.size == ng && types.size == ng && u.size % ng == 0 && u.size > 0,
            "denom, gaps and types must be [B P], u [B P, G] with G > 0");
  c.require(alpha.size > 0 && logBeta.size == alpha.size, "alpha and logBeta must be [K]");
  if (!c.ok()) return false;
  s = {int(ng), int(u.size / ng), int(alpha.size)};
  return checkTypes(c, types, s.K);
}

void thpTermsForward(Call& c, In<float> base, In<float> denom, In<float> gaps, In<int32_t> types, In<float> u,
                     In<float> alpha, In<float> logBeta, Out<float> out, Out<float> pre, Out<float> lambda) {
  ThpTermsShape s;
  if (!checkThpTerms(c, s, denom, gaps, types, u, alpha, logBeta)) return;
  const size_t kept = size_t(s.BP) * (s.G + 1) * s.K;
  c.require(base.size == size_t(s.BP) * s.K && out.size == 2 * size_t(s.BP) && pre.size == kept && lambda.size == kept,
            "base must be [B P, K], out [2, B P], pre and lambda [B P (G + 1) K]");
  if (c.ok()) K->thpTermsForward(base, denom, gaps, types, u, alpha, logBeta, s.BP, s.G, s.K, out, pre, lambda);
}

void thpTermsBackward(Call& c, In<float> g, In<float> denom, In<float> gaps, In<int32_t> types, In<float> u,
                      In<float> alpha, In<float> logBeta, In<float> pre, In<float> lambda, Out<float> dBase,
                      Out<float> dDenom, Out<float> dAlpha, Out<float> dLogBeta) {
  ThpTermsShape s;
  if (!checkThpTerms(c, s, denom, gaps, types, u, alpha, logBeta)) return;
  const size_t kept = size_t(s.BP) * (s.G + 1) * s.K;
  c.require(g.size == 2 * size_t(s.BP) && pre.size == kept && lambda.size == kept,
            "g must be [2, B P], pre and lambda the forward's");
  c.require(dBase.size == size_t(s.BP) * s.K && dDenom.size == size_t(s.BP) && dAlpha.size == size_t(s.K) &&
                dLogBeta.size == size_t(s.K),
            "gradients must match their inputs");
  if (c.ok())
    K->thpTermsBackward(g, denom, gaps, types, u, alpha, logBeta, pre, lambda, s.BP, s.G, s.K, dBase, dDenom, dAlpha,
                        dLogBeta);
}

// SAHP's: K = b.length, d = W's rows
struct SahpTermsShape {
  int BP, G, d, K;
};

bool checkSahpTerms(Call& c, SahpTermsShape& s, size_t nmu, size_t neta, size_t ngam, In<float> gaps,
                    In<int32_t> types, In<float> u, size_t nW, size_t nb) {
  const size_t ng = gaps.size;
  c.require(ng > 0 && types.size == ng && u.size % ng == 0 && u.size > 0, "gaps and types must be [B P], u [B P, G], G > 0");
  c.require(nb > 0 && nW % nb == 0 && nW > 0, "W must be [d, K] for K = b's length");
  if (!c.ok()) return false;
  s = {int(ng), int(u.size / ng), int(nW / nb), int(nb)};
  c.require(nmu == size_t(s.BP) * s.d && neta == nmu && ngam == nmu, "mu, eta and gamma must be [B P, d]");
  return c.ok() && checkTypes(c, types, s.K);
}

void sahpTermsForward(Call& c, In<float> mu, In<float> eta, In<float> gamma, In<float> gaps, In<int32_t> types,
                      In<float> u, In<float> W, In<float> b, Out<float> out, Out<float> pre, Out<float> lambda) {
  SahpTermsShape s;
  if (!checkSahpTerms(c, s, mu.size, eta.size, gamma.size, gaps, types, u, W.size, b.size)) return;
  const size_t kept = size_t(s.BP) * (s.G + 1) * s.K;
  c.require(out.size == 2 * size_t(s.BP) && pre.size == kept && lambda.size == kept,
            "out must be [2, B P], pre and lambda [B P (G + 1) K]");
  if (c.ok()) K->sahpTermsForward(mu, eta, gamma, gaps, types, u, W, b, s.BP, s.G, s.d, s.K, out, pre, lambda);
}

void sahpTermsBackward(Call& c, In<float> g, In<float> mu, In<float> eta, In<float> gamma, In<float> gaps,
                       In<int32_t> types, In<float> u, In<float> W, In<float> pre, In<float> lambda, Out<float> dmu,
                       Out<float> deta, Out<float> dgamma, Out<float> dW, Out<float> db) {
  SahpTermsShape s;
  if (!checkSahpTerms(c, s, mu.size, eta.size, gamma.size, gaps, types, u, W.size, db.size)) return;
  const size_t kept = size_t(s.BP) * (s.G + 1) * s.K;
  c.require(g.size == 2 * size_t(s.BP) && pre.size == kept && lambda.size == kept,
            "g must be [2, B P], pre and lambda the forward's");
  c.require(dmu.size == mu.size && deta.size == mu.size && dgamma.size == mu.size && dW.size == W.size,
            "gradients must match their inputs");
  if (c.ok())
    K->sahpTermsBackward(g, mu, eta, gamma, gaps, types, u, W, pre, lambda, s.BP, s.G, s.d, s.K, dmu, deta, dgamma, dW,
                         db);
}

// SAHP's heads: BP = h.length / d, w = Wmu, Weta, Wgamma [d, d] then their biases [d]
bool checkSahpHeads(Call& c, int d, size_t nh, size_t nw, size_t nsaved, int& BP) {
  c.require(d > 0 && nh % size_t(d) == 0 && nh > 0, "h must be [B P, d] for a positive d");
  c.require(nw == 3 * size_t(d) * d + 3 * size_t(d), "w must be Wmu, Weta, Wgamma [d, d] and their biases [d]");
  c.require(nsaved == 4 * nh, "saved must be [4, B P, d]");
  BP = d > 0 ? int(nh / size_t(d)) : 0;
  return c.ok();
}

void sahpHeadsForward(Call& c, In<float> h, In<float> w, int d, Out<float> mu, Out<float> eta, Out<float> gamma,
                      Out<float> saved) {
  int BP = 0;
  if (!checkSahpHeads(c, d, h.size, w.size, saved.size, BP)) return;
  c.require(mu.size == h.size && eta.size == h.size && gamma.size == h.size, "mu, eta and gamma must be [B P, d]");
  if (c.ok()) K->sahpHeadsForward(h, w, BP, d, mu, eta, gamma, saved);
}

void sahpHeadsBackward(Call& c, In<float> h, In<float> w, In<float> saved, In<float> dmu, In<float> deta,
                       In<float> dgamma, int d, Out<float> dh, Out<float> dw) {
  int BP = 0;
  if (!checkSahpHeads(c, d, h.size, w.size, saved.size, BP)) return;
  c.require(dmu.size == h.size && deta.size == h.size && dgamma.size == h.size && dh.size == h.size && dw.size == w.size,
            "gradients must match their inputs");
  if (c.ok()) K->sahpHeadsBackward(h, w, saved, dmu, deta, dgamma, BP, d, dh, dw);
}

// IntensityFree's checks once K is known: the mixtures match raw, and store holds
// ifWidth values for every scored position (next type in 0..K-1).
void checkIfShapes(Call& c, const IfShape& s, size_t BP, size_t nraw, In<int32_t> types, size_t nstore) {
  c.require(s.J > 0 && s.M > 0 && (s.J == 1 || s.J == s.K) && nraw == BP * s.J * 3 * s.M,
            "raw must be [B P, J, 3, M] with J 1 or K");
  size_t scored = 0;
  for (size_t p = 0; p < BP; p++) scored += types[p] >= 0 && types[p] < s.K;
  c.require(nstore == scored * size_t(ifWidth(s)), "store must hold (6 J M + K + J) values per scored position");
}

// BP = gaps.length, K = logits.length / BP
void ifForward(Call& c, In<float> raw, In<float> logits, In<float> gaps, In<int32_t> types, int J, int M, double mean,
               double std, Out<float> out, Out<float> store) {
  const size_t ng = gaps.size;
  c.require(ng > 0 && logits.size % ng == 0 && types.size == ng, "gaps and types must be [B P], logits [B P, K]");
  if (!c.ok()) return;
  const IfShape s{J, M, int(logits.size / ng), mean, std};
  c.require(std > 0 && out.size == 2 * ng, "std must be positive, out [2, B P]");
  checkIfShapes(c, s, ng, raw.size, types, store.size);
  if (c.ok()) K->ifForward(raw, logits, gaps, types, int(ng), s, out, store);
}

// dRaw and dLogits accumulated; BP = types.length, K = dLogits.length / BP
void ifBackward(Call& c, In<float> g, In<float> raw, In<int32_t> types, int J, int M, In<float> store, Out<float> dRaw,
                Out<float> dLogits) {
  const size_t nt = types.size;
  c.require(nt > 0 && g.size == 2 * nt && dLogits.size % nt == 0, "types must be [B P], g [2, B P], dLogits [B P, K]");
  if (!c.ok()) return;
  const IfShape s{J, M, int(dLogits.size / nt), 0, 1};
  c.require(dRaw.size == raw.size, "dRaw must match raw");
  checkIfShapes(c, s, nt, raw.size, types, store.size);
  if (c.ok()) K->ifBackward(g, raw, types, int(nt), s, store, dRaw, dLogits);
}

}  // namespace
}  // namespace seqcast
