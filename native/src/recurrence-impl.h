// The plain RNN and GRU recurrences over all time steps (libs/events fused-recurrences.ts
// fusedRnn), included from kernels-impl.h inside its namespace. Internal layout [T, B, W]:
// step t's rows are (t B + r) for the active[t] sequences still running (a prefix: rows
// are ordered longest first, so active is non-increasing). x holds each step's inputs
// [T, B, G H] (G = 1: rnn, 3: gru with blocks z, r, n); U [H, G H].
//   rnn: h_t = tanh(x_t + h_{t-1} U)
//   gru: z = sigma(xz + h Uz), r = sigma(xr + h Ur), n = tanh(xn + r (h Un)),
//        h_t = (1 - z) n + z h_{t-1}
// The tape keeps h and, for a GRU, z, r, n and hn = h_{t-1} Un per step.

void rnnForwardK(bool gru, const float* x, const float* U, const int32_t* active, int B, int T, int H, float* hs,
                 float* zs, float* rs, float* ns, float* hns) {
  const int G = gru ? 3 : 1, GH = G * H;
  thread_local std::vector<float> pre, hn;
  pre.resize(static_cast<size_t>(B) * GH);
  hn.resize(static_cast<size_t>(B) * H);
  for (int t = 0; t < T; t++) {
    const int nA = active[t];
    if (nA <= 0) continue;
    const size_t o = static_cast<size_t>(t) * B;  // this step's first row
    const float* hp = t > 0 ? hs + (o - B) * H : nullptr;
    std::memcpy(pre.data(), x + o * GH, sizeof(float) * nA * GH);
    if (!gru) {
      if (hp) gemmK(nA, H, H, hp, H, 1, U, H, pre.data(), H);
      tanhK(pre.data(), nA * H);
      std::memcpy(hs + o * H, pre.data(), sizeof(float) * nA * H);
      continue;
    }
    std::fill(hn.begin(), hn.begin() + static_cast<size_t>(nA) * H, 0.0f);
    if (hp) {
      gemmK(nA, 2 * H, H, hp, H, 1, U, GH, pre.data(), GH);  // z and r blocks onto x
      gemmK(nA, H, H, hp, H, 1, U + 2 * H, GH, hn.data(), H);
    }
    for (int r = 0; r < nA; r++) sigmoidK(pre.data() + static_cast<size_t>(r) * GH, 2 * H);
    for (int r = 0; r < nA; r++) {
      const size_t i = (o + r) * H;
      float* pr = pre.data() + static_cast<size_t>(r) * GH;
      const float* hnr = hn.data() + static_cast<size_t>(r) * H;
      float* nr = ns + i;
      for (int k = 0; k < H; k++) nr[k] = pr[2 * H + k] + pr[H + k] * hnr[k];
      tanhK(nr, H);
      for (int k = 0; k < H; k++) {
        const float z = pr[k];
        hs[i + k] = (1 - z) * nr[k] + z * (hp ? hp[static_cast<size_t>(r) * H + k] : 0.0f);
        zs[i + k] = z;
        rs[i + k] = pr[H + k];
        hns[i + k] = hnr[k];
      }
    }
  }
}

// gH: dL/dh_t for every step (internal layout; overwritten: later steps add into earlier
// ones); writes dX [T, B, G H] (zero where not running) and dU [H, G H].
void rnnBackwardK(bool gru, float* gH, const float* U, const int32_t* active, int B, int T, int H, const float* hs,
                  const float* zs, const float* rs, const float* ns, const float* hns, float* dX, float* dU) {
  const int G = gru ? 3 : 1, GH = G * H;
  thread_local std::vector<float> Ut, dpre;
  Ut.resize(static_cast<size_t>(GH) * H);
  transposeTo(U, H, GH, Ut.data());
  dpre.resize(static_cast<size_t>(B) * GH);
  std::fill(dX, dX + static_cast<size_t>(T) * B * GH, 0.0f);
  std::fill(dU, dU + static_cast<size_t>(H) * GH, 0.0f);
  for (int t = T - 1; t >= 0; t--) {
    const int nA = active[t];
    if (nA <= 0) continue;
    const size_t o = static_cast<size_t>(t) * B;
    float* dx = dX + o * GH;
    for (int r = 0; r < nA; r++) {
      const size_t i = (o + r) * H;
      const float* gh = gH + i;
      float* xr = dx + static_cast<size_t>(r) * GH;
      float* ur = dpre.data() + static_cast<size_t>(r) * GH;
      if (!gru) {
        for (int k = 0; k < H; k++) xr[k] = ur[k] = gh[k] * (1 - hs[i + k] * hs[i + k]);
        continue;
      }
      const float* hp = t > 0 ? hs + i - static_cast<size_t>(B) * H : nullptr;
      float* ghp = t > 0 ? gH + i - static_cast<size_t>(B) * H : nullptr;
      for (int k = 0; k < H; k++) {
        const float z = zs[i + k], rr = rs[i + k], n = ns[i + k];
        const float dn = gh[k] * (1 - z) * (1 - n * n);
        const float dz = gh[k] * ((hp ? hp[k] : 0.0f) - n) * z * (1 - z);
        const float dr = dn * hns[i + k] * rr * (1 - rr);
        xr[k] = ur[k] = dz;
        xr[H + k] = ur[H + k] = dr;
        xr[2 * H + k] = dn;
        ur[2 * H + k] = dn * rr;
        if (ghp) ghp[k] += gh[k] * z;  // the direct path h_t = ... + z h_{t-1}
      }
    }
    if (t == 0) continue;  // h_{-1} = 0: no weight gradient, nothing earlier
    const float* hp = hs + (o - B) * H;
    gemmK(H, GH, nA, hp, 1, H, dpre.data(), GH, dU, GH);            // dU += h_{t-1}^T dPre
    gemmK(nA, H, GH, dpre.data(), GH, 1, Ut.data(), H, gH + (o - B) * H, H);  // dL/dh_{t-1} += dPre U^T
  }
}
