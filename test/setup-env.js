// Tests run in UTC whatever the machine says, and quietly.
process.env.TZ = 'UTC';
process.env.LOG_LEVEL = process.env.LOG_LEVEL || 'silent';

// The kernel tier as a server would configure it at boot (SEQCAST_NATIVE, SEQCAST_NATIVE_ISA
// through the validated configuration), so `SEQCAST_NATIVE_ISA=avx2 npm run test:unit` tests
// that build. The settings module is required by its path: @seqcast/tensor's door would load
// tfjs into every test file.
const { loadKernelSettings } = require('@seqcast/core');
require('../libs/tensor/src/kernels/configure-kernels').configureKernels(loadKernelSettings(process.env));
