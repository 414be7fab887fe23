import { startApi, tempDataDir, TestApi } from '../../../../test/support/api';

/** A schedule shows when it fires next (in its time zone), and nothing while it is disabled. */
describe('schedules: next fire time', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi({ DATA_DIR: tempDataDir(), SQLITE_PATH: ':memory:' });
  }, 60000);
  afterAll(async () => api?.close());

  it('gives the next fire of the cron in its time zone, null once disabled', async () => {
    const s = (
      await api
        .http()
        .post('/schedules')
        .send({ name: 'nightly', cron: '30 3 * * *', timezone: 'Asia/Kolkata', jobType: 'diagnostic.sleep' })
        .expect(201)
    ).body;
    // 03:30 in Kolkata (UTC+5:30, no daylight saving) is 22:00 UTC the day before
    const next = new Date(s.nextFireAt);
    expect(next.toISOString()).toMatch(/T22:00:00\.000Z$/);
    const hoursAhead = (next.getTime() - Date.now()) / 3_600_000;
    expect(hoursAhead).toBeGreaterThan(0);
    expect(hoursAhead).toBeLessThanOrEqual(24);
    const listed = (await api.http().get('/schedules').expect(200)).body;
    expect(listed[0].nextFireAt).toBe(s.nextFireAt);
    const paused = (await api.http().patch(`/schedules/${s.id}`).send({ enabled: false }).expect(200)).body;
    expect(paused.nextFireAt).toBeNull();
    await api.http().delete(`/schedules/${s.id}`).expect(204);
  });
});
