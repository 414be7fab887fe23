import { freshPostgresUrl } from '../../support/postgres';
import { stop } from '../../support/processes';
import { batchDefects, countJobs, faultEnv, FaultStack, seriesKeys } from './fault-harness';

/**
 * AR-Net trains in plain JavaScript (about 0.1 s for 15 epochs of these series), so a job
 * that must be caught mid-fit asks for enough epochs to last several seconds (~10 s quiet).
 */
const MID_FIT_EPOCHS = 2000;

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** The batch dataset: enough series that forecasting them all takes seconds even on an idle machine (3000 did not: the batch could end before the stop). */
const BATCH_SERIES = 10000;
const HORIZON = 6;

/**
 * Workers that die (kill -9) or are stopped (SIGTERM) in the middle of a training and of a
 * batch forecast, on the machine's PostgreSQL (a schema of its own) and Redis (a queue of
 * its own). Each job must end succeeded exactly once: one model version, one forecast file
 * with every series once, attempts counting the killed run and not the handed-back one.
 */
describe('faults: workers killed or stopped mid-job', () => {
  let stack: FaultStack;
  let drop: () => Promise<void>;
  let trainData: string;
  let batchModel: string;

  beforeAll(async () => {
    const db = await freshPostgresUrl();
    drop = db.drop;
    stack = await new FaultStack(faultEnv(db.url, REDIS_URL)).start(2);
    trainData = await stack.uploadSeries(20, 600);
    batchModel = await stack.trainedBatchModel(BATCH_SERIES);
  }, 120000);

  afterAll(async () => {
    await stack?.close();
    await drop?.();
  });

  /** Two workers before each scenario: the one that takes the job, and the one left when it goes. */
  beforeEach(async () => {
    while (stack.live().length < 2) await stack.addWorker();
  }, 120000);

  it('(a) kill -9 mid-training: the other worker finishes it, one model version, two attempts', async () => {
    const t0 = Date.now();
    const model = await stack.createModel(trainData, 'ar-net', { epochs: MID_FIT_EPOCHS });
    const id = await stack.train(model);
    expect((await stack.runningPast(id, 0.2)).status).toBe('running');
    const holder = await stack.holderOf(id);
    await stop(holder, 'SIGKILL');
    const rows = await stack.settle([id], 120000);
    const versions = await stack.versions(model);
    const c = countJobs('kill -9 mid-training', rows, Math.max(0, versions.length - 1), t0);
    expect(c).toMatchObject({ lost: 0, duplicated: 0, unexplained: 0, succeeded: 1 });
    expect(rows[0].attempts).toBe(2);
    expect(versions).toHaveLength(1);
    expect(await stack.orphanArtifacts()).toEqual([]);
  }, 180000);

  it('(b) SIGTERM mid-training: handed back without using the attempt, another worker completes it', async () => {
    const t0 = Date.now();
    const model = await stack.createModel(trainData, 'ar-net', { epochs: MID_FIT_EPOCHS });
    const id = await stack.train(model);
    expect((await stack.runningPast(id, 0.2)).status).toBe('running');
    const holder = await stack.holderOf(id);
    expect(await stop(holder, 'SIGTERM')).toBe(0);
    expect(holder.output()).toContain(`job ${id} (model.train) handed back to the queue at shutdown`);
    const rows = await stack.settle([id], 120000);
    const versions = await stack.versions(model);
    const c = countJobs('SIGTERM mid-training', rows, Math.max(0, versions.length - 1), t0);
    expect(c).toMatchObject({ lost: 0, duplicated: 0, unexplained: 0, succeeded: 1 });
    expect(rows[0].attempts).toBe(1);
    expect(versions).toHaveLength(1);
    expect(await stack.orphanArtifacts()).toEqual([]);
  }, 180000);

  async function batchOutcome(scenario: string, id: string, t0: number) {
    const rows = await stack.settle([id], 120000);
    expect(rows[0].status).toBe('succeeded');
    const { duplicated, missing } = batchDefects(
      await stack.batchRows(batchModel, id),
      seriesKeys(BATCH_SERIES),
      HORIZON,
    );
    const c = countJobs(scenario, rows, duplicated, t0);
    expect(c).toMatchObject({ lost: 0, duplicated: 0, unexplained: 0, succeeded: 1 });
    expect(missing).toEqual([]);
    expect(rows[0].result).toMatchObject({ series: BATCH_SERIES, rows: BATCH_SERIES * HORIZON });
    // One file per job, and no temporary left by the interrupted run.
    expect(stack.forecastFiles().filter((f) => f.includes(id))).toEqual([`${id}.arrow`]);
    expect(stack.forecastFiles().filter((f) => f.startsWith('.tmp-'))).toEqual([]);
    return rows[0];
  }

  it('(c) kill -9 mid-batch-forecast: every series forecast once, in one file', async () => {
    const t0 = Date.now();
    const id = await stack.batchForecast(batchModel, HORIZON);
    expect((await stack.runningPast(id, 0.1)).status).toBe('running');
    const holder = await stack.holderOf(id);
    await stop(holder, 'SIGKILL');
    expect((await batchOutcome('kill -9 mid-batch-forecast', id, t0)).attempts).toBe(2);
  }, 180000);

  it('(c) SIGTERM mid-batch-forecast: handed back, then every series forecast once', async () => {
    const t0 = Date.now();
    const id = await stack.batchForecast(batchModel, HORIZON);
    expect((await stack.runningPast(id, 0.1)).status).toBe('running');
    const holder = await stack.holderOf(id);
    expect(await stop(holder, 'SIGTERM')).toBe(0);
    expect(holder.output()).toContain(
      `job ${id} (model.batch-forecast) handed back to the queue at shutdown`,
    );
    expect((await batchOutcome('SIGTERM mid-batch-forecast', id, t0)).attempts).toBe(1);
  }, 180000);
});
