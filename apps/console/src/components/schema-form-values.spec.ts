import { ApiError } from '../api';
import type { JsonSchema } from '../types';
import { apiFieldErrors, defaultsOf, initialState, toConfig, validateConfig } from './schema-form-values';

/** A schema with every control the form knows, a nested object among them. */
const SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    lags: { type: 'integer', default: 20, minimum: 1, maximum: 5000 },
    rate: { type: 'number', default: 0.5, exclusiveMinimum: 0 },
    loss: { type: 'string', default: 'mse', enum: ['mse', 'huber'] },
    skip: { type: 'boolean', default: true },
    levels: { type: 'array', items: { type: 'number' }, default: [0.8, 0.95], maxItems: 3 },
    members: { type: 'string', default: '[]' },
    encoder: {
      type: 'object',
      properties: {
        layers: { type: 'integer', default: 2, minimum: 1 },
        act: { type: 'string', enum: ['relu', 'gelu'], default: 'relu' },
      },
    },
  },
};

describe('initialState and defaultsOf', () => {
  it('shows every default as the text its control holds, nested objects as their own state', () => {
    expect(initialState(SCHEMA)).toEqual({
      lags: '20',
      rate: '0.5',
      loss: 'mse',
      skip: true,
      levels: '0.8, 0.95',
      members: '[]',
      encoder: { layers: '2', act: 'relu' },
    });
    expect(defaultsOf(SCHEMA)).toEqual({
      lags: 20,
      rate: 0.5,
      loss: 'mse',
      skip: true,
      levels: [0.8, 0.95],
      members: '[]',
      encoder: { layers: 2, act: 'relu' },
    });
  });
});

describe('toConfig', () => {
  it('sends nothing for an untouched form, and the full config is the defaults', () => {
    const out = toConfig(SCHEMA, initialState(SCHEMA));
    expect(out).toEqual({ config: {}, full: defaultsOf(SCHEMA), errors: {} });
  });

  it('sends exactly the changed fields, parsed to their types, nested ones inside their object', () => {
    const state = {
      ...initialState(SCHEMA),
      lags: '48',
      rate: '1e-3',
      skip: false,
      levels: '0.5 ,0.9',
      encoder: { layers: '2', act: 'gelu' },
    };
    const out = toConfig(SCHEMA, state);
    expect(out.errors).toEqual({});
    expect(out.config).toEqual({
      lags: 48,
      rate: 0.001,
      skip: false,
      levels: [0.5, 0.9],
      encoder: { act: 'gelu' },
    });
    expect(out.full.encoder).toEqual({ layers: 2, act: 'gelu' });
  });

  it('a blank number means its default; an emptied list is an empty list', () => {
    const out = toConfig(SCHEMA, { ...initialState(SCHEMA), lags: '', levels: '' });
    expect(out.config).toEqual({ levels: [] });
    expect(out.full.lags).toBe(20);
  });

  it('names each bad field: bounds, whole numbers, list items and lengths, nested fields', () => {
    const out = toConfig(SCHEMA, {
      ...initialState(SCHEMA),
      lags: '0',
      rate: '0',
      levels: '0.1, x',
      encoder: { layers: '1.5', act: 'relu' },
    });
    expect(out.errors).toEqual({
      lags: 'must be ≥ 1',
      rate: 'must be > 0',
      levels: '"x" is not a number; separate numbers with commas',
      'encoder.layers': 'must be a whole number',
    });
    expect(toConfig(SCHEMA, { ...initialState(SCHEMA), levels: '0.1, 0.2, 0.3, 0.4' }).errors).toEqual({
      levels: 'takes at most 3 values',
    });
    expect(toConfig(SCHEMA, { ...initialState(SCHEMA), lags: '5001' }).errors).toEqual({
      lags: 'must be ≤ 5000',
    });
  });
});

describe('validateConfig', () => {
  it('refuses unknown options where the schema forbids them, and wrong types', () => {
    expect(validateConfig(SCHEMA, { lagz: 3, loss: 'l1', skip: 'yes' })).toEqual({
      lagz: 'unknown option',
      loss: 'must be one of mse, huber',
      skip: 'must be true or false',
    });
  });
});

describe('apiFieldErrors', () => {
  it("maps the API's config.<path> details onto form fields and leaves the rest", () => {
    const err = new ApiError(400, 'validation_failed', 'invalid', [
      { field: 'config.lags', reason: 'must be >= 1, got 0' },
      { field: 'config.order[1]', reason: 'must be an integer' },
      { field: 'config.order[2]', reason: 'must be >= 0' },
      { field: 'config.encoder.layers', reason: 'too many' },
      { field: 'lookback', reason: 'must be >= 1' },
    ]);
    expect(apiFieldErrors(err)).toEqual({
      lags: 'must be >= 1, got 0',
      order: 'must be an integer; must be >= 0',
      'encoder.layers': 'too many',
    });
  });
});
