import { ForecastEntity, JobEntity } from '@seqcast/db';
import { DataSource, In } from 'typeorm';
import { RETENTION_BATCH, RetentionService } from '../src/retention/retention.service';
import { startApi, tempDataDir, TestApi, waitFor } from '../../../test/support/api';
import { blankForecastRow } from '../../../test/support/forecast-rows';

/** Issue 24 #4: FORECAST_RETENTION_DAYS / JOB_RETENTION_DAYS and the api's sweep. */
describe('retention sweep', () => {
  let api: TestApi;
  let ds: DataSource;

  beforeAll(async () => {
    api = await startApi({
      DATA_DIR: tempDataDir(),
      FORECAST_RETENTION_DAYS: '1',
      JOB_RETENTION_DAYS: '1',
      RETENTION_SWEEP_INTERVAL_MS: '200',
      SHUTDOWN_GRACE_MS: '0',
    });
    ds = api.app.get(DataSource);
  });
  afterAll(() => api?.close());

  const DAY = 24 * 60 * 60 * 1000;
  const ago = (ms: number) => new Date(Date.now() - ms);

  const forecastRow = blankForecastRow;

  const finishedJob = async (): Promise<string> => {
    const { id } = (
      await api
        .http()
        .post('/jobs')
        .send({ type: 'diagnostic.sleep', payload: { steps: 1, stepMs: 1 } })
        .expect(202)
    ).body;
    await waitFor(
      async () => (await api.http().get(`/jobs/${id}`).expect(200)).body,
      (j) => j.status === 'succeeded',
    );
    return id;
  };

  it('removes forecasts and finished jobs older than a day, and keeps newer ones', async () => {
    const forecasts = ds.getRepository(ForecastEntity);
    const jobs = ds.getRepository(JobEntity);
    const oldF = [forecastRow(), forecastRow(), forecastRow()];
    const newF = [forecastRow(), forecastRow()];
    await forecasts.insert([...oldF, ...newF] as never[]); // simple-json columns defeat insert's deep-partial type
    // Age the rows by moving their timestamps back, as if they had been written then.
    await forecasts.update(
      oldF.map((f) => f.id),
      { createdAt: ago(2 * DAY) },
    );
    await forecasts.update(newF[0].id, { createdAt: ago(DAY - 60 * 60 * 1000) });

    const oldJob = await finishedJob();
    const newJob = await finishedJob();
    await jobs.update(oldJob, { finishedAt: ago(2 * DAY), createdAt: ago(2 * DAY) });
    await jobs.update(newJob, { finishedAt: ago(DAY - 60 * 60 * 1000) });
    // An old job that has not finished is still someone's work: never swept.
    const stuck = await finishedJob();
    await jobs.update(stuck, { status: 'queued', finishedAt: null, createdAt: ago(3 * DAY) });

    await waitFor(
      () => forecasts.countBy({}),
      (n) => n === newF.length,
      5000,
    );
    await waitFor(
      async () => (await jobs.findOneBy({ id: oldJob })) === null,
      (gone) => gone,
      5000,
    );
    expect((await forecasts.find()).map((f) => f.id).sort()).toEqual(newF.map((f) => f.id).sort());
    await api.http().get(`/jobs/${oldJob}`).expect(404);
    await api.http().get(`/jobs/${newJob}`).expect(200);
    await api.http().get(`/jobs/${stuck}`).expect(200);
  });

  it('deletes more rows than one batch holds, batch by batch', async () => {
    const forecasts = ds.getRepository(ForecastEntity);
    const many = Array.from({ length: RETENTION_BATCH * 2 + 7 }, forecastRow);
    for (let i = 0; i < many.length; i += 200) await forecasts.insert(many.slice(i, i + 200) as never[]);
    await forecasts.update({ id: In(many.map((f) => f.id)) }, { createdAt: ago(5 * DAY) });
    const swept = await api.app.get(RetentionService).sweep();
    // The interval may have taken a share already; together nothing old is left.
    expect(swept.forecasts).toBeLessThanOrEqual(many.length);
    expect(await forecasts.countBy({ id: In(many.map((f) => f.id)) })).toBe(0);
  });
});
