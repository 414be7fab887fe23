// The kernels compiled for base (binding.gyp sets the instruction-set flags), 4 float lanes.
#define SEQCAST_VW 4
#define SEQCAST_NS base
#define SEQCAST_ISA "base"
#define SEQCAST_TABLE kernelsBase
#include "kernels-impl.h"
