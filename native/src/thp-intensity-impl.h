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

// THP's sampled likelihood terms per position (libs/events neural-event-model.ts terms(),
// in one pass): with the next gap g and type k', the intensities at dt = g and at the
// stratified points dt_s = u_s g (s < G),
//   logEvent = log(lambda_k'(g) + 1e-9)  (lambda_k' = 0 where k' is padding, >= K)
//   integral = g / G sum_s sum_k lambda_k(u_s g).
// Built on thpForwardK / thpBackwardK over S = G + 1 gaps per position (the event's first).
// pre and lambda [BP (G + 1) K] keep what the backward pass reads.
void thpGaps(const float* gaps, const float* u, int BP, int G, std::vector<float>& dt) {
  dt.resize(static_cast<size_t>(BP) * (G + 1));
  for (int p = 0; p < BP; p++) {
    float* d = &dt[static_cast<size_t>(p) * (G + 1)];
    d[0] = gaps[p];
    for (int s = 0; s < G; s++) d[1 + s] = u[static_cast<size_t>(p) * G + s] * gaps[p];
  }
}

void thpTermsForwardK(const float* base, const float* denom, const float* gaps, const int32_t* types, const float* u,
                      const float* alpha, const float* logBeta, int BP, int G, int K, float* out, float* pre,
                      float* lambda) {
  thread_local std::vector<float> dt;
  thpGaps(gaps, u, BP, G, dt);
  thpForwardK(base, denom, dt.data(), alpha, logBeta, BP, G + 1, K, pre, lambda);
  for (int p = 0; p < BP; p++) {
    const float* l = lambda + static_cast<size_t>(p) * (G + 1) * K;
    const int k = types[p];
    out[p] = std::log((k >= 0 && k < K ? l[k] : 0.0f) + 1e-9f);
    double sum = 0;
    for (int i = K; i < (G + 1) * K; i++) sum += l[i];
    out[BP + p] = static_cast<float>(sum / G) * gaps[p];
  }
}

void thpTermsBackwardK(const float* g, const float* denom, const float* gaps, const int32_t* types, const float* u,
                       const float* alpha, const float* logBeta, const float* pre, const float* lambda, int BP, int G,
                       int K, float* dBase, float* dDenom, float* dAlpha, float* dLogBeta) {
  thread_local std::vector<float> dt, gl, dDt;
  thpGaps(gaps, u, BP, G, dt);
  const size_t S1 = static_cast<size_t>(G) + 1;
  gl.assign(static_cast<size_t>(BP) * S1 * K, 0.0f);
  dDt.resize(static_cast<size_t>(BP) * S1);
  for (int p = 0; p < BP; p++) {
    float* gp = &gl[static_cast<size_t>(p) * S1 * K];
    const int k = types[p];
    if (k >= 0 && k < K) gp[k] = g[p] / (lambda[static_cast<size_t>(p) * S1 * K + k] + 1e-9f);  // d log(l + 1e-9)
    const float gi = g[BP + p] * gaps[p] / G;
    for (size_t i = K; i < S1 * K; i++) gp[i] = gi;
  }
  thpBackwardK(gl.data(), denom, dt.data(), alpha, logBeta, pre, lambda, BP, G + 1, K, dBase, dDenom, dDt.data(),
               dAlpha, dLogBeta);
}
