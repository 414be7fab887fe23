import * as fs from 'fs';
import { startApi, tempDataDir, TestApi } from '../../../../test/support/api';
import { runEntry } from '../../../../test/support/processes';
import { arCsv, datasetFiles, trainedModel, uploadSeries } from '../../../../test/support/stored-objects';

/** `seqcast datasets delete [--force]` and `seqcast models delete` against a running server. */
describe('CLI delete commands', () => {
  let api: TestApi;
  let url: string;

  beforeAll(async () => {
    api = await startApi({ DATA_DIR: tempDataDir(), TF_BACKEND: 'cpu', SHUTDOWN_GRACE_MS: '0' });
    url = await api.app.getUrl();
  }, 60000);
  afterAll(() => api?.close());

  const cli = async (...args: string[]) => {
    const p = runEntry('apps/cli/src/main.ts', { SEQCAST_URL: url }, args);
    return { code: await p.exited, output: p.output() };
  };

  it('deletes a model, and a dataset once --force takes its models along', async () => {
    const datasetId = await uploadSeries(api, 'cli', arCsv(21));
    const files = await datasetFiles(api, datasetId);
    const first = await trainedModel(api, datasetId, 'cli model');
    const second = await trainedModel(api, datasetId, 'kept for force');

    expect(await cli('models', 'delete', first)).toMatchObject({ code: 0, output: expect.stringContaining(`deleted model ${first}`) });
    await api.http().get(`/models/${first}`).expect(404);

    const refused = await cli('datasets', 'delete', datasetId);
    expect(refused.code).toBe(1);
    expect(refused.output).toContain(`409 conflict`);
    expect(refused.output).toContain(`models: model ${second} (kept for force)`);
    expect((await cli('datasets', 'list')).output).toContain(datasetId);

    expect((await cli('datasets', 'delete', datasetId, '--force')).code).toBe(0);
    await api.http().get(`/datasets/${datasetId}`).expect(404);
    await api.http().get(`/models/${second}`).expect(404);
    expect(files.filter((f) => fs.existsSync(f))).toEqual([]);
  }, 90000);
});
