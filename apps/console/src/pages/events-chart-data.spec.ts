import { MODEL_PALETTE, TRUTH_COLOR } from '../../../../libs/eval/src/report/palette';
import {
  continuationOf,
  intensityChartData,
  nextTimeChartData,
  timelineData,
  typedSequence,
  typeNamesOf,
  typeOrder,
  typeProbabilityRows,
} from './events-chart-data';
import type { IntensityAnswer } from './events-types';

describe('event data shaping', () => {
  it('numbers types as the server does: integers by value (gaps kept), names sorted', () => {
    expect(typeOrder(['2', '0', '2'])).toEqual(['0', '1', '2']);
    expect(typeOrder(['tremor', 'quake', 'aftershock', 'quake'])).toEqual(['aftershock', 'quake', 'tremor']);
    const values = { key: 's1', times: [0, 1], columns: { kind: ['quake', 'tremor'] } };
    expect(typeNamesOf(values, 'kind')).toEqual(['quake', 'tremor']);
    expect(typeNamesOf(values, null)).toEqual(['0', '0']);
    expect(typedSequence(['2024-01-01T00:00:00.000Z', 5], ['b', 'a'], ['a', 'b'])).toEqual({
      times: [Date.UTC(2024, 0, 1), 5],
      types: [1, 0],
    });
  });

  it('draws events as one row per type, the history in black, the held-out rest in grey', () => {
    const observed = { times: [0, 0.5, 1.25, 2, 3], types: [0, 2, 0, 1, 2] };
    const t = timelineData(observed, ['a', 'b', 'c'], { cut: 4 });
    expect(t.x).toEqual([0, 0.5, 1.25, 2, 3]);
    expect(t.lines.map((l) => l.label)).toEqual(['a', 'b', 'c', 'held out']);
    expect(t.lines[0].y).toEqual([0, null, 0, null, null]);
    expect(t.lines[1].y).toEqual([null, null, null, 1, null]);
    // the fifth event (type c) is after the cut: not on c's row, on the held-out line at c's id
    expect(t.lines[2].y).toEqual([null, 2, null, null, null]);
    expect(t.lines[3].y).toEqual([null, null, null, null, 2]);
    expect(t.lines.slice(0, 3).every((l) => l.color === TRUTH_COLOR && l.points)).toBe(true);
    // no cut: no held-out line
    expect(timelineData(observed, ['a', 'b', 'c']).lines.map((l) => l.label)).toEqual(['a', 'b', 'c']);
  });

  it('appends generated continuations after the observed end, each a line lifted above its rows', () => {
    const observed = { times: [0, 1, 2], types: [0, 1, 0] };
    const g = [
      continuationOf({ times: [2.5, 4], types: [1, 0] }),
      continuationOf({ times: [3], types: [1] }),
    ];
    const t = timelineData(observed, ['a', 'b'], { continuations: g });
    expect(t.x).toEqual([0, 1, 2, 2.5, 3, 4]);
    expect(t.lines.map((l) => l.label)).toEqual(['a', 'b', 'continuation 1', 'continuation 2']);
    // observed rows hold nothing after the last observed event
    expect(t.lines[0].y).toEqual([0, null, 0, null, null, null]);
    const close = (y: ArrayLike<number | null>, want: (number | null)[]) =>
      want.forEach((w, i) => (w === null ? expect(y[i]).toBeNull() : expect(y[i]).toBeCloseTo(w, 12)));
    close(t.lines[2].y, [null, null, null, 1.1, null, 0.1]);
    close(t.lines[3].y, [null, null, null, null, 1.2, null]);
    expect(t.lines[2].color).toBe(MODEL_PALETTE[0]);
    expect(t.lines[3].color).toBe(MODEL_PALETTE[1]);
    // ISO continuations (timestamped datasets) become UTC milliseconds
    expect(continuationOf({ times: ['1970-01-01T00:00:01.500Z'], types: [0] }).times).toEqual([1500]);
  });

  const answer: IntensityAnswer = {
    typeNames: ['a', 'b'],
    unit: 'as given',
    after: 2,
    gaps: [0, 0.5, 1],
    times: [2, 2.5, 3],
    intensity: [
      [1, 0.8, 0.6],
      [0.5, 0.5, 0.5],
    ],
    total: [1.5, 1.3, 1.1],
    compensator: [0, 0.7, 1.3],
    survival: [1, 0.4966, 0.2725],
    density: [1.5, 0.6456, 0.2998],
    along: {
      times: [0, 1, 1 + 1e-9, 2 + 1e-9],
      intensity: [
        [0.2, 0.3, 0.9, 1],
        [0.4, 0.4, 0.45, 0.5],
      ],
      total: [0.6, 0.7, 1.35, 1.5],
    },
  };

  it('joins the intensity along the history to the curve after it, per type and in total', () => {
    const c = intensityChartData(answer);
    // the along part stops where the curve after the history begins (its last time is past 2)
    expect(c.x).toEqual([0, 1, 1 + 1e-9, 2, 2.5, 3]);
    expect(c.lines.map((l) => l.label)).toEqual(['λ a', 'λ b', 'total']);
    expect(c.lines[0].y).toEqual([0.2, 0.3, 0.9, 1, 0.8, 0.6]);
    expect(c.lines[1].y).toEqual([0.4, 0.4, 0.45, 0.5, 0.5, 0.5]);
    expect(c.lines[2].y).toEqual([0.6, 0.7, 1.35, 1.5, 1.3, 1.1]);
    expect(c.lines[2].dash).toBeDefined();
    // every x strictly after the one before, even when ISO times round to the same millisecond
    const iso = intensityChartData({
      ...answer,
      times: ['2024-01-01T00:00:02.000Z', '2024-01-01T00:00:02.000Z', '2024-01-01T00:00:03.000Z'],
      along: undefined,
    });
    for (let i = 1; i < iso.x.length; i++) expect(iso.x[i]).toBeGreaterThan(iso.x[i - 1]);
    expect(iso.lines[0].y).toEqual([1, 0.8, 0.6]);
  });

  it('draws the next-gap density over the gaps and lists type probabilities, most likely first', () => {
    const d = nextTimeChartData(answer);
    expect(d.x).toEqual([0, 0.5, 1]);
    expect(d.lines[0].y).toEqual([1.5, 0.6456, 0.2998]);
    const rows = typeProbabilityRows({
      typeNames: ['a', 'b', 'c'],
      next: {
        gapMean: 1,
        timeMean: 3,
        gapQuantiles: {},
        timeQuantiles: {},
        type: 2,
        typeName: 'c',
        typeProbabilities: [0.2, 0.3, 0.5],
      },
    });
    expect(rows.map((r) => [r.name, r.probability])).toEqual([
      ['c', 0.5],
      ['b', 0.3],
      ['a', 0.2],
    ]);
  });
});
