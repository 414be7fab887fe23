import { Unprocessable } from '@seqcast/core';
import { selectBackend } from '@seqcast/tensor';
import type { Forecaster, ForecasterArtifact } from '../forecaster';
import { forecasterRegistry } from '../registry/builtin';
import { simulateAr } from '../simulate/ar-process';
import { testContext } from '../testing/fixtures';
import type { Series } from '../types';

// The truth for update: a fresh fit on the concatenated data. Fitting on A then updating
// with B must see exactly the windows a fit on A followed by B sees: those inside A, those
// inside B and those straddling the join (formed from the tail of A the model keeps).

const ar = (seed: number, length: number, coefficients = [0.5, -0.3, 0.1]) =>
  simulateAr({ coefficients, length, seed });
const twoChannels = (seed: number, length: number): Series => [
  ar(seed, length),
  ar(seed + 100, length, [0.7]),
];
const join = (...parts: Series[]): Series =>
  parts[0].map((_, c) => {
    const out = new Float32Array(parts.reduce((n, s) => n + s[c].length, 0));
    let at = 0;
    for (const s of parts) {
      out.set(s[c], at);
      at += s[c].length;
    }
    return out;
  });

const A1 = twoChannels(1, 200);
const A2 = twoChannels(2, 150);
const B1 = twoChannels(3, 40);
const B2 = twoChannels(4, 7); // shorter than a window: only straddling windows
const C = twoChannels(5, 60); // a new series
const D1 = twoChannels(6, 30);

const cases: Array<[string, Record<string, unknown>, number]> = [
  ['classic-ar', { order: 4, ridge: 0 }, 5],
  ['classic-ar', { order: 4, ridge: 0.1 }, 5],
  ['dlinear', { lookback: 16, horizon: 4, movingAverage: 5, ridge: 1e-3 }, 20],
  ['nlinear', { lookback: 16, horizon: 4, ridge: 1e-4 }, 20],
];

function weights(m: Forecaster): number[] {
  const s = m.toArtifact().state;
  return [
    ...(s.weight as number[]),
    ...(Array.isArray(s.bias) ? (s.bias as number[]) : [Number(s.intercept)]),
  ];
}

function expectRelativelyEqual(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  expect(actual.length).toBe(expected.length);
  let scale = 0;
  let gap = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  for (let i = 0; i < expected.length; i++) gap = Math.max(gap, Math.abs(actual[i] - expected[i]));
  expect(gap / scale).toBeLessThan(1e-6);
}

/** The artifact through JSON, as the artifact store writes it (float arrays as plain arrays). */
function roundTrip(a: ForecasterArtifact): ForecasterArtifact {
  return { ...a, state: JSON.parse(JSON.stringify(a.state)) };
}

beforeAll(async () => {
  await selectBackend('cpu');
});

describe.each(cases)('%s %j update', (kind, config, span) => {
  it('equals a refit on the concatenated series (to 1e-6 relative), across a save and load', async () => {
    const updated = forecasterRegistry.create(kind, config);
    await updated.fit([A1, A2], undefined, testContext());
    const first = await updated.update([B1, B2, C]);
    // every window holding a new value: all of B1's and B2's steps end one, C has its own
    expect(first.windows).toBe(2 * (40 + 7 + 60 - span + 1));
    const reloaded = forecasterRegistry.fromArtifact(roundTrip(updated.toArtifact()));
    const second = await reloaded.update([D1]);
    expect(second.windows).toBe(2 * 30);

    const refit = forecasterRegistry.create(kind, config);
    await refit.fit([join(A1, B1, D1), join(A2, B2), C], undefined, testContext());
    expectRelativelyEqual(weights(reloaded), weights(refit));
    const context = join(A2, B2);
    const h = Math.min(refit.maxHorizon, 4);
    reloaded
      .predict(context, h)
      .point()
      .forEach((p, c) => expectRelativelyEqual(p, refit.predict(context, h).point()[c]));
  });

  it('changes the fit (the new data is not ignored)', async () => {
    const m = forecasterRegistry.create(kind, config);
    await m.fit([A1, A2], undefined, testContext());
    const before = weights(m);
    await m.update([B1]);
    const after = weights(m);
    expect(Math.max(...after.map((w, i) => Math.abs(w - before[i])))).toBeGreaterThan(1e-4);
  });

  it('an artifact written before updates existed still loads and predicts, and update says why it cannot', async () => {
    const m = forecasterRegistry.create(kind, config);
    await m.fit([A1], undefined, testContext());
    const a = m.toArtifact();
    const { normalEquations, tails, ...oldState } = a.state;
    expect(normalEquations).toBeDefined();
    expect(tails).toBeDefined();
    const old = forecasterRegistry.fromArtifact({ ...a, state: oldState });
    expect(old.predict(A1, 3).point()).toEqual(m.predict(A1, 3).point());
    await expect(old.update([B1])).rejects.toThrow(Unprocessable);
    await expect(old.update([B1])).rejects.toThrow(/predates updates/);
  });

  it('rejects new observations whose channels differ from the series they continue', async () => {
    const m = forecasterRegistry.create(kind, config);
    await m.fit([A1], undefined, testContext());
    await expect(m.update([[B1[0]]])).rejects.toThrow(/channels/);
  });
});

describe.each([
  ['naive', {}],
  ['seasonal-naive', { seasonLength: 4 }],
  ['drift', { window: 6 }],
])('%s update', (kind, config) => {
  it('has nothing to learn: forecasts are unchanged', async () => {
    const m = forecasterRegistry.create(kind, config);
    await m.fit([A1], undefined, testContext());
    expect(m.capabilities.update).toBe('stateless');
    const before = m.predict(A2, 5).point();
    expect((await m.update([B1])).windows).toBe(0);
    expect(m.predict(A2, 5).point()).toEqual(before);
  });
});
