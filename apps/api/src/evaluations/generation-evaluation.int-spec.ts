import * as fs from 'fs';
import { Rng } from '@seqcast/numeric';
import { startApi, tempDataDir, TestApi, waitFor } from '../../../../test/support/api';

/** LS4's generation protocol over HTTP on a stored dataset of several series. */
describe('POST /evaluations {kind: "generation"}', () => {
  let api: TestApi;
  let dir: string;
  let datasetId: string;

  beforeAll(async () => {
    dir = tempDataDir();
    api = await startApi({ DATA_DIR: dir, TF_BACKEND: 'cpu' });
    // eight AR(1) series of 40 days, in long form
    const rng = new Rng(7);
    const rows = ['time,series,value'];
    for (let s = 0; s < 8; s++) {
      let x = 0;
      for (let t = 0; t < 40; t++) {
        x = 0.7 * x + rng.normal();
        rows.push(`${new Date(Date.UTC(2026, 0, 1 + t)).toISOString()},s${s},${x.toFixed(5)}`);
      }
    }
    datasetId = (
      await api
        .http()
        .post('/datasets?name=ar1&keyColumns=series')
        .set('Content-Type', 'text/csv')
        .send(rows.join('\n'))
        .expect(201)
    ).body.id;
  }, 60000);
  afterAll(async () => {
    await api?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('scores a generative model and the classical generators, and serves the table as the report', async () => {
    const e = (
      await api
        .http()
        .post('/evaluations')
        .send({
          kind: 'generation',
          datasetId,
          target: 'value',
          length: 32,
          seeds: 1,
          metricEpochs: 2,
          models: [
            {
              kind: 'ls4',
              name: 'tiny LS4',
              config: { dModel: 8, stateSize: 8, layers: 1, zDim: 2, epochs: 1, batchSize: 8, emaDecay: 0 },
            },
          ],
        })
        .expect(202)
    ).body;
    const done = await waitFor(
      async () => (await api.http().get(`/evaluations/${e.id}`).expect(200)).body,
      (j) => j.status === 'succeeded' || j.status === 'failed',
      120000,
    );
    expect(done.error ?? null).toBeNull();
    expect(done.result).toMatchObject({ sequences: 8, length: 32, datasetVersion: 1, target: 'value' });
    expect(done.result.rows.map((r: { name: string }) => r.name)).toEqual([
      'tiny LS4',
      'gaussian-ar',
      'moving-block-bootstrap',
    ]);
    for (const r of done.result.rows) {
      // LS4's metrics' ranges: a marginal score is >= 0, a cross-entropy >= 0, an MSE >= 0
      expect(r.marginal).toBeGreaterThanOrEqual(0);
      expect(r.classification).toBeGreaterThanOrEqual(0);
      expect(r.prediction).toBeGreaterThanOrEqual(0);
    }
    const report = await api.http().get(`/evaluations/${e.id}/report`).expect(200);
    expect(report.text).toContain('| tiny LS4 |');
    expect(report.text).toContain('| moving-block-bootstrap |');
  }, 150000);

  it('refuses a bad body with a 400 naming each field, and queues nothing', async () => {
    const before = (await api.http().get('/jobs').expect(200)).body.items.length;
    const fields = async (body: Record<string, unknown>) =>
      (
        await api
          .http()
          .post('/evaluations')
          .send({ kind: 'generation', ...body })
          .expect(400)
      ).body.details.map((d: { field: string }) => d.field);
    expect(await fields({ datasetId: 'nope', target: 3, length: 32 })).toEqual(['datasetId', 'target']);
    expect(await fields({ datasetId, target: 'value', length: 2, models: [{ kind: 'nlinear' }] })).toEqual([
      'length',
      'models.0.kind',
    ]);
    expect(await fields({ datasetId, target: 'price', length: 32 })).toEqual(['target']);
    expect((await api.http().get('/jobs').expect(200)).body.items.length).toBe(before);
  });
});
