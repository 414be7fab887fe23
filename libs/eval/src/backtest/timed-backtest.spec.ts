import { Ls4Forecaster, ScaledForecaster, servedPipeline, simulateAr, TINY_LS4 } from '@seqcast/forecast';
import { runBacktest } from './rolling-origin';
import type { BacktestModel, BacktestResult } from './backtest-types';

jest.setTimeout(120_000);

/**
 * A timed model (LS4) in a rolling-origin backtest of unevenly stamped rows: each fold's
 * forecast is rebuilt by hand from the fitted model with the fold's stamps (its context at
 * the times of its rows, its horizon at the times of the truths), with the scale of the rows
 * before the validation part, and the fold's errors from those forecasts.
 */
const MIN = 60_000;
const HOUR = 60 * MIN;
const L = 12;
const H = 4;
const N = 200;
const TINY = {
  lookback: L,
  horizon: H,
  ...TINY_LS4,
};
/** Gaps in minutes, cycled: off any grid, median 60. */
const GAPS = [40, 60, 60, 95, 60, 25, 60, 130];

const y = Float32Array.from(
  simulateAr({ coefficients: [0.6, -0.25], length: N, noiseStd: 2, seed: 5 }),
  (v) => 50 + v,
);
const t = new Float64Array(N);
for (let i = 1; i < N; i++) t[i] = t[i - 1] + GAPS[(i - 1) % GAPS.length] * MIN;

const ctx = { signal: new AbortController().signal, progress: () => undefined };

/** LS4 pipelines the backtest creates, kept alive after it (their dispose deferred) to be read by hand. */
function keptLs4(made: ScaledForecaster[]): BacktestModel['create'] {
  return () => {
    const p = servedPipeline('ls4', TINY);
    p.dispose = () => undefined;
    made.push(p);
    return p;
  };
}

function mean(xs: ArrayLike<number>): number {
  return Array.from(xs).reduce((a, b) => a + b, 0) / xs.length;
}

describe('runBacktest of a timed model on uneven stamps', () => {
  const made: ScaledForecaster[] = [];
  let result: BacktestResult;
  let steps: BacktestResult;

  beforeAll(async () => {
    const series = [{ key: 's', times: t, values: [y], axisTimes: t }];
    const common = { series, lookback: L, horizon: H, folds: 3, refit: 'once' as const };
    result = await runBacktest(
      { ...common, models: [{ name: 'ls4', create: keptLs4(made), timed: { nominalGap: HOUR } }] },
      ctx,
    );
    // the same model reading the rows as steps
    steps = await runBacktest(
      { ...common, models: [{ name: 'ls4', create: () => servedPipeline('ls4', TINY) }] },
      ctx,
    );
  });
  afterAll(() => made.forEach((p) => ScaledForecaster.prototype.dispose.call(p)));

  it("fits with the stamps and forecasts every fold at the truths' stamps", () => {
    expect(made).toHaveLength(1); // refit 'once'
    const model = made[0].model as Ls4Forecaster;
    expect(model.nominalGap).toBe(HOUR); // a fit on rows as steps leaves none
    // the scale: the rows before the first origin less the last 10% (the validation part, which holds a window here)
    const first = result.settings.series[0].origins[0];
    expect(Math.floor(first * 0.1)).toBeGreaterThanOrEqual(L + H);
    const trainRows = y.subarray(0, first - Math.floor(first * 0.1));
    const [scale] = made[0].scaler.scalesOf('s')!;
    expect(scale.mean).toBeCloseTo(mean(trainRows), 3);
    const sd = Math.sqrt(mean(Array.from(trainRows, (v) => (v - mean(trainRows)) ** 2)));
    expect(scale.std).toBeCloseTo(sd, 3);

    result.settings.series[0].origins.forEach((o, k) => {
      const byHand = model.predictTimed(
        {
          values: [Float32Array.from(y.subarray(o - L, o), (v) => (v - scale.mean) / scale.std)],
          times: t.subarray(o - L, o),
        },
        t.subarray(o, o + H),
      );
      const point = Array.from(byHand.channel(0), (v) => v * scale.std + scale.mean);
      const chart = result.chart.forecasts[k];
      expect(chart.origin).toBe(o);
      chart.values.forEach((v, h) => expect(v).toBeCloseTo(point[h], 3));
      const fold = result.folds[k];
      expect(fold.mse).toBeCloseTo(mean(point.map((p, h) => (y[o + h] - p) ** 2)), 3);
    });
    // rows read as steps forecast otherwise: the figures are the timed ones
    expect(Math.abs(steps.overall[0].mse - result.overall[0].mse)).toBeGreaterThan(1e-4);
  });

  it('names what cannot be timed', async () => {
    const series = [{ key: 's', times: t, values: [y], axisTimes: t }];
    const base = { lookback: L, horizon: H, folds: 2 };
    await expect(
      runBacktest(
        {
          ...base,
          series,
          models: [
            {
              name: 'lin',
              create: () => servedPipeline('nlinear', { lookback: L, horizon: H }),
              timed: { nominalGap: HOUR },
            },
          ],
        },
        ctx,
      ),
    ).rejects.toMatchObject({ details: [{ field: 'models' }] });
    await expect(
      runBacktest(
        {
          ...base,
          series: [{ key: 's', times: t, values: [y] }],
          models: [{ name: 'ls4', create: () => servedPipeline('ls4', TINY), timed: { nominalGap: HOUR } }],
        },
        ctx,
      ),
    ).rejects.toMatchObject({ details: [{ field: 'series[0].axisTimes' }] });
  });
});
