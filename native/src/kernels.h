// The kernels' table: one per instruction set (variant-*.cc), chosen at load (addon.cc).
// Every pointer is to float32 (double where named) data the caller owns; sizes in elements.
#pragma once
#include <cstdint>

namespace seqcast {

// IntensityFree's mixture shapes (intensity-free-impl.h): J mixtures of M components, K
// marks, the standardisation of log gaps.
struct IfShape {
  int J, M, K;
  double mean, std;
};
// Floats kept per scored position: each mixture's d log f / d raw and d log S / d raw
// (6 M), the mark softmax (K), the joint weights (J).
inline int ifWidth(const IfShape& s) { return s.J * 6 * s.M + s.K + s.J; }

struct Kernels {
  const char* isa;
  // c[i ldc + j] += sum_p a[i lda + p acs] b[p ldb + j], i < m, j < n, p < k. Sums in
  // float32 over blocks of 256 of p, the blocks added in float64 (as the wasm kernel).
  void (*gemm)(int m, int n, int k, const float* a, int lda, int acs, const float* b, int ldb, float* c, int ldc);
  // x[0..n) = f(x) in place
  void (*exp)(float* x, int n);
  void (*tanh)(float* x, int n);
  void (*sigmoid)(float* x, int n);
  void (*softplus)(float* x, int n);
  // The continuous-time LSTM's decay (KernelArena.decay in libs/tensor): offsets in floats into buf.
  void (*decay)(float* buf, const int32_t* ints, int rows, int H, int offs, int ts, int d, int cb, int c, int o,
                int e, int x, int th, int h);
  // Layer norm over rows of d (population variance): y, xhat = (x - mean) inv, inv per row.
  void (*layerNormForward)(const float* x, const float* g, const float* b, int rows, int d, double eps, float* y,
                           float* xhat, double* inv);
  // dx (written), dg and db (accumulated, float64) from dL/dy.
  void (*layerNormBackward)(const float* gy, const float* g, const float* xhat, const double* inv, int rows, int d,
                            float* dx, double* dg, double* db);
  // The S4D block's channel ops on channels-first [B, H, L] (channel-ops-impl.h): LayerNorm
  // over H per (sample, step), rstd [B L]; backward writes dx, accumulates dgamma, dbeta.
  void (*channelNormForward)(const float* x, const float* g, const float* beta, int B, int H, int L, double eps,
                             float* y, float* xhat, double* rstd);
  void (*channelNormBackward)(const float* dy, const float* g, const float* xhat, const double* rstd, int B, int H,
                              int L, float* dx, double* dgamma, double* dbeta);
  // The biased GLU over [B, 2H, L] -> [B, H, L] with the optional scale [B H] and residual;
  // lin and sig [B H L] kept; backward writes dy [B, 2H, L], accumulates dbias [2H].
  void (*gluForward)(const float* y, const float* bias, const float* scale, const float* residual, int B, int H, int L,
                     float* lin, float* sig, float* out);
  void (*gluBackward)(const float* dout, const float* lin, const float* sig, const float* scale, int B, int H, int L,
                      float* dy, double* dbias);
  // The position-wise map over channels of [B, H, L]: out [B, O, L] = W [O, H] z[b] (+ bias,
  // may be null); backward writes dz, accumulates dw [O, H] and dbias (may be null, float64).
  void (*channelMixForward)(const float* z, const float* w, const float* bias, int B, int H, int L, int O, float* out);
  void (*channelMixBackward)(const float* dout, const float* z, const float* w, int B, int H, int L, int O, float* dz,
                             float* dw, double* dbias);
  // S4D's skip y + D u on [B, H, L]; backward writes du, accumulates dD [H] (float64).
  void (*channelSkipForward)(const float* y, const float* u, const float* D, int B, int H, int L, float* out);
  void (*channelSkipBackward)(const float* g, const float* u, const float* D, int B, int H, int L, float* du,
                              double* dD);
  // x[r L + l] *= g[r L + l] (g may be null) * scale[r] (scale may be null), in place.
  void (*scaleRows)(float* x, const float* g, const float* scale, int rows, int L);
  // tanh-approximate GELU: y and the tanh it used; backward writes dx.
  void (*geluForward)(const float* x, int n, float* y, float* th);
  void (*geluBackward)(const float* x, const float* th, const float* gy, int n, float* dx);
  void (*geluErf)(const float* x, int n, float* y, float* der);
  // Multi-head prefix attention (libs/events AttentionCore): q [B, Q, d], k, v [B, N, d];
  // query i of row b sees keys 0..limits[b lstride + i] (-1: none). forward writes out
  // [B, Q, d]; backward accumulates dq, dk, dv (callers pass zeros).
  void (*attentionForward)(const float* q, const float* k, const float* v, int B, int Q, int N, int d, int heads,
                           const int32_t* limits, int lstride, bool nullKey, float* out);
  void (*attentionBackward)(const float* q, const float* k, const float* v, const float* g, int B, int Q, int N,
                            int d, int heads, const int32_t* limits, int lstride, bool nullKey, float* dq, float* dk,
                            float* dv);
  // A whole post-norm encoder layer (encoder-layer-impl.h): w holds the weights in
  // EncoderLayout's order; saved [7 N d + 3 N F] and invs [2 N] keep what backward needs;
  // backward writes dx and dw (the weights' gradients in w's layout).
  void (*encoderForward)(const float* x, const float* w, int B, int T, int d, int F, int heads, const int32_t* limits,
                         int lstride, bool nullKey, float* y, float* saved, double* invs);
  void (*encoderBackward)(const float* gy, const float* x, const float* w, int B, int T, int d, int F, int heads,
                          const int32_t* limits, int lstride, bool nullKey, const float* saved, const double* invs,
                          float* dx, float* dw);
  // SAHP's intensities (sahp-intensity-impl.h): mu, eta, gamma [BP, d], dt [BP, S], W [d, K],
  // b [K] -> pre (kept for backward) and lambda = softplus(pre) [BP S, K]; backward writes
  // every input's gradient from dL/dlambda g.
  void (*sahpForward)(const float* mu, const float* eta, const float* gamma, const float* dt, const float* W,
                      const float* b, int BP, int S, int d, int K, float* pre, float* lambda);
  void (*sahpBackward)(const float* g, const float* mu, const float* eta, const float* gamma, const float* dt,
                       const float* W, const float* pre, int BP, int S, int d, int K, float* dmu, float* deta,
                       float* dgamma, float* ddt, float* dW, float* db);
  // THP's intensities (thp-intensity-impl.h): base [BP, K], denom [BP], dt [BP, S], alpha,
  // logBeta [K] -> pre and lambda [BP S, K]; backward writes the five inputs' gradients.
  void (*thpForward)(const float* base, const float* denom, const float* dt, const float* alpha, const float* logBeta,
                     int BP, int S, int K, float* pre, float* lambda);
  void (*thpBackward)(const float* g, const float* denom, const float* dt, const float* alpha, const float* logBeta,
                      const float* pre, const float* lambda, int BP, int S, int K, float* dBase, float* dDenom,
                      float* dDt, float* dAlpha, float* dLogBeta);
  // The plain RNN (gru false) or GRU recurrence over all steps (recurrence-impl.h).
  void (*rnnForward)(bool gru, const float* x, const float* U, const int32_t* active, int B, int T, int H, float* hs,
                     float* zs, float* rs, float* ns, float* hns);
  void (*rnnBackward)(bool gru, float* gH, const float* U, const int32_t* active, int B, int T, int H, const float* hs,
                      const float* zs, const float* rs, const float* ns, const float* hns, float* dX, float* dU);
  // IntensityFree's exact terms (intensity-free-impl.h): out [2, BP]; store per scored position.
  void (*ifForward)(const float* raw, const float* logits, const float* gaps, const int32_t* types, int BP, IfShape s,
                    float* out, float* store);
  void (*ifBackward)(const float* g, const float* raw, const int32_t* types, int BP, IfShape s, const float* store,
                     float* dRaw, float* dLogits);
  // The recurrences' inputs (step-inputs-impl.h): read every running row, scatter gradients.
  void (*stepRead)(const int32_t* ids, const float* table, const float* feats, const float* featW, int F,
                   const int32_t* order, const int32_t* active, int B, int T, int G, float* x);
  void (*stepAccumulate)(const int32_t* ids, const float* feats, int F, const int32_t* order, const int32_t* active,
                         int B, int T, int G, const float* dX, double* gTable, double* gW);
  // THP's temporal encoding of n times into out [n, d] (temporal-encoding-impl.h).
  void (*temporalEncoding)(const float* ts, int n, int d, float* out);
  // THP's sampled likelihood terms (thp-intensity-impl.h): out [2, BP] (log event term,
  // integral); pre and lambda [BP (G + 1) K] for the backward pass.
  void (*thpTermsForward)(const float* base, const float* denom, const float* gaps, const int32_t* types,
                          const float* u, const float* alpha, const float* logBeta, int BP, int G, int K, float* out,
                          float* pre, float* lambda);
  void (*thpTermsBackward)(const float* g, const float* denom, const float* gaps, const int32_t* types, const float* u,
                           const float* alpha, const float* logBeta, const float* pre, const float* lambda, int BP,
                           int G, int K, float* dBase, float* dDenom, float* dAlpha, float* dLogBeta);
  // Running rows between the internal [T, B, W] and batch [B, T, W] layouts (step-inputs-impl.h).
  void (*stepRows)(const int32_t* order, const int32_t* active, int B, int T, int W, const float* src, float* dst,
                   bool inverse);
  // SAHP's sampled likelihood terms (sahp-intensity-impl.h): out [2, BP]; pre and lambda
  // [BP (G + 1) K] for the backward pass, which writes the heads' and W's, b's gradients.
  void (*sahpTermsForward)(const float* mu, const float* eta, const float* gamma, const float* gaps,
                           const int32_t* types, const float* u, const float* W, const float* b, int BP, int G, int d,
                           int K, float* out, float* pre, float* lambda);
  void (*sahpTermsBackward)(const float* g, const float* mu, const float* eta, const float* gamma, const float* gaps,
                            const int32_t* types, const float* u, const float* W, const float* pre,
                            const float* lambda, int BP, int G, int d, int K, float* dmu, float* deta, float* dgamma,
                            float* dW, float* db);
  // SAHP's three heads on the encoder's output (sahp-heads-impl.h): saved [4, BP, d].
  void (*sahpHeadsForward)(const float* h, const float* w, int BP, int d, float* mu, float* eta, float* gamma,
                           float* saved);
  void (*sahpHeadsBackward)(const float* h, const float* w, const float* saved, const float* dmu, const float* deta,
                            const float* dgamma, int BP, int d, float* dh, float* dw);
  // FFTs of rows (fft-impl.h): real rows of len samples zero-padded or cut to n -> [rows, n/2 + 1]
  // bins; its inverse to [rows, n]; complex rows of n (inverse scaled by 1 / n).
  void (*rfftRows)(const float* x, int rows, int len, int n, float* outRe, float* outIm);
  void (*irfftRows)(const float* re, const float* im, int rows, int n, float* out);
  void (*fftRows)(const float* re, const float* im, int rows, int n, bool inverse, float* outRe, float* outIm);
  // The causal convolution y [rows, L] of u [rows, L] with k [kRows, K] (row r: kernel r mod
  // kRows) by real FFTs of length n >= L + min(K, L) - 1; backward writes du and dk.
  void (*fftConvForward)(const float* u, const float* k, int rows, int L, int kRows, int K, int n, float* y);
  void (*fftConvBackward)(const float* dy, const float* u, const float* k, int rows, int L, int kRows, int K, int n,
                          float* du, float* dk);
  // The same for M kernel sets sharing u: k [M][kRows][K] -> y [M][rows][L]; backward
  // dy [M][rows][L] -> du [rows][L] (summed over the sets), dk [M][kRows][K].
  void (*fftConvSharedForward)(const float* u, const float* k, int rows, int L, int kRows, int K, int n, int M,
                               float* y);
  void (*fftConvSharedBackward)(const float* dy, const float* u, const float* k, int rows, int L, int kRows, int K,
                                int n, int M, float* du, float* dk);
  // SpaceTime's companion power sequences and their adjoint (companion-powers-impl.h)
  void (*shiftPowersForward)(const float* v0, const float* P, const float* Q, int K, int d, int M, int n, bool down,
                             double* V);
  void (*shiftPowersBackward)(const float* G, const double* V, const float* P, const float* Q, int K, int d, int M,
                              int n, bool down, double* dv0, double* dP, double* dQ);
};

extern const Kernels kernelsBase;
extern const Kernels kernelsAvx2;
extern const Kernels kernelsAvx512;

}  // namespace seqcast
