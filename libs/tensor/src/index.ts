// @seqcast/tensor: the shared tfjs training service (backend choice, fast kernels,
// differentiable spectral ops, the Trainer, artifacts, worker threads). Plain TypeScript:
// no Nest, jobs or database (its Nest shell, TensorModule, lives in @seqcast/platform).

// backend
export { selectBackend, getBackendInfo } from './backend/select-backend';
export { configureTensors } from './backend/configure-tensors';
export type { BackendInfo, BackendRequest } from './backend/backend-info';
export { BACKEND_REQUESTS } from './backend/backend-info';

// kernels (registered by selectBackend; exported for benchmarks and tests)
export { registerCpuMatMulKernels, restoreCpuMatMulKernels } from './kernels/matmul-cpu';
export { registerCpuStridedKernels, restoreCpuStridedKernels } from './kernels/strided-cpu';
export { registerCpuFftKernels } from './kernels/fft-cpu';
export { registerWasmComplexKernels } from './kernels/complex-wasm';
export { ensureSeqcastKernels } from './kernels/ensure-kernels';
// scratch-arena kernels (gemm, exp/tanh/sigmoid, decay) for fused ops: native (optional addon,
// native/), else WebAssembly SIMD, else plain JS; and the native addon's own passes
export { kernelArena, kernelTier, kernelTiers, useJsKernels, useKernels } from './kernels/wasm-kernels';
export { configureKernels, configuredKernels } from './kernels/configure-kernels';
export type { KernelTier } from './kernels/wasm-kernels';
export { nativeKernels, nativeKernelsStatus } from './kernels/native-kernels';
export { kernelTierName } from './kernels/kernel-tier-name';
export type { NativeKernels } from './kernels/native-kernels';
export { scratchPool } from './kernels/scratch-pool';
export type { KernelArena } from './kernels/kernel-arena';
export { transposeInto } from './kernels/small-gemm';
export { gemmInto } from './kernels/strided-gemm';
export { geluErfInto } from './kernels/gelu-erf';
export { borrowFloats, outputFloats } from './kernels/borrowed-floats';
export { fastExp, fastTanh, fastSigmoid } from '@seqcast/numeric';

// ops
export { rfft, irfft, fft, ifft, complexMul } from './ops/spectral';
export type { Spectrum } from './ops/spectral';
export { fftConv, directCausalConv } from './ops/fft-conv';
export { fftConvShared } from './ops/fft-conv-shared';
export { linearScan, krylov, rnnScan } from './ops/scan';
export { convFftSize } from './fft/conv-size';

// state-space layers (S4D: kernel, convolution and recurrent modes, prenorm block)
export { initS4DValues, initS4DWeights, resolveS4DOptions, S4D_WEIGHT_NAMES } from './ssm/s4d-params';
export type { S4DWeights, S4DWeightName, S4DOptions, S4DInit, S4DInitValue } from './ssm/s4d-params';
export { s4dKernel, discretise as s4dDiscretise, zeroOrderHold } from './ssm/s4d-kernel';
export type { ComplexParts } from './ssm/s4d-kernel';
export { s4dConv } from './ssm/s4d-conv';
export { s4dStep, s4dScan, s4dZeroState } from './ssm/s4d-recurrent';
export type { S4DState } from './ssm/s4d-recurrent';
export { geluOp } from './ssm/gelu';
export { channelLayerNorm } from './ssm/channel-layer-norm';
export { channelMix } from './ssm/channel-mix';
export { channelSkip } from './ssm/channel-skip';
export { gluWithBias } from './ssm/glu-bias';
export { S4DLayer } from './ssm/s4d-layer';
export type { S4DLayerOptions } from './ssm/s4d-layer';
export { S4DBlock } from './ssm/s4d-block';
export type { S4DBlockOptions } from './ssm/s4d-block';

// training
export { Trainer, resolveParams } from './trainer/trainer';
export { AdamW } from './trainer/adamw';
export type { AdamWOptions } from './trainer/adamw';
export { createSchedule } from './trainer/schedules';
export type { ScheduleSpec, LrSchedule } from './trainer/schedules';
export { clipByGlobalNorm } from './trainer/clip';
export { WeightEma } from './trainer/ema';
export type {
  TrainDataset,
  TrainableParams,
  FitSpec,
  TrainerOptions,
  EarlyStoppingOptions,
  TrainingEvent,
  EpochRecord,
  TrainingHistory,
} from './trainer/types';
export { resumedFrom } from './trainer/checkpoint';
export { resumingFrom, stoppingAfterStep } from './trainer/checkpoints.testing';
export type {
  CheckpointPosition,
  ResumedFrom,
  TrainContext,
  TrainerCheckpoint,
  TrainerCheckpoints,
} from './trainer/checkpoint';
export {
  readCheckpointFile,
  readCheckpointHeader,
  writeCheckpointFile,
} from './trainer/checkpoint-file';
export type { CheckpointHeader } from './trainer/checkpoint-file';
export { Rng } from '@seqcast/numeric';

// artifacts
export { ArtifactStore } from './artifacts/artifact-store';
export type { ArtifactMeta, ArtifactManifest } from './artifacts/artifact-store';
export { packageVersions } from './artifacts/package-versions';

// worker threads
export { runInWorkerThread } from './worker/run-in-worker-thread';
export type { WorkerThreadOptions, WorkerTask } from './worker/run-in-worker-thread';
export { loadPlugins, loadedPlugins } from './worker/plugins';
