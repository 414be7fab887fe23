// The kernels compiled for avx2 (binding.gyp sets the instruction-set flags), 8 float lanes.
#define SEQCAST_VW 8
#define SEQCAST_NS avx2
#define SEQCAST_ISA "avx2"
#define SEQCAST_TABLE kernelsAvx2
#include "kernels-impl.h"
