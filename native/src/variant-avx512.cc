// The kernels compiled for avx512 (binding.gyp sets the instruction-set flags), 16 float lanes.
#define SEQCAST_VW 16
#define SEQCAST_NS avx512
#define SEQCAST_ISA "avx512"
#define SEQCAST_TABLE kernelsAvx512
#include "kernels-impl.h"
