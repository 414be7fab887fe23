// The addon's entries for the fused recurrences (libs/events): the RNN / GRU over all steps,
// their inputs read from and gradients scattered into the type tables, and the running
// rows between the internal and batch layouts.
#pragma once
#include "active-kernels.h"
#include "napi-signature.h"

namespace seqcast {
namespace {

// active [T]: how many rows run at each step, non-increasing counts in 0..B
bool checkActive(Call& c, In<int32_t> active, int B, int T) {
  for (int t = 0; t < T && c.ok(); t++)
    c.require(active[t] >= 0 && active[t] <= B && (t == 0 || active[t] <= active[t - 1]),
              "active must be non-increasing counts in 0..B");
  return c.ok();
}

// G H: the width of a step's inputs (GRU: three gates)
bool checkRnn(Call& c, bool gru, int B, int T, int H, In<int32_t> active, size_t& GH) {
  c.require(B >= 0 && T >= 0 && H > 0 && active.size == size_t(T), "B, T must not be negative, H positive, active [T]");
  GH = size_t(gru ? 3 : 1) * H;
  return c.ok() && checkActive(c, active, B, T);
}

// z, r, n, hn may be empty for a plain RNN
void rnnForward(Call& c, bool gru, int B, int T, int H, In<int32_t> active, In<float> x, In<float> U, Out<float> hs,
                Out<float> z, Out<float> r, Out<float> n, Out<float> hn) {
  size_t GH = 0;
  if (!checkRnn(c, gru, B, T, H, active, GH)) return;
  const size_t N = size_t(T) * B * H;
  c.require(x.size == size_t(T) * B * GH && U.size == size_t(H) * GH && hs.size == N,
            "x must be [T, B, G H], U [H, G H], hs [T, B, H]");
  c.require(!gru || (z.size == N && r.size == N && n.size == N && hn.size == N), "a GRU's z, r, n and hn must be [T, B, H]");
  if (c.ok()) K->rnnForward(gru, x, U, active, B, T, H, hs, z, r, n, hn);
}

// gH is consumed (later steps add into earlier rows); dX and dU written
void rnnBackward(Call& c, bool gru, int B, int T, int H, In<int32_t> active, Out<float> gH, In<float> U, In<float> hs,
                 In<float> z, In<float> r, In<float> n, In<float> hn, Out<float> dX, Out<float> dU) {
  size_t GH = 0;
  if (!checkRnn(c, gru, B, T, H, active, GH)) return;
  const size_t N = size_t(T) * B * H;
  c.require(gH.size == N && hs.size == N && U.size == size_t(H) * GH, "gH and hs must be [T, B, H], U [H, G H]");
  c.require(!gru || (z.size == N && r.size == N && n.size == N && hn.size == N), "a GRU's z, r, n and hn must be [T, B, H]");
  c.require(dX.size == size_t(T) * B * GH && dU.size == U.size, "dX must be [T, B, G H] and dU as U");
  if (c.ok()) K->rnnBackward(gru, gH, U, active, B, T, H, hs, z, r, n, hn, dX, dU);
}

// order [B] holds batch rows
bool checkOrder(Call& c, In<int32_t> order, int B) {
  for (int r = 0; r < B && c.ok(); r++) c.require(order[r] >= 0 && order[r] < B, "order must hold batch rows");
  return c.ok();
}

// The step plan and inputs both step calls share: ids [B, T], feats [B, T, F] (empty when F = 0).
bool checkStep(Call& c, int B, int T, int G, int F, In<int32_t> order, In<int32_t> active, In<int32_t> ids,
               In<float> feats) {
  c.require(B >= 0 && T >= 0 && G > 0 && F >= 0, "sizes must not be negative");
  c.require(order.size == size_t(B) && active.size == size_t(T) && ids.size == size_t(B) * T &&
                feats.size == ids.size * F,
            "order must be [B], active [T], ids [B, T], feats [B, T, F]");
  return c.ok() && checkOrder(c, order, B) && checkActive(c, active, B, T);
}

// Every id a row of a table of V = tableSize / G rows.
void checkIds(Call& c, In<int32_t> ids, size_t tableSize, int G) {
  const size_t V = tableSize / size_t(G);
  for (size_t i = 0; c.ok() && i < ids.size; i++) c.require(ids[i] >= 0 && size_t(ids[i]) < V, "an id lies outside the table");
}

// x [T, B, G]: every running row's table row plus its features times featW [F, G]
void stepRead(Call& c, int B, int T, int G, int F, In<int32_t> order, In<int32_t> active, In<int32_t> ids,
              In<float> feats, In<float> table, In<float> featW, Out<float> x) {
  if (!checkStep(c, B, T, G, F, order, active, ids, feats)) return;
  c.require(table.size % size_t(G) == 0 && featW.size == size_t(F) * G && x.size == size_t(T) * B * G,
            "table must be [V, G], featW [F, G], x [T, B, G]");
  checkIds(c, ids, table.size, G);
  if (c.ok()) K->stepRead(ids, table, feats, featW, F, order, active, B, T, G, x);
}

// dX [T, B, G] added into gTable [V, G] and gW [F, G]
void stepAccumulate(Call& c, int B, int T, int G, int F, In<int32_t> order, In<int32_t> active, In<int32_t> ids,
                    In<float> feats, In<float> dX, Out<double> gTable, Out<double> gW) {
  if (!checkStep(c, B, T, G, F, order, active, ids, feats)) return;
  c.require(gTable.size % size_t(G) == 0 && gW.size == size_t(F) * G && dX.size == size_t(T) * B * G,
            "gTable must be [V, G], gW [F, G], dX [T, B, G]");
  checkIds(c, ids, gTable.size, G);
  if (c.ok()) K->stepAccumulate(ids, feats, F, order, active, B, T, G, dX, gTable, gW);
}

// src [T, B, W] -> dst [B, T, W], or back with inverse
void stepRows(Call& c, int B, int T, int W, In<int32_t> order, In<int32_t> active, In<float> src, Out<float> dst,
              bool inverse) {
  const size_t n = size_t(B) * T * W;
  c.require(B >= 0 && T >= 0 && W > 0 && order.size == size_t(B) && active.size == size_t(T) && src.size == n &&
                dst.size == n,
            "order must be [B], active [T], src and dst [B T W]");
  if (!c.ok() || !checkOrder(c, order, B)) return;
  for (int t = 0; c.ok() && t < T; t++) c.require(active[t] >= 0 && active[t] <= B, "active counts must be in 0..B");
  if (c.ok()) K->stepRows(order, active, B, T, W, src, dst, inverse);
}

}  // namespace
}  // namespace seqcast
