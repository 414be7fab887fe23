import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

const int = (minimum: number, maximum?: number, extra: Record<string, unknown> = {}): SchemaObject => ({
  type: 'integer',
  minimum,
  ...(maximum !== undefined ? { maximum } : {}),
  ...extra,
});
const split: SchemaObject = {
  type: 'array',
  items: { type: 'number' },
  minItems: 3,
  maxItems: 3,
  description: 'train / dev / test shares',
};
const matrix: SchemaObject = { type: 'array', items: { type: 'array', items: { type: 'number' } } };
/** The process an external simulation drew a file from: truth, gap and bound rows follow. */
const truth: SchemaObject = {
  type: 'object',
  required: ['kind', 'mu', 'alpha', 'beta'],
  description: 'the generating Hawkes process, in the time unit of the data',
  properties: {
    kind: { type: 'string', enum: ['hawkes'] },
    mu: { type: 'array', items: { type: 'number' } },
    alpha: matrix,
    beta: matrix,
  },
};
const sequence: SchemaObject = {
  type: 'object',
  required: ['times', 'types'],
  properties: {
    times: { type: 'array', items: { type: 'number' } },
    types: { type: 'array', items: { type: 'integer' } },
  },
};
const sequences: SchemaObject = { type: 'array', items: sequence };

/**
 * The body of POST /evaluations/tpp for the OpenAPI document: the config `seqcast eval tpp`
 * reads (validated by the evaluation job's handler, libs/eval's validateTppEvalConfig; this
 * only describes it). Files must lie in the shared data folder (`${SHARED_DATA}/...`).
 */
export const TPP_EVALUATION_BODY: SchemaObject = {
  type: 'object',
  required: ['datasets', 'models'],
  additionalProperties: false,
  properties: {
    datasets: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['name', 'source'],
        properties: {
          name: { type: 'string' },
          source: {
            oneOf: [
              {
                type: 'object',
                required: ['kind'],
                description: 'a simulated Hawkes process (known truth)',
                properties: {
                  kind: { type: 'string', enum: ['hawkes'] },
                  params: { type: 'object', description: 'mu, alpha, beta (default: the benchmark process)' },
                  endTime: { type: 'number' },
                  train: int(1),
                  dev: int(0),
                  test: int(1),
                  seed: int(0),
                },
              },
              {
                type: 'object',
                required: ['kind'],
                description: 'EasyTPP JSON: one file split by `split`, or train/dev/test files',
                properties: {
                  kind: { type: 'string', enum: ['easytpp'] },
                  file: { type: 'string' },
                  train: { type: 'string' },
                  dev: { type: 'string' },
                  test: { type: 'string' },
                  split,
                  seed: int(0),
                  truth,
                },
              },
              {
                type: 'object',
                required: ['kind', 'file'],
                description: 'an earthquake catalogue CSV, cut into windows',
                properties: {
                  kind: { type: 'string', enum: ['earthquakes'] },
                  file: { type: 'string' },
                  windowDays: { type: 'number', description: 'window length in days (default 30)' },
                  minMagnitude: { type: 'number', description: 'events below it are dropped before windows are capped' },
                  typeBy: { type: 'string', enum: ['magnitude', 'position'], description: 'magnitude classes, or bins along the fault (columns x, y)' },
                  magnitudeBins: { type: 'array', items: { type: 'number' } },
                  positionBins: { type: 'integer', minimum: 2, maximum: 20, description: 'with typeBy position (default 3)' },
                  maxEvents: int(2),
                  split,
                },
              },
              {
                type: 'object',
                required: ['kind', 'numTypes', 'train', 'test'],
                description: 'the splits given inline',
                properties: {
                  kind: { type: 'string', enum: ['inline'] },
                  numTypes: int(1),
                  train: sequences,
                  dev: sequences,
                  test: sequences,
                  timeUnit: {
                    type: 'string',
                    enum: ['seconds', 'days', 'as given'],
                    description: 'the unit of the times (named beside every LL)',
                  },
                  truth,
                },
              },
              {
                type: 'object',
                required: ['kind', 'datasetId'],
                description: 'a stored event dataset, split 70/15/15 by seed as training splits it',
                properties: {
                  kind: { type: 'string', enum: ['dataset'] },
                  datasetId: { type: 'string', format: 'uuid' },
                  version: int(1),
                  seed: int(0),
                },
              },
            ],
          },
        },
      },
    },
    models: {
      type: 'array',
      minItems: 1,
      description: 'event model kinds (GET /event-models/kinds), each a name or {kind, name?, config?}',
      items: {
        oneOf: [
          { type: 'string' },
          {
            type: 'object',
            required: ['kind'],
            properties: { kind: { type: 'string' }, name: { type: 'string' }, config: { type: 'object' } },
          },
        ],
      },
    },
    seeds: { type: 'array', items: int(0), minItems: 1, default: [0] },
    integralPoints: int(1, 1000, { default: 20, description: 'points per gap for sampled integrals' }),
    predictSamples: int(1, 10000, { default: 50, description: 'draws behind each predicted mean and type' }),
    baselines: {
      type: 'boolean',
      default: true,
      description: 'add the Poisson row and, for simulations, the truth',
    },
    horizon: {
      type: 'object',
      additionalProperties: false,
      description:
        "horizon mode: each model (HYPRO by reranking, the others by plain sampling) continues each test history by `events` events; OTD and per-type count RMSE against the test sequence's last `events` events",
      properties: {
        events: int(1, 1000, { default: 20 }),
        minHistory: int(1, 100000, { default: 5 }),
        maxWindows: int(1, 100000, { default: 100 }),
      },
    },
  },
};
