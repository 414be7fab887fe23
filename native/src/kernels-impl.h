// The kernels, written once on GCC/Clang vector extensions and compiled per instruction
// set by the variant-*.cc files (SEQCAST_VW float lanes). Included once per variant, in a
// namespace of its own, so the three builds never share a symbol.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#include "fft-plan.h"
#include "kernels.h"
#include "thread-pool.h"

namespace seqcast {
namespace SEQCAST_NS {
namespace {

constexpr int VW = SEQCAST_VW;
// vf: a register of VW floats; the aligned(4) twin makes loads and stores through it unaligned.
typedef float vf __attribute__((vector_size(VW * 4)));
typedef float vfu __attribute__((vector_size(VW * 4), aligned(4)));
typedef int32_t vi __attribute__((vector_size(VW * 4)));

inline vf load(const float* p) { return *reinterpret_cast<const vfu*>(p); }
inline void store(float* p, vf v) { *reinterpret_cast<vfu*>(p) = v; }
inline vf splat(float s) { return vf{} + s; }
template <class V>
inline V vmin(V a, V b) { return a < b ? a : b; }
template <class V>
inline V vmax(V a, V b) { return a > b ? a : b; }

// The lanes reduced by halving the register (GCC 12's __builtin_shufflevector; one overload
// per width, vf being one of them): a few shuffles rather than VW dependent adds,
// which dominated loops doing one reduction per short row (SAHP's K sums per gap, the
// attention's softmax rows, the layer norms' moments).
typedef float v4f __attribute__((vector_size(16)));
typedef float v8f __attribute__((vector_size(32)));
typedef float v16f __attribute__((vector_size(64)));
inline float hsumV(v4f v) {
  const v4f s = v + __builtin_shufflevector(v, v, 2, 3, 0, 1);
  return s[0] + s[1];
}
inline float hsumV(v8f v) { return hsumV(__builtin_shufflevector(v, v, 0, 1, 2, 3) + __builtin_shufflevector(v, v, 4, 5, 6, 7)); }
inline float hsumV(v16f v) {
  return hsumV(__builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7) + __builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15));
}
inline float hmaxV(v4f v) {
  const v4f s = vmax(v, __builtin_shufflevector(v, v, 2, 3, 0, 1));
  return std::max(s[0], s[1]);
}
inline float hmaxV(v8f v) { return hmaxV(vmax(__builtin_shufflevector(v, v, 0, 1, 2, 3), __builtin_shufflevector(v, v, 4, 5, 6, 7))); }
inline float hmaxV(v16f v) {
  return hmaxV(vmax(__builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7), __builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15)));
}

// The lanes summed in float64 by halving (a row's normaliser and its gradient's dot product:
// the lanes hold a few terms each, so the sum is as good as a float64 loop over the row,
// without the loop's VW dependent adds).
typedef double v2d __attribute__((vector_size(16)));
typedef double v4d __attribute__((vector_size(32)));
typedef double v8d __attribute__((vector_size(64)));
inline double hsumD(v2d v) { return v[0] + v[1]; }
inline double hsumD(v4d v) { return hsumD(__builtin_shufflevector(v, v, 0, 1) + __builtin_shufflevector(v, v, 2, 3)); }
inline double hsumD(v8d v) { return hsumD(__builtin_shufflevector(v, v, 0, 1, 2, 3) + __builtin_shufflevector(v, v, 4, 5, 6, 7)); }
inline double hsum64(v4f v) { return hsumD(__builtin_convertvector(v, v4d)); }
inline double hsum64(v8f v) { return hsumD(__builtin_convertvector(v, v8d)); }
inline double hsum64(v16f v) {
  return hsumD(__builtin_convertvector(__builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7), v8d) +
               __builtin_convertvector(__builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15), v8d));
}

// ---- exp, tanh, sigmoid: the wasm kernels' float32 formulas (libs/tensor wasm-kernels.ts) ----

// e^x = 2^k e^r, k = round(x / ln 2), r = x - k ln 2 (ln 2 in two parts, the first exact in
// float32), e^r by Taylor to r^7 (|r| <= ln 2 / 2: next term below 2e-8 relative).
inline vf vexp(vf x) {
  x = vmax(vmin(x, splat(88.3f)), splat(-87.3f));
  // adding and subtracting 1.5 * 2^23 rounds to the nearest integer (no fast-math here to undo it)
  const vf magic = splat(12582912.0f);
  vf k = (x * splat(1.44269504088896341f) + magic) - magic;
  vf r = x - k * splat(0.693359375f);
  r = r - k * splat(-2.12194440e-4f);
  vf p = splat(1.0f / 5040);
  p = p * r + 1.0f / 720;
  p = p * r + 1.0f / 120;
  p = p * r + 1.0f / 24;
  p = p * r + 1.0f / 6;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  vi bits = (__builtin_convertvector(k, vi) + 127) << 23;
  return p * (vf)bits;  // a vector cast reinterprets the bits
}

// tanh: Taylor to x^9 for |x| < 0.3 (where 1 - 2 / (e^2|x| + 1) cancels), else that form with x's sign.
inline vf vtanh(vf x) {
  vf ax = x < 0 ? -x : x;
  vf t = 1.0f - 2.0f / (vexp(ax + ax) + 1.0f);
  vf signedT = x < 0 ? -t : t;
  vf x2 = x * x;
  vf s = splat(62.0f / 2835);
  s = s * x2 + (-17.0f / 315);
  s = s * x2 + (2.0f / 15);
  s = s * x2 + (-1.0f / 3);
  s = s * x2 + 1.0f;
  s = s * x;
  return ax < 0.3f ? s : signedT;
}

inline vf vsigmoid(vf x) { return 1.0f / (1.0f + vexp(-x)); }

// f over x[0..n): whole registers, then the tail through a zero-padded register.
template <vf (*F)(vf)>
void mapInPlace(float* x, int n) {
  int i = 0;
  for (; i + VW <= n; i += VW) store(x + i, F(load(x + i)));
  if (i < n) {
    float tmp[VW] = {0};
    std::memcpy(tmp, x + i, sizeof(float) * (n - i));
    store(tmp, F(load(tmp)));
    std::memcpy(x + i, tmp, sizeof(float) * (n - i));
  }
}

void expK(float* x, int n) { mapInPlace<vexp>(x, n); }
void tanhK(float* x, int n) { mapInPlace<vtanh>(x, n); }
void sigmoidK(float* x, int n) { mapInPlace<vsigmoid>(x, n); }

// ---- gemm ----

// Register tile: MR rows x NR = 2 VW columns (16 sums with AVX-512's 32 registers, 12 with
// the 16 of AVX2 and SSE, leaving room for B's two registers and A's broadcast).
constexpr int NR = 2 * VW;
constexpr int MR = VW >= 16 ? 8 : 6;
constexpr int KB = 256;

// R rows of a times kc rows of a B panel (stride bs, NR columns) -> the R x NR tile t.
template <int R>
inline void microTile(int kc, const float* a, int lda, int acs, const float* bp, int bs, float* t) {
  // the sums start from the first products (kc >= 1): zeroing the arrays first made GCC
  // clear them in memory with rep stos, a quarter of a small product's time
  vf c0[R], c1[R];
  {
    const vf b0 = load(bp), b1 = load(bp + VW);
    for (int r = 0; r < R; r++) {
      const float s = a[r * lda];
      c0[r] = b0 * s;
      c1[r] = b1 * s;
    }
  }
  for (int p = 1; p < kc; p++) {
    const vf b0 = load(bp + p * bs);
    const vf b1 = load(bp + p * bs + VW);
    const float* ap = a + p * acs;
    for (int r = 0; r < R; r++) {
      const float s = ap[r * lda];
      c0[r] += b0 * s;
      c1[r] += b1 * s;
    }
  }
  for (int r = 0; r < R; r++) {
    store(t + r * NR, c0[r]);
    store(t + r * NR + VW, c1[r]);
  }
}

using TileFn = void (*)(int, const float*, int, int, const float*, int, float*);
constexpr TileFn kTiles[] = {nullptr, microTile<1>, microTile<2>, microTile<3>, microTile<4>,
                             microTile<5>, microTile<6>, microTile<7>, microTile<8>};

void gemmSerial(int m, int n, int k, const float* a, int lda, int acs, const float* b, int ldb, float* c, int ldc) {
  if (m <= 0 || n <= 0 || k <= 0) return;
  // the thread_local buffers looked up once: inside the loops every use was a __tls_get_addr call
  thread_local std::vector<float> panelBuf;
  thread_local std::vector<double> accBuf;
  std::vector<float>& panel = panelBuf;
  std::vector<double>& acc = accBuf;
  float tile[MR * NR];
  const bool blocked = k > KB;
  for (int j0 = 0; j0 < n; j0 += NR) {
    const int nc = std::min(NR, n - j0);
    if (blocked) acc.assign(static_cast<size_t>(m) * NR, 0.0);
    for (int k0 = 0; k0 < k; k0 += KB) {
      const int kc = std::min(KB, k - k0);
      // a whole-width panel is read where it lies; a ragged one is copied with zero columns
      const float* bp = b + static_cast<size_t>(k0) * ldb + j0;
      int bs = ldb;
      if (nc < NR) {
        panel.assign(static_cast<size_t>(kc) * NR, 0.0f);
        // a few dozen bytes a row: registers, not memcpy's rep movs (whose start-up cost
        // was a tenth of the attention's products, with their 16-column heads)
        float* pp = panel.data();
        for (int p = 0; p < kc; p++) {
          const float* src = bp + static_cast<size_t>(p) * ldb;
          float* dst = pp + static_cast<size_t>(p) * NR;
          int j = 0;
          for (; j + VW <= nc; j += VW) store(dst + j, load(src + j));
          for (; j < nc; j++) dst[j] = src[j];
        }
        bp = pp;
        bs = NR;
      }
      for (int i0 = 0; i0 < m; i0 += MR) {
        const int mr = std::min(MR, m - i0);
        kTiles[mr](kc, a + static_cast<size_t>(i0) * lda + static_cast<size_t>(k0) * acs, lda, acs, bp, bs, tile);
        if (blocked) {
          double* ac = &acc[static_cast<size_t>(i0) * NR];
          for (int r = 0; r < mr * NR; r++) ac[r] += tile[r];
        } else {
          for (int r = 0; r < mr; r++) {
            float* cr = c + static_cast<size_t>(i0 + r) * ldc + j0;
            if (nc == NR) {
              store(cr, load(cr) + load(tile + r * NR));
              store(cr + VW, load(cr + VW) + load(tile + r * NR + VW));
            } else {
              for (int j = 0; j < nc; j++) cr[j] += tile[r * NR + j];
            }
          }
        }
      }
    }
    if (blocked)
      for (int i = 0; i < m; i++)
        for (int j = 0; j < nc; j++) c[static_cast<size_t>(i) * ldc + j0 + j] += static_cast<float>(acc[i * NR + j]);
  }
}

// Products of at least this many multiply-adds are split over the pool (about 20 us on one
// core: below that, waking the other threads costs more than it saves).
constexpr int64_t kParallelGemmWork = int64_t(1) << 20;

// gemmSerial over the pool: the rows of C in pieces of whole MR-row tiles, or (where there
// are more NR-column panels than row tiles) its columns in pieces of whole panels. Every
// element is then computed by the same tile, on the same panel, in the same order as on one
// thread, so the result does not depend on the number of threads.
// Long reductions into a small C (weight gradients: [d, N] x [N, d] with N the batch's rows)
// are cut along k instead, in chunks fixed by k alone (so also on one thread, for the same
// result), each chunk's product in a private C, the chunks added in ascending order in
// float64: a cut of rows or columns would have every thread stream all of the long operands.
constexpr int kSplitK = 8192;
constexpr int kSplitKChunk = 2048;
constexpr int64_t kSplitKMaxC = 128 * 128;

void gemmSplitK(int m, int n, int k, const float* a, int lda, int acs, const float* b, int ldb, float* c, int ldc) {
  const int chunks = std::min(16, (k + kSplitKChunk - 1) / kSplitKChunk);
  const int step = (k + chunks - 1) / chunks;
  const int kc = (step + KB - 1) / KB * KB;  // whole blocks of KB per chunk
  const size_t mn = static_cast<size_t>(m) * n;
  std::vector<float> parts(static_cast<size_t>(chunks) * mn, 0.0f);
  parallelFor(chunks, [&](int chunk) {
    const int k0 = chunk * kc, k1 = std::min(k, k0 + kc);
    if (k1 > k0)
      gemmSerial(m, n, k1 - k0, a + static_cast<size_t>(k0) * acs, lda, acs, b + static_cast<size_t>(k0) * ldb, ldb,
                 &parts[chunk * mn], n);
  });
  for (int i = 0; i < m; i++)
    for (int j = 0; j < n; j++) {
      double sum = 0;
      for (int chunk = 0; chunk < chunks; chunk++) sum += parts[chunk * mn + static_cast<size_t>(i) * n + j];
      c[static_cast<size_t>(i) * ldc + j] += static_cast<float>(sum);
    }
}

void gemmK(int m, int n, int k, const float* a, int lda, int acs, const float* b, int ldb, float* c, int ldc) {
  if (m <= 0 || n <= 0 || k <= 0) return;
  const int64_t work = int64_t(m) * n * k;
  if (work >= kParallelGemmWork && k >= kSplitK && int64_t(m) * n <= kSplitKMaxC)
    return gemmSplitK(m, n, k, a, lda, acs, b, ldb, c, ldc);
  const int rowTiles = (m + MR - 1) / MR, panels = (n + NR - 1) / NR;
  const bool byRows = rowTiles >= panels;
  const int units = byRows ? rowTiles : panels;
  const int64_t perUnit = work / units + 1;
  const int count = work < kParallelGemmWork ? 1 : pieces(units, std::max<int64_t>(1, (kParallelGemmWork / 4) / perUnit));
  if (count <= 1) return gemmSerial(m, n, k, a, lda, acs, b, ldb, c, ldc);
  parallelFor(count, [&](int piece) {
    const int u0 = static_cast<int>(int64_t(units) * piece / count), u1 = static_cast<int>(int64_t(units) * (piece + 1) / count);
    if (byRows) {
      const int i0 = u0 * MR, i1 = std::min(m, u1 * MR);
      gemmSerial(i1 - i0, n, k, a + static_cast<size_t>(i0) * lda, lda, acs, b, ldb, c + static_cast<size_t>(i0) * ldc, ldc);
    } else {
      const int j0 = u0 * NR, j1 = std::min(n, u1 * NR);
      gemmSerial(m, j1 - j0, k, a, lda, acs, b + j0, ldb, c + j0, ldc);
    }
  });
}

// ---- the continuous-time LSTM's decay ----

void decayK(float* buf, const int32_t* ints, int rows, int H, int offs, int ts, int d, int cb, int c, int o, int e,
            int x, int th, int h) {
  for (int r = 0; r < rows; r++) {
    const int at = ints[offs + r];
    const float gap = buf[ts + r];
    for (int j0 = 0; j0 < H; j0 += VW) {
      const int w = std::min(VW, H - j0);
      float dv[VW] = {0}, cbv[VW] = {0}, cv[VW] = {0}, ov[VW] = {0};
      std::memcpy(dv, buf + d + at + j0, sizeof(float) * w);
      std::memcpy(cbv, buf + cb + at + j0, sizeof(float) * w);
      std::memcpy(cv, buf + c + at + j0, sizeof(float) * w);
      std::memcpy(ov, buf + o + at + j0, sizeof(float) * w);
      const vf ej = vexp(-load(dv) * gap);
      const vf xj = load(cbv) + (load(cv) - load(cbv)) * ej;
      const vf tj = vtanh(xj);
      const vf hj = load(ov) * tj;
      const int i = r * H + j0;
      float out[VW];
      store(out, ej);
      std::memcpy(buf + e + i, out, sizeof(float) * w);
      store(out, xj);
      std::memcpy(buf + x + i, out, sizeof(float) * w);
      store(out, tj);
      std::memcpy(buf + th + i, out, sizeof(float) * w);
      store(out, hj);
      std::memcpy(buf + h + i, out, sizeof(float) * w);
    }
  }
}

// ---- layer norm (moments in float64, as the JS loops) ----

// Row-wise and element-wise passes split over the pool in pieces of at least this many floats.
constexpr int64_t kRowGrain = int64_t(1) << 14;

// Rows whose width is whole registers: the moments from float32 lanes (a few terms each)
// summed in float64, two passes as below.
void layerNormForwardVec(const float* x, const float* g, const float* b, int rows, int d, double eps, float* y,
                         float* xhat, double* inv) {
  for (int r = 0; r < rows; r++) {
    const size_t o = static_cast<size_t>(r) * d;
    vf acc = vf{};
    for (int i = 0; i < d; i += VW) acc += load(x + o + i);
    const float mean = static_cast<float>(hsum64(acc) / d);
    acc = vf{};
    for (int i = 0; i < d; i += VW) {
      const vf c = load(x + o + i) - mean;
      acc += c * c;
    }
    const double s = 1 / std::sqrt(hsum64(acc) / d + eps);
    inv[r] = s;
    const float sf = static_cast<float>(s);
    for (int i = 0; i < d; i += VW) {
      const vf h = (load(x + o + i) - mean) * sf;
      store(xhat + o + i, h);
      store(y + o + i, h * load(g + i) + load(b + i));
    }
  }
}

void layerNormForwardRows(const float* x, const float* g, const float* b, int rows, int d, double eps, float* y,
                          float* xhat, double* inv) {
  if (d % VW == 0) return layerNormForwardVec(x, g, b, rows, d, eps, y, xhat, inv);
  for (int r = 0; r < rows; r++) {
    const float* xr = x + static_cast<size_t>(r) * d;
    double mean = 0;
    for (int i = 0; i < d; i++) mean += xr[i];
    mean /= d;
    double v = 0;
    for (int i = 0; i < d; i++) {
      const double t = xr[i] - mean;
      v += t * t;
    }
    const double s = 1 / std::sqrt(v / d + eps);
    inv[r] = s;
    float* hr = xhat + static_cast<size_t>(r) * d;
    float* yr = y + static_cast<size_t>(r) * d;
    for (int i = 0; i < d; i++) {
      const float hv = static_cast<float>((xr[i] - mean) * s);
      hr[i] = hv;
      yr[i] = hv * g[i] + b[i];
    }
  }
}

// Rows are independent: pieces of them over the pool.
void layerNormForwardK(const float* x, const float* g, const float* b, int rows, int d, double eps, float* y,
                       float* xhat, double* inv) {
  const int count = pieces(rows, std::max<int64_t>(1, kRowGrain / std::max(d, 1)));
  parallelFor(count, [&](int piece) {
    const int r0 = static_cast<int>(int64_t(rows) * piece / count), r1 = static_cast<int>(int64_t(rows) * (piece + 1) / count);
    const size_t o = static_cast<size_t>(r0) * d;
    layerNormForwardRows(x + o, g, b, r1 - r0, d, eps, y + o, xhat + o, inv + r0);
  });
}

// Rows whose width is whole registers: the row moments from float32 lanes summed in float64,
// dg and db in float32 lanes over blocks of 64 rows, each block's sums added in float64.
void layerNormBackwardVec(const float* gy, const float* g, const float* xhat, const double* inv, int rows, int d,
                          float* dx, double* dg, double* db) {
  constexpr int BLOCK = 64;
  const int blocks = (rows + BLOCK - 1) / BLOCK;
  // each block's float sums of dg and db, kept to be added in block order below: the same
  // sums in the same order as on one thread, whichever thread ran a block
  std::vector<float> sums(static_cast<size_t>(blocks) * 2 * d);
  parallelRanges(blocks, kRowGrain / (int64_t(BLOCK) * d), [&](int64_t b0, int64_t b1) {
    for (int block = static_cast<int>(b0); block < b1; block++) {
      float* sg = &sums[static_cast<size_t>(block) * 2 * d];
      float* sb = sg + d;
      std::fill(sg, sg + 2 * d, 0.0f);
      for (int r = block * BLOCK; r < std::min(rows, (block + 1) * BLOCK); r++) {
        const size_t o = static_cast<size_t>(r) * d;
        vf a1 = vf{}, a2 = vf{};
        for (int i = 0; i < d; i += VW) {
          const vf gv = load(gy + o + i), hv = load(xhat + o + i), dh = gv * load(g + i);
          a1 += dh;
          a2 += dh * hv;
          store(sg + i, load(sg + i) + gv * hv);
          store(sb + i, load(sb + i) + gv);
        }
        const float m1 = static_cast<float>(hsum64(a1) / d), m2 = static_cast<float>(hsum64(a2) / d);
        const float s = static_cast<float>(inv[r]);
        for (int i = 0; i < d; i += VW)
          store(dx + o + i, (load(gy + o + i) * load(g + i) - m1 - load(xhat + o + i) * m2) * s);
      }
    }
  });
  for (int block = 0; block < blocks; block++) {
    const float* sg = &sums[static_cast<size_t>(block) * 2 * d];
    for (int i = 0; i < d; i++) dg[i] += sg[i], db[i] += sg[d + i];
  }
}

void layerNormBackwardK(const float* gy, const float* g, const float* xhat, const double* inv, int rows, int d,
                        float* dx, double* dg, double* db) {
  if (d % VW == 0) return layerNormBackwardVec(gy, g, xhat, inv, rows, d, dx, dg, db);
  for (int r = 0; r < rows; r++) {
    const size_t o = static_cast<size_t>(r) * d;
    double m1 = 0, m2 = 0;
    for (int i = 0; i < d; i++) {
      const double dh = static_cast<double>(gy[o + i]) * g[i];
      m1 += dh;
      m2 += dh * xhat[o + i];
      dg[i] += static_cast<double>(gy[o + i]) * xhat[o + i];
      db[i] += gy[o + i];
    }
    m1 /= d;
    m2 /= d;
    for (int i = 0; i < d; i++)
      dx[o + i] = static_cast<float>(inv[r] * (static_cast<double>(gy[o + i]) * g[i] - m1 - xhat[o + i] * m2));
  }
}

// ---- GELU (tanh approximation) ----

constexpr float GELU_C = 0.7978845608028654f;  // sqrt(2 / pi)
constexpr float GELU_A = 0.044715f;

void geluForwardRange(const float* x, int n, float* y, float* th) {
  int i = 0;
  auto one = [&](vf v, vf& yv, vf& tv) {
    tv = vtanh(GELU_C * (v + GELU_A * v * v * v));
    yv = 0.5f * v * (1.0f + tv);
  };
  for (; i + VW <= n; i += VW) {
    vf yv, tv;
    one(load(x + i), yv, tv);
    store(y + i, yv);
    store(th + i, tv);
  }
  if (i < n) {
    float tmp[VW] = {0}, yt[VW], tt[VW];
    std::memcpy(tmp, x + i, sizeof(float) * (n - i));
    vf yv, tv;
    one(load(tmp), yv, tv);
    store(yt, yv);
    store(tt, tv);
    std::memcpy(y + i, yt, sizeof(float) * (n - i));
    std::memcpy(th + i, tt, sizeof(float) * (n - i));
  }
}

void geluBackwardRange(const float* x, const float* th, const float* gy, int n, float* dx) {
  for (int i = 0; i < n; i++) {
    const float v = x[i], t = th[i];
    dx[i] = gy[i] * (0.5f * (1 + t) + 0.5f * v * (1 - t * t) * GELU_C * (1 + 3 * GELU_A * v * v));
  }
}

// f(i0, i1) over [0, n) in pieces of whole registers over the pool (element-wise maps: a
// value does not depend on where its register starts).
template <class F>
void overElements(int n, F&& f) {
  const int regs = (n + VW - 1) / VW;
  const int count = pieces(regs, std::max<int64_t>(1, kRowGrain / VW));
  parallelFor(count, [&](int piece) {
    const int i0 = static_cast<int>(int64_t(regs) * piece / count) * VW;
    const int i1 = std::min(n, static_cast<int>(int64_t(regs) * (piece + 1) / count) * VW);
    f(i0, i1);
  });
}

void geluForwardK(const float* x, int n, float* y, float* th) {
  overElements(n, [&](int i0, int i1) { geluForwardRange(x + i0, i1 - i0, y + i0, th + i0); });
}

void geluBackwardK(const float* x, const float* th, const float* gy, int n, float* dx) {
  overElements(n, [&](int i0, int i1) { geluBackwardRange(x + i0, th + i0, gy + i0, i1 - i0, dx + i0); });
}

// ---- GELU, exact: x Phi(x) (SpaceTime) ----

// erf(s) by Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7, the formula of
// libs/numeric's erf and tfjs's Erf kernel), s = x / sqrt 2; its exp(-s^2) is also the
// normal density's exp(-x^2 / 2), so value and derivative cost one exponential.
inline void geluErfV(vf x, vf& y, vf& der) {
  const vf s = x * 0.70710678118654752f;
  const vf v = s < 0 ? -s : s;
  const vf t = 1.0f / (1.0f + 0.3275911f * v);
  const vf e = vexp(-v * v);
  vf p = splat(1.061405429f);
  p = p * t - 1.453152027f;
  p = p * t + 1.421413741f;
  p = p * t - 0.284496736f;
  p = p * t + 0.254829592f;
  const vf r = 1.0f - p * t * e;
  const vf erfv = s < 0 ? -r : r;
  const vf cdf = 0.5f * (1.0f + erfv);
  y = x * cdf;
  der = cdf + x * 0.3989422804014327f * e;
}

// y = gelu(x) and, where der is not null, der = gelu'(x), over x[0..n).
void geluErfRange(const float* x, int n, float* y, float* der) {
  int i = 0;
  for (; i + VW <= n; i += VW) {
    vf yv, dv;
    geluErfV(load(x + i), yv, dv);
    store(y + i, yv);
    if (der) store(der + i, dv);
  }
  if (i < n) {
    float tmp[VW] = {0}, yt[VW], dt[VW];
    std::memcpy(tmp, x + i, sizeof(float) * (n - i));
    vf yv, dv;
    geluErfV(load(tmp), yv, dv);
    store(yt, yv);
    store(dt, dv);
    std::memcpy(y + i, yt, sizeof(float) * (n - i));
    if (der) std::memcpy(der + i, dt, sizeof(float) * (n - i));
  }
}

void geluErfK(const float* x, int n, float* y, float* der) {
  overElements(n, [&](int i0, int i1) { geluErfRange(x + i0, i1 - i0, y + i0, der ? der + i0 : nullptr); });
}

// ---- multi-head prefix attention ----

// Per (batch row, head) as small dense products on gemmK over the keys any query of the
// row sees (0..max limit), the masked softmax by rows between them: the products also
// cover each query's masked keys (their weights are zero), but in whole registers they
// beat visiting allowed keys one at a time several times over.
struct HeadBlock {
  int Qn, Nn;  // queries of the row, and keys 0..Nn - 1 that some query sees
};

HeadBlock headBlock(const int32_t* lim, int Q) {
  int mx = -1;
  for (int i = 0; i < Q; i++) mx = std::max(mx, lim[i]);
  return {Q, mx + 1};
}

// head h's columns of src rows [b N, b N + n) transposed to out [dh, ldo]
void headTransposed(const float* src, int b, int h, int N, int n, int d, int dh, float* out, int ldo) {
  for (int j = 0; j < n; j++) {
    const float* s = src + (static_cast<size_t>(b) * N + j) * d + h * dh;
    for (int e = 0; e < dh; e++) out[e * ldo + j] = s[e];
  }
}

// A row of scores s, ld wide (a multiple of VW) -> softmax(scale s) over 0..L (the null
// key's exp(0) in the normaliser when nullKey), zero elsewhere (L = -1: all zero). Whole
// registers with the keys past L masked: per-element scalar passes cost more than the
// products on rows of a few dozen keys.
inline void softmaxRow(float* s, int L, int ld, float scale, bool nullKey) {
  vi lane;
  for (int l = 0; l < VW; l++) lane[l] = l;
  const int end = (L + VW) / VW * VW;  // registers holding keys 0..L
  vf mx = splat(nullKey ? 0.0f : -INFINITY);
  for (int j = 0; j < end; j += VW) mx = vmax(mx, (lane + j) <= L ? load(s + j) : splat(-INFINITY));
  const float m = hmaxV(mx);
  vf z = vf{};
  for (int j = 0; j < end; j += VW) {
    const vf e = vexp((load(s + j) - m) * scale);
    const vf kept = (lane + j) <= L ? e : vf{};
    store(s + j, kept);
    z += kept;
  }
  double total = hsum64(z);
  if (nullKey) {
    float t = -m * scale;
    expK(&t, 1);
    total += t;
  }
  const float invZ = static_cast<float>(1 / total);
  for (int j = 0; j < end; j += VW) store(s + j, load(s + j) * invZ);
  std::fill(s + std::max(end, 0), s + ld, 0.0f);
}

// The weights P [Qn, ld] of row b, head h (kt: the head's keys transposed, [dh, ld]).
void headWeights(const float* q, const float* kt, int b, int h, int Q, int d, int dh, const int32_t* lim, HeadBlock hb,
                 int ld, float scale, bool nullKey, float* P) {
  std::fill(P, P + static_cast<size_t>(hb.Qn) * ld, 0.0f);
  gemmK(hb.Qn, hb.Nn, dh, q + static_cast<size_t>(b) * Q * d + h * dh, d, 1, kt, ld, P, ld);
  for (int i = 0; i < hb.Qn; i++) softmaxRow(P + static_cast<size_t>(i) * ld, lim[i], ld, scale, nullKey);
}

inline int roundUp(int n) { return (n + VW - 1) / VW * VW; }

// The event models' passes over positions (batch rows): pieces of independent positions
// hold at least kPositionGrain units of work; reductions over positions (weight gradients)
// are summed per fixed chunk of kPositionChunk positions, chunks added in ascending order.
constexpr int64_t kPositionGrain = int64_t(1) << 15;
constexpr int kPositionChunk = 64;

// Attention's pieces hold at least this many query-key-dimension products (~ Q N d per row).
constexpr int64_t kAttentionGrain = int64_t(1) << 18;

void attentionForwardK(const float* q, const float* k, const float* v, int B, int Q, int N, int d, int heads,
                       const int32_t* limits, int lstride, bool nullKey, float* out) {
  const int dh = d / heads;
  const float scale = 1.0f / std::sqrt(static_cast<float>(dh));
  std::fill(out, out + static_cast<size_t>(B) * Q * d, 0.0f);
  // batch rows are independent (each writes its own rows of out): pieces of rows over the pool
  const int count = pieces(B, std::max<int64_t>(1, kAttentionGrain / (int64_t(Q) * N * d)));
  parallelFor(count, [&](int piece) {
    std::vector<float> kt, P;
    for (int b = B * piece / count; b < B * (piece + 1) / count; b++) {
      const int32_t* lim = limits + b * lstride;
      const HeadBlock hb = headBlock(lim, Q);
      if (hb.Nn == 0) continue;
      const int ld = roundUp(hb.Nn);
      kt.resize(static_cast<size_t>(dh) * ld);
      P.resize(static_cast<size_t>(hb.Qn) * ld);
      for (int h = 0; h < heads; h++) {
        headTransposed(k, b, h, N, hb.Nn, d, dh, kt.data(), ld);
        headWeights(q, kt.data(), b, h, Q, d, dh, lim, hb, ld, scale, nullKey, P.data());
        const size_t o = static_cast<size_t>(b) * Q * d + h * dh;
        gemmK(hb.Qn, dh, hb.Nn, P.data(), ld, 1, v + static_cast<size_t>(b) * N * d + h * dh, d, out + o, d);
      }
    }
  });
}

void attentionBackwardK(const float* q, const float* k, const float* v, const float* g, int B, int Q, int N, int d,
                        int heads, const int32_t* limits, int lstride, bool nullKey, float* dq, float* dk,
                        float* dv) {
  const int dh = d / heads;
  const float scale = 1.0f / std::sqrt(static_cast<float>(dh));
  // a batch row's gradients land in its own rows of dq, dk and dv: pieces of rows over the pool
  const int count = pieces(B, std::max<int64_t>(1, kAttentionGrain / (int64_t(Q) * N * d)));
  parallelFor(count, [&](int piece) {
    std::vector<float> kt, vt, P, dS;
    for (int b = B * piece / count; b < B * (piece + 1) / count; b++) {
      const int32_t* lim = limits + b * lstride;
      const HeadBlock hb = headBlock(lim, Q);
      if (hb.Nn == 0) continue;
      const int ld = roundUp(hb.Nn);
      const size_t qn = static_cast<size_t>(hb.Qn) * ld;
      kt.resize(static_cast<size_t>(dh) * ld);
      vt.resize(static_cast<size_t>(dh) * ld);
      P.resize(qn);
      dS.resize(qn);
      for (int h = 0; h < heads; h++) {
        const size_t qo = static_cast<size_t>(b) * Q * d + h * dh;
        const size_t ko = static_cast<size_t>(b) * N * d + h * dh;
        headTransposed(k, b, h, N, hb.Nn, d, dh, kt.data(), ld);
        headTransposed(v, b, h, N, hb.Nn, d, dh, vt.data(), ld);
        // the weights again (not kept: B heads Q N floats), then dP = dOut V^T
        headWeights(q, kt.data(), b, h, Q, d, dh, lim, hb, ld, scale, nullKey, P.data());
        std::fill(dS.begin(), dS.begin() + qn, 0.0f);
        gemmK(hb.Qn, hb.Nn, dh, g + qo, d, 1, vt.data(), ld, dS.data(), ld);
        // dS_j = p_j (dp_j - sum_l p_l dp_l) scale (the null key's value is 0: it adds nothing)
        // (P is zero past each row's limit, so whole rows need no mask)
        for (int i = 0; i < hb.Qn; i++) {
          const float* pr = &P[static_cast<size_t>(i) * ld];
          float* dr = &dS[static_cast<size_t>(i) * ld];
          vf acc = vf{};
          for (int j = 0; j < ld; j += VW) acc += load(pr + j) * load(dr + j);
          const float c = static_cast<float>(hsum64(acc));
          for (int j = 0; j < ld; j += VW) store(dr + j, load(pr + j) * (load(dr + j) - c) * scale);
        }
        // dQ += dS K; dK += dS^T Q and dV += P^T dOut (A read transposed: lda 1, column stride ld)
        gemmK(hb.Qn, dh, hb.Nn, dS.data(), ld, 1, k + ko, d, dq + qo, d);
        gemmK(hb.Nn, dh, hb.Qn, dS.data(), 1, ld, q + qo, d, dk + ko, d);
        gemmK(hb.Nn, dh, hb.Qn, P.data(), 1, ld, g + qo, d, dv + ko, d);
      }
    }
  });
}

#include "encoder-layer-impl.h"
#include "sampled-terms-impl.h"
#include "sahp-intensity-impl.h"
#include "sahp-heads-impl.h"
#include "thp-intensity-impl.h"
#include "recurrence-impl.h"
#include "intensity-free-impl.h"
#include "step-inputs-impl.h"
#include "temporal-encoding-impl.h"
#include "fft-impl.h"
#include "companion-powers-impl.h"
#include "channel-ops-impl.h"

void softplusK(float* x, int n) { mapInPlace<vsoftplus>(x, n); }

}  // namespace
}  // namespace SEQCAST_NS

extern const Kernels SEQCAST_TABLE = {
    SEQCAST_ISA,
    SEQCAST_NS::gemmK,
    SEQCAST_NS::expK,
    SEQCAST_NS::tanhK,
    SEQCAST_NS::sigmoidK,
    SEQCAST_NS::softplusK,
    SEQCAST_NS::decayK,
    SEQCAST_NS::layerNormForwardK,
    SEQCAST_NS::layerNormBackwardK,
    SEQCAST_NS::channelNormForwardK,
    SEQCAST_NS::channelNormBackwardK,
    SEQCAST_NS::gluForwardK,
    SEQCAST_NS::gluBackwardK,
    SEQCAST_NS::channelMixForwardK,
    SEQCAST_NS::channelMixBackwardK,
    SEQCAST_NS::channelSkipForwardK,
    SEQCAST_NS::channelSkipBackwardK,
    SEQCAST_NS::scaleRowsK,
    SEQCAST_NS::geluForwardK,
    SEQCAST_NS::geluBackwardK,
    SEQCAST_NS::geluErfK,
    SEQCAST_NS::attentionForwardK,
    SEQCAST_NS::attentionBackwardK,
    SEQCAST_NS::encoderForwardK,
    SEQCAST_NS::encoderBackwardK,
    SEQCAST_NS::sahpForwardK,
    SEQCAST_NS::sahpBackwardK,
    SEQCAST_NS::thpForwardK,
    SEQCAST_NS::thpBackwardK,
    SEQCAST_NS::rnnForwardK,
    SEQCAST_NS::rnnBackwardK,
    SEQCAST_NS::ifForwardK,
    SEQCAST_NS::ifBackwardK,
    SEQCAST_NS::stepReadK,
    SEQCAST_NS::stepAccumulateK,
    SEQCAST_NS::temporalEncodingK,
    SEQCAST_NS::thpTermsForwardK,
    SEQCAST_NS::thpTermsBackwardK,
    SEQCAST_NS::stepRowsK,
    SEQCAST_NS::sahpTermsForwardK,
    SEQCAST_NS::sahpTermsBackwardK,
    SEQCAST_NS::sahpHeadsForwardK,
    SEQCAST_NS::sahpHeadsBackwardK,
    SEQCAST_NS::rfftRowsK,
    SEQCAST_NS::irfftRowsK,
    SEQCAST_NS::fftRowsK,
    SEQCAST_NS::fftConvForwardK,
    SEQCAST_NS::fftConvBackwardK,
    SEQCAST_NS::fftConvSharedForwardK,
    SEQCAST_NS::fftConvSharedBackwardK,
    SEQCAST_NS::shiftPowersForwardK,
    SEQCAST_NS::shiftPowersBackwardK,
};

}  // namespace seqcast
