import * as fs from 'node:fs';
import { TestApi, startApi, tempDataDir, uploadCsv } from '../../../../test/support/api';

// GET /datasets/:id/values?key=: the one way to read the series of a one-series dataset,
// whose key is empty and so cannot be a path segment (/series/ is the list of series).
describe('series values by ?key=', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi({ DATA_DIR: tempDataDir() });
  });
  afterAll(async () => {
    await api.close();
    fs.rmSync(api.config.DATA_DIR, { recursive: true, force: true });
  });

  it('reads the empty key of a one-series dataset, with the range and limit of /series/:key', async () => {
    const id = await uploadCsv(api, 'name=one', 'ts,v\n2020-01-01,1\n2020-01-02,2\n2020-01-03,\n');
    const all = await api.http().get(`/datasets/${id}/values?key=`);
    expect(all.status).toBe(200);
    expect(all.body).toEqual({
      key: '',
      times: ['2020-01-01T00:00:00.000Z', '2020-01-02T00:00:00.000Z', '2020-01-03T00:00:00.000Z'],
      columns: { v: [1, 2, null] },
    });
    const some = await api.http().get(`/datasets/${id}/values?key=&from=2020-01-02&limit=1`);
    expect(some.body).toEqual({ key: '', times: ['2020-01-02T00:00:00.000Z'], columns: { v: [2] } });
  });

  it('reads a key of several columns, written as the series list gives it', async () => {
    const id = await uploadCsv(
      api,
      'name=two&keyColumns=store,item',
      'store,item,ts,v\ns1,a,2020-01-01,1\ns1,b,2020-01-01,5\n',
    );
    const listed = (await api.http().get(`/datasets/${id}/series`)).body.items.map(
      (s: { key: string }) => s.key,
    );
    expect(listed).toEqual(['["s1","a"]', '["s1","b"]']);
    const res = await api.http().get(`/datasets/${id}/values`).query({ key: listed[1] });
    expect(res.body).toEqual({ key: '["s1","b"]', times: ['2020-01-01T00:00:00.000Z'], columns: { v: [5] } });
  });

  it('names key when it is missing or unknown', async () => {
    const id = await uploadCsv(api, 'name=three', 'ts,v\n2020-01-01,1\n');
    const missing = await api.http().get(`/datasets/${id}/values`);
    expect(missing.status).toBe(400);
    expect(missing.body.details.map((d: { field: string }) => d.field)).toContain('key');
    const unknown = await api.http().get(`/datasets/${id}/values?key=nope`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.details).toEqual([{ field: 'key', reason: 'no such series' }]);
  });
});
