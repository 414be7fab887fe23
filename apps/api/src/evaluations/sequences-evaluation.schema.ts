import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

const searchDimension: SchemaObject = {
  type: 'object',
  description: "{type: 'float' | 'int', low, high, log?} or {type: 'categorical', choices}",
};

/**
 * The body of POST /evaluations for an EBES-style evaluation of sequence-level models, for
 * the OpenAPI document (the job handler validates it with libs/eval's
 * validateSequenceEvalConfig; this only describes it). `.ts` files must lie in the shared
 * data folder (`${SHARED_DATA}/...`).
 */
export const SEQUENCES_EVALUATION_BODY: SchemaObject = {
  type: 'object',
  required: ['kind', 'datasets', 'models'],
  properties: {
    kind: { type: 'string', enum: ['sequences'] },
    datasets: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['name', 'source'],
        properties: {
          name: { type: 'string' },
          source: {
            type: 'object',
            required: ['kind'],
            description:
              "{kind: 'japanese_vowels'} | {kind: 'uea', train, test} | {kind: 'pendulum', pool?, test?, seed?} | {kind: 'hawkes_pair', pool?, test?, seed?, duration?} | {kind: 'inline', schema: {task, numClasses?, numericFeatures, categoricalCardinalities?}, pool: rows, test: rows}",
            properties: {
              kind: { type: 'string', enum: ['uea', 'japanese_vowels', 'pendulum', 'hawkes_pair', 'inline'] },
            },
          },
          metric: {
            type: 'string',
            enum: ['accuracy', 'mse', 'mae'],
            description: 'default: accuracy (classification), mse (regression)',
          },
        },
      },
    },
    models: {
      type: 'array',
      minItems: 1,
      items: {
        oneOf: [
          { type: 'string', enum: ['gru', 'transformer', 'mean_pool_mlp', 'coles', 'mtand'] },
          {
            type: 'object',
            required: ['kind'],
            properties: {
              kind: { type: 'string', enum: ['gru', 'transformer', 'mean_pool_mlp', 'coles', 'mtand'] },
              name: { type: 'string' },
              config: { type: 'object' },
              search: { type: 'object', additionalProperties: searchDimension },
            },
          },
        ],
      },
    },
    budget: { type: 'string', enum: ['full', 'small', 'tiny'], default: 'full' },
    hpo: {
      type: 'object',
      properties: {
        method: { type: 'string', enum: ['tpe', 'random'], default: 'tpe' },
        trials: { type: 'integer', minimum: 0, description: 'default by budget: 70 / 6 / 2' },
        seeds: {
          type: 'integer',
          minimum: 1,
          description: 'seeds per trial (objective mean - std); default 3',
        },
      },
    },
    seeds: { type: 'integer', minimum: 1, description: 'final runs; default by budget: 20 / 10 / 3' },
    ablations: { type: 'array', items: { type: 'string', enum: ['drop_time', 'permute'] } },
    ablationSeeds: { type: 'integer', minimum: 1 },
    maxEpochs: { type: 'integer', minimum: 0, description: "caps every model's epochs (0: none)" },
    splitSeed: { type: 'integer', minimum: 0 },
    alpha: { type: 'number', minimum: 0, maximum: 1, default: 0.01, description: 'in (0, 1)' },
  },
};
