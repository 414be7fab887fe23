// SAHP's three heads on the encoder's output h [BP, d] (libs/events sahp.ts), included from
// kernels-impl.h inside its namespace:
//   mu = gelu(h Wmu + bmu),  eta = softplus(h Weta + beta),  gamma = softplus(h Wgamma + bgamma)
// w holds Wmu, Weta, Wgamma [d, d] and then bmu, beta, bgamma [d]; saved [4, BP, d] keeps the
// three heads' inputs and the GELU's tanh for the backward pass. With the sampled terms
// (sahpTermsForwardK) they make SAHP's whole step after the encoder one native call each way.

struct SahpHeadsLayout {
  size_t dd, W[3], b[3], weights;
  explicit SahpHeadsLayout(int d) : dd(static_cast<size_t>(d) * d) {
    for (int t = 0; t < 3; t++) W[t] = t * dd, b[t] = 3 * dd + static_cast<size_t>(t) * d;
    weights = 3 * dd + 3 * static_cast<size_t>(d);
  }
};

void sahpHeadsForwardK(const float* h, const float* w, int BP, int d, float* mu, float* eta, float* gamma,
                       float* saved) {
  const SahpHeadsLayout L(d);
  const size_t n = static_cast<size_t>(BP) * d;
  float* pre = saved;  // [3, BP, d], then the tanh [BP, d]
  for (int t = 0; t < 3; t++) denseInto(h, BP, d, w + L.W[t], w + L.b[t], d, pre + t * n);
  geluForwardK(pre, static_cast<int>(n), mu, saved + 3 * n);
  for (auto [src, dst] : {std::pair{pre + n, eta}, std::pair{pre + 2 * n, gamma}}) {
    std::memcpy(dst, src, sizeof(float) * n);
    mapInPlace<vsoftplus>(dst, static_cast<int>(n));
  }
}

// dh and dw written (whole).
void sahpHeadsBackwardK(const float* h, const float* w, const float* saved, const float* dmu, const float* deta,
                        const float* dgamma, int BP, int d, float* dh, float* dw) {
  const SahpHeadsLayout L(d);
  const size_t n = static_cast<size_t>(BP) * d;
  thread_local std::vector<float> dpre, Wt;
  dpre.resize(3 * n);
  Wt.resize(L.dd);
  geluBackwardK(saved, saved + 3 * n, dmu, static_cast<int>(n), dpre.data());
  // softplus' = sigmoid of the head's input
  for (int t = 1; t < 3; t++) {
    float* dp = dpre.data() + t * n;
    std::memcpy(dp, saved + t * n, sizeof(float) * n);
    sigmoidK(dp, static_cast<int>(n));
    const float* g = t == 1 ? deta : dgamma;
    for (size_t i = 0; i < n; i++) dp[i] *= g[i];
  }
  std::fill(dh, dh + n, 0.0f);
  std::fill(dw, dw + L.weights, 0.0f);
  for (int t = 0; t < 3; t++) {
    const float* dp = dpre.data() + t * n;
    gemmK(d, d, BP, h, 1, d, dp, d, dw + L.W[t], d);  // h^T dpre
    transposeTo(w + L.W[t], d, d, Wt.data());
    gemmK(BP, d, d, dp, d, 1, Wt.data(), d, dh, d);  // dpre W^T
    columnSumsTo(dp, BP, d, dw + L.b[t]);
  }
}
