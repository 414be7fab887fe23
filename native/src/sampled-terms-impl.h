// The sampled likelihood terms per position (libs/events neural-event-model.ts terms(),
// fused-sampled-terms.ts), included from kernels-impl.h inside its namespace, for the
// models whose intensity passes run here over S = G + 1 gaps per position (the next
// event's gap g first, then the stratified points u_s g):
//   logEvent = log(lambda_k'(g) + 1e-9)  (lambda_k' = 0 where the next type k' is padding, >= K)
//   integral = g / G sum_s sum_k lambda_k(u_s g)

// dt [BP, G + 1]: g, then u_s g
void sampledGaps(const float* gaps, const float* u, int BP, int G, std::vector<float>& dt) {
  dt.resize(static_cast<size_t>(BP) * (G + 1));
  for (int p = 0; p < BP; p++) {
    float* d = &dt[static_cast<size_t>(p) * (G + 1)];
    d[0] = gaps[p];
    for (int s = 0; s < G; s++) d[1 + s] = u[static_cast<size_t>(p) * G + s] * gaps[p];
  }
}

// out [2, BP] from lambda [BP, G + 1, K]
void sampledTermsOf(const float* lambda, const float* gaps, const int32_t* types, int BP, int G, int K, float* out) {
  for (int p = 0; p < BP; p++) {
    const float* l = lambda + static_cast<size_t>(p) * (G + 1) * K;
    const int k = types[p];
    out[p] = std::log((k >= 0 && k < K ? l[k] : 0.0f) + 1e-9f);
    double sum = 0;
    for (int i = K; i < (G + 1) * K; i++) sum += l[i];
    out[BP + p] = static_cast<float>(sum / G) * gaps[p];
  }
}

// dL/dlambda [BP, G + 1, K] from dL/dout g [2, BP]
void sampledTermsGradient(const float* g, const float* lambda, const float* gaps, const int32_t* types, int BP, int G,
                          int K, std::vector<float>& gl) {
  const size_t S1 = static_cast<size_t>(G) + 1;
  gl.assign(static_cast<size_t>(BP) * S1 * K, 0.0f);
  for (int p = 0; p < BP; p++) {
    float* gp = &gl[static_cast<size_t>(p) * S1 * K];
    const int k = types[p];
    if (k >= 0 && k < K) gp[k] = g[p] / (lambda[static_cast<size_t>(p) * S1 * K + k] + 1e-9f);  // d log(l + 1e-9)
    const float gi = g[BP + p] * gaps[p] / G;
    for (size_t i = K; i < S1 * K; i++) gp[i] = gi;
  }
}
