import { waitFor } from '../../support/api';
import { PrivatePostgres, startPrivatePostgres } from '../../support/private-services';
import { batchDefects, countJobs, faultEnv, FaultStack, seriesKeys, TERMINAL } from './fault-harness';

/**
 * AR-Net trains in plain JavaScript (about 0.1 s for 15 epochs of these series), so a job
 * that must be caught mid-fit asks for enough epochs to last several seconds (~10 s quiet).
 */
const MID_FIT_EPOCHS = 2000;

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SERIES = 300;
const HORIZON = 6;

/**
 * PostgreSQL stopped at once (SIGQUIT: no checkpoint, as a crash) and started again while
 * jobs run: a server of the test's own, since the machine's serves other suites. The api
 * and the workers must come through it on their own (new connections), and every job end
 * succeeded or failed with its reason, with no result written twice.
 */
describe('faults: PostgreSQL restarted during jobs', () => {
  let pg: PrivatePostgres | undefined;
  let skip: string | undefined;
  let stack: FaultStack;

  beforeAll(async () => {
    const started = await startPrivatePostgres();
    if ('skip' in started) {
      skip = started.skip;
      return;
    }
    pg = started;
    stack = await new FaultStack(faultEnv(pg.url, REDIS_URL)).start(2);
  }, 120000);

  afterAll(async () => {
    await stack?.close();
    await pg?.close();
  });

  it('(e) the api and workers reconnect; every job ends succeeded or failed with its reason, once', async () => {
    if (!pg) {
      console.warn(`skipped: ${skip}`);
      return;
    }
    const trainData = await stack.uploadSeries(10, 400);
    const batchModel = await stack.trainedBatchModel(SERIES);

    const t0 = Date.now();
    const models = await Promise.all(
      Array.from({ length: 3 }, () => stack.createModel(trainData, 'ar-net', { epochs: 8 })),
    );
    const ids = [];
    for (const m of models) ids.push(await stack.train(m));
    const batch = await stack.batchForecast(batchModel, HORIZON);
    ids.push(batch);
    await stack.runningPast(ids[0], 0.1);
    const pids = stack.live().map((w) => w.child.pid);
    await pg.restart(1500);

    const rows = await stack.settle(ids, 180000);
    // The restart reached the workers (their writes failed while it was down).
    expect(stack.workers.map((w) => w.output()).join('\n')).toMatch(
      /ECONNREFUSED|terminating connection|starting up/,
    );
    let duplicated = 0;
    for (const m of models) {
      const versions = (await stack.versions(m)).length;
      const succeeded = rows.some(
        (r) => r.status === 'succeeded' && (r.result as { modelId?: string } | null)?.modelId === m,
      );
      duplicated += Math.max(0, versions - (succeeded ? 1 : 0));
    }
    if ((await stack.job(batch)).status === 'succeeded') {
      const defects = batchDefects(await stack.batchRows(batchModel, batch), seriesKeys(SERIES), HORIZON);
      duplicated += defects.duplicated;
      expect(defects.missing).toEqual([]);
    }
    // Weights of a run whose version was never recorded are a second copy of that job's result.
    const orphans = await stack.orphanArtifacts();
    duplicated += orphans.length;
    const c = countJobs('PostgreSQL restarted', rows, duplicated, t0);
    expect(rows.filter((r) => !TERMINAL.includes(r.status))).toEqual([]);
    expect(orphans).toEqual([]);
    expect(c).toMatchObject({ lost: 0, duplicated: 0, unexplained: 0 });
    // Nobody had to be restarted: the same worker processes are up and take new jobs.
    expect(stack.live().map((w) => w.child.pid)).toEqual(pids);
    expect((await stack.http().get('/health').expect(200)).body.database).toMatchObject({ ok: true });
    const [after] = await stack.settle([await stack.train(models[0])], 120000);
    expect(after).toMatchObject({ status: 'succeeded', error: null });
  }, 300000);

  it('(e) down while a training records its version: one version, and no weights that no version refers to', async () => {
    if (!pg) return;
    const t0 = Date.now();
    const model = await stack.createModel(await stack.uploadSeries(10, 400), 'ar-net', {
      epochs: MID_FIT_EPOCHS,
    });
    const id = await stack.train(model);
    await stack.runningPast(id, 0.3);
    const before = new Set(stack.artifactEntries());
    await pg.stop();
    // The fit ends while the server is down: its weights are stored, its version cannot be.
    await waitFor(
      async () => stack.artifactEntries().filter((f) => !before.has(f) && !f.startsWith('.')),
      (a) => a.length > 0,
      60000,
      100,
    );
    await pg.start();
    const rows = await stack.settle([id], 120000);
    const versions = await stack.versions(model);
    const orphans = await stack.orphanArtifacts();
    const c = countJobs(
      'PostgreSQL down at the version write',
      rows,
      Math.max(0, versions.length - 1) + orphans.length,
      t0,
    );
    expect(orphans).toEqual([]);
    expect(c).toMatchObject({ lost: 0, duplicated: 0, unexplained: 0, succeeded: 1 });
    expect(versions).toHaveLength(1);
    // The attempt whose version could not be written failed; the retry recorded one.
    expect(rows[0].attempts).toBe(2);
  }, 180000);
});
