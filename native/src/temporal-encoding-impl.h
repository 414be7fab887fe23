// THP's sinusoidal temporal encoding (libs/events layers.ts temporalEncoding), included
// from kernels-impl.h inside its namespace: out[r, i] = sin(t_r w_i) for even i, cos(t_r w_i)
// for odd i, w_i = 10000^(-2 floor(i / 2) / d). The argument and its reduction by pi / 2 are
// in float64 (times run to hundreds of gaps, where a float32 argument would be off by
// 1e-5), the polynomials to float32 accuracy.

typedef double vd __attribute__((vector_size(VW * 4)));  // VW / 2 doubles per register
typedef int64_t vl __attribute__((vector_size(VW * 4)));
constexpr int VD = VW / 2;

// sin(x + q pi / 2) for quadrant offset q (0: sin, 1: cos)
inline vd vsinq(vd x, int q) {
  const vd k = (x * 0.63661977236758134308 + 6755399441055744.0) - 6755399441055744.0;  // round(x 2 / pi)
  vd r = x - k * 1.57079632673412561417;
  r = r - k * 6.07710050650619224932e-11;
  const vl quad = (__builtin_convertvector(k, vl) + q) & 3;
  const vd r2 = r * r;
  vd s = r2 * (1.0 / 362880) - 1.0 / 5040;
  s = s * r2 + 1.0 / 120;
  s = s * r2 - 1.0 / 6;
  s = (s * r2 + 1.0) * r;
  vd c = r2 * (1.0 / 40320) - 1.0 / 720;
  c = c * r2 + 1.0 / 24;
  c = c * r2 - 0.5;
  c = c * r2 + 1.0;
  const vd v = (quad & 1) != 0 ? c : s;
  return (quad & 2) != 0 ? -v : v;
}

void temporalEncodingK(const float* ts, int n, int d, float* out) {
  std::vector<double> w(d);
  for (int i = 0; i < d; i++) w[i] = 1 / std::pow(10000.0, (2.0 * (i / 2)) / d);
  // lanes run over even dims (sin) and odd dims (cos) separately: gather their frequencies
  const int half = (d + 1) / 2, halfOdd = d / 2;
  std::vector<double> we(half), wo(halfOdd);
  for (int i = 0; i < d; i++) (i % 2 ? wo[i / 2] : we[i / 2]) = w[i];
  double tmp[VD];
  for (int r = 0; r < n; r++) {
    const double t = ts[r];
    float* o = out + static_cast<size_t>(r) * d;
    for (int parity = 0; parity < 2; parity++) {
      const std::vector<double>& ws = parity ? wo : we;
      const int m = static_cast<int>(ws.size());
      for (int j0 = 0; j0 < m; j0 += VD) {
        vd x;
        for (int l = 0; l < VD; l++) x[l] = t * (j0 + l < m ? ws[j0 + l] : 0.0);
        const vd v = vsinq(x, parity);
        std::memcpy(tmp, &v, sizeof(tmp));
        for (int l = 0; l < VD && j0 + l < m; l++) o[2 * (j0 + l) + parity] = static_cast<float>(tmp[l]);
      }
    }
  }
}
