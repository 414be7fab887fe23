import { validationFailure } from '@seqcast/kit';
import { forecasterRegistry } from './builtin';
import { asTimed } from '../timed-forecaster';

describe('forecaster registry', () => {
  it('lists every kind of the zoo', () => {
    expect(forecasterRegistry.kinds()).toEqual([
      'ar-net',
      'arima',
      'classic-ar',
      'dlinear',
      'drift',
      'ensemble',
      'ets',
      'linear',
      'ls4',
      'naive',
      'nlinear',
      'seasonal-naive',
      'spacetime',
      'theta',
    ]);
  });

  it('describes a kind with a JSON schema usable for OpenAPI, and its defaults', () => {
    const d = forecasterRegistry.describe('ar-net');
    expect(d.trained).toBe(true);
    expect(d.configSchema.type).toBe('object');
    expect(d.configSchema.additionalProperties).toBe(false);
    expect(d.configSchema.properties.lags).toMatchObject({ type: 'integer', minimum: 1, default: 20 });
    expect(d.configSchema.properties.loss).toMatchObject({ type: 'string', enum: ['mse', 'huber'] });
    expect(d.defaults.c1).toBe(3);
    expect(forecasterRegistry.describe('spacetime').configSchema.properties.lossWeights).toMatchObject({
      type: 'array',
      items: { type: 'number' },
    });
  });

  it('fills defaults and creates the model', () => {
    const m = forecasterRegistry.create('classic-ar', { order: 5 });
    expect(m.kind).toBe('classic-ar');
    expect(m.lookback).toBe(5);
    expect(m.config).toMatchObject({ order: 5, ridge: 0 });
  });

  it('names every bad field in one ValidationFailed', () => {
    const e = validationFailure(() =>
      forecasterRegistry.create('ar-net', { lags: 0, sparsity: 2, loss: 'l3', bogus: true, epochs: 1.5 }),
    );
    const fields = e.details.map((d) => d.field).sort();
    expect(fields).toEqual([
      'config.bogus',
      'config.epochs',
      'config.lags',
      'config.loss',
      'config.sparsity',
    ]);
    expect(e.details.find((d) => d.field === 'config.loss')!.reason).toMatch(/one of mse, huber/);
    expect(e.status).toBe(400);
  });

  it('runs cross-field checks', () => {
    const e = validationFailure(() =>
      forecasterRegistry.validate('spacetime', { modelDim: 100, encoderKernels: 32 }),
    );
    expect(e.details.map((d) => d.field)).toContain('config.encoderKernels');
    expect(
      validationFailure(() => forecasterRegistry.validate('dlinear', { movingAverage: 24 })).details[0].field,
    ).toBe('config.movingAverage');
  });

  it('rejects unknown kinds with the known ones listed', () => {
    const e = validationFailure(() => forecasterRegistry.create('prophet'));
    expect(e.details[0]).toMatchObject({ field: 'kind' });
    expect(e.details[0].reason).toMatch(/spacetime/);
  });

  it('rejects a non-object config', () => {
    expect(validationFailure(() => forecasterRegistry.create('naive', [1, 2])).details[0].field).toBe(
      'config',
    );
  });

  it("declares each kind's roles, and the model reads its lookback and horizon from those fields", () => {
    const roles = Object.fromEntries(forecasterRegistry.kinds().map((k) => [k, forecasterRegistry.roles(k)]));
    expect(roles).toEqual({
      'ar-net': { lookback: 'lags', horizon: 'horizon' },
      arima: { lookback: 'lookback', maxHorizon: 'maxHorizon' },
      'classic-ar': { maxHorizon: 'maxHorizon' },
      dlinear: { lookback: 'lookback', horizon: 'horizon' },
      drift: { maxHorizon: 'maxHorizon' },
      ensemble: { maxHorizon: 'maxHorizon' },
      ets: { lookback: 'lookback', maxHorizon: 'maxHorizon' },
      linear: { lookback: 'lookback', horizon: 'horizon' },
      ls4: { lookback: 'lookback', horizon: 'horizon' },
      naive: { maxHorizon: 'maxHorizon' },
      nlinear: { lookback: 'lookback', horizon: 'horizon' },
      'seasonal-naive': { maxHorizon: 'maxHorizon' },
      spacetime: { lookback: 'lookback', horizon: 'horizon' },
      theta: { lookback: 'lookback', maxHorizon: 'maxHorizon' },
    });
    for (const kind of forecasterRegistry.kinds()) {
      const r = forecasterRegistry.roles(kind);
      const config: Record<string, number> = {};
      if (r.lookback) config[r.lookback] = 400;
      if (r.horizon) config[r.horizon] = 3;
      if (r.maxHorizon) config[r.maxHorizon] = 5;
      const m = forecasterRegistry.create(kind, config);
      if (r.lookback) expect(m.lookback).toBe(400);
      expect(m.maxHorizon).toBe(r.horizon ? 3 : 5);
      m.dispose();
    }
  });

  it('declares capabilities that agree with what each model says of itself', () => {
    for (const kind of forecasterRegistry.kinds()) {
      const m = forecasterRegistry.create(kind);
      const d = forecasterRegistry.describe(kind);
      expect([kind, d.trained]).toEqual([kind, m.capabilities.update === 'gradient']);
      expect([kind, d.capabilities.includes('trained')]).toEqual([kind, d.trained]);
      expect([kind, forecasterRegistry.can(kind, 'differentiable')]).toEqual([
        kind,
        m.capabilities.differentiable,
      ]);
      expect([kind, forecasterRegistry.can(kind, 'updatable')]).toEqual([
        kind,
        m.capabilities.update === 'exact' || m.capabilities.update === 'gradient',
      ]);
      expect(d.family).toBe('series');
      // 'timed' is declared exactly where the model reads times (the platform goes by the object)
      expect([kind, forecasterRegistry.can(kind, 'timed')]).toEqual([kind, asTimed(m) !== null]);
      m.dispose();
    }
  });
});
