import { detachedContext } from '@seqcast/core';
import { forecasterRegistry } from '@seqcast/forecast';
import { selectBackend } from '@seqcast/tensor';
import { runBacktest } from '../backtest/rolling-origin';
import { renderBacktestReport } from '../report/backtest-report';
import { parseXml, unescapeXml, XmlElement } from '../testing/xml-well-formed';
import { IntervalBacktestOptions, runIntervalBacktest } from './interval-backtest';

const H = 4;
const hours = Float64Array.from({ length: 120 }, (_, t) => t * 3_600_000);

/** A straight line a + b t: the naive forecast h steps ahead misses by b h, every time. */
function options(level: number, slope: number): IntervalBacktestOptions {
  return {
    models: [{ name: 'naive', kind: 'naive', config: { maxHorizon: H } }],
    method: 'split',
    alpha: 0.1,
    methodOptions: {},
    series: [{ key: 'line', times: hours, values: Float32Array.from(hours, (_, t) => level + slope * t) }],
    lookback: 8,
    horizon: H,
    folds: 3,
    step: H,
    calibrationWindows: 20,
  };
}

describe('runIntervalBacktest', () => {
  beforeAll(() => selectBackend('cpu'));

  it.each([
    [5, 0.5],
    [1000, 50],
  ])(
    'scores split-conformal bounds of naive on the line %d + %d t in closed form, on the data scale',
    async (level, slope) => {
      const r = await runIntervalBacktest(options(level, slope), detachedContext());
      // held-out residuals at step h are all b h, so the bound is b h: mean width b (H + 1)
      const [row] = r.rows;
      expect(row.points).toBe(3 * H);
      expect(row.meanWidth / (slope * (H + 1))).toBeCloseTo(1, 5);
      // the truth sits on the upper bound: no miss worth a penalty
      expect(row.winkler / row.meanWidth).toBeCloseTo(1, 4);
      expect(r.markdown).toContain('| naive | 12 |');
      expect(r.svg.startsWith('<svg')).toBe(true);
    },
  );

  it("keeps the chart series' intervals point by point: times, truth, forecast and bounds per origin", async () => {
    const level = 5;
    const slope = 0.5;
    const r = await runIntervalBacktest(options(level, slope), detachedContext());
    const [m] = r.chart.models;
    expect(r.chart).toMatchObject({ series: 'line', level: 0.9, horizon: H, rollingOrigins: 3 });
    expect(m.model).toBe('naive');
    // 120 rows, 3 folds of 4 tile the tail: origins 108, 112, 116, each H points
    const rows = [108, 112, 116].flatMap((o) => [0, 1, 2, 3].map((h) => o + h));
    expect(m.times).toEqual(rows.map((t) => hours[t]));
    expect(m.truth).toEqual(rows.map((t) => level + slope * t));
    // naive repeats the value before the origin; its split bound at step h is b h (b = slope)
    const origin = (t: number) => t - ((t - 108) % H);
    const step = (t: number) => ((t - 108) % H) + 1;
    m.point.forEach((p, i) => expect(p).toBeCloseTo(level + slope * (origin(rows[i]) - 1), 4));
    m.upper.forEach((u, i) => expect(u - m.point[i]).toBeCloseTo(slope * step(rows[i]), 4));
    m.lower.forEach((l, i) => expect(m.point[i] - l).toBeCloseTo(slope * step(rows[i]), 4));
  });

  it("calibrates on origins at the folds' cadence: one phase of a period-2 series, exact per-step bounds", async () => {
    // y_t = 10 + A (t mod 2); folds every 4 rows start at even rows. The naive forecast from an
    // even origin t misses step h by -A (h even) or 0 (h odd): one value per step. Calibrated on
    // even origins only (the folds' cadence), the asymmetric split band is exactly that value:
    // width 0 and every truth on it. Residuals from every row would mix in the odd origins'
    // +A and 0 and widen the even steps' bands to [-A, A].
    const A = 3;
    const long = Float64Array.from({ length: 240 }, (_, t) => t * 3_600_000);
    const r = await runIntervalBacktest(
      {
        ...options(0, 0),
        methodOptions: { symmetric: false },
        series: [
          // 240 rows: 20 calibration origins 4 apart still leave half the rows to fit on
          { key: 'zigzag', times: long, values: Float32Array.from(long, (_, t) => 10 + A * (t % 2)) },
        ],
      },
      detachedContext(),
    );
    const [row] = r.rows;
    expect(row.coverageByStep).toEqual([1, 1, 1, 1]);
    expect(row.widthByStep).toEqual([0, 0, 0, 0]);
    // rolling coverage over windows of whole origins (3 folds: one window of 3 origins)
    expect([row.rollingMin, row.rollingMax]).toEqual([1, 1]);
    expect(r.markdown).toContain('| 1-4 | 1 (0) |');
  });
});

describe('the point and interval charts of one report', () => {
  beforeAll(() => selectBackend('cpu'));

  /** Each line's stroke and dash, by the series name in its legend. */
  const styles = (elements: XmlElement[]) =>
    new Map(
      elements
        .filter((e) => e.attrs.class === 'line')
        .map((e) => [
          unescapeXml(e.attrs['data-series']),
          `${e.attrs.stroke} ${e.attrs['stroke-dasharray'] ?? 'solid'}`,
        ]),
    );

  it('draw a model in the same colour and dash, and outline its band', async () => {
    const models = [
      { name: 'naive', kind: 'naive', config: { maxHorizon: H } },
      { name: 'drift', kind: 'drift', config: { maxHorizon: H } },
    ];
    const o = { ...options(5, 0.5), models };
    const intervals = await runIntervalBacktest(o, detachedContext());
    const points = await runBacktest(
      {
        models: models.map((m) => ({
          name: m.name,
          create: () => forecasterRegistry.create(m.kind, m.config),
        })),
        series: o.series.map((x) => ({ key: x.key, times: x.times, values: [x.values] })),
        lookback: o.lookback,
        horizon: H,
        folds: o.folds,
      },
      detachedContext(),
    );
    const point = styles(parseXml(renderBacktestReport(points, { title: 'Backtest' }).svg));
    const elements = parseXml(intervals.svg);
    const interval = styles(elements);
    expect(interval.get('naive 90%')).toBe(point.get('naive'));
    expect(interval.get('drift 90%')).toBe(point.get('drift'));
    expect(interval.get('truth')).toBe(point.get('truth'));
    expect(new Set(point.values()).size).toBe(3);
    // each band outlined in its model's colour
    const edges = elements.filter((e) => e.attrs.class === 'band-edge');
    expect(edges.map((e) => unescapeXml(e.attrs['data-series']))).toEqual(['naive 90%', 'drift 90%']);
    expect(edges.map((e) => e.attrs.stroke)).toEqual(
      ['naive', 'drift'].map((m) => point.get(m)!.split(' ')[0]),
    );
    // a keyed series is named in the title; no empty '(series )'
    expect(unescapeXml(elements.find((e) => e.attrs.class === 'title')!.text)).toBe(
      '90% split intervals at each origin (series line)',
    );
  });
});
