// N-API entries of SpaceTime's companion power sequences (companion-powers-impl.h).
#pragma once
#include "active-kernels.h"
#include "napi-signature.h"

namespace seqcast {
namespace {

void checkPowers(Call& c, size_t v0, size_t P, size_t Q, int heads, int d, int M, int n) {
  c.require(heads >= 0 && d >= 1 && M >= 0 && n >= 1, "K and M must be >= 0, d and n >= 1");
  c.require(!c.ok() || v0 == size_t(heads) * d, "v0 must hold K d values");
  c.require(!c.ok() || (P == size_t(heads) * M * d && Q == P), "P and Q must hold K M d values each");
}

// shiftPowersForward(v0, P, Q, K, d, M, n, down, V): V [K, n, d] in double
void shiftPowersForward(Call& c, In<float> v0, In<float> P, In<float> Q, int heads, int d, int M, int n, bool down,
                        Out<double> V) {
  checkPowers(c, v0.size, P.size, Q.size, heads, d, M, n);
  c.require(!c.ok() || V.size == size_t(heads) * n * d, "V must hold K n d values");
  if (c.ok() && heads > 0) K->shiftPowersForward(v0, P, Q, heads, d, M, n, down, V);
}

// shiftPowersBackward(G, V, P, Q, K, d, M, n, down, dv0, dP, dQ)
void shiftPowersBackward(Call& c, In<float> G, In<double> V, In<float> P, In<float> Q, int heads, int d, int M, int n,
                         bool down, Out<double> dv0, Out<double> dP, Out<double> dQ) {
  checkPowers(c, dv0.size, P.size, Q.size, heads, d, M, n);
  c.require(!c.ok() || (G.size == size_t(heads) * n * d && V.size == G.size), "G and V must hold K n d values each");
  c.require(!c.ok() || (dP.size == P.size && dQ.size == Q.size), "dP and dQ must be as long as P and Q");
  if (c.ok() && heads > 0) K->shiftPowersBackward(G, V, P, Q, heads, d, M, n, down, dv0, dP, dQ);
}

}  // namespace
}  // namespace seqcast
