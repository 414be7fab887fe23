// The S4D block's channel ops on channels-first [B, H, L] arrays (libs/tensor/src/ssm:
// channel-layer-norm.ts, glu-bias.ts), included from kernels-impl.h inside its namespace.
// The same sums as those files' JS loops (moments and parameter gradients in float64), one
// native pass where the JS ran 8-15 ns an element (HiSS's 800 chunks of 10 steps: short
// rows, so the inner loops over l are left to the compiler's vectoriser).
//
// Samples are cut into blocks of kChannelBlock; the parameter gradients are summed per block
// and the blocks added in order, so results do not depend on the thread count.

constexpr int kChannelBlock = 8;

inline int channelBlocks(int B) { return (B + kChannelBlock - 1) / kChannelBlock; }

// y = (x - mean_h) rstd gamma + beta per (sample, step); xhat and rstd [B L] kept.
void channelNormForwardK(const float* x, const float* g, const float* beta, int B, int H, int L, double eps, float* y,
                         float* xhat, double* rstd) {
  const size_t HL = static_cast<size_t>(H) * L;
  parallelRanges(B, std::max<int64_t>(1, kRowGrain / std::max<int64_t>(1, HL)), [&](int64_t b0, int64_t b1) {
    std::vector<double> mean(L), sq(L);
    for (int64_t b = b0; b < b1; b++) {
      std::fill(mean.begin(), mean.end(), 0.0);
      std::fill(sq.begin(), sq.end(), 0.0);
      const float* xb = x + b * HL;
      for (int h = 0; h < H; h++) {
        const float* xr = xb + static_cast<size_t>(h) * L;
        for (int l = 0; l < L; l++) {
          const double v = xr[l];
          mean[l] += v;
          sq[l] += v * v;
        }
      }
      double* rs = rstd + b * L;
      for (int l = 0; l < L; l++) {
        mean[l] /= H;
        rs[l] = 1 / std::sqrt(std::max(sq[l] / H - mean[l] * mean[l], 0.0) + eps);
      }
      for (int h = 0; h < H; h++) {
        const size_t o = b * HL + static_cast<size_t>(h) * L;
        const double gh = g[h], bh = beta[h];
        for (int l = 0; l < L; l++) {
          const double v = (x[o + l] - mean[l]) * rs[l];
          xhat[o + l] = static_cast<float>(v);
          y[o + l] = static_cast<float>(v * gh + bh);
        }
      }
    }
  });
}

// dx written; dgamma, dbeta accumulated: g = dy gamma, dx = rstd (g - mean_h g - xhat mean_h(g xhat)).
void channelNormBackwardK(const float* dy, const float* g, const float* xhat, const double* rstd, int B, int H, int L,
                          float* dx, double* dgamma, double* dbeta) {
  const size_t HL = static_cast<size_t>(H) * L;
  const int blocks = channelBlocks(B);
  std::vector<double> sums(static_cast<size_t>(blocks) * 2 * H, 0.0);
  parallelRanges(blocks, std::max<int64_t>(1, kRowGrain / std::max<int64_t>(1, kChannelBlock * HL)),
                 [&](int64_t k0, int64_t k1) {
                   std::vector<double> mg(L), mgx(L);
                   for (int64_t k = k0; k < k1; k++) {
                     double* sg = &sums[k * 2 * H];
                     double* sb = sg + H;
                     for (int64_t b = k * kChannelBlock; b < std::min<int64_t>(B, (k + 1) * kChannelBlock); b++) {
                       std::fill(mg.begin(), mg.end(), 0.0);
                       std::fill(mgx.begin(), mgx.end(), 0.0);
                       for (int h = 0; h < H; h++) {
                         const size_t o = b * HL + static_cast<size_t>(h) * L;
                         const double gh = g[h];
                         double a = 0, c = 0;
                         for (int l = 0; l < L; l++) {
                           const double d = dy[o + l], xh = xhat[o + l];
                           a += d * xh;
                           c += d;
                           mg[l] += d * gh;
                           mgx[l] += d * gh * xh;
                         }
                         sg[h] += a;
                         sb[h] += c;
                       }
                       for (int l = 0; l < L; l++) mg[l] /= H, mgx[l] /= H;
                       const double* rs = rstd + b * L;
                       for (int h = 0; h < H; h++) {
                         const size_t o = b * HL + static_cast<size_t>(h) * L;
                         const double gh = g[h];
                         for (int l = 0; l < L; l++)
                           dx[o + l] = static_cast<float>(rs[l] * (dy[o + l] * gh - mg[l] - xhat[o + l] * mgx[l]));
                       }
                     }
                   }
                 });
  for (int k = 0; k < blocks; k++)
    for (int h = 0; h < H; h++) dgamma[h] += sums[static_cast<size_t>(k) * 2 * H + h], dbeta[h] += sums[static_cast<size_t>(k) * 2 * H + H + h];
}

// The biased GLU over [B, 2H, L] with the block's tail: out = residual + scale (a + b_a)
// sigmoid(g + b_g); lin = a + b_a and sig kept. scale [B H] and residual [B H L] may be null.
// The vector sigmoid is not trusted below -80 (its exp clamps): those elements are redone
// in double, as the JS path does.
void gluForwardK(const float* y, const float* bias, const float* scale, const float* residual, int B, int H, int L,
                 float* lin, float* sig, float* out) {
  const size_t HL = static_cast<size_t>(H) * L;
  parallelRanges(B, std::max<int64_t>(1, kRowGrain / std::max<int64_t>(1, 2 * HL)), [&](int64_t b0, int64_t b1) {
    for (int64_t b = b0; b < b1; b++) {
      for (int h = 0; h < H; h++) {
        const float* ya = y + (b * 2 * H + h) * L;
        const float* yg = y + (b * 2 * H + H + h) * L;
        const size_t o = (b * H + h) * L;
        const float ba = bias[h], bg = bias[H + h];
        for (int l = 0; l < L; l++) lin[o + l] = ya[l] + ba, sig[o + l] = yg[l] + bg;
      }
      float* s = sig + b * HL;
      mapInPlace<vsigmoid>(s, static_cast<int>(HL));
      for (int h = 0; h < H; h++) {
        const float* yg = y + (b * 2 * H + H + h) * L;
        const size_t o = (b * H + h) * L;
        const float bg = bias[H + h];
        const float c = scale ? scale[b * H + h] : 1.0f;
        for (int l = 0; l < L; l++) {
          const float pre = yg[l] + bg;
          if (!(pre >= -80)) sig[o + l] = static_cast<float>(1 / (1 + std::exp(-static_cast<double>(pre))));
          const float v = c * lin[o + l] * sig[o + l];
          out[o + l] = residual ? residual[o + l] + v : v;
        }
      }
    }
  });
}

// dy [B, 2H, L] written, dbias [2H] accumulated: da = c dout s, dg = c dout lin s (1 - s).
void gluBackwardK(const float* dout, const float* lin, const float* sig, const float* scale, int B, int H, int L,
                  float* dy, double* dbias) {
  const size_t HL = static_cast<size_t>(H) * L;
  const int blocks = channelBlocks(B);
  std::vector<double> sums(static_cast<size_t>(blocks) * 2 * H, 0.0);
  parallelRanges(blocks, std::max<int64_t>(1, kRowGrain / std::max<int64_t>(1, kChannelBlock * HL)),
                 [&](int64_t k0, int64_t k1) {
                   for (int64_t k = k0; k < k1; k++) {
                     double* sa = &sums[k * 2 * H];
                     double* sg = sa + H;
                     for (int64_t b = k * kChannelBlock; b < std::min<int64_t>(B, (k + 1) * kChannelBlock); b++)
                       for (int h = 0; h < H; h++) {
                         const size_t o = (b * H + h) * L;
                         float* da = dy + (b * 2 * H + h) * L;
                         float* dg = dy + (b * 2 * H + H + h) * L;
                         const float c = scale ? scale[b * H + h] : 1.0f;
                         double ta = 0, tg = 0;
                         for (int l = 0; l < L; l++) {
                           const float s = sig[o + l];
                           const float a = c * dout[o + l] * s;
                           const float gv = c * dout[o + l] * lin[o + l] * s * (1 - s);
                           da[l] = a;
                           dg[l] = gv;
                           ta += a;
                           tg += gv;
                         }
                         sa[h] += ta;
                         sg[h] += tg;
                       }
                   }
                 });
  for (int k = 0; k < blocks; k++)
    for (int h = 0; h < 2 * H; h++) dbias[h] += sums[static_cast<size_t>(k) * 2 * H + h];
}

// ---- the position-wise map over channels: out[b] = W z[b] (+ bias), W [O, H] ----
// A product per sample has L columns, and HiSS's low level has 800 samples of L = 10: the
// gemm's register tile is 2 VW columns wide, so most of each product was padding, and each
// was one more call. Here G samples at a time (G L >= kMixColumns) are gathered side by side
// into one [H, G L] panel, multiplied once, and the result scattered back.

constexpr int kMixColumns = 256;

inline int mixGroup(int B, int L) { return std::max(1, std::min(B, (kMixColumns + L - 1) / std::max(L, 1))); }

// rows [R, L] of samples b0 .. b0 + g (stride R L each) side by side into panel [R, g L]
inline void gatherSamples(const float* src, int b0, int g, int R, int L, float* panel) {
  const size_t RL = static_cast<size_t>(R) * L, W = static_cast<size_t>(g) * L;
  for (int j = 0; j < g; j++)
    for (int r = 0; r < R; r++)
      std::memcpy(panel + r * W + static_cast<size_t>(j) * L, src + (b0 + j) * RL + static_cast<size_t>(r) * L,
                  sizeof(float) * L);
}

inline void scatterSamples(const float* panel, int b0, int g, int R, int L, float* dst) {
  const size_t RL = static_cast<size_t>(R) * L, W = static_cast<size_t>(g) * L;
  for (int j = 0; j < g; j++)
    for (int r = 0; r < R; r++)
      std::memcpy(dst + (b0 + j) * RL + static_cast<size_t>(r) * L, panel + r * W + static_cast<size_t>(j) * L,
                  sizeof(float) * L);
}

// out [B, O, L] written: W z[b] plus bias[o] (bias may be null)
void channelMixForwardK(const float* z, const float* w, const float* bias, int B, int H, int L, int O, float* out) {
  const int G = mixGroup(B, L);
  const int groups = (B + G - 1) / G;
  parallelRanges(groups, 1, [&](int64_t q0, int64_t q1) {
    std::vector<float> zp(static_cast<size_t>(H) * G * L), op(static_cast<size_t>(O) * G * L);
    for (int64_t q = q0; q < q1; q++) {
      const int b0 = static_cast<int>(q) * G, g = std::min(G, B - b0), W = g * L;
      gatherSamples(z, b0, g, H, L, zp.data());
      for (int o = 0; o < O; o++) std::fill(op.begin() + size_t(o) * W, op.begin() + size_t(o + 1) * W, bias ? bias[o] : 0.0f);
      gemmSerial(O, W, H, w, H, 1, zp.data(), W, op.data(), W);
      scatterSamples(op.data(), b0, g, O, L, out);
    }
  });
}

// dz [B, H, L] written (W^T dout[b]); dw [O, H] accumulated (sum_b dout[b] z[b]^T, the groups
// added in order); dbias [O] (may be null) accumulated in float64.
void channelMixBackwardK(const float* dout, const float* z, const float* w, int B, int H, int L, int O, float* dz,
                         float* dw, double* dbias) {
  const int G = mixGroup(B, L);
  const int groups = (B + G - 1) / G;
  parallelRanges(groups, 1, [&](int64_t q0, int64_t q1) {
    std::vector<float> gp(static_cast<size_t>(O) * G * L), zp(static_cast<size_t>(H) * G * L);
    for (int64_t q = q0; q < q1; q++) {
      const int b0 = static_cast<int>(q) * G, g = std::min(G, B - b0), W = g * L;
      gatherSamples(dout, b0, g, O, L, gp.data());
      std::fill(zp.begin(), zp.begin() + size_t(H) * W, 0.0f);
      gemmSerial(H, W, O, w, 1, H, gp.data(), W, zp.data(), W);  // W read transposed in place
      scatterSamples(zp.data(), b0, g, H, L, dz);
    }
  });
  std::vector<float> gp(static_cast<size_t>(O) * G * L), zt(static_cast<size_t>(G) * L * H);
  for (int q = 0; q < groups; q++) {
    const int b0 = q * G, g = std::min(G, B - b0), W = g * L;
    gatherSamples(dout, b0, g, O, L, gp.data());
    // z's samples transposed into [g L, H]
    for (int j = 0; j < g; j++)
      for (int h = 0; h < H; h++) {
        const float* zr = z + (static_cast<size_t>(b0 + j) * H + h) * L;
        for (int l = 0; l < L; l++) zt[(static_cast<size_t>(j) * L + l) * H + h] = zr[l];
      }
    gemmK(O, H, W, gp.data(), W, 1, zt.data(), H, dw, H);
    if (dbias)
      for (int o = 0; o < O; o++) {
        double s = 0;
        for (int i = 0; i < W; i++) s += gp[static_cast<size_t>(o) * W + i];
        dbias[o] += s;
      }
  }
}

// ---- the D skip and the channel factors ----

// out = y + D[h] u over [B, H, L]
void channelSkipForwardK(const float* y, const float* u, const float* D, int B, int H, int L, float* out) {
  parallelRanges(int64_t(B) * H, std::max<int64_t>(1, kRowGrain / std::max(L, 1)), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; r++) {
      const float d = D[r % H];
      const size_t o = static_cast<size_t>(r) * L;
      for (int l = 0; l < L; l++) out[o + l] = y[o + l] + d * u[o + l];
    }
  });
}

// du = g D[h] written; dD_h += sum over samples and steps of g u (blocks of samples added in order)
void channelSkipBackwardK(const float* g, const float* u, const float* D, int B, int H, int L, float* du, double* dD) {
  const size_t HL = static_cast<size_t>(H) * L;
  const int blocks = channelBlocks(B);
  std::vector<double> sums(static_cast<size_t>(blocks) * H, 0.0);
  parallelRanges(blocks, std::max<int64_t>(1, kRowGrain / std::max<int64_t>(1, kChannelBlock * HL)),
                 [&](int64_t k0, int64_t k1) {
                   for (int64_t k = k0; k < k1; k++)
                     for (int64_t b = k * kChannelBlock; b < std::min<int64_t>(B, (k + 1) * kChannelBlock); b++)
                       for (int h = 0; h < H; h++) {
                         const size_t o = b * HL + static_cast<size_t>(h) * L;
                         const float d = D[h];
                         double s = 0;
                         for (int l = 0; l < L; l++) {
                           du[o + l] = g[o + l] * d;
                           s += static_cast<double>(g[o + l]) * u[o + l];
                         }
                         sums[k * H + h] += s;
                       }
                 });
  for (int k = 0; k < blocks; k++)
    for (int h = 0; h < H; h++) dD[h] += sums[static_cast<size_t>(k) * H + h];
}

// x[r L + l] *= (g ? g[r L + l] : 1) (scale ? scale[r] : 1), rows r of L, in place
void scaleRowsK(float* x, const float* g, const float* scale, int rows, int L) {
  parallelRanges(rows, std::max<int64_t>(1, kRowGrain / std::max(L, 1)), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; r++) {
      const float c = scale ? scale[r] : 1.0f;
      float* xr = x + static_cast<size_t>(r) * L;
      if (g) {
        const float* gr = g + static_cast<size_t>(r) * L;
        for (int l = 0; l < L; l++) xr[l] *= gr[l] * c;
      } else
        for (int l = 0; l < L; l++) xr[l] *= c;
    }
  });
}
