// SAHP's intensities (libs/events fused-sahp-intensity.ts), included from kernels-impl.h
// inside its namespace. For position p's mu, eta, gamma [d] and its gaps dt_s:
//   state_s = mu + (eta - mu) exp(-gamma dt_s),  lambda_s = softplus(state_s W + b) [K].
// Rows r = p S + s; R = BP S rows of d units. The states are rebuilt in the backward pass
// (one exp per unit) rather than kept: R d floats is tens of MB at training sizes.

// log(1 + u) for u in [0, 1]: 2 atanh(s), s = u / (2 + u) in [0, 1/3], by its series to
// s^15 (next term below 3e-10 relative), exact to float32 near 0 where 1 + u would round.
inline vf vlog1p01(vf u) {
  const vf s = u / (2.0f + u);
  const vf s2 = s * s;
  vf p = splat(1.0f / 15);
  p = p * s2 + 1.0f / 13;
  p = p * s2 + 1.0f / 11;
  p = p * s2 + 1.0f / 9;
  p = p * s2 + 1.0f / 7;
  p = p * s2 + 1.0f / 5;
  p = p * s2 + 1.0f / 3;
  p = p * s2 + 1.0f;
  return 2.0f * s * p;
}

// softplus(x) = max(x, 0) + log(1 + e^-|x|)
inline vf vsoftplus(vf x) {
  const vf ax = x < 0 ? -x : x;
  return vmax(x, vf{}) + vlog1p01(vexp(-ax));
}

// The per-position vectors and W's columns padded with zeros to whole registers (dp units):
// padded units have state 0 and weight 0, so they add nothing and need no tail code.
struct SahpPadded {
  int dp;
  std::vector<float> m, diff, g, Wt;  // [dp] each; Wt [K, dp]

  SahpPadded(const float* W, int d, int K) : dp(roundUp(d)), m(dp), diff(dp), g(dp), Wt(static_cast<size_t>(K) * dp) {
    for (int k = 0; k < K; k++)
      for (int j = 0; j < d; j++) Wt[static_cast<size_t>(k) * dp + j] = W[static_cast<size_t>(j) * K + k];
  }

  void position(const float* mu, const float* eta, const float* gamma, int p, int d) {
    const size_t o = static_cast<size_t>(p) * d;
    for (int j = 0; j < d; j++) m[j] = mu[o + j], diff[j] = eta[o + j] - mu[o + j], g[j] = gamma[o + j];
  }

  // the state at gap t into st [dp] (and e = exp(-gamma t) into e)
  void state(float t, float* st, float* e) const {
    for (int j = 0; j < dp; j += VW) {
      const vf ev = vexp(-load(&g[j]) * t);
      store(st + j, load(&m[j]) + load(&diff[j]) * ev);
      if (e) store(e + j, ev);
    }
  }

  float dot(const float* st, int k) const {
    const float* w = &Wt[static_cast<size_t>(k) * dp];
    vf acc = vf{};
    for (int j = 0; j < dp; j += VW) acc += load(st + j) * load(w + j);
    return hsumV(acc);
  }
};

// Row by row, the state in registers and L1 (never the [R, d] array a gemm would need:
// with K a handful of columns, writing and reading the states cost more than the products).
void sahpForwardK(const float* mu, const float* eta, const float* gamma, const float* dt, const float* W, const float* b,
                  int BP, int S, int d, int K, float* pre, float* lambda) {
  // positions are independent: pieces of them over the pool
  const int count = pieces(BP, std::max<int64_t>(1, kPositionGrain / (int64_t(S) * (d + K))));
  parallelFor(count, [&](int piece) {
    const int p0 = static_cast<int>(int64_t(BP) * piece / count), p1 = static_cast<int>(int64_t(BP) * (piece + 1) / count);
    SahpPadded pad(W, d, K);
    std::vector<float> st(pad.dp);
    for (int p = p0; p < p1; p++) {
      pad.position(mu, eta, gamma, p, d);
      for (int s = 0; s < S; s++) {
        const size_t r = static_cast<size_t>(p) * S + s;
        pad.state(dt[r], st.data(), nullptr);
        for (int k = 0; k < K; k++) pre[r * K + k] = b[k] + pad.dot(st.data(), k);
      }
    }
    const size_t r0 = static_cast<size_t>(p0) * S * K, n = static_cast<size_t>(p1 - p0) * S * K;
    std::memcpy(lambda + r0, pre + r0, sizeof(float) * n);
    mapInPlace<vsoftplus>(lambda + r0, static_cast<int>(n));
  });
}

// The states rebuilt row by row (one exp per unit) as in the forward pass. Per position,
// the sums over its S gaps in float32 registers; W's and b's sums over all rows in float64.
// ddt may be null (the sampled terms' gaps are data).
void sahpBackwardK(const float* g, const float* mu, const float* eta, const float* gamma, const float* dt,
                   const float* W, const float* pre, int BP, int S, int d, int K, float* dmu, float* deta,
                   float* dgamma, float* ddt, float* dW, float* db) {
  const int dp = roundUp(d);
  const size_t wn = static_cast<size_t>(K) * dp;
  // W's and b's sums: per fixed chunk of positions (kPositionChunk, whatever the threads),
  // added in ascending chunk order below, so they never depend on the number of threads
  const int chunks = (BP + kPositionChunk - 1) / kPositionChunk;
  std::vector<double> partial(static_cast<size_t>(std::max(chunks, 1)) * (wn + K), 0.0);
  parallelFor(chunks, [&](int chunk) {
    const int p0 = chunk * kPositionChunk, p1 = std::min(BP, p0 + kPositionChunk);
    SahpPadded pad(W, d, K);
    thread_local std::vector<float> dpre;
    std::vector<float> st(dp), e(dp), ds(dp), am(dp), ae(dp), ag(dp), dWp(wn);
    double* dWsum = &partial[chunk * (wn + K)];
    double* dbsum = dWsum + wn;
    const size_t r0 = static_cast<size_t>(p0) * S * K, n = static_cast<size_t>(p1 - p0) * S * K;
    dpre.assign(pre + r0, pre + r0 + n);
    sigmoidK(dpre.data(), static_cast<int>(n));
    for (size_t i = 0; i < n; i++) dpre[i] *= g[r0 + i];  // d lambda / d pre = sigmoid(pre)
    for (int p = p0; p < p1; p++) {
      pad.position(mu, eta, gamma, p, d);
      std::fill(am.begin(), am.end(), 0.0f);
      std::fill(ae.begin(), ae.end(), 0.0f);
      std::fill(ag.begin(), ag.end(), 0.0f);
      std::fill(dWp.begin(), dWp.end(), 0.0f);
      for (int s = 0; s < S; s++) {
        const size_t r = static_cast<size_t>(p) * S + s;
        const float t = dt[r];
        pad.state(t, st.data(), e.data());
        const float* dr = &dpre[r * K - r0];
        for (int j = 0; j < dp; j += VW) {
          const vf sv = load(&st[j]);
          vf acc = vf{};
          for (int k = 0; k < K; k++) {
            acc += load(&pad.Wt[static_cast<size_t>(k) * dp + j]) * dr[k];
            float* w = &dWp[static_cast<size_t>(k) * dp + j];
            store(w, load(w) + sv * dr[k]);
          }
          store(&ds[j], acc);
        }
        // d state / d(-gamma t) = (eta - mu) e
        vf sdt = vf{};
        for (int j = 0; j < dp; j += VW) {
          const vf dsv = load(&ds[j]), ev = load(&e[j]);
          const vf de = dsv * load(&pad.diff[j]) * ev;
          store(&am[j], load(&am[j]) + dsv - dsv * ev);
          store(&ae[j], load(&ae[j]) + dsv * ev);
          store(&ag[j], load(&ag[j]) - de * t);
          sdt -= de * load(&pad.g[j]);
        }
        if (ddt) ddt[r] = hsumV(sdt);
        for (int k = 0; k < K; k++) dbsum[k] += dr[k];
      }
      const size_t o = static_cast<size_t>(p) * d;
      std::memcpy(dmu + o, am.data(), sizeof(float) * d);
      std::memcpy(deta + o, ae.data(), sizeof(float) * d);
      std::memcpy(dgamma + o, ag.data(), sizeof(float) * d);
      for (size_t i = 0; i < wn; i++) dWsum[i] += dWp[i];
    }
  });
  for (int c = 1; c < chunks; c++)
    for (size_t i = 0; i < wn + K; i++) partial[i] += partial[c * (wn + K) + i];
  for (int j = 0; j < d; j++)
    for (int k = 0; k < K; k++) dW[static_cast<size_t>(j) * K + k] = static_cast<float>(partial[static_cast<size_t>(k) * dp + j]);
  for (int k = 0; k < K; k++) db[k] = static_cast<float>(partial[wn + k]);
}

// SAHP's sampled likelihood terms (sampled-terms-impl.h) on sahpForwardK / sahpBackwardK:
// the heads' mu, eta, gamma [BP, d] and W, b as sahpForwardK takes them.
void sahpTermsForwardK(const float* mu, const float* eta, const float* gamma, const float* gaps, const int32_t* types,
                       const float* u, const float* W, const float* b, int BP, int G, int d, int K, float* out,
                       float* pre, float* lambda) {
  thread_local std::vector<float> dt;
  sampledGaps(gaps, u, BP, G, dt);
  sahpForwardK(mu, eta, gamma, dt.data(), W, b, BP, G + 1, d, K, pre, lambda);
  sampledTermsOf(lambda, gaps, types, BP, G, K, out);
}

void sahpTermsBackwardK(const float* g, const float* mu, const float* eta, const float* gamma, const float* gaps,
                        const int32_t* types, const float* u, const float* W, const float* pre, const float* lambda,
                        int BP, int G, int d, int K, float* dmu, float* deta, float* dgamma, float* dW, float* db) {
  thread_local std::vector<float> dt, gl;
  sampledGaps(gaps, u, BP, G, dt);
  sampledTermsGradient(g, lambda, gaps, types, BP, G, K, gl);
  sahpBackwardK(gl.data(), mu, eta, gamma, dt.data(), W, pre, BP, G + 1, d, K, dmu, deta, dgamma, nullptr, dW, db);
}
