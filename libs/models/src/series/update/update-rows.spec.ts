import type { ChannelSeries } from '../../series-data';
import { rowsAfter, seenAfterTraining, seenOf } from './update-rows';

const H = 3_600_000;
const series = (key: string, from: number, to: number, channels = 1): ChannelSeries => {
  const n = to - from;
  return {
    key,
    times: Float64Array.from({ length: n }, (_, i) => (from + i) * H),
    channels: Array.from({ length: channels }, (_, c) =>
      Float32Array.from({ length: n }, (_, i) => 100 * c + from + i),
    ),
  };
};

describe('the rows an update learns', () => {
  it('after training: the train split (70%) of each series long enough, in the data order', () => {
    const seen = seenAfterTraining([series('b', 0, 100), series('short', 0, 5), series('a', 0, 50)], 3, 2, {
      train: 0.7,
      test: 0.2,
    });
    expect(seen.series).toEqual([
      { key: 'b', rows: 70, until: 69 * H },
      { key: 'a', rows: 35, until: 34 * H },
    ]);
  });

  it('takes the rows after the last one learnt, keeps the model order, and adds unseen series whole', () => {
    const seen = {
      series: [
        { key: 'b', rows: 70, until: 69 * H },
        { key: 'gone', rows: 10, until: 9 * H },
        { key: 'a', rows: 35, until: 34 * H },
      ],
    };
    const data = [series('a', 0, 40, 2), series('c', 0, 6, 2), series('b', 0, 70, 2)];
    const r = rowsAfter(seen, data, 2);
    expect(r.observations.map((o) => [o.key, o.known, o.channels.map((c) => Array.from(c))])).toEqual([
      ['b', true, [[], []]],
      ['gone', true, [[], []]],
      [
        'a',
        true,
        [
          [35, 36, 37, 38, 39],
          [135, 136, 137, 138, 139],
        ],
      ],
      [
        'c',
        false,
        [
          [0, 1, 2, 3, 4, 5],
          [100, 101, 102, 103, 104, 105],
        ],
      ],
    ]);
    expect([r.rows, r.series, r.newSeries]).toEqual([11, 2, 1]);
    expect(r.seen.series).toEqual([
      { key: 'b', rows: 70, until: 69 * H },
      { key: 'gone', rows: 10, until: 9 * H },
      { key: 'a', rows: 40, until: 39 * H },
      { key: 'c', rows: 6, until: 5 * H },
    ]);
    // what the update has learnt gives nothing the second time
    expect(rowsAfter(r.seen, data, 2).rows).toBe(0);
  });

  it('reads the seen rows of a manifest data schema, or none for the train job`s artifacts', () => {
    expect(seenOf({ datasetVersion: 1 })).toBeUndefined();
    expect(seenOf(undefined)).toBeUndefined();
    expect(seenOf({ seen: { series: [] } })).toEqual({ series: [] });
  });
});
