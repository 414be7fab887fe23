// The FFT kernels (included by kernels-impl.h, once per instruction set): complex and real
// transforms of many rows, and the fused causal convolution with its gradients.
//
// Rows are transformed VW at a time, one row per vector lane: a group of rows is transposed
// into "lane" buffers where element t of every row sits in one register (float index
// t VW + lane), and the transform runs on whole registers. Every butterfly and twiddle then
// works at full vector width whatever the length's factors, with no shuffles; the models
// transform thousands of rows of one length (batch x channels), so whole groups are the
// common case, and a lone row costs one group.
//
// The complex transform is a self-sorting (Stockham) decimation-in-frequency FFT over the
// plan's radices (fft-plan.h): the data are L interleaved sub-transforms, element t of
// sub-transform b at b + L t. Writing t = t1 + m t2 (t1 < m, t2 < p) and the output index
// k = k2 + p k1, a pass computes, for each b, t1 and k2,
//   y[b + L k2 + L p t1] = w^(t1 k2) sum_t2 x[b + L t1 + L m t2] e^{-2 pi i t2 k2 / p},
// w = e^{-2 pi i / (p m)}: L p sub-transforms of length m, whose own outputs land at the
// final positions b + L k2 + L p k1. After the last pass the spectrum is in natural order
// (no bit reversal). The inverse transform is the forward one with the real and imaginary
// buffers swapped on the way in and out (swap(F(swap(x))) = n F^-1 x), so only the forward
// butterflies exist.

// A register of VW complex values.
struct cv {
  vf r, i;
};
inline cv cadd(cv a, cv b) { return {a.r + b.r, a.i + b.i}; }
inline cv csub(cv a, cv b) { return {a.r - b.r, a.i - b.i}; }
inline cv cnegi(cv a) { return {a.i, -a.r}; }  // -i a
inline cv cscale(cv a, float s) { return {a.r * s, a.i * s}; }
inline cv cmul(cv a, vf br, vf bi) { return {a.r * br - a.i * bi, a.r * bi + a.i * br}; }
inline cv cmulConj(cv a, vf br, vf bi) { return {a.r * br + a.i * bi, a.i * br - a.r * bi}; }  // a conj(b)
inline cv cload(const float* re, const float* im, size_t at) { return {load(re + at * VW), load(im + at * VW)}; }
inline void cstore(float* re, float* im, size_t at, cv v) {
  store(re + at * VW, v.r);
  store(im + at * VW, v.i);
}

// The forward DFT of P registers in place.
template <int P>
inline void butterfly(cv* x);

template <>
inline void butterfly<2>(cv* x) {
  const cv a = x[0];
  x[0] = cadd(a, x[1]);
  x[1] = csub(a, x[1]);
}

// e^{-2 pi i / 4} = -i: additions only.
template <>
inline void butterfly<4>(cv* x) {
  const cv a = cadd(x[0], x[2]), b = csub(x[0], x[2]), c = cadd(x[1], x[3]), d = cnegi(csub(x[1], x[3]));
  x[0] = cadd(a, c);
  x[2] = csub(a, c);
  x[1] = cadd(b, d);
  x[3] = csub(b, d);
}

// y1, y2 = x0 - (x1 + x2) / 2 -+ i sin(2 pi / 3) (x1 - x2)
template <>
inline void butterfly<3>(cv* x) {
  const cv t = cadd(x[1], x[2]);
  const cv u = csub(x[0], cscale(t, 0.5f));
  const cv v = cnegi(cscale(csub(x[1], x[2]), 0.866025403784438647f));
  x[0] = cadd(x[0], t);
  x[1] = cadd(u, v);
  x[2] = csub(u, v);
}

// The pairs x_j +- x_{5-j} share their cosines and sines, as in the generic radix below.
template <>
inline void butterfly<5>(cv* x) {
  constexpr float c1 = 0.309016994374947424f, c2 = -0.809016994374947424f;  // cos(2 pi / 5), cos(4 pi / 5)
  constexpr float s1 = 0.951056516295153572f, s2 = 0.587785252292473129f;   // sin(2 pi / 5), sin(4 pi / 5)
  const cv a1 = cadd(x[1], x[4]), b1 = csub(x[1], x[4]), a2 = cadd(x[2], x[3]), b2 = csub(x[2], x[3]);
  const cv r1 = cadd(x[0], cadd(cscale(a1, c1), cscale(a2, c2)));
  const cv r2 = cadd(x[0], cadd(cscale(a1, c2), cscale(a2, c1)));
  const cv q1 = cnegi(cadd(cscale(b1, s1), cscale(b2, s2)));
  const cv q2 = cnegi(csub(cscale(b1, s2), cscale(b2, s1)));
  x[0] = cadd(x[0], cadd(a1, a2));
  x[1] = cadd(r1, q1);
  x[4] = csub(r1, q1);
  x[2] = cadd(r2, q2);
  x[3] = csub(r2, q2);
}

// One pass of a radix with its own butterfly (see the top of this file for the indices).
template <int P>
void passFixed(const FftPlan& plan, const FftPass& s, const float* ar, const float* ai, float* br, float* bi) {
  const size_t L = s.L, m = s.m;
  const float* twr = plan.twRe.data() + s.tw;
  const float* twi = plan.twIm.data() + s.tw;
  for (size_t t1 = 0; t1 < m; t1++) {
    for (size_t b = 0; b < L; b++) {
      cv x[P];
      for (int t2 = 0; t2 < P; t2++) x[t2] = cload(ar, ai, b + L * (t1 + m * t2));
      butterfly<P>(x);
      const size_t out = b + L * P * t1;
      cstore(br, bi, out, x[0]);
      for (int k2 = 1; k2 < P; k2++)
        cstore(br, bi, out + L * k2, t1 == 0 ? x[k2] : cmul(x[k2], splat(twr[t1 * P + k2]), splat(twi[t1 * P + k2])));
    }
  }
}

// One pass of an odd prime radix p > 5, O(p^2) per butterfly: with a_j = x_j + x_{p-j} and
// d_j = x_j - x_{p-j} (j <= h = (p - 1) / 2), and w_jk = e^{-2 pi i j k / p} = c + i s,
//   y_k = x_0 + sum_j c a_j + i sum_j s d_j,   y_{p-k} = the same with - i,
// so each of the h k's costs h real-by-complex products twice instead of 2 p complex ones.
void passGeneric(const FftPlan& plan, const FftPass& s, const float* ar, const float* ai, float* br, float* bi,
                 std::vector<cv>& tmp) {
  const int p = s.p, h = (p - 1) / 2;
  const size_t L = s.L, m = s.m;
  const float* twr = plan.twRe.data() + s.tw;
  const float* twi = plan.twIm.data() + s.tw;
  const float* rr = plan.rootRe.data() + s.root;
  const float* ri = plan.rootIm.data() + s.root;
  tmp.resize(2 * static_cast<size_t>(p));
  cv* x = tmp.data();
  cv* y = x + p;
  for (size_t t1 = 0; t1 < m; t1++) {
    for (size_t b = 0; b < L; b++) {
      for (int t2 = 0; t2 < p; t2++) x[t2] = cload(ar, ai, b + L * (t1 + m * t2));
      cv y0 = x[0];
      for (int j = 1; j <= h; j++) {
        const cv a = cadd(x[j], x[p - j]), d = csub(x[j], x[p - j]);
        x[j] = a;
        x[p - j] = d;
        y0 = cadd(y0, a);
      }
      y[0] = y0;
      for (int k = 1; k <= h; k++) {
        cv r = x[0], q = {vf{}, vf{}};
        int jk = 0;  // j k mod p, stepped rather than multiplied
        for (int j = 1; j <= h; j++) {
          jk += k;
          if (jk >= p) jk -= p;
          r = cadd(r, cscale(x[j], rr[jk]));
          q = cadd(q, cscale(x[p - j], ri[jk]));
        }
        const cv iq = {-q.i, q.r};
        y[k] = cadd(r, iq);
        y[p - k] = csub(r, iq);
      }
      const size_t out = b + L * p * t1;
      cstore(br, bi, out, y[0]);
      for (int k2 = 1; k2 < p; k2++)
        cstore(br, bi, out + L * k2, t1 == 0 ? y[k2] : cmul(y[k2], splat(twr[t1 * p + k2]), splat(twi[t1 * p + k2])));
    }
  }
}

// Per-thread buffers of the transforms, kept between calls (a call allocates only when a
// length is larger than any this thread has seen).
struct FftScratch {
  std::vector<float> zr, zi, sr, si, xr, xi, yr, yi;
  std::vector<cv> generic;
  std::vector<float> kRe, kIm, accRe, accIm;
  std::vector<float> zeros, sink;  // the rows of absent lanes
};
FftScratch& fftScratch() {
  thread_local FftScratch s;
  return s;
}
// A lane buffer of `elements` registers, starting `skew` cache lines into its vector: large
// buffers come from mmap at the same offset in a page, and the skews keep the real and
// imaginary parts of an element, and a pass's input and output, out of one cache set (a few
// percent at powers of two; rowsToLanes has the larger effect).
inline float* lanes(std::vector<float>& v, size_t elements, int skew) {
  const size_t at = static_cast<size_t>(skew) * 16;
  if (v.size() < elements * VW + at) v.resize(elements * VW + at);
  return v.data() + at;
}

// The forward transform of the lanes in (re, im), passes alternating with (sr, si); on
// return re and im point at the spectrum (either pair of buffers).
void fftLanes(const FftPlan& plan, float*& re, float*& im, float*& sr, float*& si, FftScratch& w) {
  for (const FftPass& s : plan.passes) {
    switch (s.p) {
      case 2: passFixed<2>(plan, s, re, im, sr, si); break;
      case 3: passFixed<3>(plan, s, re, im, sr, si); break;
      case 4: passFixed<4>(plan, s, re, im, sr, si); break;
      case 5: passFixed<5>(plan, s, re, im, sr, si); break;
      default: passGeneric(plan, s, re, im, sr, si, w.generic);
    }
    std::swap(re, sr);
    std::swap(im, si);
  }
}

// The unscaled inverse (sign +1) by the swap of parts.
void ifftLanes(const FftPlan& plan, float*& re, float*& im, float*& sr, float*& si, FftScratch& w) {
  float *a = im, *b = re, *c = si, *d = sr;
  fftLanes(plan, a, b, c, d, w);
  re = b, im = a, sr = d, si = c;
}

// Rows <-> lanes. Sample by sample over the VW rows (each row read or written in order, the
// lane buffer in order) unless the rows are "crowded": a multiple of 4 KiB apart (powers of
// two: 1024 floats), their lines share one of the 64 sets of an 8-way L1, the VW lines of a
// sample evict each other before the next sample, and every access misses (rfft at
// n = 2048 ran 3x slower per sample). Crowded rows go in blocks of TB samples instead, each
// row's block read or written whole while the block's lanes stay in L1 (slower than the
// sample order where nothing conflicts, so only there).
constexpr int TB = 16;

bool crowded(const float* const* rows) {
  int perSet[64] = {0};
  int most = 0;
  for (int l = 0; l < VW; l++) most = std::max(most, ++perSet[(reinterpret_cast<uintptr_t>(rows[l]) >> 6) & 63]);
  return most > 4;
}

// a[t VW + l] = s[l][t step] and, with b, b[t VW + l] = s[l][t step + 1], t < count.
void rowsToLanes(const float* const* s, int count, int step, float* a, float* b) {
  if (!crowded(s)) {
    for (int t = 0; t < count; t++) {
      for (int l = 0; l < VW; l++) a[t * VW + l] = s[l][t * step];
      if (b)
        for (int l = 0; l < VW; l++) b[t * VW + l] = s[l][t * step + 1];
    }
    return;
  }
  for (int t0 = 0; t0 < count; t0 += TB) {
    const int t1 = std::min(count, t0 + TB);
    for (int l = 0; l < VW; l++) {
      const float* r = s[l];
      for (int t = t0; t < t1; t++) a[t * VW + l] = r[t * step];
      if (b)
        for (int t = t0; t < t1; t++) b[t * VW + l] = r[t * step + 1];
    }
  }
}

// d[l][t step] = a[t VW + l] scale and, with b, d[l][t step + 1] = b[t VW + l] scale, t < count.
void lanesToRows(const float* a, const float* b, int count, float scale, float* const* d, int step) {
  if (!crowded(d)) {
    for (int t = 0; t < count; t++) {
      for (int l = 0; l < VW; l++) d[l][t * step] = a[t * VW + l] * scale;
      if (b)
        for (int l = 0; l < VW; l++) d[l][t * step + 1] = b[t * VW + l] * scale;
    }
    return;
  }
  for (int t0 = 0; t0 < count; t0 += TB) {
    const int t1 = std::min(count, t0 + TB);
    for (int l = 0; l < VW; l++) {
      float* r = d[l];
      for (int t = t0; t < t1; t++) r[t * step] = a[t * VW + l] * scale;
      if (b)
        for (int t = t0; t < t1; t++) r[t * step + 1] = b[t * VW + l] * scale;
    }
  }
}

// Rows src[l] (nullptr: a lane past the last row, read as len zeros).
void zeroRows(const float** src, int len, FftScratch& w) {
  if (w.zeros.size() < static_cast<size_t>(len)) w.zeros.assign(len, 0.0f);
  for (int l = 0; l < VW; l++)
    if (!src[l]) src[l] = w.zeros.data();
}

// The lane buffers (zr, zi) from the group's rows src[l] (nullptr: a lane past the last
// row, zeros), their first len samples zero-padded or cut to n: as z_j = x_2j + i x_2j+1
// (packed, j < n / 2) or as z_j = x_j + 0i (lane-major loops, writing with a stride of VW
// floats, were once most of a transform's time: see rowsToLanes).
void packLanes(const float* const* src, int len, int n, bool packed, float* zr, float* zi, FftScratch& w) {
  const int lim = std::min(len, n);
  const float* s[VW];
  for (int l = 0; l < VW; l++) s[l] = src[l];
  zeroRows(s, lim, w);
  const int m = packed ? n / 2 : n;
  int j = 0;
  if (packed) {
    j = lim / 2;
    rowsToLanes(s, j, 2, zr, zi);
    if (lim % 2) {
      for (int l = 0; l < VW; l++) zr[j * VW + l] = s[l][lim - 1], zi[j * VW + l] = 0.0f;
      j++;
    }
  } else {
    j = lim;
    rowsToLanes(s, j, 1, zr, nullptr);
    std::fill(zi, zi + j * VW, 0.0f);
  }
  std::fill(zr + j * VW, zr + m * VW, 0.0f);
  std::fill(zi + j * VW, zi + m * VW, 0.0f);
}

// Rows dst[l] (nullptr: a lane not written, sent to a scratch row) for lanesToRows.
void laneRows(float* const* dst, int len, float** out, FftScratch& w) {
  if (w.sink.size() < static_cast<size_t>(len)) w.sink.resize(len);
  for (int l = 0; l < VW; l++) out[l] = dst[l] ? dst[l] : w.sink.data();
}

// The spectra (n / 2 + 1 bins, as lanes into xr, xi) of the group's real rows, each len
// samples zero-padded or cut to n. Even n: the half-length complex transform of
// z_j = x_2j + i x_2j+1, whose Z_k and conj Z_{m-k} separate the even and odd samples'
// spectra E_k = (Z_k + conj Z_{m-k}) / 2 and O_k = (Z_k - conj Z_{m-k}) / 2i, and
// X_k = E_k + e^{-2 pi i k / n} O_k.
void rfftLanes(const RealFftPlan& rp, const float* const* src, int len, float* xr, float* xi, FftScratch& w) {
  const int n = rp.n;
  const bool even = n % 2 == 0;
  const int m = even ? n / 2 : n;
  float* zr = lanes(w.zr, m, 0);
  float* zi = lanes(w.zi, m, 5);
  float* sr = lanes(w.sr, m, 10);
  float* si = lanes(w.si, m, 15);
  packLanes(src, len, n, even, zr, zi, w);
  fftLanes(*rp.complex, zr, zi, sr, si, w);
  if (!even) {
    std::memcpy(xr, zr, sizeof(float) * VW * (n / 2 + 1));
    std::memcpy(xi, zi, sizeof(float) * VW * (n / 2 + 1));
    store(xi, vf{});
    return;
  }
  const vf z0r = load(zr), z0i = load(zi);
  store(xr, z0r + z0i);
  store(xi, vf{});
  store(xr + m * VW, z0r - z0i);
  store(xi + m * VW, vf{});
  for (int k = 1; k < m; k++) {
    const cv a = cload(zr, zi, k), bc = cload(zr, zi, m - k);
    const cv b = {bc.r, -bc.i};
    const cv e = cscale(cadd(a, b), 0.5f);
    const cv d = csub(a, b);
    const cv o = {d.i * 0.5f, d.r * -0.5f};
    cstore(xr, xi, k, cadd(e, cmul(o, splat(rp.wRe[k]), splat(rp.wIm[k]))));
  }
}

// The inverse of rfftLanes times `scale`: the first outLen samples of each lane into dst[l]
// (nullptr: not written). The imaginary parts of the DC and Nyquist bins are ignored, as
// numpy's irfft does. Even n rebuilds Z_k = E_k + i O_k with O_k = D_k e^{+2 pi i k / n}.
void irfftLanes(const RealFftPlan& rp, const float* xr, const float* xi, float* const* dst, int outLen, float scale,
                FftScratch& w) {
  const int n = rp.n;
  const bool even = n % 2 == 0;
  const int m = even ? n / 2 : n;
  float* zr = lanes(w.zr, m, 0);
  float* zi = lanes(w.zi, m, 5);
  float* sr = lanes(w.sr, m, 10);
  float* si = lanes(w.si, m, 15);
  if (even) {
    for (int k = 0; k < m; k++) {
      const cv a = {load(xr + k * VW), k == 0 ? vf{} : load(xi + k * VW)};
      const cv b = {load(xr + (m - k) * VW), k == 0 ? vf{} : -load(xi + (m - k) * VW)};
      const cv e = cscale(cadd(a, b), 0.5f);
      const cv o = cmulConj(cscale(csub(a, b), 0.5f), splat(rp.wRe[k]), splat(rp.wIm[k]));
      cstore(zr, zi, k, {e.r - o.i, e.i + o.r});
    }
  } else {
    store(zr, load(xr));
    store(zi, vf{});
    for (int k = 1; k <= n / 2; k++) {
      const cv x = cload(xr, xi, k);
      cstore(zr, zi, k, x);
      cstore(zr, zi, n - k, {x.r, -x.i});
    }
  }
  ifftLanes(*rp.complex, zr, zi, sr, si, w);
  const float s = scale / m;
  const int len = std::min(outLen, n);
  float* out[VW];
  laneRows(dst, len, out, w);
  if (even) {
    lanesToRows(zr, zi, len / 2, s, out, 2);
    if (len % 2)
      for (int l = 0; l < VW; l++) out[l][len - 1] = zr[(len / 2) * VW + l] * s;
  } else {
    lanesToRows(zr, nullptr, len, s, out, 1);
  }
}

// The group of rows r0 .. r0 + VW - 1 (those below `rows`) of a [rows, width] array.
template <class T>
void groupRows(T* base, int r0, int rows, size_t width, T** out) {
  for (int l = 0; l < VW; l++) out[l] = r0 + l < rows ? base + static_cast<size_t>(r0 + l) * width : nullptr;
}

// Groups of rows are independent (each thread transforms into its own lane buffers):
// pieces of whole groups over the pool, each at least kFftGrain floats of transforms.
constexpr int64_t kFftGrain = int64_t(1) << 16;

// Each thread that transforms keeps its lane buffers (FftScratch: 8 of n VW floats) for
// its next call, so the threads a transform of length n may use are capped to keep all of
// them within kLaneBudget bytes: every thread at the models' lengths (a few thousand), a
// few at 2^18.
constexpr int64_t kLaneBudget = int64_t(512) << 20;
inline int fftThreads(int n) {
  return static_cast<int>(std::max<int64_t>(1, kLaneBudget / (int64_t(8) * VW * n * sizeof(float))));
}

// f(g0, g1) over the groups [g0, g1) of `groups`, n samples per row, in pieces over the pool.
template <class F>
void overGroups(int groups, int n, F&& f) {
  const int count = pieces(groups, std::max<int64_t>(1, kFftGrain / (int64_t(VW) * n)));
  parallelFor(
      count,
      [&](int piece) {
        f(static_cast<int>(int64_t(groups) * piece / count), static_cast<int>(int64_t(groups) * (piece + 1) / count));
      },
      fftThreads(n));
}

void rfftRowsK(const float* x, int rows, int len, int n, float* outRe, float* outIm) {
  const RealFftPlan& rp = realFftPlan(n);
  const int bins = n / 2 + 1;
  overGroups((rows + VW - 1) / VW, n, [&](int g0, int g1) {
    FftScratch& w = fftScratch();
    float* xr = lanes(w.xr, bins, 20);
    float* xi = lanes(w.xi, bins, 25);
    for (int r0 = g0 * VW; r0 < g1 * VW; r0 += VW) {
      const float* src[VW];
      groupRows(x, r0, rows, len, src);
      rfftLanes(rp, src, len, xr, xi, w);
      float *re[VW], *im[VW];
      groupRows(outRe, r0, rows, bins, re);
      laneRows(re, bins, re, w);
      lanesToRows(xr, nullptr, bins, 1.0f, re, 1);
      groupRows(outIm, r0, rows, bins, im);
      laneRows(im, bins, im, w);
      lanesToRows(xi, nullptr, bins, 1.0f, im, 1);
    }
  });
}

void irfftRowsK(const float* re, const float* im, int rows, int n, float* out) {
  const RealFftPlan& rp = realFftPlan(n);
  const int bins = n / 2 + 1;
  overGroups((rows + VW - 1) / VW, n, [&](int g0, int g1) {
    FftScratch& w = fftScratch();
    float* xr = lanes(w.xr, bins, 20);
    float* xi = lanes(w.xi, bins, 25);
    for (int r0 = g0 * VW; r0 < g1 * VW; r0 += VW) {
      const float *sr[VW], *si[VW];
      groupRows(re, r0, rows, bins, sr);
      groupRows(im, r0, rows, bins, si);
      zeroRows(sr, bins, w);
      zeroRows(si, bins, w);
      rowsToLanes(sr, bins, 1, xr, nullptr);
      rowsToLanes(si, bins, 1, xi, nullptr);
      float* dst[VW];
      groupRows(out, r0, rows, n, dst);
      irfftLanes(rp, xr, xi, dst, n, 1.0f, w);
    }
  });
}

void fftRowsK(const float* re, const float* im, int rows, int n, bool inverse, float* outRe, float* outIm) {
  const FftPlan& plan = complexFftPlan(n);
  const float s = inverse ? 1.0f / n : 1.0f;
  overGroups((rows + VW - 1) / VW, n, [&](int g0, int g1) {
    FftScratch& w = fftScratch();
    for (int r0 = g0 * VW; r0 < g1 * VW; r0 += VW) {
      float* zr = lanes(w.zr, n, 0);
      float* zi = lanes(w.zi, n, 5);
      float* sr = lanes(w.sr, n, 10);
      float* si = lanes(w.si, n, 15);
      const float *ar[VW], *ai[VW];
      groupRows(re, r0, rows, n, ar);
      groupRows(im, r0, rows, n, ai);
      zeroRows(ar, n, w);
      zeroRows(ai, n, w);
      rowsToLanes(ar, n, 1, zr, nullptr);
      rowsToLanes(ai, n, 1, zi, nullptr);
      if (inverse)
        ifftLanes(plan, zr, zi, sr, si, w);
      else
        fftLanes(plan, zr, zi, sr, si, w);
      float *dr[VW], *di[VW];
      groupRows(outRe, r0, rows, n, dr);
      groupRows(outIm, r0, rows, n, di);
      laneRows(dr, n, dr, w);
      laneRows(di, n, di, w);
      lanesToRows(zr, nullptr, n, s, dr, 1);
      lanesToRows(zi, nullptr, n, s, di, 1);
    }
  });
}

// ---- the fused causal convolution (libs/tensor fft-conv-kernel.ts) ----

// Which kernel row each lane of a group uses (row r: r mod kRows; -1 past the last row),
// and whether they are kRows-consecutive (then a bin of a [bins][kRows] table is one load).
struct LaneKernels {
  int c[VW];
  bool run;
};
LaneKernels laneKernels(int r0, int rows, int kRows) {
  LaneKernels lk;
  lk.run = true;
  for (int l = 0; l < VW; l++) {
    lk.c[l] = r0 + l < rows ? (r0 + l) % kRows : -1;
    lk.run = lk.run && lk.c[l] == lk.c[0] + l;
  }
  return lk;
}
inline vf gatherBin(const float* table, size_t at, const LaneKernels& lk) {
  if (lk.run) return load(table + at + lk.c[0]);
  alignas(64) float v[VW];
  for (int l = 0; l < VW; l++) v[l] = lk.c[l] < 0 ? 0.0f : table[at + lk.c[l]];
  return load(v);
}
// lane l's value added at its kernel's entry (lanes of one kernel in lane order: a fixed sum order)
inline void scatterAddBin(float* table, size_t at, const LaneKernels& lk, vf v) {
  if (lk.run) {
    store(table + at + lk.c[0], load(table + at + lk.c[0]) + v);
    return;
  }
  for (int l = 0; l < VW; l++)
    if (lk.c[l] >= 0) table[at + lk.c[l]] += v[l];
}

// The spectra of the kernels' first Ke taps into [bins][kRows] tables kRe, kIm (groups of
// kernels over the pool: each writes its own columns).
void kernelSpectra(const RealFftPlan& rp, const float* k, int kRows, int K, int Ke, float* kRe, float* kIm) {
  const size_t bins = rp.n / 2 + 1;
  overGroups((kRows + VW - 1) / VW, rp.n, [&](int g0, int g1) {
    FftScratch& w = fftScratch();
    float* xr = lanes(w.xr, bins, 20);
    float* xi = lanes(w.xi, bins, 25);
    for (int c0 = g0 * VW; c0 < g1 * VW; c0 += VW) {
      const float* src[VW];
      groupRows(k, c0, kRows, K, src);
      rfftLanes(rp, src, Ke, xr, xi, w);
      for (int l = 0; l < VW && c0 + l < kRows; l++)
        for (size_t j = 0; j < bins; j++) kRe[j * kRows + c0 + l] = xr[j * VW + l], kIm[j * kRows + c0 + l] = xi[j * VW + l];
    }
  });
}

// The first of `size` floats of v that start on a cache line: tables [bins][kRows] whose
// columns tasks write in runs of 16 (64 bytes) then share no line between two tasks.
inline float* lineAligned(std::vector<float>& v, size_t size) {
  if (v.size() < size + 16) v.resize(size + 16);
  const uintptr_t at = reinterpret_cast<uintptr_t>(v.data());
  return v.data() + ((64 - at % 64) % 64) / sizeof(float);
}

// The kernel spectra of a call, in the calling thread's scratch (read by every task).
struct KernelTables {
  const float *re, *im;
};
KernelTables callKernelSpectra(const RealFftPlan& rp, const float* k, int kRows, int K, int Ke) {
  FftScratch& w = fftScratch();
  const size_t size = static_cast<size_t>(rp.n / 2 + 1) * kRows;
  float* re = lineAligned(w.kRe, size);
  float* im = lineAligned(w.kIm, size);
  kernelSpectra(rp, k, kRows, K, Ke, re, im);
  return {re, im};
}

// y_m = irfft(rfft(u, n) rfft(k_m, n))[:L] per row for each of M kernel sets (k [M][kRows][K],
// y [M][rows][L]; kernel row r mod kRows of each set): u is transformed once per row and
// its spectrum serves every set (SpaceTime's decoder convolves one input with two kernels).
// The kernel spectra are one [bins][M kRows] table. Groups of rows are independent: pieces
// of them over the pool. M = 1 is the plain fused convolution.
void fftConvSharedForwardK(const float* u, const float* k, int rows, int L, int kRows, int K, int n, int M, float* y) {
  const RealFftPlan& rp = realFftPlan(n);
  const size_t bins = n / 2 + 1;
  const size_t kAll = size_t(M) * kRows;
  const KernelTables kt = callKernelSpectra(rp, k, M * kRows, K, std::min(K, L));
  overGroups((rows + VW - 1) / VW, n, [&](int g0, int g1) {
    FftScratch& w = fftScratch();
    float* ur = lanes(w.yr, bins, 30);
    float* ui = lanes(w.yi, bins, 35);
    float* xr = lanes(w.xr, bins, 20);
    float* xi = lanes(w.xi, bins, 25);
    for (int r0 = g0 * VW; r0 < g1 * VW; r0 += VW) {
      const float* src[VW];
      groupRows(u, r0, rows, L, src);
      const LaneKernels lk = laneKernels(r0, rows, kRows);
      rfftLanes(rp, src, L, ur, ui, w);
      for (int m = 0; m < M; m++) {
        for (size_t j = 0; j < bins; j++) {
          const size_t at = j * kAll + size_t(m) * kRows;
          cstore(xr, xi, j, cmul(cload(ur, ui, j), gatherBin(kt.re, at, lk), gatherBin(kt.im, at, lk)));
        }
        float* dst[VW];
        groupRows(y + size_t(m) * rows * L, r0, rows, L, dst);
        irfftLanes(rp, xr, xi, dst, L, 1.0f, w);
      }
    }
  });
}

void fftConvForwardK(const float* u, const float* k, int rows, int L, int kRows, int K, int n, float* y) {
  fftConvSharedForwardK(u, k, rows, L, kRows, K, n, 1, y);
}

// One group of rows r0 .. r0 + VW - 1 of the backward pass: its rows of du (the M sets'
// spectra rfft(dy_m) conj(rfft(k_m)) summed under one inverse transform), and the spectra
// rfft(dy_m) conj(rfft(u)) added into the table (accRe, accIm; [bins][M kRows]) at their
// kernels. u is transformed once for all M sets.
void convBackwardGroup(const RealFftPlan& rp, const float* dy, const float* u, int rows, int L, int kRows, int M,
                       int r0, KernelTables kt, float* accRe, float* accIm, float* du, FftScratch& w) {
  const size_t bins = rp.n / 2 + 1;
  const size_t kAll = size_t(M) * kRows;
  float* xr = lanes(w.xr, bins, 20);
  float* xi = lanes(w.xi, bins, 25);
  float* ur = lanes(w.yr, bins, 30);
  float* ui = lanes(w.yi, bins, 35);
  const float* usrc[VW];
  float* dst[VW];
  groupRows(u, r0, rows, L, usrc);
  groupRows(du, r0, rows, L, dst);
  const LaneKernels lk = laneKernels(r0, rows, kRows);
  rfftLanes(rp, usrc, L, ur, ui, w);
  // du's spectrum: in place in xr, xi for one set; summed in a buffer of its own for several
  thread_local std::vector<float> sumRe, sumIm;
  float* sr = M > 1 ? lanes(sumRe, bins, 40) : xr;
  float* si = M > 1 ? lanes(sumIm, bins, 45) : xi;
  for (int m = 0; m < M; m++) {
    const float* gsrc[VW];
    groupRows(dy + size_t(m) * rows * L, r0, rows, L, gsrc);
    rfftLanes(rp, gsrc, L, xr, xi, w);
    for (size_t j = 0; j < bins; j++) {
      const size_t at = j * kAll + size_t(m) * kRows;
      const cv d = cload(xr, xi, j);
      const cv g = cmulConj(d, load(ur + j * VW), load(ui + j * VW));
      scatterAddBin(accRe, at, lk, g.r);
      scatterAddBin(accIm, at, lk, g.i);
      const cv t = cmulConj(d, gatherBin(kt.re, at, lk), gatherBin(kt.im, at, lk));
      cstore(sr, si, j, m == 0 ? t : cadd(cload(sr, si, j), t));
    }
  }
  irfftLanes(rp, sr, si, dst, L, 1.0f, w);
}

// How the backward pass cuts its rows for dk's sums over the rows of each kernel, fixed by
// the shapes alone (never by the number of threads), so that dk is the same bit for bit
// on any number of threads: `tables` partial tables [bins][kRows], each summing its own
// rows of every kernel in ascending order, added in ascending table order at the end.
//  - kRows a multiple of VW: a group's lanes are VW consecutive kernels of one batch row
//    b = r / kRows. A task is (batch block, chunk of kernels): chunks of kernels write
//    disjoint columns of their block's table, so tables are needed only to have enough
//    tasks (at least kMinTasks): one table where there are as many chunks of kernels.
//  - else groups straddle batch rows: a task is a run of consecutive groups with a table of
//    its own, as many as kMinTasks while the tables stay small (kRows up to 512 / tasks).
constexpr int kMinTasks = 16;
struct BackwardCut {
  bool byKernels;
  int tables, chunks, chunkGroups;  // chunks of chunkGroups kernel groups (byKernels)
};
BackwardCut backwardCut(int rows, int kRows) {
  const int groups = (rows + VW - 1) / VW;
  if (kRows % VW == 0) {
    const int chunkGroups = std::max(1, 16 / VW);  // 64-byte columns: no two tasks share a cache line
    const int chunks = (kRows / VW + chunkGroups - 1) / chunkGroups;
    const int batch = rows / kRows;
    const int tables = chunks >= kMinTasks ? 1 : std::max(1, std::min(batch, (kMinTasks + chunks - 1) / chunks));
    return {true, tables, chunks, chunkGroups};
  }
  const int tables = std::max(1, std::min({groups, kMinTasks, 512 / kRows}));
  return {false, tables, 1, 0};
}

// du = sum over the M sets of irfft(rfft(dy_m) conj(rfft(k_m)))[:L] (correlations of dy with k);
// dk_m = irfft(sum over the rows of a kernel of rfft(dy_m) conj(rfft(u)))[:Ke], zero past
// Ke, the sums cut as backwardCut says (by the shapes of one set: every set's sums are cut
// alike). dy [M][rows][L], k and dk [M][kRows][K].
void fftConvSharedBackwardK(const float* dy, const float* u, const float* k, int rows, int L, int kRows, int K, int n,
                            int M, float* du, float* dk) {
  const RealFftPlan& rp = realFftPlan(n);
  const size_t bins = n / 2 + 1;
  const int kAll = M * kRows;
  const size_t table = bins * kAll;
  const int Ke = std::min(K, L);
  const KernelTables kt = callKernelSpectra(rp, k, kAll, K, Ke);
  const BackwardCut cut = backwardCut(rows, kRows);
  FftScratch& cw = fftScratch();
  float* accRe = lineAligned(cw.accRe, table * cut.tables);
  float* accIm = lineAligned(cw.accIm, table * cut.tables);
  std::fill(accRe, accRe + table * cut.tables, 0.0f);
  std::fill(accIm, accIm + table * cut.tables, 0.0f);
  const int groups = (rows + VW - 1) / VW;
  if (cut.byKernels) {
    const int batch = rows / kRows, kGroups = kRows / VW;
    parallelFor(cut.tables * cut.chunks, [&](int task) {
      const int q = task / cut.chunks, chunk = task % cut.chunks;
      FftScratch& w = fftScratch();
      for (int b = int64_t(batch) * q / cut.tables; b < int64_t(batch) * (q + 1) / cut.tables; b++)
        for (int g = chunk * cut.chunkGroups; g < std::min(kGroups, (chunk + 1) * cut.chunkGroups); g++)
          convBackwardGroup(rp, dy, u, rows, L, kRows, M, b * kRows + g * VW, kt, accRe + q * table, accIm + q * table,
                            du, w);
    }, fftThreads(n));
  } else {
    parallelFor(cut.tables, [&](int q) {
      FftScratch& w = fftScratch();
      for (int g = int64_t(groups) * q / cut.tables; g < int64_t(groups) * (q + 1) / cut.tables; g++)
        convBackwardGroup(rp, dy, u, rows, L, kRows, M, g * VW, kt, accRe + q * table, accIm + q * table, du, w);
    }, fftThreads(n));
  }
  // the tables' sums in ascending order (elements independent: pieces over the pool)
  if (cut.tables > 1) {
    const int count = pieces(static_cast<int64_t>(table), 1 << 14);
    parallelFor(count, [&](int piece) {
      for (size_t i = table * piece / count; i < table * (piece + 1) / count; i++)
        for (int q = 1; q < cut.tables; q++) accRe[i] += accRe[q * table + i], accIm[i] += accIm[q * table + i];
    });
  }
  overGroups((kAll + VW - 1) / VW, n, [&](int g0, int g1) {
    FftScratch& w = fftScratch();
    float* xr = lanes(w.xr, bins, 20);
    float* xi = lanes(w.xi, bins, 25);
    for (int c0 = g0 * VW; c0 < g1 * VW; c0 += VW) {
      for (int l = 0; l < VW; l++)
        for (size_t j = 0; j < bins; j++) {
          const bool has = c0 + l < kAll;
          xr[j * VW + l] = has ? accRe[j * kAll + c0 + l] : 0.0f;
          xi[j * VW + l] = has ? accIm[j * kAll + c0 + l] : 0.0f;
        }
      float* dst[VW];
      groupRows(dk, c0, kAll, K, dst);
      irfftLanes(rp, xr, xi, dst, Ke, 1.0f, w);
      for (int l = 0; l < VW && c0 + l < kAll; l++) std::fill(dst[l] + Ke, dst[l] + K, 0.0f);
    }
  });
}

void fftConvBackwardK(const float* dy, const float* u, const float* k, int rows, int L, int kRows, int K, int n,
                      float* du, float* dk) {
  fftConvSharedBackwardK(dy, u, k, rows, L, kRows, K, n, 1, du, dk);
}
