import * as fs from 'fs';
import * as path from 'path';
import { DataSource } from 'typeorm';
import { startApi, tempDataDir, TestApi, waitFor } from '../../../test/support/api';
import {
  appendSeries,
  arCsv,
  artifactDirs,
  artifactFiles,
  bytesOnDisk,
  calibratorIdsOf,
  datasetFiles,
  rowsNaming,
  settled,
  trainedModel,
  uploadSeries,
} from '../../../test/support/stored-objects';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const gone = (files: string[]) => files.filter((f) => fs.existsSync(f));

/** Issue 24 (deliver 3): disk usage in GET responses, and DELETE of datasets and models (embedded SQLite). */
describe('disk usage and deletion of datasets and models', () => {
  let api: TestApi;
  let ds: DataSource;

  beforeAll(async () => {
    api = await startApi({ DATA_DIR: tempDataDir(), TF_BACKEND: 'cpu', JOBS_CONCURRENCY: '1', SHUTDOWN_GRACE_MS: '0' });
    ds = api.app.get(DataSource);
  }, 60000);
  afterAll(async () => {
    await api?.close();
    fs.rmSync(api.config.DATA_DIR, { recursive: true, force: true });
  });

  it("reports a dataset's diskBytes as the size of its files, per version too, in GET and in the list", async () => {
    const id = await uploadSeries(api, 'sized', arCsv(1));
    await appendSeries(api, id, arCsv(1, 24, 120));
    const files = await datasetFiles(api, id);
    expect(files).toHaveLength(4); // two versions' Arrow files, each with its index
    const one = (await api.http().get(`/datasets/${id}`).expect(200)).body;
    expect(one.diskBytes).toBe(bytesOnDisk(files));
    expect(one.latest.diskBytes).toBe(one.diskBytes);
    const versions = (await api.http().get(`/datasets/${id}/versions`).expect(200)).body;
    const root = path.join(api.config.DATA_DIR, 'datasets');
    const own = (f: string) => [path.join(root, f), path.join(root, f.replace(/\.arrow$/, '.index.json'))];
    expect(versions[0].diskBytes).toBe(bytesOnDisk(versions[0].files.flatMap(own)));
    expect(versions[1].diskBytes).toBe(bytesOnDisk(files));
    const listed = (await api.http().get('/datasets?limit=1000').expect(200)).body.items;
    expect(listed.find((d: { id: string }) => d.id === id).diskBytes).toBe(bytesOnDisk(files));
  });

  it("reports a model's diskBytes as the size of its artifacts, 0 before training", async () => {
    const datasetId = await uploadSeries(api, 'for-model', arCsv(2));
    const untrained = (
      await api
        .http()
        .post('/models')
        .send({ kind: 'classic-ar', config: { order: 2 }, datasetId, target: 'value', lookback: 2, horizon: 3 })
        .expect(201)
    ).body.id;
    expect((await api.http().get(`/models/${untrained}`).expect(200)).body.diskBytes).toBe(0);
    const id = await trainedModel(api, datasetId);
    const files = await artifactFiles(api, id);
    expect(files.length).toBeGreaterThan(0);
    expect((await api.http().get(`/models/${id}`).expect(200)).body.diskBytes).toBe(bytesOnDisk(files));
    const listed = (await api.http().get('/models?limit=1000').expect(200)).body.items;
    expect(listed.find((m: { id: string }) => m.id === id).diskBytes).toBe(bytesOnDisk(files));
    const [v] = (await api.http().get(`/models/${id}/versions`).expect(200)).body;
    expect(v.diskBytes).toBe(bytesOnDisk(files));
  }, 30000);

  it('refuses to delete a dataset models use (409 naming them), then with force deletes it with them: rows and files gone', async () => {
    const datasetId = await uploadSeries(api, 'doomed', arCsv(3));
    await appendSeries(api, datasetId, arCsv(3, 24, 120));
    const a = await trainedModel(api, datasetId, 'first model');
    const b = await trainedModel(api, datasetId, 'second model');
    // What a model accumulates: a stored forecast, a calibrator with its per-series states, a schedule.
    await api.http().post(`/models/${a}/forecast`).send({ seriesKey: 'a', horizon: 3 }).expect(200);
    const cal = (await api.http().post(`/models/${a}/calibrators`).send({ method: 'split', alpha: [0.2] }).expect(202)).body;
    expect((await settled(api, cal.job.id)).status).toBe('succeeded');
    await api.http().post(`/models/${b}/schedules`).send({ action: 'retrain', cron: '0 3 * * *' }).expect(201);
    // and an adapter, whose series state (and rollback point) starts at the series' first forecast
    await api.http().post(`/models/${b}/adapters`).send({ method: 'petsa' }).expect(201);
    await api.http().post(`/models/${b}/forecast`).send({ seriesKey: 'a', horizon: 3 }).expect(200);
    const modelIds = [a, b];
    const calibratorIds = await calibratorIdsOf(ds, modelIds);
    await waitFor(
      () => rowsNaming(ds, { datasetId, modelIds, calibratorIds }),
      (n) => n.forecast === 2, // stored write-behind
    );
    const before = await rowsNaming(ds, { datasetId, modelIds, calibratorIds });
    for (const [table, n] of Object.entries(before)) expect([table, n > 0]).toEqual([table, true]);
    const files = [...(await datasetFiles(api, datasetId)), ...(await artifactFiles(api, a)), ...(await artifactFiles(api, b))];
    const dirs = [...(await artifactDirs(api, a)), ...(await artifactDirs(api, b))];

    const refused = await api.http().delete(`/datasets/${datasetId}`).expect(409);
    expect(refused.body.error).toBe('conflict');
    expect(refused.body.details).toEqual([
      { field: 'models', reason: `model ${a} (first model)` },
      { field: 'models', reason: `model ${b} (second model)` },
    ]);
    expect(refused.body.message).toContain('force=true');
    expect(await rowsNaming(ds, { datasetId, modelIds, calibratorIds })).toEqual(before);
    expect(gone(files)).toEqual(files);

    await api.http().delete(`/datasets/${datasetId}?force=true`).expect(204);
    expect(Object.values(await rowsNaming(ds, { datasetId, modelIds, calibratorIds }))).toEqual(
      Object.values(before).map(() => 0),
    );
    expect(gone(files)).toEqual([]);
    expect(gone(dirs)).toEqual([]);
    await api.http().get(`/datasets/${datasetId}`).expect(404);
    await api.http().get(`/models/${a}`).expect(404);
    const f = await api.http().post(`/models/${a}/forecast`).send({ seriesKey: 'a', horizon: 3 }).expect(404);
    expect(f.body.error).toBe('not_found');
    await api.http().delete(`/datasets/${datasetId}`).expect(404);
  }, 60000);

  it('deletes a model alone: its rows and artifacts, a forecast for it is 404, its dataset stays', async () => {
    const datasetId = await uploadSeries(api, 'keeps', arCsv(4));
    const id = await trainedModel(api, datasetId);
    await api.http().post(`/models/${id}/forecast`).send({ seriesKey: 'b', horizon: 2 }).expect(200);
    const files = await artifactFiles(api, id);
    await waitFor(
      () => rowsNaming(ds, { modelIds: [id], calibratorIds: [] }),
      (n) => n.forecast === 1,
    );
    await api.http().delete(`/models/${id}`).expect(204);
    expect(await rowsNaming(ds, { modelIds: [id], calibratorIds: [] })).toEqual({
      model: 0,
      model_version: 0,
      calibrator: 0,
      adapter: 0,
      online_state: 0,
      online_snapshot: 0,
      forecast: 0,
      schedule: 0,
    });
    expect(gone(files)).toEqual([]);
    await api.http().post(`/models/${id}/forecast`).send({ seriesKey: 'b', horizon: 2 }).expect(404);
    const again = await api.http().delete(`/models/${id}`).expect(404);
    expect(again.body).toMatchObject({ error: 'not_found', details: [{ field: 'id' }] });
    expect(gone(await datasetFiles(api, datasetId))).toHaveLength(2);
    // The dataset has no model left: a plain DELETE goes through.
    await api.http().delete(`/datasets/${datasetId}`).expect(204);
  }, 30000);

  it("keeps a file another dataset holds (identical data is stored once) when one of them is deleted", async () => {
    const first = await uploadSeries(api, 'twin-1', arCsv(5));
    const second = await uploadSeries(api, 'twin-2', arCsv(5));
    const files = await datasetFiles(api, first);
    expect(await datasetFiles(api, second)).toEqual(files);
    await api.http().delete(`/datasets/${first}`).expect(204);
    expect(gone(files)).toEqual(files);
    const csv = await api.http().get(`/datasets/${second}/export?format=csv`).expect(200);
    expect(csv.text.split('\n').filter(Boolean)).toHaveLength(1 + 240);
    await api.http().delete(`/datasets/${second}`).expect(204);
    expect(gone(files)).toEqual([]);
  });

  it('refuses while a job for the model is queued, even with force, naming the job', async () => {
    const datasetId = await uploadSeries(api, 'busy', arCsv(6));
    const id = await trainedModel(api, datasetId);
    // One job at a time: a long sleep holds the slot, so the retrain stays queued.
    const sleep = (await api.http().post('/jobs').send({ type: 'diagnostic.sleep', payload: { steps: 400, stepMs: 50 } }).expect(202)).body;
    await waitFor(
      async () => (await api.http().get(`/jobs/${sleep.id}`).expect(200)).body.status,
      (s) => s === 'running',
    );
    const retrain = (await api.http().post(`/models/${id}/train`).expect(202)).body;
    const onModel = await api.http().delete(`/models/${id}`).expect(409);
    expect(onModel.body.details).toEqual([{ field: 'jobs', reason: `job ${retrain.id} (model.train) is queued` }]);
    const onDataset = await api.http().delete(`/datasets/${datasetId}?force=true`).expect(409);
    expect(onDataset.body.details).toEqual([{ field: 'jobs', reason: `job ${retrain.id} (model.train) is queued` }]);
    expect(await rowsNaming(ds, { datasetId, modelIds: [id], calibratorIds: [] })).toMatchObject({
      dataset: 1,
      model: 1,
      model_version: 1,
    });

    await api.http().post(`/jobs/${retrain.id}/cancel`).expect(200);
    await api.http().post(`/jobs/${sleep.id}/cancel`).expect(200);
    await settled(api, retrain.id);
    await api.http().delete(`/datasets/${datasetId}?force=true`).expect(204);
    expect(await rowsNaming(ds, { datasetId, modelIds: [id], calibratorIds: [] })).toMatchObject({
      dataset: 0,
      model: 0,
    });
  }, 60000);

  it('reports and deletes an event model: its artifact and rows go, it predicts 404, /models does not know it', async () => {
    const lines = ['seq,time,type'];
    for (let q = 0; q < 20; q++) for (let i = 0; i < 12; i++) lines.push(`s${q},${i * 1.5 + (q % 3) * 0.1},${i % 3 ? 'tick' : 'tock'}`);
    const datasetId = (
      await api
        .http()
        .post('/datasets?name=events&kind=events&sequenceColumn=seq&timeColumn=time&typeColumn=type')
        .set('content-type', 'text/csv')
        .send(lines.join('\n'))
        .expect(201)
    ).body.id;
    const id = (await api.http().post('/event-models').send({ kind: 'poisson', datasetId }).expect(201)).body.id;
    const job = await settled(api, (await api.http().post(`/event-models/${id}/train`).send({}).expect(202)).body.id);
    expect(job.status).toBe('succeeded');
    const files = await artifactFiles(api, id);
    expect((await api.http().get(`/event-models/${id}`).expect(200)).body.diskBytes).toBe(bytesOnDisk(files));
    const listed = (await api.http().get('/event-models?limit=1000').expect(200)).body.items;
    expect(listed.find((m: { id: string }) => m.id === id).diskBytes).toBe(bytesOnDisk(files));
    const history = { times: [0, 1.5], types: ['tock', 'tick'] };
    await api.http().post(`/event-models/${id}/predict`).send({ history }).expect(200);

    await api.http().delete(`/models/${id}`).expect(404);
    await api.http().delete(`/event-models/${id}`).expect(204);
    expect(gone(files)).toEqual([]);
    expect(await rowsNaming(ds, { modelIds: [id], calibratorIds: [] })).toMatchObject({ model: 0, model_version: 0 });
    await api.http().post(`/event-models/${id}/predict`).send({ history }).expect(404);
    await api.http().delete(`/datasets/${datasetId}`).expect(204);
  }, 60000);

  it('answers 404 for unknown ids and 400 for ids that are not UUIDs', async () => {
    for (const route of ['datasets', 'models', 'event-models']) {
      const r = await api.http().delete(`/${route}/${UNKNOWN}`).expect(404);
      expect(r.body).toMatchObject({ error: 'not_found', details: [{ field: 'id' }] });
      expect(typeof r.body.requestId).toBe('string');
      await api.http().delete(`/${route}/not-a-uuid`).expect(400);
    }
    await api.http().delete(`/datasets/${UNKNOWN}?force=maybe`).expect(400);
  });
});
