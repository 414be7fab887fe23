import { ErrorDetail } from '@seqcast/core';
import { ConfigOf, ConfigSchema } from '@seqcast/kit';

export const spacetimeSchema = new ConfigSchema(
  {
    lookback: { type: 'integer', default: 336, minimum: 2, maximum: 10000, description: 'lag window L' },
    horizon: {
      type: 'integer',
      default: 720,
      minimum: 1,
      maximum: 10000,
      description: 'longest horizon H the closed loop is trained for (predict accepts up to H)',
    },
    modelDim: {
      type: 'integer',
      default: 128,
      minimum: 1,
      description: 'channels D of every layer (the input is repeated D times)',
    },
    kernelDim: {
      type: 'integer',
      default: 64,
      minimum: 2,
      description: 'state size d of each companion SSM',
    },
    encoderKernels: {
      type: 'integer',
      default: 32,
      minimum: 1,
      description:
        'distinct companion SSMs per encoder layer, each shared by D / encoderKernels channels (heads)',
    },
    decoderKernels: {
      type: 'integer',
      default: 32,
      minimum: 1,
      description:
        'distinct closed-loop companion SSMs in the decoder, each shared by D / decoderKernels channels',
    },
    encoderBlocks: {
      type: 'integer',
      default: 1,
      minimum: 1,
      maximum: 16,
      description: 'encoder blocks (the first one has the preprocessing layer)',
    },
    diffOrders: {
      type: 'integer',
      default: 4,
      minimum: 0,
      maximum: 8,
      description: 'differencing preprocessing kernels, orders 0..diffOrders-1',
    },
    maWindows: {
      type: 'integer',
      default: 4,
      minimum: 0,
      description: 'moving-average-residual preprocessing kernels',
    },
    minMaWindow: { type: 'integer', default: 4, minimum: 1, description: 'smallest moving-average window' },
    maxMaWindow: {
      type: 'integer',
      default: 64,
      minimum: 2,
      description: 'moving-average windows are drawn from [minMaWindow, maxMaWindow)',
    },
    skipSsm: { type: 'boolean', default: true, description: 'learned skip D u in the encoder SSMs' },
    dropout: {
      type: 'number',
      default: 0.25,
      minimum: 0,
      maximum: 0.95,
      description: 'dropout after each encoder MLP',
    },
    normalisation: {
      type: 'string',
      default: 'mean',
      enum: ['mean', 'last', 'none'],
      description: 'per-window: subtract the lag-window mean or last value, add it back to the forecast',
    },
    normOrder: {
      type: 'integer',
      default: 1,
      minimum: 0,
      maximum: 1,
      description: '1: companion a (and the decoder feedback k) divided by their L1 norm; 0: raw',
    },
    lossWeights: {
      type: 'array',
      items: { type: 'number' },
      default: [1, 1, 1],
      minItems: 3,
      maxItems: 3,
      description: 'weights of horizon RMSE, open-loop one-step RMSE, next-input RMSE',
    },
    closedLoopOnlyAfterFirstEpoch: {
      type: 'boolean',
      default: false,
      description:
        'reference-code quirk: from the second epoch on, train only the closed-loop horizon loss (the paper keeps all three)',
    },
    epochs: {
      type: 'integer',
      default: 50,
      minimum: 1,
      description: 'training epochs (early stopping may end sooner)',
    },
    batchSize: { type: 'integer', default: 50, minimum: 1, description: 'windows per step' },
    learningRate: {
      type: 'number',
      default: 1e-3,
      exclusiveMinimum: 0,
      description: 'AdamW peak learning rate',
    },
    weightDecay: { type: 'number', default: 1e-4, minimum: 0, description: 'AdamW decoupled weight decay' },
    warmupEpochs: {
      type: 'number',
      default: 1,
      minimum: 0,
      description: 'linear warm-up before the cosine decay, in epochs',
    },
    patience: {
      type: 'integer',
      default: 20,
      minimum: 0,
      description: 'early stopping on validation MSE (0 = off; needs valid data)',
    },
    maxWindowsPerEpoch: {
      type: 'integer',
      default: 0,
      minimum: 0,
      description: 'train on a seeded random subset of this many windows per fit (0 = all)',
    },
    seed: {
      type: 'integer',
      default: 0,
      minimum: 0,
      description: 'initialisation, dropout, shuffling and preprocessing seed',
    },
  },
  (c) => {
    const d: ErrorDetail[] = [];
    if (c.modelDim % c.encoderKernels !== 0)
      d.push({ field: 'encoderKernels', reason: `must divide modelDim (${c.modelDim})` });
    if (c.modelDim % c.decoderKernels !== 0)
      d.push({ field: 'decoderKernels', reason: `must divide modelDim (${c.modelDim})` });
    const pre = c.diffOrders + c.maWindows;
    if (pre > 0 && c.modelDim % pre !== 0)
      d.push({
        field: 'maWindows',
        reason: `diffOrders + maWindows (${pre}) must divide modelDim (${c.modelDim})`,
      });
    if (c.minMaWindow >= c.maxMaWindow)
      d.push({ field: 'maxMaWindow', reason: 'must be greater than minMaWindow' });
    if (c.maxMaWindow > c.lookback + 1)
      d.push({ field: 'maxMaWindow', reason: `at most lookback + 1 (${c.lookback + 1})` });
    return d;
  },
);

export type SpaceTimeConfig = ConfigOf<typeof spacetimeSchema.fields>;
