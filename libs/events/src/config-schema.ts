import { ConfigOf, CrossCheck, SchemaFields, withDefaults } from '@seqcast/kit';

/** Training and sampling fields shared by every neural event model (the kit's JSON Schema vocabulary). */
const NEURAL_TRAINING = {
  epochs: {
    type: 'integer',
    default: 0,
    minimum: 0,
    maximum: 100000,
    description: 'training epochs, exactly (0: the step budget below decides)',
  },
  steps: {
    type: 'integer',
    default: 1000,
    minimum: 1,
    maximum: 10000000,
    description:
      'with epochs 0: optimizer steps to train for (at least minEpochs passes over the data); early stopping may end sooner',
  },
  minEpochs: {
    type: 'integer',
    default: 10,
    minimum: 1,
    maximum: 10000,
    description: 'with epochs 0: passes over the data at least, however large it is',
  },
  batchSize: { type: 'integer', default: 64, minimum: 1, maximum: 4096, description: 'sequences per batch' },
  learningRate: {
    type: 'number',
    default: 0.01,
    minimum: 1e-7,
    maximum: 1,
    description: 'AdamW learning rate',
  },
  schedule: {
    type: 'string',
    default: 'cosine',
    enum: ['constant', 'cosine', 'warmup-cosine'],
    description:
      'learning-rate schedule over the training steps (cosine: down to 5% of learningRate; warmup-cosine: a linear warm-up over the first 5% of steps first)',
  },
  weightDecay: {
    type: 'number',
    default: 0,
    minimum: 0,
    maximum: 1,
    description: 'AdamW decoupled weight decay',
  },
  clipNorm: { type: 'number', default: 5, minimum: 0, description: 'global gradient-norm clip (0: off)' },
  init: {
    type: 'string',
    default: 'random',
    enum: ['random', 'baseline'],
    description:
      "random: every weight drawn; baseline: the untrained model is the training data's Poisson fit (output biases at the per-type rates, the history's weights on the output at zero), scored by early stopping as epoch 0",
  },
  baselineFallback: {
    type: 'boolean',
    default: true,
    description:
      "after training, score the Poisson fit's weights (as init baseline sets them) on the dev set beside the best epoch's and keep the better (needs a dev set and earlyStopping)",
  },
  earlyStopping: {
    type: 'boolean',
    default: true,
    description:
      'stop when the dev log-likelihood stops improving and restore the best weights (needs a dev set)',
  },
  patience: {
    type: 'integer',
    default: 0,
    minimum: 0,
    description:
      'epochs without a better dev log-likelihood before stopping (0: the larger of 5 epochs and 200 steps)',
  },
  seed: {
    type: 'integer',
    default: 0,
    minimum: 0,
    description: 'initialisation, shuffling and integral points',
  },
  integralPoints: {
    type: 'integer',
    default: 5,
    minimum: 1,
    maximum: 200,
    description: 'Monte Carlo points per gap for the training integral (stratified)',
  },
  evalIntegralPoints: {
    type: 'integer',
    default: 20,
    minimum: 1,
    maximum: 1000,
    description: 'points per gap for reported log-likelihoods',
  },
  timeScale: {
    type: 'number',
    default: 0,
    minimum: 0,
    description: 'internal time unit (0: mean training gap)',
  },
  hidden: { type: 'integer', default: 32, minimum: 2, maximum: 1024, description: 'hidden size' },
  numSamplesBoundary: {
    type: 'integer',
    default: 5,
    minimum: 2,
    maximum: 100,
    description: 'thinning: probe points for the bound',
  },
  overSampleRate: {
    type: 'number',
    default: 5,
    minimum: 1,
    maximum: 100,
    description: 'thinning: bound multiplier',
  },
  numExp: {
    type: 'integer',
    default: 500,
    minimum: 1,
    maximum: 100000,
    description: 'thinning: proposals per sample',
  },
  dtimeMax: {
    type: 'number',
    default: 0,
    minimum: 0,
    description: 'thinning: largest gap (0: 1.5 x largest training gap)',
  },
} as const satisfies SchemaFields;

type NeuralTrainingFields = typeof NEURAL_TRAINING;

/** The training fields with a model's own defaults. */
export function neuralTrainingFields(
  defaults: Partial<ConfigOf<NeuralTrainingFields>> = {},
): NeuralTrainingFields {
  return withDefaults(NEURAL_TRAINING, defaults);
}

/** Recurrent encoders (RMTPP, FullyNN, IntensityFree). */
export const rnnFields = {
  embDim: { type: 'integer', default: 16, minimum: 1, maximum: 512, description: 'type embedding size' },
  cell: { type: 'string', default: 'rnn', enum: ['rnn', 'gru'], description: 'recurrent cell' },
} as const satisfies SchemaFields;

/** Attention encoders (THP, SAHP, AttNHP). */
export const attentionFields = {
  layers: { type: 'integer', default: 2, minimum: 1, maximum: 12, description: 'attention layers' },
  heads: {
    type: 'integer',
    default: 2,
    minimum: 1,
    maximum: 16,
    description: 'attention heads (must divide hidden)',
  },
} as const satisfies SchemaFields;

/**
 * THP's and SAHP's encoder sees each event's time since its sequence's first event. On a
 * few long sequences that tells the training events apart, and the models fitted them by it
 * (THP's training events with the first 100 cut off scored 1.2 nats worse) instead of by
 * their history; a random shift of each training sequence's encoded times, uniform over the
 * longest training sequence's span, leaves the time since the start nothing to identify.
 * On many sequences the time since the start is no identity but can be information (a
 * simulation started empty ramps up): the shift cost THP 0.004 nats on the 700-sequence
 * Hawkes benchmark. So by default ('auto') it is on only for a training set smaller than a
 * batch, whose every sequence each step shows at the same encoded times.
 */
export const randomTimeShiftField = {
  randomTimeShift: {
    type: 'string',
    default: 'auto',
    enum: ['auto', 'always', 'never'],
    description:
      "training only: shift each sequence's encoded times by a random offset (uniform up to the longest training sequence's span), so the model cannot tell training events apart by their time since the sequence's start; 'auto': when the training set has fewer sequences than batchSize",
  },
} as const satisfies SchemaFields;

/** Whether a `randomTimeShift` setting shifts this training set (the rule of randomTimeShiftField). */
export function timeShiftApplies(
  setting: 'auto' | 'always' | 'never',
  trainSequences: number,
  batchSize: number,
): boolean {
  return setting === 'always' || (setting === 'auto' && trainSequences < batchSize);
}

/** Attention splits the hidden size over the heads. */
export function headsDivideHidden(kind: string): CrossCheck<SchemaFields> {
  return (c) => {
    const { hidden, heads } = c as Record<string, number>;
    return hidden % heads !== 0
      ? [{ field: 'heads', reason: `must divide hidden (${hidden}) for ${kind}` }]
      : [];
  };
}
