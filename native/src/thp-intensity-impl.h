// THP's intensities (libs/events fused-thp-intensity.ts), included from kernels-impl.h
// inside its namespace. For position p's head output base [K] and elapsed-time scale
// denom, at gaps dt_s: lambda_{s,k} = softplus(beta_k (base_k + alpha_k dt_s / denom)) / beta_k,
// beta = e^logBeta. Rows r = p S + s of K. The transcendental passes (softplus forward,
// the logistic backward) run over whole registers; the rest are short scalar loops.

void thpForwardK(const float* base, const float* denom, const float* dt, const float* alpha, const float* logBeta,
                 int BP, int S, int K, float* pre, float* lambda) {
  std::vector<float> beta(K);
  for (int k = 0; k < K; k++) beta[k] = std::exp(logBeta[k]);
  // positions are independent: pieces of them over the pool
  const int count = pieces(BP, std::max<int64_t>(1, kPositionGrain / (int64_t(S) * K * 8)));
  parallelFor(count, [&](int piece) {
    const int p0 = static_cast<int>(int64_t(BP) * piece / count), p1 = static_cast<int>(int64_t(BP) * (piece + 1) / count);
    for (int p = p0; p < p1; p++) {
      for (int s = 0; s < S; s++) {
        const size_t r = static_cast<size_t>(p) * S + s;
        const float x = dt[r] / denom[p];
        for (int k = 0; k < K; k++) pre[r * K + k] = beta[k] * (base[static_cast<size_t>(p) * K + k] + alpha[k] * x);
      }
    }
    const size_t i0 = static_cast<size_t>(p0) * S * K, i1 = static_cast<size_t>(p1) * S * K;
    std::memcpy(lambda + i0, pre + i0, sizeof(float) * (i1 - i0));
    mapInPlace<vsoftplus>(lambda + i0, static_cast<int>(i1 - i0));
    for (size_t i = i0; i < i1; i++) lambda[i] /= beta[i % K];
  });
}

void thpBackwardK(const float* g, const float* denom, const float* dt, const float* alpha, const float* logBeta,
                  const float* pre, const float* lambda, int BP, int S, int K, float* dBase, float* dDenom, float* dDt,
                  float* dAlpha, float* dLogBeta) {
  std::vector<double> beta(K);
  for (int k = 0; k < K; k++) beta[k] = std::exp(static_cast<double>(logBeta[k]));
  // alpha's and log beta's sums: per fixed chunk of positions, chunks added in ascending
  // order (never depending on the number of threads)
  const int chunks = (BP + kPositionChunk - 1) / kPositionChunk;
  std::vector<double> partial(static_cast<size_t>(std::max(chunks, 1)) * 2 * K, 0.0);
  parallelFor(chunks, [&](int chunk) {
    const int p0 = chunk * kPositionChunk, p1 = std::min(BP, p0 + kPositionChunk);
    const size_t i0 = static_cast<size_t>(p0) * S * K, n = static_cast<size_t>(p1 - p0) * S * K;
    thread_local std::vector<float> sigBuf;
    sigBuf.resize(n);
    std::memcpy(sigBuf.data(), pre + i0, sizeof(float) * n);
    sigmoidK(sigBuf.data(), static_cast<int>(n));
    const float* sig = sigBuf.data() - i0;  // indexed as pre is
    double* da = &partial[static_cast<size_t>(chunk) * 2 * K];
    double* dlb = da + K;
    std::vector<double> db(K);
    for (int p = p0; p < p1; p++) {
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
  });
  for (int c = 1; c < chunks; c++)
    for (int i = 0; i < 2 * K; i++) partial[i] += partial[static_cast<size_t>(c) * 2 * K + i];
  for (int k = 0; k < K; k++) dAlpha[k] = static_cast<float>(partial[k]), dLogBeta[k] = static_cast<float>(partial[K + k]);
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
