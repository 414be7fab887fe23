/** A SpaceTime small enough for specs to fit in a second (one epoch, 8 channels, no dropout). */
export const tinySpaceTime = {
  lookback: 16,
  horizon: 4,
  modelDim: 8,
  kernelDim: 4,
  encoderKernels: 2,
  decoderKernels: 2,
  diffOrders: 2,
  maWindows: 2,
  minMaWindow: 2,
  maxMaWindow: 8,
  dropout: 0,
  epochs: 1,
  batchSize: 32,
  patience: 0,
};
