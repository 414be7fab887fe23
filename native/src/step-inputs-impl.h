// The fused recurrences' inputs (libs/events step-inputs.ts), included from kernels-impl.h
// inside its namespace: x[b, t] = table[ids[b, t]] + sum_f feats[b, t, f] featW[f], read
// for every running (t, r) into the internal layout [T, B, G] (row r is batch row
// order[r]), and the gradients of such rows scattered back into the table's and featW's
// (float64: each sums over every event of the batch).

void stepReadK(const int32_t* ids, const float* table, const float* feats, const float* featW, int F,
               const int32_t* order, const int32_t* active, int B, int T, int G, float* x) {
  for (int t = 0; t < T; t++) {
    for (int r = 0; r < active[t]; r++) {
      const size_t bt = static_cast<size_t>(order[r]) * T + t;
      float* __restrict dst = x + (static_cast<size_t>(t) * B + r) * G;
      const float* __restrict row = table + static_cast<size_t>(ids[bt]) * G;
      for (int j = 0; j < G; j++) dst[j] = row[j];
      for (int f = 0; f < F; f++) {
        const float v = feats[bt * F + f];
        const float* __restrict w = featW + static_cast<size_t>(f) * G;
        for (int j = 0; j < G; j++) dst[j] += v * w[j];
      }
    }
  }
}

void stepAccumulateK(const int32_t* ids, const float* feats, int F, const int32_t* order, const int32_t* active, int B,
                     int T, int G, const float* dX, double* gTable, double* gW) {
  for (int t = 0; t < T; t++) {
    for (int r = 0; r < active[t]; r++) {
      const size_t bt = static_cast<size_t>(order[r]) * T + t;
      const float* __restrict src = dX + (static_cast<size_t>(t) * B + r) * G;
      double* __restrict gt = gTable + static_cast<size_t>(ids[bt]) * G;
      for (int j = 0; j < G; j++) gt[j] += src[j];
      for (int f = 0; f < F; f++) {
        const double v = feats[bt * F + f];
        double* __restrict gw = gW + static_cast<size_t>(f) * G;
        for (int j = 0; j < G; j++) gw[j] += v * src[j];
      }
    }
  }
}

// Rows of width W between the internal layout [T, B, W] (row r of step t: batch row
// order[r]) and the batch layout [B, T, W], running rows only: to batch (inverse false) or
// from it (inverse true) — step-plan.ts copyRows.
void stepRowsK(const int32_t* order, const int32_t* active, int B, int T, int W, const float* src, float* dst,
               bool inverse) {
  for (int t = 0; t < T; t++) {
    for (int r = 0; r < active[t]; r++) {
      const size_t internal = (static_cast<size_t>(t) * B + r) * W;
      const size_t batch = (static_cast<size_t>(order[r]) * T + t) * W;
      std::memcpy(dst + (inverse ? internal : batch), src + (inverse ? batch : internal), sizeof(float) * W);
    }
  }
}
