import { selectBackend } from '@seqcast/tensor';
import { HawkesModel } from '../hawkes/hawkes-model';
import { DEFAULT_HAWKES } from '../hawkes/hawkes-params';
import { hawkesIntensity } from '../hawkes/intensity';
import { eventModelRegistry } from '../registry';
import { EventModel } from '../types';
import { alongGrid, intensityAlong, lastEventAtOrBefore } from './intensity-along';

jest.setTimeout(60_000);
beforeAll(() => selectBackend('cpu'));

const sequence = { times: [0, 0.4, 1.1, 1.3, 2.6], types: [0, 2, 1, 1, 0] };

describe('intensityAlong', () => {
  it('finds the last event at or before each time', () => {
    expect(Array.from(lastEventAtOrBefore(sequence.times, [0, 0.39, 0.4, 1.2, 2.6, 9]))).toEqual([
      0, 0, 1, 2, 4, 4,
    ]);
    expect(() => lastEventAtOrBefore(sequence.times, [-1])).toThrow();
  });

  it('puts a time a hair either side of every event after the first, none on one', () => {
    const g = alongGrid(sequence.times, 5);
    for (let i = 1; i < g.length; i++) expect(g[i]).toBeGreaterThan(g[i - 1]);
    for (const t of sequence.times.slice(1)) {
      expect(g.some((x) => x < t && t - x < 1e-6)).toBe(true);
      expect(g.some((x) => x > t && x - t < 1e-6)).toBe(true);
      expect(g).not.toContain(t);
    }
    expect(g[0]).toBeCloseTo(0, 6);
    expect(g[g.length - 1]).toBeCloseTo(2.6, 6);
  });

  it("on a Hawkes process: the closed-form intensity given the events before each time, with each event's jump", () => {
    const a = intensityAlong(new HawkesModel(DEFAULT_HAWKES), sequence, 50);
    a.times.forEach((t, i) =>
      hawkesIntensity(DEFAULT_HAWKES, sequence.times, sequence.types, t).forEach((v, k) =>
        expect(a.intensity[k][i]).toBeCloseTo(v, 9),
      ),
    );
    // at the third event (type 1) the type-1 intensity jumps by alpha[1][1]
    const before = a.times.findIndex((t) => t > 1.1 - 1e-6);
    expect(a.intensity[1][before + 1] - a.intensity[1][before]).toBeCloseTo(DEFAULT_HAWKES.alpha[1][1], 5);
  });

  it.each(['rmtpp', 'thp', 'intensity_free'])(
    '%s: one encoding gives what each prefix gives on its own',
    (kind) => {
      const m = eventModelRegistry.create(kind, 3, {
        hidden: 8,
        seed: 4,
        ...(kind === 'thp' ? { heads: 2, layers: 1 } : {}),
      });
      try {
        const one = intensityAlong(m, sequence, 20);
        // the same model without its one-pass method: one intensityAt per prefix
        const perPrefix: EventModel = Object.create(m, { intensityAlong: { value: undefined } });
        const each = intensityAlong(perPrefix, sequence, 20);
        expect(one.times).toEqual(each.times);
        one.intensity.forEach((row, k) =>
          row.forEach((v, i) => expect(v).toBeCloseTo(each.intensity[k][i], 5)),
        );
      } finally {
        m.dispose();
      }
    },
  );
});
