// THP's intensities (libs/events fused-thp-intensity.ts), included from kernels-impl.h
// inside its namespace. For position p's head output base [K] and elapsed-time scale
// denom, at gaps dt_s: lambda_{s,k} = softplus(beta_k (base_k + alpha_k dt_s / denom)) / beta_k,
// beta = e^logBeta. Rows r = p S + s of K. The transcendental passes (softplus forward,
// the logistic backward) run over whole registers; the rest are short scalar loops.

void thpForwardK(const float* base, const float* denom, const float* dt, const float* alpha, const float* logBeta,
                 int BP, int S, int K, float* pre, float* lambda) {
  std::vector<float> beta(K);
  for (int k = 0; k < K; k++) beta[k] = std::exp(logBeta[k]);
  for (int p = 0; p < BP; p++) {
    for (int s = 0; s < S; s++) {
      const size_t r = static_cast<size_t>(p) * S + s;
      const float x = dt[r] / denom[p];
      for (int k = 0; k < K; k++) pre[r * K + k] = beta[k] * (base[static_cast<size_t>(p) * K + k] + alpha[k] * x);
    }
  }
  const size_t n = static_cast<size_t>(BP) * S * K;
  std::memcpy(lambda, pre, sizeof(float) * n);
  mapInPlace<vsoftplus>(lambda, static_cast<int>(n));
  for (size_t i = 0; i < n; i++) lambda[i] /= beta[i % K];
}

void thpBackwardK(const float* g, const float* denom, const float* dt, const float* alpha, const float* logBeta,
                  const float* pre, const float* lambda, int BP, int S, int K, float* dBase, float* dDenom, float* dDt,
                  float* dAlpha, float* dLogBeta) {
  const size_t n = static_cast<size_t>(BP) * S * K;
  thread_local std::vector<float> sig;
  sig.resize(n);
  std::memcpy(sig.data(), pre, sizeof(float) * n);
  sigmoidK(sig.data(), static_cast<int>(n));
  std::vector<double> beta(K), da(K, 0.0), dlb(K, 0.0), db(K);
  for (int k = 0; k < K; k++) beta[k] = std::exp(static_cast<double>(logBeta[k]));
  for (int p = 0; p < BP; p++) {
    std::fill(db.begin(), db.end(), 0.0);
    double dden = 0;
    for (int s = 0; s < S; s++) {
      const size_t r = static_cast<size_t>(p) * S + s;
      const double x = static_cast<double>(dt[r]) / denom[p];
      double dx = 0;
      for (int k = 0; k < K; k++) {
        const size_t i = r * K + k;
        const double dInner = static_cast<double>(g[i]) * sig[i];  // d lambda / d(base + alpha x)
        db[k] += dInner;
        da[k] += dInner * x;
        dx += dInner * alpha[k];
        // lambda = softplus(z) / beta with z = beta u: d / dlog beta = sig z / beta - lambda
        dlb[k] += g[i] * (sig[i] * pre[i] / beta[k] - lambda[i]);
      }
      dDt[r] = static_cast<float>(dx / denom[p]);
      dden -= dx * x / denom[p];
    }
    for (int k = 0; k < K; k++) dBase[static_cast<size_t>(p) * K + k] = static_cast<float>(db[k]);
    dDenom[p] = static_cast<float>(dden);
  }
  for (int k = 0; k < K; k++) dAlpha[k] = static_cast<float>(da[k]), dLogBeta[k] = static_cast<float>(dlb[k]);
}

// THP's sampled likelihood terms (sampled-terms-impl.h) on thpForwardK / thpBackwardK.
void thpTermsForwardK(const float* base, const float* denom, const float* gaps, const int32_t* types, const float* u,
                      const float* alpha, const float* logBeta, int BP, int G, int K, float* out, float* pre,
                      float* lambda) {
  thread_local std::vector<float> dt;
  sampledGaps(gaps, u, BP, G, dt);
  thpForwardK(base, denom, dt.data(), alpha, logBeta, BP, G + 1, K, pre, lambda);
  sampledTermsOf(lambda, gaps, types, BP, G, K, out);
}

void thpTermsBackwardK(const float* g, const float* denom, const float* gaps, const int32_t* types, const float* u,
                       const float* alpha, const float* logBeta, const float* pre, const float* lambda, int BP, int G,
                       int K, float* dBase, float* dDenom, float* dAlpha, float* dLogBeta) {
  thread_local std::vector<float> dt, gl, dDt;
  sampledGaps(gaps, u, BP, G, dt);
  sampledTermsGradient(g, lambda, gaps, types, BP, G, K, gl);
  dDt.resize(static_cast<size_t>(BP) * (G + 1));
  thpBackwardK(gl.data(), denom, dt.data(), alpha, logBeta, pre, lambda, BP, G + 1, K, dBase, dDenom, dDt.data(),
               dAlpha, dLogBeta);
}
