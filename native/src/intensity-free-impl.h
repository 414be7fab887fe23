// IntensityFree's exact likelihood terms (libs/events fused-intensity-free.ts, which has
// the formulas), included from kernels-impl.h inside its namespace: the same per-position
// arithmetic in float64 with the same float32 roundings of the survival function (so that
// far-tail gaps meet the same 1e-30 floor as the tfjs ops), per scored position (next
// type in 0..K-1). Layouts: raw [BP, J, 3, M] (weight logits, means, log scales), logits
// [BP, K], out [2, BP] (log event term, integral term). store keeps, per scored position,
// each mixture's w0, z, sigma, tail, wa, wb (6 M) then the mark softmax (K) and the joint
// weights (J), what the backward pass reads.

constexpr double HALF_LOG_2PI = 0.91893853320467274178;
const float IF_FLOOR = 1e-30f;

// tfjs-cpu's Erf kernel: Abramowitz and Stegun 7.1.26
inline double erfAS(double x) {
  const double v = std::fabs(x);
  const double t = 1 / (1 + 0.3275911 * v);
  const double r =
      1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t *
              std::exp(-v * v);
  return x < 0 ? -r : (x > 0 ? r : 0.0);
}

// (1 - erf(z / sqrt 2)) / 2 rounded to float32 after each step as the tfjs ops do
inline double survivalF32(double z) {
  const float zf = static_cast<float>(z);
  const float q = static_cast<float>(static_cast<double>(zf) / 1.4142135623730951);
  const float e = static_cast<float>(erfAS(q));
  const float one = static_cast<float>(1.0 - e);
  return static_cast<float>(0.5 * one);
}

// log sum exp a[0..n), softmax into w
inline double logSumExpD(const double* a, int n, double* w) {
  double m = -INFINITY;
  for (int i = 0; i < n; i++) m = std::max(m, a[i]);
  double s = 0;
  for (int i = 0; i < n; i++) s += w[i] = std::exp(a[i] - m);
  for (int i = 0; i < n; i++) w[i] /= s;
  return m + std::log(s);
}


// One mixture at one position: writes its 6 M kept values at kp, returns log f and log S.
inline void ifMixture(const float* raw, int M, double y, double logTau, double logStd, double* kp, double& logF,
                      double& logS, double* scratch) {
  double* w0 = kp;
  double* z = kp + M;
  double* sigma = kp + 2 * M;
  double* tail = kp + 3 * M;
  double* wa = kp + 4 * M;
  double* wb = kp + 5 * M;
  double* a = scratch;
  double* b = scratch + M;
  for (int m = 0; m < M; m++) a[m] = raw[m];
  const double lse0 = logSumExpD(a, M, w0);
  for (int m = 0; m < M; m++) {
    const double logW = raw[m] - lse0;
    const double s = std::min(std::max(static_cast<double>(raw[2 * M + m]), -5.0), 1.0);
    sigma[m] = std::exp(s);
    z[m] = (y - raw[M + m]) / sigma[m];
    tail[m] = survivalF32(z[m]);
    a[m] = logW - 0.5 * z[m] * z[m] - s - HALF_LOG_2PI;
    b[m] = logW + std::log(std::max(tail[m], static_cast<double>(IF_FLOOR)));
  }
  logF = logSumExpD(a, M, wa) - logStd - logTau;
  logS = logSumExpD(b, M, wb);
}

// log x for positive normal floats: x = 2^e m, m in [sqrt(1/2), sqrt 2), log m = 2 atanh(s),
// s = (m - 1) / (m + 1) in [-0.172, 0.172], by its series to s^9 (next term below 3e-10).
inline vf vlog(vf x) {
  const vi bits = (vi)x;
  vi e = ((bits >> 23) & 0xff) - 127;
  vf m = (vf)((bits & 0x007fffff) | 0x3f800000);
  const vi big = m > 1.41421356f;  // -1 where true
  m = big ? m * 0.5f : m;
  e = e - big;
  const vf sv = (m - 1.0f) / (m + 1.0f);
  const vf s2 = sv * sv;
  vf p = splat(1.0f / 9);
  p = p * s2 + 1.0f / 7;
  p = p * s2 + 1.0f / 5;
  p = p * s2 + 1.0f / 3;
  p = p * s2 + 1.0f;
  return __builtin_convertvector(e, vf) * 0.693147180559945f + 2.0f * sv * p;
}

inline float hmax(vf v) {
  float m = v[0];
  for (int l = 1; l < VW; l++) m = std::max(m, v[l]);
  return m;
}

// Registers one mixture's components may span in the vector path (M <= IF_MAX_REGS VW);
// longer mixtures take the scalar float64 path.
constexpr int IF_MAX_REGS = 8;

// log sum exp over the live lanes of R registers (the others weigh nothing); w = softmax
inline float vlogSumExp(const vf* a, const vi* live, int R, vf* w) {
  float m = -INFINITY;
  for (int r = 0; r < R; r++) m = std::max(m, hmax(live[r] ? a[r] : splat(-INFINITY)));
  double sum = 0;
  for (int r = 0; r < R; r++) {
    w[r] = live[r] ? vexp(a[r] - m) : vf{};
    sum += hsum64(w[r]);
  }
  const float inv = static_cast<float>(1 / sum);
  for (int r = 0; r < R; r++) w[r] *= inv;
  return m + static_cast<float>(std::log(sum));
}

// ifMixture over M components in the lanes of R = ceil(M / VW) registers, in float32 (the
// tfjs ops it mirrors are float32 too); kept values widened into kp as ifMixture writes them.
inline void ifMixtureVec(const float* raw, int M, float y, double logTau, double logStd, double* kp, double& logF,
                         double& logS) {
  const int R = (M + VW - 1) / VW;
  float lg[IF_MAX_REGS * VW], mu[IF_MAX_REGS * VW], ls[IF_MAX_REGS * VW];
  // the last register's dead lanes zeroed (their values are masked out, but must be finite)
  for (float* x : {lg, mu, ls}) std::fill(x + (R - 1) * VW, x + R * VW, 0.0f);
  std::memcpy(lg, raw, sizeof(float) * M);
  std::memcpy(mu, raw + M, sizeof(float) * M);
  std::memcpy(ls, raw + 2 * M, sizeof(float) * M);
  vi live[IF_MAX_REGS];
  vf logits[IF_MAX_REGS], w0[IF_MAX_REGS], z[IF_MAX_REGS], sigma[IF_MAX_REGS], tail[IF_MAX_REGS];
  vf a[IF_MAX_REGS], b[IF_MAX_REGS], wa[IF_MAX_REGS], wb[IF_MAX_REGS];
  for (int r = 0; r < R; r++) {
    vi lane;
    for (int l = 0; l < VW; l++) lane[l] = r * VW + l;
    live[r] = lane < M;
    logits[r] = load(lg + r * VW);
  }
  const float lse0 = vlogSumExp(logits, live, R, w0);
  for (int r = 0; r < R; r++) {
    const vf logW = logits[r] - lse0;
    const vf sc = vmin(vmax(load(ls + r * VW), splat(-5.0f)), splat(1.0f));
    sigma[r] = vexp(sc);
    z[r] = (y - load(mu + r * VW)) / sigma[r];
    // (1 - erf(z / sqrt 2)) / 2 with tfjs's erf (Abramowitz and Stegun 7.1.26)
    const vf q = z[r] * 0.70710678118654752f;
    const vf v = q < 0 ? -q : q;
    const vf t = 1.0f / (1.0f + 0.3275911f * v);
    vf poly = splat(1.061405429f);
    poly = poly * t - 1.453152027f;
    poly = poly * t + 1.421413741f;
    poly = poly * t - 0.284496736f;
    poly = poly * t + 0.254829592f;
    const vf e = 1.0f - poly * t * vexp(-v * v);
    const vf erfq = q < 0 ? -e : (q > 0 ? e : vf{});
    tail[r] = 0.5f * (1.0f - erfq);
    a[r] = logW - 0.5f * z[r] * z[r] - sc - static_cast<float>(HALF_LOG_2PI);
    b[r] = logW + vlog(vmax(tail[r], splat(IF_FLOOR)));
  }
  logF = vlogSumExp(a, live, R, wa) - logStd - logTau;
  logS = vlogSumExp(b, live, R, wb);
  for (int m = 0; m < M; m++) {
    const int r = m / VW, l = m % VW;
    kp[m] = w0[r][l];
    kp[M + m] = z[r][l];
    kp[2 * M + m] = sigma[r][l];
    kp[3 * M + m] = tail[r][l];
    kp[4 * M + m] = wa[r][l];
    kp[5 * M + m] = wb[r][l];
  }
}

void ifForwardK(const float* raw, const float* logits, const float* gaps, const int32_t* types, int BP, IfShape sp,
                float* out, double* store) {
  const int J = sp.J, M = sp.M, K = sp.K, width = ifWidth(sp);
  std::vector<double> logP(K), joint(J), logF(J), logS(J), scratch(2 * M);
  std::fill(out, out + 2 * static_cast<size_t>(BP), 0.0f);
  const double logStd = std::log(sp.std);
  for (int p = 0, n = 0; p < BP; p++) {
    const int k = types[p];
    if (!(k >= 0 && k < K)) continue;
    double* st = store + static_cast<size_t>(n++) * width;
    const double logTau = std::log(std::max(static_cast<double>(gaps[p]), 1e-8));
    const double y = (logTau - sp.mean) / sp.std;
    for (int q = 0; q < K; q++) logP[q] = logits[static_cast<size_t>(p) * K + q];
    const double lseP = logSumExpD(logP.data(), K, st + J * 6 * M);  // the mark softmax
    for (int q = 0; q < K; q++) logP[q] -= lseP;
    for (int j = 0; j < J; j++) {
      const float* rj = raw + (static_cast<size_t>(p) * J + j) * 3 * M;
      if (M <= IF_MAX_REGS * VW)
        ifMixtureVec(rj, M, static_cast<float>(y), logTau, logStd, st + j * 6 * M, logF[j], logS[j]);
      else
        ifMixture(rj, M, y, logTau, logStd, st + j * 6 * M, logF[j], logS[j], scratch.data());
    }
    double logSTotal;
    if (J > 1) {
      for (int j = 0; j < J; j++) joint[j] = logP[j] + logS[j];
      logSTotal = logSumExpD(joint.data(), J, st + J * 6 * M + K);
    } else {
      logSTotal = logS[0];
      st[J * 6 * M + K] = 1;
    }
    out[p] = static_cast<float>(logP[k] + logF[J > 1 ? k : 0] - logSTotal);
    out[BP + p] = static_cast<float>(-logSTotal);
  }
}

void ifBackwardK(const float* g, const float* raw, const int32_t* types, int BP, IfShape sp, const double* store,
                 float* dRaw, float* dLogits) {
  const int J = sp.J, M = sp.M, K = sp.K, width = ifWidth(sp);
  const double TWO_OVER_SQRT_PI = 1.1283791670955126, SQRT1_2 = 0.70710678118654752;
  std::vector<double> dLogP(K);
  for (int p = 0, n = 0; p < BP; p++) {
    const int k = types[p];
    if (!(k >= 0 && k < K)) continue;
    const double* st = store + static_cast<size_t>(n++) * width;
    if (g[p] == 0 && g[BP + p] == 0) continue;
    const double* pSoft = st + J * 6 * M;
    const double* wJoint = pSoft + K;
    const double gTotal = -static_cast<double>(g[p]) - g[BP + p];  // dL/dlog S (total)
    std::fill(dLogP.begin(), dLogP.end(), 0.0);
    dLogP[k] = g[p];
    for (int j = 0; j < J; j++) {
      const double gS = J > 1 ? gTotal * wJoint[j] : gTotal;
      if (J > 1) dLogP[j] += gS;  // log S = logsumexp_j(logP_j + log S_j)
      const double gF = j == (J > 1 ? k : 0) ? g[p] : 0.0;
      const double* kp = st + j * 6 * M;
      const double *w0 = kp, *z = kp + M, *sigma = kp + 2 * M, *tail = kp + 3 * M, *wa = kp + 4 * M, *wb = kp + 5 * M;
      const size_t off = (static_cast<size_t>(p) * J + j) * 3 * M;
      double sumW = 0;
      for (int m = 0; m < M; m++) {
        const double da = gF * wa[m], db = gS * wb[m];
        // log tail through the floor (tf.maximum passes the gradient where tail >= 1e-30)
        const double dTail = tail[m] >= IF_FLOOR ? db / tail[m] : 0;
        const double dz = -z[m] * da - 0.5 * dTail * TWO_OVER_SQRT_PI * std::exp(-0.5 * z[m] * z[m]) * SQRT1_2;
        const double ds = -da - dz * z[m];  // z = (y - mu) / e^s
        const float s = raw[off + 2 * M + m];
        dRaw[off + M + m] += static_cast<float>(-dz / sigma[m]);
        if (s >= -5 && s <= 1) dRaw[off + 2 * M + m] += static_cast<float>(ds);  // clip passes the gradient inside
        dRaw[off + m] += static_cast<float>(da + db);  // through logW, before the softmax's normalisation
        sumW += da + db;
      }
      for (int m = 0; m < M; m++) dRaw[off + m] -= static_cast<float>(w0[m] * sumW);
    }
    double sum = 0;
    for (int q = 0; q < K; q++) sum += dLogP[q];
    for (int q = 0; q < K; q++) dLogits[static_cast<size_t>(p) * K + q] += static_cast<float>(dLogP[q] - pSoft[q] * sum);
  }
}
