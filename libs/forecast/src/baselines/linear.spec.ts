import { detachedContext } from '@seqcast/core';
import { forecasterRegistry } from '../registry/builtin';

describe('linear (OLS)', () => {
  it('extrapolates a straight line: its continuation is a linear map of the window (a tiny ridge: line windows span only two dimensions)', async () => {
    const m = forecasterRegistry.create('linear', { lookback: 8, horizon: 5, ridge: 1e-9 });
    const line = (t: number) => 3 * t - 7;
    // lines of several slopes and offsets, so the window's last value and slope must both be read
    const train = [0.5, -2, 4].map((a, i) => [
      Float32Array.from({ length: 200 }, (_, t) => a * line(t) + 10 * i),
    ]);
    await m.fit(train, undefined, detachedContext());
    const ctx = Float32Array.from({ length: 8 }, (_, t) => 1.5 * line(t + 40) - 3);
    const f = m.predict([ctx], 5).channel(0);
    f.forEach((v, h) => expect(v).toBeCloseTo(1.5 * line(48 + h) - 3, 1));
    m.dispose();
  });

  it('differs from NLinear on a level it has not seen: no last-value subtraction', async () => {
    const ctx = detachedContext();
    const seasonal = (t: number) => Math.sin((2 * Math.PI * t) / 12);
    const train = [[Float32Array.from({ length: 400 }, (_, t) => seasonal(t))]];
    const lin = forecasterRegistry.create('linear', { lookback: 24, horizon: 6, ridge: 1e-6 });
    const nlin = forecasterRegistry.create('nlinear', { lookback: 24, horizon: 6, ridge: 1e-6 });
    await lin.fit(train, undefined, ctx);
    await nlin.fit(train, undefined, ctx);
    // the same season around a level of 5: NLinear carries the level, Linear (fitted around 0) does not all of it
    const shifted = Float32Array.from({ length: 24 }, (_, t) => seasonal(t + 400) + 5);
    const truth = Array.from({ length: 6 }, (_, h) => seasonal(424 + h) + 5);
    const err = (m: typeof lin) =>
      Math.max(
        ...m
          .predict([shifted], 6)
          .channel(0)
          .map((v, h) => Math.abs(v - truth[h])),
      );
    expect(err(nlin)).toBeLessThan(0.05);
    expect(err(lin)).toBeGreaterThan(0.5);
    lin.dispose();
    nlin.dispose();
  });
});
