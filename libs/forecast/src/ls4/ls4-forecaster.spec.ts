import { validationFailure } from '@seqcast/kit';
import { Unprocessable } from '@seqcast/core';
import { selectBackend } from '@seqcast/tensor';
import { forecasterRegistry } from '../registry/builtin';
import { simulateAr } from '../simulate/ar-process';
import { testContext } from '../testing/fixtures';
import { Ls4Forecaster } from './ls4';
import { ls4Schema } from './ls4-config';

// The forecaster's contract around the network: config checks naming the field, the timed
// (irregular) API against the regular one on evenly spaced times, and generation's checks.

const tiny = ls4Schema.parse(
  {
    lookback: 12,
    horizon: 4,
    dModel: 4,
    stateSize: 4,
    layers: 1,
    zDim: 2,
    epochs: 1,
    batchSize: 32,
    samples: 8,
    emaDecay: 0,
  },
  'ls4',
);
const y = simulateAr({ coefficients: [0.6, -0.2], length: 120, seed: 4 });

beforeAll(async () => {
  await selectBackend('cpu');
});

function maxGap(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let g = 0;
  for (let i = 0; i < a.length; i++) g = Math.max(g, Math.abs(a[i] - b[i]));
  return g;
}

it('refuses a bad config, naming each field', () => {
  const e = validationFailure(() => forecasterRegistry.validate('ls4', { zDim: 0, sigma: -1, samples: 0 }));
  expect(e.details.map((d) => d.field).sort()).toEqual(['config.samples', 'config.sigma', 'config.zDim']);
  const odd = validationFailure(() => forecasterRegistry.validate('ls4', { stateSize: 5 }));
  expect(odd.details[0].field).toBe('config.stateSize');
  expect(forecasterRegistry.describe('ls4').defaults).toMatchObject({
    dModel: 64,
    stateSize: 64,
    layers: 4,
    zDim: 5,
    sigma: 0.1,
    batchSize: 64,
    learningRate: 1e-3,
    emaDecay: 0.999,
    samples: 100,
  });
});

describe('irregular sampling', () => {
  it('with even times (any unit), fitTimed and predictTimed give what fit and predict give', async () => {
    const regular = new Ls4Forecaster(tiny);
    const timed = new Ls4Forecaster(tiny);
    try {
      await regular.fit([[y]], undefined, testContext());
      // times in "minutes": every gap is 5, the nominal gap, so every dt scale is 1
      const times = Float64Array.from(y, (_, i) => 1000 + 5 * i);
      await timed.fitTimed([{ values: [y], times }], undefined, testContext());
      expect(timed.nominalGap).toBe(5);
      const context = [y.subarray(0, 60)];
      const f = regular.predict(context, 4);
      const g = timed.predictTimed(
        { values: context, times: times.subarray(0, 60) },
        [1300, 1305, 1310, 1315],
      );
      expect(maxGap(g.channel(0), f.channel(0))).toBeLessThan(1e-4);
      expect(maxGap(g.samples()![3][0], f.samples()![3][0])).toBeLessThan(1e-4);
      // an uneven future changes the forecast
      const h = timed.predictTimed(
        { values: context, times: times.subarray(0, 60) },
        [1300, 1340, 1345, 1400],
      );
      expect(maxGap(h.channel(0), f.channel(0))).toBeGreaterThan(1e-4);
      // and the nominal gap travels with the artifact
      const copy = Ls4Forecaster.fromArtifact(timed.toArtifact());
      expect(copy.nominalGap).toBe(5);
      copy.dispose();
    } finally {
      regular.dispose();
      timed.dispose();
    }
  }, 30_000);

  it('refuses times that do not increase or come before the context ends, naming the field', async () => {
    const m = new Ls4Forecaster(tiny);
    try {
      const bad = Float64Array.from(y, (_, i) => i);
      bad[10] = bad[9];
      await expect(m.fitTimed([{ values: [y], times: bad }], undefined, testContext())).rejects.toMatchObject(
        {
          details: [{ field: 'train[0].times[10]' }],
        },
      );
      await m.fit([[y]], undefined, testContext());
      const times = Float64Array.from({ length: 20 }, (_, i) => i);
      expect(() => m.predictTimed({ values: [y.subarray(0, 20)], times }, [19, 20])).toThrow(Unprocessable);
    } finally {
      m.dispose();
    }
  }, 30_000);
});

it('refuses generation counts and lengths out of range, naming the field', async () => {
  const m = new Ls4Forecaster(tiny);
  try {
    await m.fit([[y]], undefined, testContext());
    for (const [count, length, field] of [
      [0, 10, 'count'],
      [2.5, 10, 'count'],
      [3, 0, 'length'],
      [3, 1e9, 'length'],
    ] as const) {
      try {
        m.generate(count, length);
        throw new Error('accepted');
      } catch (e) {
        expect(e).toBeInstanceOf(Unprocessable);
        expect((e as Unprocessable).details[0].field).toBe(field);
      }
    }
    const g = m.generate(4, 30, 2);
    expect(g.length).toBe(4);
    expect(g[0].length).toBe(1);
    expect(g[0][0].length).toBe(30);
    expect(g[0][0].every(Number.isFinite)).toBe(true);
    expect(m.generate(4, 30, 2)).toEqual(g);
  } finally {
    m.dispose();
  }
}, 30_000);
