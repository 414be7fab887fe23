// FFT plans (fft-plan.cc): the factors of a length and the twiddles of every pass, built once
// per length and shared by every instruction set's kernels (fft-impl.h) and every thread.
// A plan never changes once built, so a kernel reads it without a lock.
#pragma once
#include <vector>

namespace seqcast {

// One pass of the self-sorting (Stockham) decimation-in-frequency transform: the data are
// L interleaved sub-transforms of length p m; the pass does their radix-p butterflies and
// leaves L p sub-transforms of length m (fft-impl.h says how the indices move).
struct FftPass {
  int p, L, m;
  int tw;    // twiddles w(t1, k2) = e^{-2 pi i t1 k2 / (p m)} at tw + t1 p + k2
  int root;  // a generic odd radix's roots e^{-2 pi i j / p}, j < p, at root + j
};

// The forward complex transform of length n (sign -1, unscaled).
struct FftPlan {
  int n;
  std::vector<FftPass> passes;
  std::vector<float> twRe, twIm;
  std::vector<float> rootRe, rootIm;
};

// The real transform of even length n by one complex transform of n / 2 and one pass of
// twiddles e^{-2 pi i k / n}, k <= n / 2; odd n runs the complex transform of n itself.
struct RealFftPlan {
  int n;
  const FftPlan* complex;  // of n / 2 (even n) or n (odd n)
  std::vector<float> wRe, wIm;
};

// The cached plans (built on first use under a lock; the references stay valid).
const FftPlan& complexFftPlan(int n);
const RealFftPlan& realFftPlan(int n);

}  // namespace seqcast
