import { ValidationFailed } from '@seqcast/core';
import { forecasterRegistry } from '../registry/builtin';
import { simulateAr } from '../simulate/ar-process';
import { testContext } from '../testing/fixtures';

const y = simulateAr({ coefficients: [0.6, -0.2], length: 300, seed: 3 }).map((v, t) => v + 10 + 0.02 * t);
const train = [[y.slice(0, 250)]];
const context = [y.slice(0, 280)];
const members = [
  { kind: 'naive' },
  { kind: 'drift' },
  { kind: 'seasonal-naive', config: { seasonLength: 7 } },
  { kind: 'nlinear', config: { lookback: 24, horizon: 6 } },
];

/** The members fitted alone: the outside truth the ensemble is combined from. */
async function memberForecasts(): Promise<number[][]> {
  const out: number[][] = [];
  for (const m of members) {
    const model = forecasterRegistry.create(m.kind, m.config ?? {});
    await model.fit(train, undefined, testContext());
    out.push(Array.from(model.predict(context, 6).channel(0)));
  }
  return out;
}

describe('ensemble kind', () => {
  it.each(['median', 'mean'])("%s of the members' forecasts, step by step", async (combination) => {
    const each = await memberForecasts();
    const e = forecasterRegistry.create('ensemble', { members: JSON.stringify(members), combination });
    await e.fit(train, undefined, testContext());
    const got = e.predict(context, 6).channel(0);
    for (let h = 0; h < 6; h++) {
      const v = each.map((f) => f[h]).sort((a, b) => a - b);
      // four members: the median is the mean of the middle two
      const want = combination === 'mean' ? v.reduce((a, b) => a + b, 0) / 4 : (v[1] + v[2]) / 2;
      expect(got[h]).toBeCloseTo(want, 4);
    }
  });

  it('round-trips through its artifact (members with their own state)', async () => {
    const e = forecasterRegistry.create('ensemble', { members: JSON.stringify(members) });
    await e.fit(train, undefined, testContext());
    const back = forecasterRegistry.fromArtifact(e.toArtifact());
    expect(Array.from(back.predict(context, 6).channel(0))).toEqual(
      Array.from(e.predict(context, 6).channel(0)),
    );
  });

  it('combines the quantiles the members share (ets and theta both give 80% intervals)', () => {
    const e = forecasterRegistry.create('ensemble', {
      members: JSON.stringify([
        { kind: 'ets' },
        { kind: 'theta' },
        { kind: 'theta', config: { variant: 'optimised' } },
      ]),
    });
    const f = e.predict(context, 4);
    const q = f.toJSON().quantiles!;
    expect(Object.keys(q).sort()).toEqual(['0.025', '0.1', '0.9', '0.975']);
    for (let h = 0; h < 4; h++) expect(q['0.1'][0][h]).toBeLessThan(f.at(h));
  });

  it('refuses members that are not kinds or have bad configs, naming them', () => {
    const fields = (raw: unknown) => {
      try {
        forecasterRegistry.validate('ensemble', { members: JSON.stringify(raw) });
      } catch (e) {
        return (e as ValidationFailed).details.map((d) => d.field);
      }
      return [];
    };
    expect(fields([{ kind: 'naive' }, { kind: 'prophet' }])).toEqual(['config.members[1].kind']);
    expect(fields([{ kind: 'nlinear', config: { lookback: -1 } }])).toEqual([
      'config.members[0].config.lookback',
    ]);
    expect(fields([])).toEqual(['config.members']);
  });
});
