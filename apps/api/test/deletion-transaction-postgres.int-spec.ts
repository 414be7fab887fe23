import * as fs from 'fs';
import { DataSource } from 'typeorm';
import { startApi, tempDataDir, TestApi, waitFor } from '../../../test/support/api';
import { freshPostgresUrl } from '../../../test/support/postgres';
import {
  arCsv,
  artifactFiles,
  calibratorIdsOf,
  datasetFiles,
  rowsNaming,
  trainedModel,
  uploadSeries,
} from '../../../test/support/stored-objects';

/**
 * DELETE /datasets/:id?force=true on PostgreSQL is one transaction: when its last statement
 * fails (a trigger refuses the dataset's deletion, after its models' rows went), nothing is
 * deleted, rows or files, and the model still forecasts; once the trigger is gone it all goes.
 */
describe('dataset deletion on PostgreSQL', () => {
  let api: TestApi;
  let ds: DataSource;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const db = await freshPostgresUrl();
    drop = db.drop;
    api = await startApi({ DATA_DIR: tempDataDir(), DATABASE_URL: db.url, TF_BACKEND: 'cpu', SHUTDOWN_GRACE_MS: '0' });
    ds = api.app.get(DataSource);
  }, 60000);
  afterAll(async () => {
    await api?.close();
    await drop?.();
    if (api) fs.rmSync(api.config.DATA_DIR, { recursive: true, force: true });
  });

  it('leaves everything in place when the transaction fails, and removes it all when it commits', async () => {
    const datasetId = await uploadSeries(api, 'pg', arCsv(11));
    const modelId = await trainedModel(api, datasetId, 'pg model');
    await api.http().post(`/models/${modelId}/forecast`).send({ seriesKey: 'a', horizon: 3 }).expect(200);
    const of = { datasetId, modelIds: [modelId], calibratorIds: await calibratorIdsOf(ds, [modelId]) };
    await waitFor(
      () => rowsNaming(ds, of),
      (n) => n.forecast === 1,
    );
    const before = await rowsNaming(ds, of);
    const files = [...(await datasetFiles(api, datasetId)), ...(await artifactFiles(api, modelId))];

    await ds.query(`create function refuse_delete() returns trigger as $$
      begin raise exception 'refused by the test'; end $$ language plpgsql`);
    await ds.query('create trigger refuse_delete before delete on dataset for each row execute function refuse_delete()');
    await api.http().delete(`/datasets/${datasetId}?force=true`).expect(500);
    expect(await rowsNaming(ds, of)).toEqual(before);
    expect(files.filter((f) => !fs.existsSync(f))).toEqual([]);
    await api.http().post(`/models/${modelId}/forecast`).send({ seriesKey: 'a', horizon: 3 }).expect(200);
    await waitFor(
      () => rowsNaming(ds, of),
      (n) => n.forecast === 2,
    );

    await ds.query('drop trigger refuse_delete on dataset');
    await api.http().delete(`/datasets/${datasetId}?force=true`).expect(204);
    expect(Object.values(await rowsNaming(ds, of)).every((n) => n === 0)).toBe(true);
    expect(files.filter((f) => fs.existsSync(f))).toEqual([]);
    await api.http().post(`/models/${modelId}/forecast`).send({ seriesKey: 'a', horizon: 3 }).expect(404);
  }, 60000);
});
