import * as fs from 'fs';
import { startApi, tempDataDir, TestApi, waitFor } from '../../../../test/support/api';

/**
 * seriesKey on POST /models/:id/forecast: a dataset uploaded without key columns has one
 * series, keyed "". A request may leave the key out there (it means that series); a wrong key
 * is told the right one; on a dataset of several series the key is required, by name.
 */
const HOUR = 3_600_000;
const START = Date.UTC(2024, 0, 1);
const N = 60;
// a seasonal naive's forecast is the last season again: the outside truth for every step
const value = (i: number) => 10 + (i % 4) + 0.25 * Math.floor(i / 4);

describe('seriesKey on forecasts', () => {
  let api: TestApi;
  let dir: string;

  beforeAll(async () => {
    dir = tempDataDir();
    api = await startApi({ DATA_DIR: dir, TF_BACKEND: 'cpu' });
  }, 60000);
  afterAll(async () => {
    await api?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const upload = async (query: string, csv: string) =>
    (await api.http().post(`/datasets?${query}`).set('Content-Type', 'text/csv').send(csv).expect(201)).body
      .id;
  const trainedNaive = async (datasetId: string) => {
    const id = (
      await api
        .http()
        .post('/models')
        .send({
          kind: 'seasonal-naive',
          config: { seasonLength: 4 },
          datasetId,
          target: 'value',
          lookback: 8,
          horizon: 4,
        })
        .expect(201)
    ).body.id as string;
    const job = (await api.http().post(`/models/${id}/train`).expect(202)).body.id;
    const done = await waitFor(
      async () => (await api.http().get(`/jobs/${job}`).expect(200)).body,
      (j) => j.status === 'succeeded' || j.status === 'failed',
      60000,
    );
    expect(done.status).toBe('succeeded');
    return id;
  };

  it('may be left out for a single-series dataset, and a wrong key is told the right one', async () => {
    const rows = Array.from(
      { length: N },
      (_, i) => `${new Date(START + i * HOUR).toISOString()},${value(i)}`,
    );
    const datasetId = await upload(
      'name=one&timeColumn=time&valueColumns=value',
      ['time,value', ...rows].join('\n'),
    );
    const id = await trainedNaive(datasetId);
    const left = (await api.http().post(`/models/${id}/forecast`).send({ horizon: 4 }).expect(200)).body;
    expect(left.steps.map((s: { value: number }) => s.value)).toEqual(
      [0, 1, 2, 3].map((h) => value(N - 4 + h)),
    );
    const named = (
      await api.http().post(`/models/${id}/forecast`).send({ seriesKey: '', horizon: 4 }).expect(200)
    ).body;
    expect(named.steps).toEqual(left.steps);
    const wrong = (
      await api.http().post(`/models/${id}/forecast`).send({ seriesKey: 'main', horizon: 4 }).expect(404)
    ).body;
    expect(wrong.details).toEqual([
      { field: 'seriesKey', reason: expect.stringContaining('has the key ""') },
    ]);
  }, 90000);

  it('is required, by name, when the dataset has several series', async () => {
    const rows = ['a', 'b'].flatMap((k) =>
      Array.from({ length: N }, (_, i) => `${k},${new Date(START + i * HOUR).toISOString()},${value(i)}`),
    );
    const datasetId = await upload(
      'name=two&keyColumns=key&timeColumn=time&valueColumns=value',
      ['key,time,value', ...rows].join('\n'),
    );
    const id = await trainedNaive(datasetId);
    const res = (await api.http().post(`/models/${id}/forecast`).send({ horizon: 4 }).expect(400)).body;
    expect(res.details).toEqual([
      { field: 'seriesKey', reason: expect.stringContaining('several series (2)') },
    ]);
  }, 90000);
});
