import { ValidationFailed } from '@seqcast/core';
import { forecasterRegistry } from '../registry/builtin';
import { testContext } from '../testing/fixtures';
import { R_REFERENCE, maxRelative } from './testdata/r-reference';

const air = R_REFERENCE.datasets.AirPassengers;
const series = [Float32Array.from(air.y)];

describe('statistical kinds in the registry', () => {
  it("ets: fitted per series at forecast time, R's automatic model with its 80/95% intervals as quantiles", async () => {
    const m = forecasterRegistry.create('ets', { seasonLength: 12 });
    await m.fit([series], undefined, testContext());
    const f = m.predict(series, 24);
    // float32 values in and out: R's figures to float32 precision
    expect(maxRelative(f.channel(0), air.auto.mean)).toBeLessThan(1e-5);
    const q = f.toJSON().quantiles!;
    expect(Object.keys(q).map(Number).sort()).toEqual([0.025, 0.1, 0.9, 0.975]);
    expect(maxRelative(q['0.1'][0], air.auto.lo80)).toBeLessThan(1e-5);
    expect(maxRelative(q['0.975'][0], air.auto.hi95)).toBeLessThan(1e-5);
  });

  it('ets with fixed components fits that model (ETS(A,A,A) of R)', () => {
    const m = forecasterRegistry.create('ets', {
      seasonLength: 12,
      error: 'A',
      trend: 'A',
      season: 'A',
      damped: 'no',
    });
    expect(maxRelative(m.predict(series, 24).channel(0), air.fixed.AAA.mean)).toBeLessThan(1e-5);
  });

  it("theta: R's thetaf; reads only the newest `lookback` values", () => {
    const m = forecasterRegistry.create('theta', { seasonLength: 12 });
    expect(maxRelative(m.predict(series, 24).channel(0), air.theta.mean)).toBeLessThan(1e-5);
    const short = forecasterRegistry.create('theta', { seasonLength: 12, lookback: 60 });
    expect(Array.from(short.predict(series, 6).channel(0))).toEqual(
      Array.from(short.predict([series[0].slice(-60)], 6).channel(0)),
    );
  });

  it("arima: a fixed order is R's Arima fit of that order, with its 80/95% intervals as quantiles", () => {
    const a = air.arima;
    const m = forecasterRegistry.create('arima', {
      seasonLength: 12,
      order: a.order,
      seasonalOrder: a.seasonal,
    });
    const f = m.predict(series, 24);
    expect(maxRelative(f.channel(0), a.mean)).toBeLessThan(1e-5);
    const q = f.toJSON().quantiles!;
    expect(maxRelative(q['0.1'][0], a.lo80)).toBeLessThan(1e-5);
    expect(maxRelative(q['0.975'][0], a.hi95)).toBeLessThan(1e-5);
  });

  it('arima: the automatic search on a non-seasonal series picks what R picks (WWWusage: ARIMA(1,1,1))', () => {
    const w = R_REFERENCE.datasets.WWWusage;
    const m = forecasterRegistry.create('arima', {});
    expect(maxRelative(m.predict([Float32Array.from(w.y)], 24).channel(0), w.arima.mean)).toBeLessThan(1e-5);
  });

  it('refuses bad configs naming the field, and contexts too short to fit', () => {
    const fields = (kind: string, config: Record<string, unknown>) => {
      try {
        forecasterRegistry.validate(kind, config);
      } catch (e) {
        return (e as ValidationFailed).details.map((d) => d.field);
      }
      return [];
    };
    expect(fields('ets', { season: 'X' })).toEqual(['config.season']);
    expect(fields('ets', { levels: [0.9, 1.5] })).toEqual(['config.levels[1]']);
    expect(fields('theta', { variant: 'dynamic' })).toEqual(['config.variant']);
    expect(fields('arima', { order: [1, 1] })).toEqual(['config.order']);
    expect(fields('arima', { order: [1, 3, 0.5] })).toEqual(['config.order[1]', 'config.order[2]']);
    expect(fields('arima', { seasonalOrder: [0, 1, 1] })).toEqual(['config.seasonalOrder']);
    expect(fields('arima', { constant: 'maybe' })).toEqual(['config.constant']);
    const m = forecasterRegistry.create('theta', {});
    expect(() => m.predict([Float32Array.of(1, 2)], 3)).toThrow(/needs at least 3/);
  });
});
