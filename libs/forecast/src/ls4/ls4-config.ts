import { ConfigOf, ConfigSchema } from '@seqcast/kit';

/**
 * LS4's options. Sizes and optimiser defaults are the paper's Monash configuration
 * (alexzhou907/ls4 configs/monash: d_model 64, d_state 64, 4 layers per stack, z_dim 5,
 * sigma 0.1, AdamW lr 1e-3 without weight decay, EMA 0.999, batch 64); every size may be
 * shrunk for tests.
 */
export const ls4Schema = new ConfigSchema(
  {
    lookback: {
      type: 'integer',
      default: 96,
      minimum: 1,
      maximum: 10000,
      description:
        'context steps the posterior reads before a forecast (a training window is lookback + horizon)',
    },
    horizon: {
      type: 'integer',
      default: 24,
      minimum: 1,
      maximum: 10000,
      description: 'forecast steps of a training window',
    },
    maxHorizon: {
      type: 'integer',
      default: 0,
      minimum: 0,
      maximum: 100000,
      description: 'longest horizon predict accepts (the prior rolls on recurrently); 0 = horizon',
    },
    dModel: {
      type: 'integer',
      default: 64,
      minimum: 1,
      maximum: 1024,
      description: 'width of every S4D stack',
    },
    stateSize: {
      type: 'integer',
      default: 64,
      minimum: 2,
      maximum: 1024,
      description: 'S4D state size N (N/2 complex modes per channel); even',
    },
    layers: { type: 'integer', default: 4, minimum: 1, maximum: 32, description: 'S4D blocks per stack' },
    zDim: { type: 'integer', default: 5, minimum: 1, maximum: 256, description: 'latent size z_dim' },
    sigma: {
      type: 'number',
      default: 0.1,
      exclusiveMinimum: 0,
      description: "the decoder's fixed standard deviation (in the z-scored units the model sees)",
    },
    s4dInit: { type: 'string', default: 'lin', enum: ['lin', 'inv'], description: 'S4D-Lin or S4D-Inv' },
    epochs: { type: 'integer', default: 30, minimum: 1, maximum: 100000, description: 'training epochs' },
    batchSize: { type: 'integer', default: 64, minimum: 1, maximum: 4096, description: 'windows per step' },
    maxWindowsPerEpoch: {
      type: 'integer',
      default: 0,
      minimum: 0,
      description: 'a seeded subset of the windows per fit (0 = all)',
    },
    learningRate: { type: 'number', default: 1e-3, exclusiveMinimum: 0, description: 'AdamW learning rate' },
    weightDecay: { type: 'number', default: 0, minimum: 0, description: 'AdamW decoupled weight decay' },
    emaDecay: {
      type: 'number',
      default: 0.999,
      minimum: 0,
      exclusiveMaximum: 1,
      description: 'exponential moving average of the weights (the result and validation use it); 0 = off',
    },
    clipNorm: { type: 'number', default: 0, minimum: 0, description: 'global gradient-norm clip; 0 = off' },
    patience: {
      type: 'integer',
      default: 0,
      minimum: 0,
      description:
        'early stopping on the validation -ELBO after this many epochs without improvement; 0 = off',
    },
    samples: {
      type: 'integer',
      default: 100,
      minimum: 1,
      maximum: 10000,
      description: 'sample paths per forecast (point = their mean)',
    },
    seed: {
      type: 'integer',
      default: 0,
      minimum: 0,
      description: 'initialisation, shuffling and sampling seed',
    },
  },
  (c) =>
    c.stateSize % 2 === 0
      ? []
      : [{ field: 'stateSize', reason: 'must be even (S4D modes come in conjugate pairs)' }],
);

export type Ls4Config = ConfigOf<typeof ls4Schema.fields>;
