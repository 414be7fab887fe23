// FFT plans, compiled once with the baseline flags (a plan is data, not vector code, so the
// three instruction-set builds share it; see fft-plan.h).
#include "fft-plan.h"

#include <cmath>
#include <map>
#include <memory>
#include <mutex>

namespace seqcast {
namespace {

// Radix 4 first (fewest passes, a butterfly with no multiplications), then the one 2 a power
// of two may leave, then 3 and 5, then any odd prime as a generic radix.
std::vector<int> factorize(int n) {
  std::vector<int> f;
  while (n % 4 == 0) f.push_back(4), n /= 4;
  if (n % 2 == 0) f.push_back(2), n /= 2;
  for (int p = 3; p * p <= n; p += 2)
    while (n % p == 0) f.push_back(p), n /= p;
  if (n > 1) f.push_back(n);
  return f;
}

// e^{-2 pi i k / n} with k reduced mod n first, in double, rounded once to float.
void unitRoot(long long k, int n, float& re, float& im) {
  const double a = -2.0 * M_PI * static_cast<double>(k % n) / n;
  re = static_cast<float>(std::cos(a));
  im = static_cast<float>(std::sin(a));
}

std::unique_ptr<FftPlan> buildComplex(int n) {
  auto plan = std::make_unique<FftPlan>();
  plan->n = n;
  int L = 1;
  for (const int p : factorize(n)) {
    const int M = n / L, m = M / p;
    FftPass pass{p, L, m, static_cast<int>(plan->twRe.size()), -1};
    plan->twRe.resize(pass.tw + static_cast<size_t>(m) * p);
    plan->twIm.resize(plan->twRe.size());
    for (int t1 = 0; t1 < m; t1++)
      for (int k2 = 0; k2 < p; k2++)
        unitRoot(static_cast<long long>(t1) * k2, M, plan->twRe[pass.tw + t1 * p + k2], plan->twIm[pass.tw + t1 * p + k2]);
    if (p > 5) {
      pass.root = static_cast<int>(plan->rootRe.size());
      plan->rootRe.resize(pass.root + p);
      plan->rootIm.resize(pass.root + p);
      for (int j = 0; j < p; j++) unitRoot(j, p, plan->rootRe[pass.root + j], plan->rootIm[pass.root + j]);
    }
    plan->passes.push_back(pass);
    L *= p;
  }
  return plan;
}

std::mutex lock;
std::map<int, std::unique_ptr<FftPlan>> complexPlans;
std::map<int, std::unique_ptr<RealFftPlan>> realPlans;

const FftPlan& complexLocked(int n) {
  auto& slot = complexPlans[n];
  if (!slot) slot = buildComplex(n);
  return *slot;
}

}  // namespace

const FftPlan& complexFftPlan(int n) {
  std::lock_guard<std::mutex> guard(lock);
  return complexLocked(n);
}

const RealFftPlan& realFftPlan(int n) {
  std::lock_guard<std::mutex> guard(lock);
  auto& slot = realPlans[n];
  if (!slot) {
    slot = std::make_unique<RealFftPlan>();
    slot->n = n;
    const bool even = n % 2 == 0;
    slot->complex = &complexLocked(even ? n / 2 : n);
    if (even) {
      slot->wRe.resize(n / 2 + 1);
      slot->wIm.resize(n / 2 + 1);
      for (int k = 0; k <= n / 2; k++) unitRoot(k, n, slot->wRe[k], slot->wIm[k]);
    }
  }
  return *slot;
}

}  // namespace seqcast
