import * as fs from 'fs';
import { autoEts, automaticEtsSearch, etsForecast } from '@seqcast/forecast';
import { maxRelative, R_REFERENCE } from '../../../../libs/forecast/src/statistical/testdata/r-reference';
import {
  settleEvaluation,
  settleJob,
  startApi,
  tempDataDir,
  TestApi,
  uploadCsv,
} from '../../../../test/support/api';

/**
 * Automatic ETS as a user runs it, on R's AirPassengers uploaded as CSV: trained with POST
 * /models/:id/train and served by POST /models/:id/forecast, it is R's automatic model
 * ETS(M,Ad,M) with R's forecasts and 80/95% bounds (R's `forecast(ets(AirPassengers), 24)`,
 * bench/r/forecast-reference.R; R computes these bounds analytically for this model, so all
 * are compared). Multiplicative models need positive data: the statistical kinds are fitted
 * on the data's own scale, not standardised. A backtest (POST /evaluations) scores the same
 * fits: its errors are those of the library's automatic ETS on the raw history.
 */
const air = R_REFERENCE.datasets.AirPassengers;
const H = 24;

/**
 * AirPassengers beside R's co2 (468 months): the train job keeps series longer than the
 * model's lookback + horizon, and the ETS model's lookback is the whole of AirPassengers (R
 * fits all 144 values), so co2 is the series it trains on; AirPassengers is forecast from
 * its stored history like any series of the dataset.
 */
function csv(): string {
  const lines = ['key,time,passengers'];
  const rows = (key: string, y: number[]) =>
    y.forEach((v, i) => lines.push(`${key},${new Date(Date.UTC(1949, i, 1)).toISOString()},${v}`));
  rows('air', air.y);
  rows('co2', R_REFERENCE.datasets.co2.y);
  return lines.join('\n');
}

describe('automatic ETS on the data scale over HTTP', () => {
  let api: TestApi;
  let dir: string;
  let datasetId: string;

  beforeAll(async () => {
    dir = tempDataDir();
    api = await startApi({ DATA_DIR: dir, TF_BACKEND: 'cpu' });
    datasetId = await uploadCsv(
      api,
      'name=airpassengers&keyColumns=key&timeColumn=time&valueColumns=passengers',
      csv(),
    );
  }, 60000);
  afterAll(async () => {
    await api?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("trained and served, ets is R's ETS(M,Ad,M): forecasts and 80/95% bounds to 1e-3", async () => {
    const model = (
      await api
        .http()
        .post('/models')
        // each forecast fits the newest 144 values
        .send({
          kind: 'ets',
          config: { seasonLength: 12 },
          datasetId,
          target: 'passengers',
          lookback: 144,
          horizon: H,
        })
        .expect(201)
    ).body;
    const job = (await api.http().post(`/models/${model.id}/train`).expect(202)).body;
    const done = await settleJob(api, job.id, 300000);
    expect(done.error).toBeNull();
    const f = (
      await api
        .http()
        .post(`/models/${model.id}/forecast`)
        .send({ seriesKey: 'air', horizon: H, quantiles: [0.025, 0.1, 0.9, 0.975] })
        .expect(200)
    ).body;
    expect(air.auto.method).toBe('ETS(M,Ad,M)');
    expect(
      maxRelative(
        f.steps.map((s: { value: number }) => s.value),
        air.auto.mean,
      ),
    ).toBeLessThan(1e-3);
    const q = (level: string) => f.quantiles[level][0] as number[];
    expect(maxRelative(q('0.1'), air.auto.lo80)).toBeLessThan(1e-3);
    expect(maxRelative(q('0.9'), air.auto.hi80)).toBeLessThan(1e-3);
    expect(maxRelative(q('0.025'), air.auto.lo95)).toBeLessThan(1e-3);
    expect(maxRelative(q('0.975'), air.auto.hi95)).toBeLessThan(1e-3);
  }, 330000);

  it('a backtest scores the automatic ETS fitted on each raw history', async () => {
    // the longest context two folds of 12 leave in 144 values
    const lookback = 108;
    const horizon = 12;
    const e = (
      await api
        .http()
        .post('/evaluations')
        .send({
          datasetId,
          target: 'passengers',
          lookback,
          horizon,
          folds: 2,
          seasonality: 12,
          models: [{ kind: 'ets', config: { seasonLength: 12, lookback } }],
          series: ['air'],
        })
        .expect(202)
    ).body;
    const done = await settleEvaluation(api, e.id, 150000);
    expect(done.error).toBeNull();
    // the library's route: origins 120 and 132 (the last two horizons), each fitted on the
    // 108 values before it, forecasts rounded to float32 as the served ones are
    let abs = 0;
    for (const origin of [air.y.length - 2 * horizon, air.y.length - horizon]) {
      const fit = autoEts(air.y.slice(origin - lookback, origin), automaticEtsSearch(12));
      const point = Float32Array.from(etsForecast(fit, horizon, []).point);
      point.forEach((p, h) => (abs += Math.abs(air.y[origin + h] - p)));
    }
    const overall = done.result!.overall as Array<{ model: string; mae: number }>;
    const ets = overall.find((m) => m.model === 'ets')!;
    expect(Math.abs(ets.mae - abs / (2 * horizon))).toBeLessThan(1e-6 * ets.mae);
  }, 180000);
});
