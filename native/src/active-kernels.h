// The kernel table every call runs, chosen once when the addon loads (addon.cc's Init).
#pragma once
#include <cstdlib>
#include <string>

#include "kernels.h"

namespace seqcast {
namespace {

// The widest instruction set the CPU has, or a narrower one named by SEQCAST_NATIVE_ISA
// ('avx2', 'base'): how the other variants get tested on a machine with AVX-512.
const Kernels& pick() {
  const char* cap = std::getenv("SEQCAST_NATIVE_ISA");
  const std::string limit = cap ? cap : "";
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
