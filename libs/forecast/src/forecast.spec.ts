import { Forecast } from './forecast';

const f32 = (...v: number[]) => Float32Array.from(v);
const HOUR = 3_600_000;

/** Two channels, three steps, two stored quantiles and five sample paths (values s + channel). */
function twoChannel(): Forecast {
  return new Forecast({
    point: [f32(1.1, 1.2, 1.3), f32(-2.5, 0.1, 7)],
    quantiles: new Map([
      [0.1, [f32(0.9, 1, 1.1), f32(-3, -0.5, 6)]],
      [0.9, [f32(1.3, 1.4, 1.5), f32(-2, 0.7, 8)]],
    ]),
    samples: [0, 1, 2, 3, 4].map((s) => [f32(s, s, s), f32(s + 1, s + 1, s + 1)]),
    meta: {
      seriesKey: 'site-1',
      origin: Date.UTC(2026, 0, 1, 23),
      frequency: '1h',
      clock: (t, n) => t + n * HOUR,
      channelNames: ['load', 'temp'],
      modelVersion: 'v-7',
    },
  });
}

describe('Forecast value', () => {
  it('knows its series, origin, frequency and step timestamps', () => {
    const f = twoChannel();
    expect(f.timestamps()).toEqual([1, 2, 3].map((h) => Date.UTC(2026, 0, 1, 23) + h * HOUR));
    expect(new Date(f.start!).toISOString()).toBe('2026-01-02T00:00:00.000Z');
    expect(f.channelNames).toEqual(['load', 'temp']);
    expect(new Forecast({ point: [f32(1)] }).timestamps()).toBeNull();
    expect(new Forecast({ point: [f32(1), f32(2)] }).channelNames).toEqual(['0', '1']);
  });

  it('derives central intervals from its samples (empirical quantiles)', () => {
    // Five samples 0..4 in channel 0: the 5% quantile sits at 0.2 of the way from 0 to 1, the 95% at 3.8.
    const band = twoChannel().withoutSamples().interval('80');
    expect(Array.from(band.lower[0])).toEqual([0.9, 1, 1.1].map(Math.fround));
    const fromSamples = new Forecast({
      point: [f32(0, 0)],
      samples: [0, 1, 2, 3, 4].map((s) => [f32(s, 4 - s)]),
    });
    const b = fromSamples.interval(0.9);
    expect(Array.from(b.lower[0])).toEqual([Math.fround(0.2), Math.fround(0.2)]);
    expect(Array.from(b.upper[0])).toEqual([Math.fround(3.8), Math.fround(3.8)]);
  });

  it('takes intervals per channel and level, and round-trips through JSON exactly', () => {
    const f = twoChannel().withIntervals(
      {
        '90': {
          lower: [
            [0.123456789, 1, 1],
            [-9, -9, -9],
          ],
          upper: [
            [2, 2, 2.000000001],
            [9, 9, 9],
          ],
        },
        '50': {
          lower: [
            [1, 1, 1],
            [0, 0, 0],
          ],
          upper: [
            [1.5, 1.5, 1.5],
            [1, 1, 1],
          ],
        },
      },
      { calibratorId: 'c-1', method: 'split' },
    );
    expect(f.intervalLevels).toEqual(['50', '90']);
    expect(f.meta.intervalSource).toEqual({ calibratorId: 'c-1', method: 'split' });
    const back = Forecast.fromJSON(JSON.parse(JSON.stringify(f)), f.meta.clock);
    expect(back.toJSON()).toEqual(f.toJSON());
    // float64 bounds keep their digits; float32 paths come back bit for bit.
    expect(back.interval('90').lower[0][0]).toBe(0.123456789);
    expect(back.interval('90').upper[0][2]).toBe(2.000000001);
    expect(back.channel(1)).toEqual(f32(-2.5, 0.1, 7));
    expect(back.samples()![4][1]).toEqual(f32(5, 5, 5));
    expect(back.quantile(0.9)[1]).toEqual(f32(-2, 0.7, 8));
    expect(back.timestamps()).toEqual(f.timestamps());
    expect(JSON.parse(JSON.stringify(f)).meta.clock).toBeUndefined();
  });

  it('maps every path channel by channel (how a pipeline unscales its output)', () => {
    const f = twoChannel()
      .withIntervals({
        '90': {
          lower: [
            [0, 0, 0],
            [1, 1, 1],
          ],
          upper: [
            [2, 2, 2],
            [3, 3, 3],
          ],
        },
      })
      .mapValues((v, c) => Float64Array.from(v, (x) => x * (c + 2) + 10));
    expect(Array.from(f.channel(1))).toEqual([2.5, Math.fround(Math.fround(0.1) * 3 + 10), 31]);
    expect(Array.from(f.quantile(0.1)[0])).toEqual(
      [0.9, 1, 1.1].map((x) => Math.fround(Math.fround(x) * 2 + 10)),
    );
    expect(Array.from(f.interval('90').upper[1])).toEqual([19, 19, 19]);
    expect(Array.from(f.samples()![3][0])).toEqual([16, 16, 16]);
    expect(f.meta.seriesKey).toBe('site-1');
  });

  it('refuses paths that do not match its channels and steps', () => {
    expect(() => twoChannel().withIntervals({ '90': { lower: [[1, 2, 3]], upper: [[1, 2, 3]] } })).toThrow(
      /do not match 2 x 3/,
    );
    expect(() => new Forecast({ point: [f32(1)], meta: { channelNames: ['a', 'b'] } })).toThrow(/names/);
  });
});
