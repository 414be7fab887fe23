// The kernel table every call runs: the widest when the addon first loads (addon.cc's Init),
// then the one the configuration names (selectIsa).
#pragma once
#include <string>

#include "kernels.h"

namespace seqcast {
namespace {

// The widest instruction set the CPU has, or at most `limit` ('avx512', 'avx2', 'base'; ''
// for none): SEQCAST_NATIVE_ISA through the validated configuration, which is how the
// narrower variants get tested on a machine with AVX-512.
const Kernels& pick(const std::string& limit) {
#if defined(__x86_64__) || defined(_M_X64)
  __builtin_cpu_init();
  const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  if ((limit.empty() || limit == "avx512") && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq")) return kernelsAvx512;
  if (limit != "base" && avx2) return kernelsAvx2;
#endif
  return kernelsBase;
}

const Kernels* K = nullptr;

}  // namespace
}  // namespace seqcast
