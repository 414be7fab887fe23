// IntensityFree's exact likelihood terms (libs/events fused-intensity-free.ts, which has
// the formulas), included from kernels-impl.h inside its namespace: the same per-position
// arithmetic in float64 with the same float32 roundings of the survival function (so that
// far-tail gaps meet the same 1e-30 floor as the tfjs ops), per scored position (next
// type in 0..K-1). Layouts: raw [BP, J, 3, M] (weight logits, means, log scales), logits
// [BP, K], out [2, BP] (log event term, integral term). store (float32) keeps, per scored
// position, each mixture's gradients of log f and log S with respect to its raw [3, M]
// (6 M), then the mark softmax (K) and the joint weights (J): all the backward pass reads.

constexpr double HALF_LOG_2PI = 0.91893853320467274178;
constexpr double INV_SQRT_2PI = 0.39894228040143267794;
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


// One mixture at one position in float64 (mixtures longer than the vector path takes):
// log f and log S, and their gradients with respect to the mixture's raw [3, M] into gF
// and gS (see ifMixtureVec).
inline void ifMixture(const float* raw, int M, double y, double logTau, double logStd, float* gF, float* gS,
                      double& logF, double& logS, double* scratch) {
  double* w0 = scratch;
  double* z = scratch + M;
  double* sigma = scratch + 2 * M;
  double* tail = scratch + 3 * M;
  double* wa = scratch + 4 * M;
  double* wb = scratch + 5 * M;
  double* a = scratch + 6 * M;
  double* b = scratch + 7 * M;
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
  double sumA = 0, sumB = 0;
  for (int m = 0; m < M; m++) sumA += wa[m], sumB += wb[m];
  for (int m = 0; m < M; m++) {
    const float rs = raw[2 * M + m];
    const bool inClip = rs >= -5 && rs <= 1;  // the clip passes the gradient inside only
    const double dTail = tail[m] >= IF_FLOOR ? wb[m] / tail[m] : 0;  // log max(tail, floor)
    const double dz = -dTail * std::exp(-0.5 * z[m] * z[m]) * INV_SQRT_2PI;  // d log S / dz
    gF[m] = static_cast<float>(wa[m] - w0[m] * sumA);
    gF[M + m] = static_cast<float>(wa[m] * z[m] / sigma[m]);
    gF[2 * M + m] = inClip ? static_cast<float>(wa[m] * (z[m] * z[m] - 1)) : 0.0f;
    gS[m] = static_cast<float>(wb[m] - w0[m] * sumB);
    gS[M + m] = static_cast<float>(-dz / sigma[m]);
    gS[2 * M + m] = inClip ? static_cast<float>(-dz * z[m]) : 0.0f;
  }
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

// Registers one mixture's components may span in the vector path (M <= IF_MAX_REGS VW);
// longer mixtures take the scalar float64 path.
constexpr int IF_MAX_REGS = 8;

// log sum exp over the live lanes of R registers (the others weigh nothing); w = softmax.
// Lanes reduced across registers first, then once across the lanes.
inline float vlogSumExp(const vf* a, const vi* live, int R, vf* w) {
  vf mv = splat(-INFINITY);
  for (int r = 0; r < R; r++) mv = vmax(mv, live[r] ? a[r] : splat(-INFINITY));
  const float m = hmaxV(mv);
  vf sv{};
  for (int r = 0; r < R; r++) sv += w[r] = live[r] ? vexp(a[r] - m) : vf{};
  const double sum = hsum64(sv);
  const float inv = static_cast<float>(1 / sum);
  for (int r = 0; r < R; r++) w[r] *= inv;
  return m + static_cast<float>(std::log(sum));
}

// The first n lanes of v to p (n <= VW): the last register of a mixture stops at M.
inline void storeLanes(float* p, vf v, int n) {
  if (n == VW)
    store(p, v);
  else
    std::memcpy(p, &v, sizeof(float) * n);
}

// ifMixture over M components in the lanes of R = ceil(M / VW) registers, in float32 (the
// tfjs ops it mirrors are float32 too). Besides log f and log S it writes their gradients
// with respect to the mixture's raw [3, M] (weight logits, means, log scales): the loss
// depends on a mixture only through these two, so the backward pass is gF dL/dlog f +
// gS dL/dlog S per position, with nothing recomputed.
//   d log f: logits wa - w0 sum(wa), means wa z / sigma, log scales wa (z^2 - 1)
//   d log S: logits wb - w0 sum(wb), means -dz / sigma, log scales -dz z, with
//            dz = d log S / dz = -(wb / tail) e^(-z^2 / 2) / sqrt(2 pi) (0 where the floor holds)
// (wa, wb: the softmaxes inside log f's and log S's sums; log scales only inside the clip).
inline void ifMixtureVec(const float* raw, int M, float y, double logTau, double logStd, float* gF, float* gS,
                         double& logF, double& logS) {
  const int R = (M + VW - 1) / VW;
  float lg[IF_MAX_REGS * VW], mu[IF_MAX_REGS * VW], ls[IF_MAX_REGS * VW];
  // the last register's dead lanes zeroed (their values are masked out, but must be finite)
  for (float* x : {lg, mu, ls}) std::fill(x + (R - 1) * VW, x + R * VW, 0.0f);
  std::memcpy(lg, raw, sizeof(float) * M);
  std::memcpy(mu, raw + M, sizeof(float) * M);
  std::memcpy(ls, raw + 2 * M, sizeof(float) * M);
  vi live[IF_MAX_REGS];
  vf logits[IF_MAX_REGS], w0[IF_MAX_REGS], z[IF_MAX_REGS], sigma[IF_MAX_REGS], tail[IF_MAX_REGS], ez[IF_MAX_REGS];
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
    ez[r] = vexp(-v * v);  // e^(-z^2 / 2), the normal density's kernel
    const vf e = 1.0f - poly * t * ez[r];
    const vf erfq = q < 0 ? -e : (q > 0 ? e : vf{});
    tail[r] = 0.5f * (1.0f - erfq);
    a[r] = logW - 0.5f * z[r] * z[r] - sc - static_cast<float>(HALF_LOG_2PI);
    b[r] = logW + vlog(vmax(tail[r], splat(IF_FLOOR)));
  }
  logF = vlogSumExp(a, live, R, wa) - logStd - logTau;
  logS = vlogSumExp(b, live, R, wb);
  vf sa{}, sb{};
  for (int r = 0; r < R; r++) sa += wa[r], sb += wb[r];
  const vf sumA = splat(static_cast<float>(hsum64(sa))), sumB = splat(static_cast<float>(hsum64(sb)));
  for (int r = 0; r < R; r++) {
    const int o = r * VW, n = std::min(VW, M - o);
    const vf raws = load(ls + o);
    const vi inClip = (raws >= -5.0f) & (raws <= 1.0f);
    const vf invSigma = 1.0f / sigma[r];
    const vf dTail = tail[r] >= IF_FLOOR ? wb[r] / vmax(tail[r], splat(IF_FLOOR)) : vf{};
    const vf dz = -dTail * ez[r] * static_cast<float>(INV_SQRT_2PI);
    storeLanes(gF + o, wa[r] - w0[r] * sumA, n);
    storeLanes(gF + M + o, wa[r] * z[r] * invSigma, n);
    storeLanes(gF + 2 * M + o, inClip ? wa[r] * (z[r] * z[r] - 1.0f) : vf{}, n);
    storeLanes(gS + o, wb[r] - w0[r] * sumB, n);
    storeLanes(gS + M + o, -dz * invSigma, n);
    storeLanes(gS + 2 * M + o, inClip ? -dz * z[r] : vf{}, n);
  }
}

void ifForwardK(const float* raw, const float* logits, const float* gaps, const int32_t* types, int BP, IfShape sp,
                float* out, float* store) {
  const int J = sp.J, M = sp.M, K = sp.K, width = ifWidth(sp);
  std::fill(out, out + 2 * static_cast<size_t>(BP), 0.0f);
  const double logStd = std::log(sp.std);
  // positions are independent: each scored one's row of store is its rank among the scored
  // (counted first), so pieces of positions go over the pool
  std::vector<int> rank(BP);
  for (int p = 0, n = 0; p < BP; p++) rank[p] = types[p] >= 0 && types[p] < K ? n++ : -1;
  const int count = pieces(BP, std::max<int64_t>(1, kPositionGrain / (int64_t(J) * 3 * M * 8 + K)));
  parallelFor(count, [&](int piece) {
    std::vector<double> logP(K), pSoft(K), joint(J), wJoint(J), logF(J), logS(J), scratch(8 * M);
    for (int p = static_cast<int>(int64_t(BP) * piece / count); p < int64_t(BP) * (piece + 1) / count; p++) {
      const int k = types[p];
      if (rank[p] < 0) continue;
      float* st = store + static_cast<size_t>(rank[p]) * width;
      const double logTau = std::log(std::max(static_cast<double>(gaps[p]), 1e-8));
      const double y = (logTau - sp.mean) / sp.std;
      for (int q = 0; q < K; q++) logP[q] = logits[static_cast<size_t>(p) * K + q];
      const double lseP = logSumExpD(logP.data(), K, pSoft.data());  // the mark softmax
      for (int q = 0; q < K; q++) logP[q] -= lseP;
      for (int j = 0; j < J; j++) {
        const float* rj = raw + (static_cast<size_t>(p) * J + j) * 3 * M;
        float* gF = st + j * 6 * M;
        if (M <= IF_MAX_REGS * VW)
          ifMixtureVec(rj, M, static_cast<float>(y), logTau, logStd, gF, gF + 3 * M, logF[j], logS[j]);
        else
          ifMixture(rj, M, y, logTau, logStd, gF, gF + 3 * M, logF[j], logS[j], scratch.data());
      }
      double logSTotal;
      if (J > 1) {
        for (int j = 0; j < J; j++) joint[j] = logP[j] + logS[j];
        logSTotal = logSumExpD(joint.data(), J, wJoint.data());
      } else {
        logSTotal = logS[0];
        wJoint[0] = 1;
      }
      for (int q = 0; q < K; q++) st[J * 6 * M + q] = static_cast<float>(pSoft[q]);
      for (int j = 0; j < J; j++) st[J * 6 * M + K + j] = static_cast<float>(wJoint[j]);
      out[p] = static_cast<float>(logP[k] + logF[J > 1 ? k : 0] - logSTotal);
      out[BP + p] = static_cast<float>(-logSTotal);
    }
  });
}

// Per position, each mixture's raw gradient is gF d log f_j + gS d log S_j (both kept by
// the forward pass): gF the log event term's gradient for the scored mixture, gS that of
// log S_j through the total survival.
void ifBackwardK(const float* g, const float* raw, const int32_t* types, int BP, IfShape sp, const float* store,
                 float* dRaw, float* dLogits) {
  const int J = sp.J, M = sp.M, K = sp.K, width = ifWidth(sp);
  std::vector<double> dLogP(K);
  for (int p = 0, n = 0; p < BP; p++) {
    const int k = types[p];
    if (!(k >= 0 && k < K)) continue;
    const float* st = store + static_cast<size_t>(n++) * width;
    if (g[p] == 0 && g[BP + p] == 0) continue;
    const float* pSoft = st + J * 6 * M;
    const float* wJoint = pSoft + K;
    const double gTotal = -static_cast<double>(g[p]) - g[BP + p];  // dL/dlog S (total)
    std::fill(dLogP.begin(), dLogP.end(), 0.0);
    dLogP[k] = g[p];
    for (int j = 0; j < J; j++) {
      const double gS = J > 1 ? gTotal * wJoint[j] : gTotal;
      if (J > 1) dLogP[j] += gS;  // log S = logsumexp_j(logP_j + log S_j)
      const float gF = j == (J > 1 ? k : 0) ? g[p] : 0.0f, gSf = static_cast<float>(gS);
      const float* dF = st + j * 6 * M;
      const float* dS = dF + 3 * M;
      float* d = dRaw + (static_cast<size_t>(p) * J + j) * 3 * M;
      for (int i = 0; i < 3 * M; i++) d[i] += gF * dF[i] + gSf * dS[i];
    }
    double sum = 0;
    for (int q = 0; q < K; q++) sum += dLogP[q];
    for (int q = 0; q < K; q++) dLogits[static_cast<size_t>(p) * K + q] += static_cast<float>(dLogP[q] - pSoft[q] * sum);
  }
}
