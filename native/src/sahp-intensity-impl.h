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

// state rows [R, d] (and e = exp(-gamma dt) when wanted)
void sahpStates(const float* mu, const float* eta, const float* gamma, const float* dt, int BP, int S, int d,
                float* state, float* e) {
  for (int p = 0; p < BP; p++) {
    const size_t o = static_cast<size_t>(p) * d;
    for (int s = 0; s < S; s++) {
      const size_t r = static_cast<size_t>(p) * S + s;
      const float t = dt[r];
      for (int j0 = 0; j0 < d; j0 += VW) {
        const int w = std::min(VW, d - j0);
        float m[VW] = {0}, et[VW] = {0}, g[VW] = {0}, out[VW];
        std::memcpy(m, mu + o + j0, sizeof(float) * w);
        std::memcpy(et, eta + o + j0, sizeof(float) * w);
        std::memcpy(g, gamma + o + j0, sizeof(float) * w);
        const vf ev = vexp(-load(g) * t);
        store(out, load(m) + (load(et) - load(m)) * ev);
        std::memcpy(state + r * d + j0, out, sizeof(float) * w);
        if (e) {
          store(out, ev);
          std::memcpy(e + r * d + j0, out, sizeof(float) * w);
        }
      }
    }
  }
}

void sahpForwardK(const float* mu, const float* eta, const float* gamma, const float* dt, const float* W, const float* b,
                  int BP, int S, int d, int K, float* pre, float* lambda) {
  const size_t R = static_cast<size_t>(BP) * S;
  thread_local std::vector<float> state;
  state.resize(R * d);
  sahpStates(mu, eta, gamma, dt, BP, S, d, state.data(), nullptr);
  for (size_t r = 0; r < R; r++) std::memcpy(pre + r * K, b, sizeof(float) * K);
  gemmK(static_cast<int>(R), K, d, state.data(), d, 1, W, K, pre, K);
  std::memcpy(lambda, pre, sizeof(float) * R * K);
  mapInPlace<vsoftplus>(lambda, static_cast<int>(R * K));
}

// sahpBackwardK's per-position sums where d is whole registers: float32 lanes over the
// S gaps of a position (a few dozen terms), the gap's own sum over units by lanes.
void sahpPositionGradsVec(const float* mu, const float* eta, const float* gamma, const float* dt, const float* dstate,
                          const float* e, int BP, int S, int d, float* dmu, float* deta, float* dgamma, float* ddt) {
  for (int p = 0; p < BP; p++) {
    const size_t o = static_cast<size_t>(p) * d;
    for (int j = 0; j < d; j += VW) {
      const vf diff = load(eta + o + j) - load(mu + o + j);
      const vf g = load(gamma + o + j);
      vf am = vf{}, ae = vf{}, ag = vf{};
      for (int s = 0; s < S; s++) {
        const size_t r = static_cast<size_t>(p) * S + s;
        const vf ds = load(dstate + r * d + j), er = load(e + r * d + j);
        const vf de = ds * diff * er;
        am += ds - ds * er;
        ae += ds * er;
        ag -= de * dt[r];
        // ddt[r] = -sum_j de_j gamma_j, built up over the register blocks of j
        const float part = hsum(de * g);
        ddt[r] = (j == 0 ? 0.0f : ddt[r]) - part;
      }
      store(dmu + o + j, am);
      store(deta + o + j, ae);
      store(dgamma + o + j, ag);
    }
  }
}

void sahpBackwardK(const float* g, const float* mu, const float* eta, const float* gamma, const float* dt,
                   const float* W, const float* pre, int BP, int S, int d, int K, float* dmu, float* deta,
                   float* dgamma, float* ddt, float* dW, float* db) {
  const size_t R = static_cast<size_t>(BP) * S;
  thread_local std::vector<float> state, e, dpre, dstate, Wt;
  state.resize(R * d);
  e.resize(R * d);
  sahpStates(mu, eta, gamma, dt, BP, S, d, state.data(), e.data());
  // dpre = g sigmoid(pre)
  dpre.resize(R * K);
  std::memcpy(dpre.data(), pre, sizeof(float) * R * K);
  sigmoidK(dpre.data(), static_cast<int>(R * K));
  for (size_t i = 0; i < R * K; i++) dpre[i] *= g[i];
  // dW^T = dpre^T state ([K, d]: K rows of the tile, d its columns) rather than state^T dpre,
  // whose K = 3 columns would fill a tenth of the register tile
  Wt.assign(static_cast<size_t>(K) * d, 0.0f);
  gemmK(K, d, static_cast<int>(R), dpre.data(), 1, K, state.data(), d, Wt.data(), d);
  transposeTo(Wt.data(), K, d, dW);
  transposeTo(W, d, K, Wt.data());
  dstate.assign(R * d, 0.0f);
  gemmK(static_cast<int>(R), d, K, dpre.data(), K, 1, Wt.data(), d, dstate.data(), d);
  columnSumsTo(dpre.data(), static_cast<int>(R), K, db);
  // per-position gradients sum over the S gaps; d state / d(-gamma dt) = (eta - mu) e
  if (d % VW == 0) {
    sahpPositionGradsVec(mu, eta, gamma, dt, dstate.data(), e.data(), BP, S, d, dmu, deta, dgamma, ddt);
    return;
  }
  std::vector<double> am(d), ae(d), ag(d);
  for (int p = 0; p < BP; p++) {
    const size_t o = static_cast<size_t>(p) * d;
    std::fill(am.begin(), am.end(), 0.0);
    std::fill(ae.begin(), ae.end(), 0.0);
    std::fill(ag.begin(), ag.end(), 0.0);
    for (int s = 0; s < S; s++) {
      const size_t r = static_cast<size_t>(p) * S + s;
      const float t = dt[r];
      const float* ds = &dstate[r * d];
      const float* er = &e[r * d];
      float sdt = 0;
      for (int j = 0; j < d; j++) {
        const float de = ds[j] * (eta[o + j] - mu[o + j]) * er[j];
        am[j] += ds[j] * (1 - er[j]);
        ae[j] += ds[j] * er[j];
        ag[j] -= de * t;
        sdt -= de * gamma[o + j];
      }
      ddt[r] = sdt;
    }
    for (int j = 0; j < d; j++) {
      dmu[o + j] = static_cast<float>(am[j]);
      deta[o + j] = static_cast<float>(ae[j]);
      dgamma[o + j] = static_cast<float>(ag[j]);
    }
  }
}
