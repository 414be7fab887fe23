import { freshPostgresUrl } from '../../support/postgres';
import { PrivateRedis, startPrivateRedis } from '../../support/private-services';
import { waitFor } from '../../support/api';
import { batchDefects, countJobs, faultEnv, FaultStack, JobRow, seriesKeys, TERMINAL } from './fault-harness';

const SERIES = 300;
const HORIZON = 6;

/**
 * Redis killed and started again, empty (no persistence: the worst case; compose runs it
 * with AOF, which can still lose the last second), while jobs run and wait. The rows in
 * PostgreSQL are the record: every job submitted must end succeeded or failed with a
 * reason, none left queued or running, none run to a result twice.
 */
describe('faults: Redis restarted (and emptied) during jobs', () => {
  let redis: PrivateRedis;
  let stack: FaultStack;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    const db = await freshPostgresUrl();
    drop = db.drop;
    stack = await new FaultStack(faultEnv(db.url, redis.url, { SCHEDULE_MIN_INTERVAL_S: '1' })).start(2);
  }, 120000);

  afterAll(async () => {
    await stack?.close();
    await redis?.close();
    await drop?.();
  });

  it('(d) every job ends succeeded, once: running ones finish, lost ones are delivered again', async () => {
    const trainData = await stack.uploadSeries(10, 400);
    const batchModel = await stack.trainedBatchModel(SERIES);

    const t0 = Date.now();
    const models = await Promise.all(
      Array.from({ length: 4 }, () => stack.createModel(trainData, 'ar-net', { epochs: 8 })),
    );
    const trains = [];
    for (const m of models) trains.push(await stack.train(m));
    const batches = [
      await stack.batchForecast(batchModel, HORIZON),
      await stack.batchForecast(batchModel, HORIZON),
    ];
    // Two workers, one job each at a time: two run, the rest wait in Redis.
    await stack.runningPast(trains[0], 0.1);
    // Jobs submitted while Redis is down wait for it (the client reconnects) rather than fail.
    const restarting = redis.restart(1500);
    await new Promise((r) => setTimeout(r, 300));
    const lateModel = await stack.createModel(trainData, 'ar-net', { epochs: 8 });
    const late = stack.train(lateModel);
    await restarting;
    trains.push(await late);
    models.push(lateModel);

    const ids = [...trains, ...batches];
    const rows = await stack.settle(ids, 180000);
    let duplicated = 0;
    for (const m of models) duplicated += Math.max(0, (await stack.versions(m)).length - 1);
    for (const b of batches) {
      if ((await stack.job(b)).status !== 'succeeded') continue;
      const defects = batchDefects(await stack.batchRows(batchModel, b), seriesKeys(SERIES), HORIZON);
      duplicated += defects.duplicated;
      expect(defects.missing).toEqual([]);
    }
    // Weights of a run whose version was never recorded are a second copy of that job's result.
    const orphans = await stack.orphanArtifacts();
    duplicated += orphans.length;
    const c = countJobs('Redis restarted, emptied', rows, duplicated, t0);
    expect(rows.filter((r) => !TERMINAL.includes(r.status))).toEqual([]);
    expect(orphans).toEqual([]);
    expect(c).toMatchObject({ lost: 0, duplicated: 0, unexplained: 0, succeeded: ids.length });
    // The jobs that were waiting in Redis when it went were delivered again, by the reconciler.
    const log = stack.workers.map((w) => w.output()).join('\n');
    expect(log).toMatch(/lost from the queue .*delivered again/);
  }, 300000);

  it('(d) a schedule keeps firing: its scheduler, lost with Redis, is put back', async () => {
    const t0 = Date.now();
    const schedule = (
      await stack
        .http()
        .post('/schedules')
        .send({
          name: 'tick',
          cron: '*/2 * * * * *',
          jobType: 'diagnostic.sleep',
          payload: { steps: 1, stepMs: 1 },
        })
        .expect(201)
    ).body;
    type Fired = JobRow & { scheduleId: string; createdAt: string };
    const fired = async (after: number) =>
      ((await stack.http().get('/jobs?limit=500').expect(200)).body.items as Fired[]).filter(
        (j) => j.scheduleId === schedule.id && Date.parse(j.createdAt) > after,
      );
    await waitFor(
      () => fired(0),
      (jobs) => jobs.length > 0,
      20000,
    );
    await redis.restart(1000);
    const back = Date.now();
    await waitFor(
      () => fired(back),
      (jobs) => jobs.some((j) => j.status === 'succeeded'),
      30000,
      200,
    );
    await stack.http().delete(`/schedules/${schedule.id}`).expect(204);
    const all = await fired(0);
    const rows = await stack.settle(
      all.map((j) => j.id),
      30000,
    );
    const c = countJobs('Redis restarted, a schedule firing', rows, 0, t0);
    expect(c).toMatchObject({ lost: 0, duplicated: 0, unexplained: 0 });
    expect(stack.workers.map((w) => w.output()).join('\n')).toContain(
      `schedule ${schedule.id} was missing from Redis`,
    );
  }, 120000);
});
