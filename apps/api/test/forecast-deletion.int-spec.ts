import { ForecastEntity } from '@seqcast/db';
import { DataSource } from 'typeorm';
import { startApi, tempDataDir, TestApi } from '../../../test/support/api';
import { blankForecastRow } from '../../../test/support/forecast-rows';

/** Issue 24 #4: DELETE /forecasts/:id removes one stored forecast. */
describe('DELETE /forecasts/:id', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi({ DATA_DIR: tempDataDir(), SHUTDOWN_GRACE_MS: '0' });
  });
  afterAll(() => api?.close());

  it('deletes the row, leaves the others, and a second DELETE is 404', async () => {
    const repo = api.app.get(DataSource).getRepository(ForecastEntity);
    const row = blankForecastRow;
    const [gone, kept] = [row(), row()];
    await repo.insert([gone, kept] as never[]); // simple-json columns defeat insert's deep-partial type
    await api.http().delete(`/forecasts/${gone.id}`).expect(204);
    expect(await repo.findOneBy({ id: gone.id })).toBeNull();
    expect(await repo.findOneBy({ id: kept.id })).not.toBeNull();
    const again = await api.http().delete(`/forecasts/${gone.id}`).expect(404);
    expect(again.body).toMatchObject({ error: 'not_found', details: [{ field: 'id' }] });
    expect(typeof again.body.requestId).toBe('string');
    await api.http().delete('/forecasts/nope').expect(400);
  });
});
