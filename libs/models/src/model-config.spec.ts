import { ValidationFailed } from '@seqcast/core';
import { forecasterRegistry } from '@seqcast/forecast';
import { forecasterConfig } from './model-config';

// What the code before declared roles (guessing by field name: lookback|lags,
// horizon|maxHorizon) made of the request's lookback and horizon, for every kind: the
// role fields it set, over the defaults (recorded from commit f658291).
const before: Record<
  string,
  Array<[number, number, Record<string, number>, Record<string, number> | RegExp]>
> = {
  'ar-net': [
    [96, 12, {}, { lags: 96, horizon: 12, maxHorizon: 0 }],
    [24, 1, {}, { lags: 24, horizon: 1, maxHorizon: 0 }],
    [336, 24, { maxHorizon: 5, horizon: 3, lags: 7 }, { lags: 7, horizon: 3, maxHorizon: 5 }],
  ],
  'classic-ar': [
    [96, 12, {}, { maxHorizon: 12, order: 20 }],
    [24, 1, {}, { maxHorizon: 1, order: 20 }],
    [336, 24, { maxHorizon: 5 }, { maxHorizon: 5, order: 20 }],
  ],
  dlinear: [
    [96, 12, {}, { lookback: 96, horizon: 12 }],
    [24, 1, {}, { lookback: 24, horizon: 1 }],
    [336, 24, { horizon: 3, lookback: 200 }, { lookback: 200, horizon: 3 }],
  ],
  drift: [
    [96, 12, {}, { maxHorizon: 12 }],
    [24, 1, {}, { maxHorizon: 1 }],
    [336, 24, { maxHorizon: 5 }, { maxHorizon: 5 }],
  ],
  ls4: [
    [96, 12, {}, { lookback: 96, horizon: 12 }],
    [24, 1, {}, { lookback: 24, horizon: 1 }],
    [336, 24, { horizon: 3, lookback: 200 }, { lookback: 200, horizon: 3 }],
  ],
  naive: [
    [96, 12, {}, { maxHorizon: 12 }],
    [24, 1, {}, { maxHorizon: 1 }],
    [336, 24, { maxHorizon: 5 }, { maxHorizon: 5 }],
  ],
  linear: [
    [96, 12, {}, { lookback: 96, horizon: 12 }],
    [24, 1, {}, { lookback: 24, horizon: 1 }],
    [336, 24, { horizon: 3, lookback: 200 }, { lookback: 200, horizon: 3 }],
  ],
  nlinear: [
    [96, 12, {}, { lookback: 96, horizon: 12 }],
    [24, 1, {}, { lookback: 24, horizon: 1 }],
    [336, 24, { horizon: 3, lookback: 200 }, { lookback: 200, horizon: 3 }],
  ],
  'seasonal-naive': [
    [96, 12, {}, { maxHorizon: 12 }],
    [24, 1, {}, { maxHorizon: 1 }],
    [336, 24, { maxHorizon: 5 }, { maxHorizon: 5 }],
  ],
  spacetime: [
    [96, 12, {}, { lookback: 96, horizon: 12 }],
    [24, 1, {}, /config\.maxMaWindow/],
    [336, 24, { horizon: 3, lookback: 200 }, { lookback: 200, horizon: 3 }],
  ],
};

describe("forecasterConfig: the request's lookback and horizon go to the fields each kind declares", () => {
  it('keeps every kind that existed before roles were declared', () => {
    expect(forecasterRegistry.kinds()).toEqual(expect.arrayContaining(Object.keys(before)));
  });

  it.each(forecasterRegistry.kinds())("%s: the declared role fields take the request's values", (kind) => {
    // kinds added later have no "before" row: their declared roles are the whole contract
    const { roles } = forecasterRegistry.describe(kind);
    const config = forecasterConfig(kind, {}, 336, 24);
    if (roles.lookback) expect(config[roles.lookback]).toBe(336);
    if (roles.horizon) expect(config[roles.horizon]).toBe(24);
    else if (roles.maxHorizon) expect(config[roles.maxHorizon]).toBe(24);
  });

  it.each(Object.keys(before))('%s gets the config it got before roles were declared', (kind) => {
    for (const [lookback, horizon, config, expected] of before[kind]) {
      if (expected instanceof RegExp) {
        expect(() => forecasterConfig(kind, config, lookback, horizon)).toThrow(ValidationFailed);
        expect(() => forecasterConfig(kind, config, lookback, horizon)).toThrow(expected);
        continue;
      }
      expect(forecasterConfig(kind, config, lookback, horizon)).toEqual({
        ...forecasterRegistry.validate(kind, {}),
        ...expected,
      });
    }
  });

  it('validates the filled config, naming the field', () => {
    expect(() => forecasterConfig('nlinear', { ridge: -1 }, 48, 12)).toThrow(/config\.ridge/);
    expect(() => forecasterConfig('naive', {}, 48, 0)).not.toThrow();
    expect(forecasterConfig('naive', {}, 48, 0)).toEqual({ maxHorizon: 1 });
  });
});
