{
  # seqcast's optional native kernels (see README.md here). One addon; the kernels are
  # compiled three times (AVX-512, AVX2 + FMA, the target's baseline) and the addon picks
  # the widest the CPU runs, so a build made on one x86-64 machine runs on any other.
  "target_defaults": {
    "cflags_cc": ["-O3", "-std=c++17", "-pthread", "-fno-exceptions", "-Wall", "-Wno-unused-function", "-Wno-psabi"],
    "ldflags": ["-pthread"],
    "cflags_cc!": ["-fno-rtti"]
  },
  "targets": [
    {
      "target_name": "kernels_base",
      "type": "static_library",
      "sources": ["src/variant-base.cc"]
    },
    {
      "target_name": "kernels_avx2",
      "type": "static_library",
      "sources": ["src/variant-avx2.cc"],
      "conditions": [["target_arch=='x64'", { "cflags_cc": ["-mavx2", "-mfma"] }]]
    },
    {
      "target_name": "kernels_avx512",
      "type": "static_library",
      "sources": ["src/variant-avx512.cc"],
      "conditions": [["target_arch=='x64'", { "cflags_cc": ["-mavx512f", "-mavx512dq", "-mavx2", "-mfma"] }]]
    },
    {
      "target_name": "seqcast_kernels",
      "sources": ["src/addon.cc", "src/fft-plan.cc", "src/thread-pool.cc"],
      "dependencies": ["kernels_base", "kernels_avx2", "kernels_avx512"]
    }
  ]
}
