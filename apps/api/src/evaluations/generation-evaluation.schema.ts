import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/**
 * The body of POST /evaluations for LS4's generation protocol, for the OpenAPI document (the
 * job handler validates it with libs/eval's validateGenerationEvalConfig; this only describes it).
 */
export const GENERATION_EVALUATION_BODY: SchemaObject = {
  type: 'object',
  required: ['kind', 'datasetId', 'target', 'length'],
  properties: {
    kind: { type: 'string', enum: ['generation'] },
    datasetId: { type: 'string', format: 'uuid' },
    version: { type: 'integer', minimum: 1, description: 'dataset version (default: the newest)' },
    target: { type: 'string', description: 'the value column' },
    length: {
      type: 'integer',
      minimum: 4,
      maximum: 4096,
      description:
        'T: the real set is the last T values of every series long enough (no missing values), each z-scored by itself',
    },
    models: {
      type: 'array',
      description: "generative model kinds (GET /models/kinds, capability 'generative') and their options",
      items: {
        type: 'object',
        required: ['kind'],
        properties: {
          kind: { type: 'string', example: 'ls4' },
          name: { type: 'string' },
          config: {
            type: 'object',
            description: "the kind's options; lookback + horizon default to T (horizon T/4)",
          },
        },
      },
    },
    baselines: {
      type: 'array',
      items: { type: 'string', enum: ['gaussian-ar', 'moving-block-bootstrap'] },
      description: 'classical generators fitted to the same real set (default: both)',
    },
    seeds: { type: 'integer', minimum: 1, maximum: 10, default: 3 },
    firstSeed: {
      type: 'integer',
      minimum: 0,
      maximum: 1000000,
      default: 0,
      description:
        'the first seed: the run uses firstSeed .. firstSeed + seeds - 1 (to add seeds to an earlier study)',
    },
    metricEpochs: {
      type: 'integer',
      minimum: 1,
      maximum: 1000,
      default: 100,
      description: "epochs of the discriminator and the predictor (LS4's protocol: 100)",
    },
  },
};
