// SpaceTime's companion-matrix power sequences (libs/forecast companion-ssm.ts, whose JS
// pass stays the fallback): per head k, v_{j+1} = T v_j + sum_m P_m (Q_m . v_j), j < n - 1,
// T the down shift ((T v)_i = v_{i-1}) or the up shift ((T v)_i = v_{i+1}), and its adjoint.
// In double, as the JS pass; one task per head (heads are independent, so any number of
// threads gives the same bits). Included by kernels-impl.h inside the ISA's namespace.

// V [K][n][d] (double) from v0 [K][d], P, Q [K][M][d] (float).
void shiftPowersForwardK(const float* v0, const float* P, const float* Q, int K, int d, int M, int n, bool down,
                         double* V) {
  parallelFor(K, [&](int k) {
    double* base = V + static_cast<size_t>(k) * n * d;
    for (int i = 0; i < d; i++) base[i] = v0[static_cast<size_t>(k) * d + i];
    for (int j = 0; j + 1 < n; j++) {
      const double* cur = base + static_cast<size_t>(j) * d;
      double* nxt = base + static_cast<size_t>(j + 1) * d;
      if (down) {
        nxt[0] = 0;
        for (int i = 1; i < d; i++) nxt[i] = cur[i - 1];
      } else {
        for (int i = 0; i + 1 < d; i++) nxt[i] = cur[i + 1];
        nxt[d - 1] = 0;
      }
      for (int m = 0; m < M; m++) {
        const float* q = Q + (static_cast<size_t>(k) * M + m) * d;
        const float* p = P + (static_cast<size_t>(k) * M + m) * d;
        double dot = 0;
        for (int i = 0; i < d; i++) dot += q[i] * cur[i];
        if (dot != 0)
          for (int i = 0; i < d; i++) nxt[i] += p[i] * dot;
      }
    }
  });
}

// From G = dL/dV [K][n][d] (float) and the forward powers V: dv0 [K][d], dP, dQ [K][M][d]
// (double sums, as the JS pass). lambda_{n-1} = G_{n-1}; lambda_j = G_j + T^T lambda_{j+1}
// + sum_m Q_m (P_m . lambda_{j+1}); dP_m += lambda_{j+1} (Q_m . v_j), dQ_m += v_j (P_m .
// lambda_{j+1}).
void shiftPowersBackwardK(const float* G, const double* V, const float* P, const float* Q, int K, int d, int M, int n,
                          bool down, double* dv0, double* dP, double* dQ) {
  parallelFor(K, [&](int k) {
    std::vector<double> lam(d), tmp(d), pl(M);
    const float* g = G + static_cast<size_t>(k) * n * d;
    const double* v = V + static_cast<size_t>(k) * n * d;
    double* dp = dP + static_cast<size_t>(k) * M * d;
    double* dq = dQ + static_cast<size_t>(k) * M * d;
    std::fill(dp, dp + static_cast<size_t>(M) * d, 0.0);
    std::fill(dq, dq + static_cast<size_t>(M) * d, 0.0);
    for (int i = 0; i < d; i++) lam[i] = g[static_cast<size_t>(n - 1) * d + i];
    for (int j = n - 2; j >= 0; j--) {
      const double* vj = v + static_cast<size_t>(j) * d;
      for (int m = 0; m < M; m++) {
        const float* q = Q + (static_cast<size_t>(k) * M + m) * d;
        const float* p = P + (static_cast<size_t>(k) * M + m) * d;
        double qv = 0, plam = 0;
        for (int i = 0; i < d; i++) {
          qv += q[i] * vj[i];
          plam += p[i] * lam[i];
        }
        pl[m] = plam;
        for (int i = 0; i < d; i++) {
          dp[static_cast<size_t>(m) * d + i] += lam[i] * qv;
          dq[static_cast<size_t>(m) * d + i] += vj[i] * plam;
        }
      }
      // the adjoint of the down shift is the up shift, and the other way round
      if (down) {
        for (int i = 0; i + 1 < d; i++) tmp[i] = lam[i + 1];
        tmp[d - 1] = 0;
      } else {
        tmp[0] = 0;
        for (int i = 1; i < d; i++) tmp[i] = lam[i - 1];
      }
      for (int m = 0; m < M; m++) {
        const float* q = Q + (static_cast<size_t>(k) * M + m) * d;
        for (int i = 0; i < d; i++) tmp[i] += q[i] * pl[m];
      }
      for (int i = 0; i < d; i++) lam[i] = tmp[i] + g[static_cast<size_t>(j) * d + i];
    }
    for (int i = 0; i < d; i++) dv0[static_cast<size_t>(k) * d + i] = lam[i];
  });
}
