import { SchemaFields, withDefaults } from '@seqcast/kit';
import { attentionFields } from '../config-schema';

/** Training fields of every sequence-level kind (defaults: what learns JapaneseVowels and Pendulum on a CPU). */
export const sequenceTrainingFields = {
  hidden: { type: 'integer', default: 64, minimum: 2, maximum: 1024, description: 'encoder width' },
  epochs: {
    type: 'integer',
    default: 60,
    minimum: 1,
    maximum: 10000,
    description: 'training epochs (at most)',
  },
  batchSize: { type: 'integer', default: 32, minimum: 1, maximum: 4096, description: 'sequences per batch' },
  learningRate: {
    type: 'number',
    default: 0.005,
    minimum: 1e-6,
    maximum: 1,
    description: 'AdamW learning rate',
  },
  weightDecay: {
    type: 'number',
    default: 0,
    minimum: 0,
    maximum: 1,
    description: 'AdamW decoupled weight decay',
  },
  clipNorm: { type: 'number', default: 1, minimum: 0, description: 'global gradient-norm clip (0: off)' },
  patience: {
    type: 'integer',
    default: 10,
    minimum: 0,
    description: 'early stopping on the validation loss, best epoch kept (0: off)',
  },
  seed: { type: 'integer', default: 0, minimum: 0, description: 'initialisation and batch order' },
} as const satisfies SchemaFields;

export const transformerFields = {
  ...sequenceTrainingFields,
  ...withDefaults(attentionFields, { heads: 4 }),
} as const satisfies SchemaFields;

export const mtandFields = {
  ...sequenceTrainingFields,
  heads: { type: 'integer', default: 1, minimum: 1, maximum: 16, description: 'time-attention heads' },
  referencePoints: {
    type: 'integer',
    default: 16,
    minimum: 2,
    maximum: 512,
    description: 'reference times the events are re-read at (over [0, 1.5] mean durations)',
  },
  timeEmbedding: {
    type: 'integer',
    default: 16,
    minimum: 2,
    maximum: 512,
    description: 'time-embedding width',
  },
} as const satisfies SchemaFields;

export const colesFields = {
  ...sequenceTrainingFields,
  epochs: {
    type: 'integer',
    default: 100,
    minimum: 1,
    maximum: 10000,
    description: 'linear-head epochs (at most)',
  },
  pretrainEpochs: {
    type: 'integer',
    default: 40,
    minimum: 1,
    maximum: 10000,
    description: 'contrastive pretraining epochs',
  },
  subsequences: {
    type: 'integer',
    default: 4,
    minimum: 2,
    maximum: 64,
    description: 'random slices per sequence in pretraining',
  },
  minFraction: {
    type: 'number',
    default: 0.5,
    minimum: 0.01,
    maximum: 1,
    description: 'shortest slice, as a fraction of its sequence',
  },
  maxFraction: {
    type: 'number',
    default: 0.9,
    minimum: 0.01,
    maximum: 1,
    description: 'longest slice, as a fraction of its sequence',
  },
  margin: {
    type: 'number',
    default: 0.5,
    minimum: 0,
    maximum: 2,
    description: 'contrastive margin on unit-length embeddings',
  },
} as const satisfies SchemaFields;

/** One dimension of a hyperparameter search. */
export type SearchDimension =
  | { type: 'float'; low: number; high: number; log?: boolean }
  | { type: 'int'; low: number; high: number; log?: boolean }
  | { type: 'categorical'; choices: Array<string | number | boolean> };

export type SearchSpace = Record<string, SearchDimension>;

const common: SearchSpace = {
  learningRate: { type: 'float', low: 3e-4, high: 3e-2, log: true },
  hidden: { type: 'int', low: 16, high: 128, log: true },
  weightDecay: { type: 'float', low: 1e-6, high: 1e-2, log: true },
  batchSize: { type: 'categorical', choices: [16, 32, 64] },
};

/**
 * The default search space per kind (EBES searches learning rate, width and regularisation
 * per model; a config may give its own `search`). Values are config fields of the kind.
 */
export const DEFAULT_SEARCH_SPACES: Record<string, SearchSpace> = {
  gru: common,
  mean_pool_mlp: common,
  transformer: {
    ...common,
    hidden: { type: 'categorical', choices: [16, 32, 64] },
    layers: { type: 'int', low: 1, high: 2 },
  },
  mtand: { ...common, referencePoints: { type: 'int', low: 8, high: 32 } },
  coles: {
    ...common,
    margin: { type: 'float', low: 0.2, high: 1 },
    subsequences: { type: 'int', low: 2, high: 6 },
  },
};
