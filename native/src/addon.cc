// N-API glue of seqcast's native kernels: the table below declares every export once (its
// JS name, its entry in calls-*.h, whose parameter types are the arguments' types, and the
// arguments' names), and napi-signature.h's one entry point checks the count and types of a
// call's arguments before the entry checks sizes and indices (so that a caller's mistake is
// a JS TypeError or RangeError rather than a crash) and runs the kernel table of the widest
// instruction set the CPU has (active-kernels.h).
#include <node_api.h>

#include "active-kernels.h"
#include "calls-arena.h"
#include "calls-companion.h"
#include "calls-fft.h"
#include "calls-intensities.h"
#include "calls-layers.h"
#include "calls-recurrences.h"
#include "calls-threads.h"
#include "napi-signature.h"

namespace seqcast {
namespace {

// isa() -> "avx512" | "avx2" | "base"
napi_value isa(napi_env env, napi_callback_info) {
  napi_value s;
  napi_create_string_utf8(env, K->isa, NAPI_AUTO_LENGTH, &s);
  return s;
}

// selectIsa(limit): every thread's calls run on the build chosen last; the process's
// threads all get the same setting (configureKernels, runInWorkerThread)
void selectIsa(Call&, std::string limit) { K = &pick(limit); }

napi_value Init(napi_env env, napi_value exports) {
  if (!K) K = &pick("");  // a worker thread's load keeps the build the process selected
  const napi_property_descriptor props[] = {
      {"isa", nullptr, isa, nullptr, nullptr, nullptr, napi_default, nullptr},
      declare<selectIsa>("selectIsa", {"limit"}),
      // the thread pool under the kernels (thread-pool.h)
      {"threads", nullptr, threads, nullptr, nullptr, nullptr, napi_default, nullptr},
      declare<setThreads>("setThreads", {"n"}),
      // KernelArena (libs/tensor)
      declare<gemm>("gemm", {"m", "n", "k", "a", "aOff", "lda", "acs", "b", "bOff", "ldb", "c", "cOff", "ldc"}),
      declare<map<&Kernels::exp>>("exp", {"buf", "off", "n"}),
      declare<map<&Kernels::tanh>>("tanh", {"buf", "off", "n"}),
      declare<map<&Kernels::sigmoid>>("sigmoid", {"buf", "off", "n"}),
      declare<map<&Kernels::softplus>>("softplus", {"buf", "off", "n"}),
      declare<decay>("decay", {"buf", "ints", "rows", "H", "offs", "ts", "d", "cb", "c", "o", "e", "x", "th", "h"}),
      // layers
      declare<layerNormForward>("layerNormForward", {"x", "gamma", "beta", "d", "eps", "y", "xhat", "inv"}),
      declare<layerNormBackward>("layerNormBackward", {"gy", "gamma", "xhat", "inv", "d", "dx", "dg", "db"}),
      declare<channelNormForward>("channelNormForward", {"x", "gamma", "beta", "B", "H", "L", "eps", "y", "xhat", "rstd"}),
      declare<channelNormBackward>("channelNormBackward",
                                   {"dy", "gamma", "xhat", "rstd", "B", "H", "L", "dx", "dgamma", "dbeta"}),
      declare<gluForward>("gluForward", {"y", "bias", "scale", "residual", "B", "H", "L", "lin", "sig", "out"}),
      declare<gluBackward>("gluBackward", {"dout", "lin", "sig", "scale", "B", "H", "L", "dy", "dbias"}),
      declare<channelMixForward>("channelMixForward", {"z", "w", "bias", "B", "H", "L", "O", "out"}),
      declare<channelMixBackward>("channelMixBackward", {"dout", "z", "w", "B", "H", "L", "O", "dz", "dw", "dbias"}),
      declare<channelSkipForward>("channelSkipForward", {"y", "u", "D", "B", "H", "L", "out"}),
      declare<channelSkipBackward>("channelSkipBackward", {"g", "u", "D", "B", "H", "L", "du", "dD"}),
      declare<scaleRows>("scaleRows", {"x", "g", "scale", "rows", "L"}),
      declare<geluForward>("geluForward", {"x", "y", "th"}),
      declare<geluBackward>("geluBackward", {"x", "th", "gy", "dx"}),
      declare<geluErf>("geluErf", {"x", "y", "der"}),
      declare<attentionForward>("attentionForward",
                                {"q", "k", "v", "B", "Q", "N", "d", "heads", "limits", "nullKey", "out"}),
      declare<attentionBackward>(
          "attentionBackward", {"q", "k", "v", "g", "B", "Q", "N", "d", "heads", "limits", "nullKey", "dq", "dk", "dv"}),
      declare<encoderForward>("encoderForward",
                              {"x", "w", "B", "T", "d", "F", "heads", "limits", "nullKey", "y", "saved", "invs"}),
      declare<encoderBackward>("encoderBackward", {"gy", "x", "w", "B", "T", "d", "F", "heads", "limits", "nullKey",
                                                   "saved", "invs", "dx", "dw"}),
      declare<temporalEncoding>("temporalEncoding", {"ts", "d", "out"}),
      // intensities and likelihood terms
      declare<sahpForward>("sahpForward", {"mu", "eta", "gamma", "dt", "W", "b", "S", "pre", "lambda"}),
      declare<sahpBackward>("sahpBackward", {"g", "mu", "eta", "gamma", "dt", "W", "pre", "S", "dmu", "deta", "dgamma",
                                             "ddt", "dW", "db"}),
      declare<thpForward>("thpForward", {"base", "denom", "dt", "alpha", "logBeta", "pre", "lambda"}),
      declare<thpBackward>("thpBackward", {"g", "denom", "dt", "alpha", "logBeta", "pre", "lambda", "dBase", "dDenom",
                                           "dDt", "dAlpha", "dLogBeta"}),
      declare<thpTermsForward>("thpTermsForward",
                               {"base", "denom", "gaps", "types", "u", "alpha", "logBeta", "out", "pre", "lambda"}),
      declare<thpTermsBackward>("thpTermsBackward", {"g", "denom", "gaps", "types", "u", "alpha", "logBeta", "pre",
                                                     "lambda", "dBase", "dDenom", "dAlpha", "dLogBeta"}),
      declare<sahpTermsForward>("sahpTermsForward",
                                {"mu", "eta", "gamma", "gaps", "types", "u", "W", "b", "out", "pre", "lambda"}),
      declare<sahpTermsBackward>("sahpTermsBackward", {"g", "mu", "eta", "gamma", "gaps", "types", "u", "W", "pre",
                                                       "lambda", "dmu", "deta", "dgamma", "dW", "db"}),
      declare<sahpHeadsForward>("sahpHeadsForward", {"h", "w", "d", "mu", "eta", "gamma", "saved"}),
      declare<sahpHeadsBackward>("sahpHeadsBackward", {"h", "w", "saved", "dmu", "deta", "dgamma", "d", "dh", "dw"}),
      declare<ifForward>("ifForward", {"raw", "logits", "gaps", "types", "J", "M", "mean", "std", "out", "store"}),
      declare<ifBackward>("ifBackward", {"g", "raw", "types", "J", "M", "store", "dRaw", "dLogits"}),
      // recurrences
      declare<rnnForward>("rnnForward", {"gru", "B", "T", "H", "active", "x", "U", "hs", "z", "r", "n", "hn"}),
      declare<rnnBackward>("rnnBackward",
                           {"gru", "B", "T", "H", "active", "gH", "U", "hs", "z", "r", "n", "hn", "dX", "dU"}),
      declare<stepRead>("stepRead", {"B", "T", "G", "F", "order", "active", "ids", "feats", "table", "featW", "x"}),
      declare<stepAccumulate>("stepAccumulate",
                              {"B", "T", "G", "F", "order", "active", "ids", "feats", "dX", "gTable", "gW"}),
      declare<stepRows>("stepRows", {"B", "T", "W", "order", "active", "src", "dst", "inverse"}),
      // FFTs and the fused causal convolution (libs/tensor spectral and fftConv kernels)
      declare<rfftRows>("rfftRows", {"x", "rows", "len", "n", "outRe", "outIm"}),
      declare<irfftRows>("irfftRows", {"re", "im", "rows", "n", "out"}),
      declare<fftRows>("fftRows", {"re", "im", "rows", "n", "inverse", "outRe", "outIm"}),
      declare<fftConvForward>("fftConvForward", {"u", "k", "rows", "L", "kRows", "K", "n", "y"}),
      declare<fftConvBackward>("fftConvBackward", {"dy", "u", "k", "rows", "L", "kRows", "K", "n", "du", "dk"}),
      declare<fftConvSharedForward>("fftConvSharedForward", {"u", "k", "rows", "L", "kRows", "K", "n", "M", "y"}),
      declare<fftConvSharedBackward>("fftConvSharedBackward",
                                     {"dy", "u", "k", "rows", "L", "kRows", "K", "n", "M", "du", "dk"}),
      // SpaceTime's companion powers
      declare<shiftPowersForward>("shiftPowersForward", {"v0", "P", "Q", "K", "d", "M", "n", "down", "V"}),
      declare<shiftPowersBackward>("shiftPowersBackward",
                                   {"G", "V", "P", "Q", "K", "d", "M", "n", "down", "dv0", "dP", "dQ"}),
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

}  // namespace
}  // namespace seqcast

NAPI_MODULE(NODE_GYP_MODULE_NAME, seqcast::Init)
