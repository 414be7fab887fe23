import { ValidationFailed } from '@seqcast/core';
import { validationFailure } from '../testing/validation-failure';
import { ConfigSchema } from './config-schema';
import { withDefaults } from './with-defaults';

const fields = {
  lags: { type: 'integer', default: 4, minimum: 1, maximum: 100, description: 'lags' },
  rate: { type: 'number', default: 0.5, exclusiveMinimum: 0, exclusiveMaximum: 1, description: 'rate' },
  loss: { type: 'string', default: 'mse', enum: ['mse', 'huber'], description: 'loss' },
  note: { type: 'string', default: '', description: 'free text' },
  bias: { type: 'boolean', default: true, description: 'bias' },
  weights: {
    type: 'array',
    items: { type: 'number' },
    default: [1, 2],
    minItems: 1,
    maxItems: 3,
    description: 'weights',
  },
} as const;
const schema = new ConfigSchema(fields, (c) =>
  c.lags > 10 && c.loss === 'huber' ? [{ field: 'loss', reason: 'huber needs at most 10 lags' }] : [],
);

describe('ConfigSchema', () => {
  it('fills defaults, keeps given values and copies arrays both ways', () => {
    const given = [0.5];
    const c = schema.parse({ lags: 7, weights: given }, 'demo');
    expect(c).toEqual({ lags: 7, rate: 0.5, loss: 'mse', note: '', bias: true, weights: [0.5] });
    given.push(9);
    expect(c.weights).toEqual([0.5]);
    c.weights.push(3);
    expect(schema.defaults().weights).toEqual([1, 2]);
    expect(schema.parse(undefined, 'demo')).toEqual(schema.defaults());
    expect(schema.parse(null, 'demo')).toEqual(schema.defaults());
  });

  it('holds each bound of the JSON Schema vocabulary, at and past the edge', () => {
    const ok = (v: Record<string, unknown>) => () => schema.parse(v, 'demo');
    expect(ok({ lags: 1 })).not.toThrow();
    expect(ok({ lags: 100 })).not.toThrow();
    expect(validationFailure(ok({ lags: 0 })).details).toEqual([
      { field: 'config.lags', reason: 'must be >= 1, got 0' },
    ]);
    expect(validationFailure(ok({ lags: 101 })).details[0].reason).toBe('must be <= 100, got 101');
    expect(validationFailure(ok({ lags: 2.5 })).details[0].reason).toBe('must be an integer, got 2.5');
    expect(validationFailure(ok({ rate: 0 })).details[0].reason).toBe('must be > 0, got 0');
    expect(validationFailure(ok({ rate: 1 })).details[0].reason).toBe('must be < 1, got 1');
    expect(ok({ rate: 1e-9 })).not.toThrow();
    expect(validationFailure(ok({ rate: NaN })).details[0].reason).toMatch(/finite number/);
    expect(validationFailure(ok({ weights: [] })).details[0].reason).toBe('needs at least 1 items');
    expect(validationFailure(ok({ weights: [1, 2, 3, 4] })).details[0].reason).toBe('takes at most 3 items');
    expect(validationFailure(ok({ weights: [1, 'x'] })).details[0].reason).toMatch(/array of finite numbers/);
    expect(validationFailure(ok({ bias: 1 })).details[0].reason).toMatch(/true or false/);
    expect(validationFailure(ok({ note: 3 })).details[0].reason).toMatch(/a string/);
    expect(ok({ note: 'anything' })).not.toThrow();
  });

  it('names every bad and unknown field in one error, under the caller prefix', () => {
    const e = validationFailure(() =>
      schema.parse({ lags: 0, loss: 'l3', colour: 'red', bias: 'yes' }, 'demo', 'options'),
    );
    expect(e.details.map((d) => d.field).sort()).toEqual([
      'options.bias',
      'options.colour',
      'options.lags',
      'options.loss',
    ]);
    expect(e.details.find((d) => d.field === 'options.loss')!.reason).toMatch(/one of mse, huber/);
    expect(e.details.find((d) => d.field === 'options.colour')!.reason).toMatch(/unknown option for 'demo'/);
    expect(e.status).toBe(400);
    expect(e.message).toContain("'demo'");
  });

  it('refuses a config that is not an object, naming the prefix', () => {
    expect(validationFailure(() => schema.parse([1], 'demo')).details).toEqual([
      { field: 'config', reason: 'must be an object' },
    ]);
    expect(validationFailure(() => schema.parse('x', 'demo', 'artifact.config')).details[0].field).toBe(
      'artifact.config',
    );
  });

  it('runs cross-field checks only on a config whose fields are each valid', () => {
    expect(validationFailure(() => schema.parse({ lags: 20, loss: 'huber' }, 'demo')).details).toEqual([
      { field: 'config.loss', reason: 'huber needs at most 10 lags' },
    ]);
    // a field error hides the cross-field one (it would judge values that are not there)
    expect(
      validationFailure(() => schema.parse({ lags: 200, loss: 'huber' }, 'demo')).details.map((d) => d.field),
    ).toEqual(['config.lags']);
    const whole = new ConfigSchema(fields, () => [{ field: '', reason: 'never' }]);
    expect(validationFailure(() => whole.parse({}, 'demo')).details[0].field).toBe('config');
  });

  it('describes itself as a JSON Schema object, a copy of the fields', () => {
    const j = schema.toJsonSchema();
    expect(j).toEqual({
      type: 'object',
      additionalProperties: false,
      properties: JSON.parse(JSON.stringify(fields)),
    });
    (j.properties.weights.default as number[]).push(5);
    (j.properties.loss.enum as string[]).push('l1');
    expect(schema.defaults().weights).toEqual([1, 2]);
    expect(() => schema.parse({ loss: 'l1' }, 'demo')).toThrow(ValidationFailed);
  });

  it('withDefaults changes defaults only', () => {
    const f = withDefaults(fields, { lags: 9, loss: 'huber' });
    expect(new ConfigSchema(f).defaults()).toMatchObject({ lags: 9, loss: 'huber', rate: 0.5 });
    expect(f.lags).toMatchObject({ minimum: 1, maximum: 100 });
    expect(fields.lags.default).toBe(4);
    expect(() => withDefaults(fields, { nope: 1 } as never)).toThrow(/no field 'nope'/);
  });
});
