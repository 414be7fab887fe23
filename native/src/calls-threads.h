// The addon's entries for its thread pool (thread-pool.h): setThreads(n) and threads().
#pragma once
#include <cmath>
#include <string>

#include "napi-signature.h"
#include "thread-pool.h"

namespace seqcast {
namespace {

// The most threads setThreads takes: far above any machine's cores, low enough that a
// mistaken count cannot exhaust the process's threads.
constexpr int kMaxThreads = 1024;

// setThreads(n): n threads for the kernels (the calling thread and n - 1 of the pool's), 0
// for every CPU the process may run on. Every JS thread shares the one pool.
void setThreads(Call& c, double n) {
  c.require(std::isfinite(n) && n == std::floor(n) && n >= 0 && n <= kMaxThreads,
            ("n must be an integer in 0 .. " + std::to_string(kMaxThreads) + " (0: every usable CPU), got " +
             (std::isfinite(n) ? std::to_string(n) : std::string(std::isnan(n) ? "NaN" : "Infinity")))
                .c_str());
  if (c.ok()) setPoolThreads(static_cast<int>(n));
}

// threads() -> the number of threads the kernels use now
napi_value threads(napi_env env, napi_callback_info) {
  napi_value v;
  napi_create_int32(env, poolThreads(), &v);
  return v;
}

}  // namespace
}  // namespace seqcast
