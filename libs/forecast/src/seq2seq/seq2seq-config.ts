import type { SchemaFields } from '@seqcast/kit';
import { INPUT_RATES, InputRate } from './chunking';

/**
 * Training of every seq2seq kind, the reference's recipe (conf/config.yaml: Adam lr 1e-4,
 * batch 4, masked MSE, deltas appended, dropout 0.1, best validation epoch kept). Epochs: the
 * reference runs 300 with no early stopping; on this 2-core machine 100 with patience 20.
 */
export const seq2seqTrainingFields = {
  ratio: {
    type: 'integer',
    default: 10,
    minimum: 1,
    maximum: 10000,
    description: 'input steps per output step (the reference freq_ratio: 50 Hz in, 5 Hz out = 10)',
  },
  appendDeltas: {
    type: 'boolean',
    default: true,
    description: 'append the first differences of the inputs as features',
  },
  dropout: { type: 'number', default: 0.1, minimum: 0, exclusiveMaximum: 1, description: 'dropout rate' },
  epochs: { type: 'integer', default: 100, minimum: 1, maximum: 100000, description: 'training epochs' },
  batchSize: { type: 'integer', default: 4, minimum: 1, maximum: 4096, description: 'sequences per batch' },
  learningRate: {
    type: 'number',
    default: 1e-4,
    exclusiveMinimum: 0,
    maximum: 1,
    description: 'Adam learning rate',
  },
  weightDecay: {
    type: 'number',
    default: 0,
    minimum: 0,
    description: 'decoupled weight decay (0: Adam, as the reference)',
  },
  clipNorm: {
    type: 'number',
    default: 0,
    minimum: 0,
    description: 'clip the global gradient norm to this (0: off)',
  },
  patience: {
    type: 'integer',
    default: 20,
    minimum: 0,
    description:
      'stop after this many epochs without a better validation MSE (0: never stop; the best epoch is kept either way)',
  },
  seed: {
    type: 'integer',
    default: 0,
    minimum: 0,
    description: 'seed of the weights, dropout and batch order',
  },
} as const satisfies SchemaFields;

const stateSize = {
  type: 'integer',
  default: 64,
  minimum: 2,
  maximum: 1024,
  description: 'S4D state size N (N/2 complex modes per channel; S4D default 64)',
} as const;

/**
 * HiSS at the reference's base size (conf/model/hierarchical_s4.yaml: low level 64 wide, 4
 * layers; high level 64 wide, 4 layers). The best per-dataset configs go to 256 x 6 and
 * 128 x 6; those train about 10x slower here, so they are options, not defaults.
 */
export const hissFields = {
  ...seq2seqTrainingFields,
  lowWidth: { type: 'integer', default: 64, minimum: 1, maximum: 1024, description: 'low-level S4D width' },
  lowLayers: { type: 'integer', default: 4, minimum: 1, maximum: 32, description: 'low-level S4D blocks' },
  highWidth: { type: 'integer', default: 64, minimum: 1, maximum: 1024, description: 'high-level S4D width' },
  highLayers: { type: 'integer', default: 4, minimum: 1, maximum: 32, description: 'high-level S4D blocks' },
  stateSize,
} as const satisfies SchemaFields;

const inputRate = {
  type: 'string',
  default: 'mean',
  enum: INPUT_RATES,
  description:
    "how the baseline meets the output rate: 'mean' of each chunk's input features, its 'last' sample, or 'full' " +
    "(the reference's LowFreqPredictor: the model runs at the input rate and is read at each chunk's last step)",
} as const;

/** Flat baselines at the reference's sizes (conf/model/s4.yaml, lstm.yaml, transformer.yaml). */
export const flatS4DFields = {
  ...seq2seqTrainingFields,
  width: { type: 'integer', default: 128, minimum: 1, maximum: 1024, description: 'S4D width' },
  layers: { type: 'integer', default: 6, minimum: 1, maximum: 32, description: 'S4D blocks' },
  stateSize,
  inputRate,
} as const satisfies SchemaFields;

export const lstmFields = {
  ...seq2seqTrainingFields,
  width: {
    type: 'integer',
    default: 128,
    minimum: 1,
    maximum: 1024,
    description: 'embedding and LSTM hidden size',
  },
  layers: { type: 'integer', default: 2, minimum: 1, maximum: 16, description: 'stacked LSTM layers' },
  inputRate,
} as const satisfies SchemaFields;

export const transformerFields = {
  ...seq2seqTrainingFields,
  width: {
    type: 'integer',
    default: 128,
    minimum: 1,
    maximum: 1024,
    description: 'model width (feed-forward width too)',
  },
  layers: { type: 'integer', default: 6, minimum: 1, maximum: 32, description: 'encoder layers' },
  heads: {
    type: 'integer',
    default: 2,
    minimum: 1,
    maximum: 64,
    description: 'attention heads (must divide width)',
  },
  inputRate,
} as const satisfies SchemaFields;

/** What the shared training code reads from any kind's config. */
export interface Seq2SeqTrainingConfig {
  ratio: number;
  appendDeltas: boolean;
  dropout: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  weightDecay: number;
  clipNorm: number;
  patience: number;
  seed: number;
}

export interface HissConfig extends Seq2SeqTrainingConfig {
  lowWidth: number;
  lowLayers: number;
  highWidth: number;
  highLayers: number;
  stateSize: number;
}

export interface FlatConfig extends Seq2SeqTrainingConfig {
  width: number;
  layers: number;
  inputRate: InputRate;
  stateSize?: number;
  heads?: number;
}
