// A whole post-norm Transformer encoder layer, forward and backward, on the kernels of
// kernels-impl.h (included from there, inside its namespace):
//   a = LN1(x + attn(x Wq + bq, x Wk + bk, x Wv + bv) Wo + bo),  y = LN2(a + gelu(a W1 + b1) W2 + b2)
// the same maths as libs/events fused-encoder-layer.ts, whose JS passes between the products
// (bias rows, residuals, transposes, the gradients' column sums) and per-step allocations
// cost THP and SAHP more than the products themselves. Layouts: see EncoderLayout.

// Offsets (in floats) of the weights in w (and of their gradients in dw), and of the
// forward pass's saved arrays.
struct EncoderLayout {
  size_t Wq, Wk, Wv, Wo, W1, W2, bq, bk, bv, bo, b1, b2, g1, be1, g2, be2, weights;
  size_t q, k, v, att, xhat1, a, xhat2, f1, th, gl, saved;
  EncoderLayout(size_t N, size_t d, size_t F) {
    size_t o = 0;
    for (size_t* p : {&Wq, &Wk, &Wv, &Wo}) *p = o, o += d * d;
    W1 = o, o += d * F;
    W2 = o, o += F * d;
    for (size_t* p : {&bq, &bk, &bv, &bo}) *p = o, o += d;
    b1 = o, o += F;
    for (size_t* p : {&b2, &g1, &be1, &g2, &be2}) *p = o, o += d;
    weights = o;
    o = 0;
    for (size_t* p : {&q, &k, &v, &att, &xhat1, &a, &xhat2}) *p = o, o += N * d;
    for (size_t* p : {&f1, &th, &gl}) *p = o, o += N * F;
    saved = o;
  }
};

// out [N, c] = rows of bias, then += in [N, k] W [k, c]
void denseInto(const float* in, int N, int k, const float* W, const float* bias, int c, float* out) {
  if (c % VW == 0) {
    // rows of a few registers: stores, not a memcpy call per row
    for (int r = 0; r < N; r++)
      for (int j = 0; j < c; j += VW) store(out + static_cast<size_t>(r) * c + j, load(bias + j));
  } else {
    for (int r = 0; r < N; r++) std::memcpy(out + static_cast<size_t>(r) * c, bias, sizeof(float) * c);
  }
  gemmK(N, c, k, in, k, 1, W, c, out, c);
}

// m [rows, cols] -> out [cols, rows]
void transposeTo(const float* m, int rows, int cols, float* out) {
  for (int i = 0; i < rows; i++)
    for (int j = 0; j < cols; j++) out[static_cast<size_t>(j) * rows + i] = m[static_cast<size_t>(i) * cols + j];
}

// out[j] = sum over rows of m [N, c] (float64 sums; where c is whole registers, float32
// lanes over blocks of 64 rows, each block added in float64)
void columnSumsTo(const float* m, int N, int c, float* out) {
  thread_local std::vector<double> s;
  s.assign(c, 0.0);
  if (c % VW == 0) {
    // blocks of 64 rows over the pool, each block's float sums added in block order (the
    // same order whichever thread summed a block)
    const int blocks = (N + 63) / 64;
    std::vector<float> part(static_cast<size_t>(blocks) * c, 0.0f);
    parallelRanges(blocks, (int64_t(1) << 15) / (int64_t(64) * c), [&](int64_t b0, int64_t b1) {
      for (int block = static_cast<int>(b0); block < b1; block++) {
        float* pb = &part[static_cast<size_t>(block) * c];
        for (int r = block * 64; r < std::min(N, block * 64 + 64); r++)
          for (int j = 0; j < c; j += VW) store(pb + j, load(pb + j) + load(m + static_cast<size_t>(r) * c + j));
      }
    });
    for (int block = 0; block < blocks; block++)
      for (int j = 0; j < c; j++) s[j] += part[static_cast<size_t>(block) * c + j];
  } else {
    for (int r = 0; r < N; r++)
      for (int j = 0; j < c; j++) s[j] += m[static_cast<size_t>(r) * c + j];
  }
  for (int j = 0; j < c; j++) out[j] = static_cast<float>(s[j]);
}

void encoderForwardK(const float* x, const float* w, int B, int T, int d, int F, int heads, const int32_t* limits,
                     int lstride, bool nullKey, float* y, float* saved, double* invs) {
  const int N = B * T;
  const EncoderLayout L(N, d, F);
  float* q = saved + L.q;
  float* k = saved + L.k;
  float* v = saved + L.v;
  float* att = saved + L.att;
  denseInto(x, N, d, w + L.Wq, w + L.bq, d, q);
  denseInto(x, N, d, w + L.Wk, w + L.bk, d, k);
  denseInto(x, N, d, w + L.Wv, w + L.bv, d, v);
  attentionForwardK(q, k, v, B, T, T, d, heads, limits, lstride, nullKey, att);
  thread_local std::vector<float> r;
  r.resize(static_cast<size_t>(N) * d);
  // r1 = x + bo + att Wo
  for (int i = 0; i < N; i++)
    for (int j = 0; j < d; j++) r[static_cast<size_t>(i) * d + j] = x[static_cast<size_t>(i) * d + j] + w[L.bo + j];
  gemmK(N, d, d, att, d, 1, w + L.Wo, d, r.data(), d);
  float* a = saved + L.a;
  layerNormForwardK(r.data(), w + L.g1, w + L.be1, N, d, 1e-5, a, saved + L.xhat1, invs);
  float* f1 = saved + L.f1;
  denseInto(a, N, d, w + L.W1, w + L.b1, F, f1);
  geluForwardK(f1, N * F, saved + L.gl, saved + L.th);
  // r2 = a + b2 + gelu W2
  for (int i = 0; i < N; i++)
    for (int j = 0; j < d; j++) r[static_cast<size_t>(i) * d + j] = a[static_cast<size_t>(i) * d + j] + w[L.b2 + j];
  gemmK(N, d, F, saved + L.gl, F, 1, w + L.W2, d, r.data(), d);
  layerNormForwardK(r.data(), w + L.g2, w + L.be2, N, d, 1e-5, y, saved + L.xhat2, invs + N);
}

void encoderBackwardK(const float* gy, const float* x, const float* w, int B, int T, int d, int F, int heads,
                      const int32_t* limits, int lstride, bool nullKey, const float* saved, const double* invs,
                      float* dx, float* dw) {
  const int N = B * T;
  const size_t Nd = static_cast<size_t>(N) * d, NF = static_cast<size_t>(N) * F;
  const EncoderLayout L(N, d, F);
  std::fill(dw, dw + L.weights, 0.0f);
  // scratch: the row gradients, then one transposed weight; zeroed only where products
  // accumulate (dAtt, dq, dk, dv, dG; the rest is written whole), a third of the buffer
  thread_local std::vector<float> buf;
  buf.resize(7 * Nd + 2 * NF + static_cast<size_t>(d) * std::max(d, F));
  float* dr2 = buf.data();
  float* da = dr2 + Nd;
  float* dr1 = da + Nd;
  float* dAtt = dr1 + Nd;
  float* dq = dAtt + Nd;
  float* dk = dq + Nd;
  float* dv = dk + Nd;
  float* dG = dv + Nd;
  float* dF1 = dG + NF;
  float* Wt = dF1 + NF;
  std::fill(dAtt, dG + NF, 0.0f);
  thread_local std::vector<double> dgb;  // a layer norm's dgamma, dbeta
  dgb.assign(2 * static_cast<size_t>(d), 0.0);

  // y = LN2(r2), r2 = a + b2 + G W2
  layerNormBackwardK(gy, w + L.g2, saved + L.xhat2, invs + N, N, d, dr2, dgb.data(), dgb.data() + d);
  for (int j = 0; j < d; j++) dw[L.g2 + j] = static_cast<float>(dgb[j]), dw[L.be2 + j] = static_cast<float>(dgb[d + j]);
  gemmK(F, d, N, saved + L.gl, 1, F, dr2, d, dw + L.W2, d);
  transposeTo(w + L.W2, F, d, Wt);
  gemmK(N, F, d, dr2, d, 1, Wt, F, dG, F);
  geluBackwardK(saved + L.f1, saved + L.th, dG, N * F, dF1);
  // f1 = a W1 + b1
  gemmK(d, F, N, saved + L.a, 1, d, dF1, F, dw + L.W1, F);
  std::memcpy(da, dr2, sizeof(float) * Nd);
  transposeTo(w + L.W1, d, F, Wt);
  gemmK(N, d, F, dF1, F, 1, Wt, d, da, d);
  // a = LN1(r1), r1 = x + bo + att Wo
  dgb.assign(2 * static_cast<size_t>(d), 0.0);
  layerNormBackwardK(da, w + L.g1, saved + L.xhat1, invs, N, d, dr1, dgb.data(), dgb.data() + d);
  for (int j = 0; j < d; j++) dw[L.g1 + j] = static_cast<float>(dgb[j]), dw[L.be1 + j] = static_cast<float>(dgb[d + j]);
  gemmK(d, d, N, saved + L.att, 1, d, dr1, d, dw + L.Wo, d);
  transposeTo(w + L.Wo, d, d, Wt);
  gemmK(N, d, d, dr1, d, 1, Wt, d, dAtt, d);
  attentionBackwardK(saved + L.q, saved + L.k, saved + L.v, dAtt, B, T, T, d, heads, limits, lstride, nullKey, dq, dk,
                     dv);
  // q, k, v = x W + b
  std::memcpy(dx, dr1, sizeof(float) * Nd);
  const float* grads[3] = {dq, dk, dv};
  const size_t Ws[3] = {L.Wq, L.Wk, L.Wv}, bs[3] = {L.bq, L.bk, L.bv};
  for (int t = 0; t < 3; t++) {
    gemmK(d, d, N, x, 1, d, grads[t], d, dw + Ws[t], d);
    transposeTo(w + Ws[t], d, d, Wt);
    gemmK(N, d, d, grads[t], d, 1, Wt, d, dx, d);
    columnSumsTo(grads[t], N, d, dw + bs[t]);
  }
  columnSumsTo(dr1, N, d, dw + L.bo);
  columnSumsTo(dF1, N, F, dw + L.b1);
  columnSumsTo(dr2, N, d, dw + L.b2);
}
