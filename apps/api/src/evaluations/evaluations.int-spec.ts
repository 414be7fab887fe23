import * as fs from 'fs';
import * as path from 'path';
import { startApi, tempDataDir, TestApi, waitFor } from '../../../../test/support/api';
import { runEntry } from '../../../../test/support/processes';

/** A backtest as a user asks for it: baselines and a linear model on the demo CO2 series. */
describe('evaluations over HTTP', () => {
  let api: TestApi;
  let datasetId: string;

  beforeAll(async () => {
    api = await startApi({ DATA_DIR: tempDataDir(), SEQCAST_DEMO_DATA: 'true', TF_BACKEND: 'cpu' });
    datasetId = (await api.http().get('/datasets').expect(200)).body.items[0].id;
  }, 60000);
  afterAll(() => api?.close());

  it('backtests several models and writes a report with a chart', async () => {
    const e = (
      await api
        .http()
        .post('/evaluations')
        .send({
          datasetId,
          target: 'CO2',
          lookback: 36,
          horizon: 12,
          folds: 4,
          seasonality: 12,
          models: [
            { kind: 'naive' },
            { kind: 'seasonal-naive', config: { seasonLength: 12 } },
            { kind: 'nlinear' },
          ],
        })
        .expect(202)
    ).body;
    const done = await waitFor(
      async () => (await api.http().get(`/evaluations/${e.id}`).expect(200)).body,
      (j) => j.status === 'succeeded' || j.status === 'failed',
      60000,
    );
    expect(done.error).toBeNull();
    const byName = Object.fromEntries(done.result.overall.map((m: { model: string }) => [m.model, m]));
    expect(Object.keys(byName).sort()).toEqual(['naive', 'nlinear', 'seasonal-naive']);
    // CO2 is a trend (about 2 ppm a year) plus a yearly cycle: naive misses the cycle,
    // seasonal-naive misses a year of trend; a linear model on 3 years of lags gets both.
    expect(byName.nlinear.mae).toBeLessThan(byName.naive.mae);
    expect(byName.nlinear.mae).toBeLessThan(byName['seasonal-naive'].mae);
    // Seasonal-naive is off by about one year of growth.
    expect(byName['seasonal-naive'].mae).toBeGreaterThan(1);
    expect(byName['seasonal-naive'].mae).toBeLessThan(4);
    // MASE with m = 12 scales by the in-sample seasonal-naive error: seasonal-naive sits near 1.
    expect(byName['seasonal-naive'].mase).toBeGreaterThan(0.3);
    expect(byName['seasonal-naive'].mase).toBeLessThan(3);
    const report = await api.http().get(`/evaluations/${e.id}/report`).expect(200);
    expect(report.headers['content-type']).toContain('text/markdown');
    expect(report.text).toContain('forecasts.svg');
    expect(report.text).toMatch(/MASE/);
    const svg = await api.http().get(`/evaluations/${e.id}/forecasts.svg`).expect(200);
    expect(String(svg.body ?? svg.text)).toContain('<svg');
  }, 90000);

  it('scores conformal intervals in the backtest report, with their chart', async () => {
    const e = (
      await api
        .http()
        .post('/evaluations')
        .send({
          datasetId,
          target: 'CO2',
          lookback: 36,
          horizon: 12,
          folds: 8,
          models: [{ kind: 'nlinear' }, { kind: 'naive' }],
          intervals: { method: 'split', alpha: 0.1, calibrationWindows: 120 },
        })
        .expect(202)
    ).body;
    const done = await waitFor(
      async () => (await api.http().get(`/evaluations/${e.id}`).expect(200)).body,
      (j) => j.status === 'succeeded' || j.status === 'failed',
      90000,
    );
    expect(done.error).toBeNull();
    const rows = done.result.intervals;
    expect(rows.map((r: { model: string }) => r.model)).toEqual(['nlinear', 'naive']);
    for (const r of rows) {
      expect(r.points).toBe(8 * 12);
      // 96 correlated points: coverage near the nominal 0.9, not exactly.
      expect(r.coverage).toBeGreaterThan(0.6);
      // The interval score is the width plus penalties for misses.
      expect(r.winkler).toBeGreaterThanOrEqual(r.meanWidth);
      expect(r.rollingMin).toBeLessThanOrEqual(r.coverage);
      expect(r.rollingMax).toBeGreaterThanOrEqual(r.coverage);
    }
    // The better point model needs narrower intervals for its coverage.
    expect(rows[0].meanWidth).toBeLessThan(rows[1].meanWidth);
    const report = (await api.http().get(`/evaluations/${e.id}/report`).expect(200)).text;
    expect(report).toContain('Prediction intervals');
    expect(report).toContain('intervals.svg');
    const svg = await api.http().get(`/evaluations/${e.id}/intervals.svg`).expect(200);
    expect(String(svg.body ?? svg.text)).toContain('class="band"');
  }, 120000);

  it('documents the TPP evaluation body in OpenAPI', async () => {
    const doc = (await api.http().get('/docs/json').expect(200)).body;
    const schema = doc.paths['/evaluations/tpp'].post.requestBody.content['application/json'].schema;
    expect(schema.required).toEqual(['datasets', 'models']);
    const kinds = schema.properties.datasets.items.properties.source.oneOf.map(
      (s: { properties: { kind: { enum: string[] } } }) => s.properties.kind.enum[0],
    );
    // the source kinds the job's validator accepts, each documented
    expect(kinds.sort()).toEqual(['dataset', 'earthquakes', 'easytpp', 'hawkes', 'inline']);
  });

  it('runs the online adaptation protocol: frozen model, each adapter, intervals around the adapted forecasts', async () => {
    const e = (
      await api
        .http()
        .post('/evaluations')
        .send({
          datasetId,
          target: 'CO2',
          lookback: 36,
          horizon: 12,
          folds: 2,
          models: [{ kind: 'nlinear' }],
          intervals: { method: 'aci', alpha: 0.1 },
          adaptation: { adapters: [{ method: 'petsa' }, { method: 'tafas' }], train: 0.6, valid: 0.2 },
        })
        .expect(202)
    ).body;
    const done = await waitFor(
      async () => (await api.http().get(`/evaluations/${e.id}`).expect(200)).body,
      (j) => j.status === 'succeeded' || j.status === 'failed',
      110000,
    );
    expect(done.error).toBeNull();
    const rows = done.result.adaptation.rows;
    expect(rows.map((r: { adapter: string }) => r.adapter)).toEqual(['none', 'petsa', 'tafas']);
    // the same windows of the test stream (the last 20% of the series) for the frozen model and each adapter
    expect(rows[0].windows).toBeGreaterThan(100);
    for (const r of rows) {
      expect(r.windows).toBe(rows[0].windows);
      expect(Number.isFinite(r.mse) && r.mse > 0).toBe(true);
      expect(r.coverage).toBeGreaterThan(0.6);
    }
    // the modules' sizes in closed form (L 36, H 12, one channel, rank 16): PETSA per module
    // A (n x r) + B (r x n) + bias n + gate; TAFAS W (n x n) + bias n + gate
    const petsa = (n: number) => 2 * n * 16 + n + 1;
    const tafas = (n: number) => n * n + n + 1;
    expect(rows[1].parameterCount).toBe(petsa(36) + petsa(12));
    expect(rows[2].parameterCount).toBe(tafas(36) + tafas(12));
    const report = (await api.http().get(`/evaluations/${e.id}/report`).expect(200)).text;
    expect(report).toContain('Online adaptation');

    const bad = await api
      .http()
      .post('/evaluations')
      .send({
        datasetId,
        target: 'CO2',
        lookback: 36,
        horizon: 12,
        models: [{ kind: 'nlinear' }],
        adaptation: { adapters: [{ method: 'petsa', options: { rank: 0 } }] },
      })
      .expect(400);
    expect(bad.body.details[0].field).toBe('adaptation.adapters.0.options.rank');
  }, 120000);

  it('refuses evaluations that cannot run', async () => {
    let r = await api
      .http()
      .post('/evaluations')
      .send({ datasetId, target: 'CO2', lookback: 36, horizon: 12, models: [] })
      .expect(400);
    expect(r.body.details[0].field).toBe('models');
    r = await api
      .http()
      .post('/evaluations')
      .send({ datasetId, target: 'CO2', lookback: 36, horizon: 12, models: [{ kind: 'oracle' }] })
      .expect(400);
    expect(r.body.details[0].field).toBe('models.0.kind');
    const e = (
      await api
        .http()
        .post('/evaluations')
        .send({ datasetId, target: 'CO2', lookback: 5000, horizon: 12, models: [{ kind: 'naive' }] })
        .expect(202)
    ).body;
    const failed = await waitFor(
      async () => (await api.http().get(`/evaluations/${e.id}`)).body,
      (j) => j.status === 'failed',
      30000,
    );
    expect(failed.error).toMatch(/too short|needs/);
    await api.http().get(`/evaluations/${e.id}/report`).expect(404);
  }, 60000);

  it('runs from the CLI with a progress report and saves the report', async () => {
    const out = tempDataDir('seqcast-report-');
    const url = (await api.app.getUrl()).replace('[::1]', '127.0.0.1');
    const p = runEntry('apps/cli/src/main.ts', {}, [
      '--url',
      url,
      'backtest',
      '--dataset',
      datasetId,
      '--target',
      'CO2',
      '--lookback',
      '36',
      '--horizon',
      '12',
      '--folds',
      '3',
      '--models',
      'naive,drift',
      '--out',
      out,
    ]);
    expect(await p.exited).toBe(0);
    expect(p.output()).toMatch(/^naive\s+[\d.]+/m);
    expect(p.output()).toMatch(/^drift\s+[\d.]+/m);
    expect(fs.readFileSync(path.join(out, 'report.md'), 'utf8')).toContain('forecasts.svg');
    expect(fs.readFileSync(path.join(out, 'forecasts.svg'), 'utf8')).toContain('<svg');
  }, 60000);
});
