import { JobStore } from '@seqcast/jobs';
import { settleEvaluation, startApi, tempDataDir, TestApi } from '../../../../test/support/api';

type Summary = { id: string; kind: string; status: string; summary: string };

/**
 * GET /evaluations lists every kind of evaluation and nothing else, newest first, and
 * GET /evaluations/:id/result.json gives a backtest's figures with its charts' data.
 */
describe('the list of evaluations and their JSON results', () => {
  let api: TestApi;
  let store: JobStore;
  let backtestId: string;
  let tppId: string;

  beforeAll(async () => {
    api = await startApi({ DATA_DIR: tempDataDir(), SEQCAST_DEMO_DATA: 'true', TF_BACKEND: 'cpu' });
    store = api.app.get(JobStore, { strict: false });
    const datasetId = (await api.http().get('/datasets').expect(200)).body.items[0].id;
    // A TPP evaluation that ended before this test's backtest, written as a worker would.
    const tpp = await store.create({
      type: 'evaluation.tpp',
      payload: {
        datasets: [{ name: 'quakes' }],
        models: [{ kind: 'rmtpp' }, { kind: 'thp', name: 'THP small' }],
      },
      maxAttempts: 1,
    });
    await store.finish(tpp.id, 'failed', { error: 'no such file' });
    tppId = tpp.id;
    // a job that is not an evaluation stays out of the list
    await api
      .http()
      .post('/jobs')
      .send({ type: 'diagnostic.sleep', payload: { steps: 1, stepMs: 0 } })
      .expect(202);
    // the store's stamps are whole seconds: a distinct createdAt, so newest first is defined
    await new Promise((r) => setTimeout(r, 1100));
    backtestId = (
      await api
        .http()
        .post('/evaluations')
        .send({
          datasetId,
          target: 'CO2',
          lookback: 36,
          horizon: 12,
          folds: 6,
          models: [
            { kind: 'naive' },
            { kind: 'seasonal-naive', config: { seasonLength: 12 }, name: 'snaive' },
          ],
          intervals: { method: 'split', alpha: 0.2, calibrationWindows: 60 },
        })
        .expect(202)
    ).body.id;
    expect((await settleEvaluation(api, backtestId)).status).toBe('succeeded');
  }, 120000);
  afterAll(() => api?.close());

  it('lists evaluations of every kind, newest first, with a summary read from what was asked', async () => {
    const page = (await api.http().get('/evaluations').expect(200)).body;
    expect(page.total).toBe(2);
    expect(page.items.map((e: Summary) => [e.id, e.kind, e.status])).toEqual([
      [backtestId, 'backtest', 'succeeded'],
      [tppId, 'tpp', 'failed'],
    ]);
    expect(page.items[0].summary).toBe('naive, snaive on CO2: horizon 12, 6 folds, split 80% intervals');
    expect(page.items[1].summary).toBe('rmtpp, THP small on quakes');
    expect(page.items[1].error).toBe('no such file');
  });

  it('filters by kind and status and pages', async () => {
    const ids = async (query: Record<string, string | number>) =>
      (await api.http().get('/evaluations').query(query).expect(200)).body.items.map((e: Summary) => e.id);
    expect(await ids({ kind: 'tpp' })).toEqual([tppId]);
    expect(await ids({ status: 'succeeded' })).toEqual([backtestId]);
    expect(await ids({ kind: 'sequences' })).toEqual([]);
    expect(await ids({ limit: 1, offset: 1 })).toEqual([tppId]);
  });

  it('refuses an unknown kind or status, naming the field', async () => {
    for (const field of ['kind', 'status']) {
      const r = await api
        .http()
        .get('/evaluations')
        .query({ [field]: 'nope' })
        .expect(400);
      expect(r.body.details.map((d: { field: string }) => d.field)).toEqual([field]);
    }
  });

  it("gives a backtest's figures and its charts' data as JSON, the intervals point by point", async () => {
    const r = (await api.http().get(`/evaluations/${backtestId}/result.json`).expect(200)).body;
    expect(r.overall.map((m: { model: string }) => m.model)).toEqual(['naive', 'snaive']);
    expect(r.chart.forecasts).toHaveLength(2 * 6);
    const ic = r.intervalChart;
    expect(ic).toMatchObject({ level: 0.8, horizon: 12 });
    expect(ic.models.map((m: { model: string }) => m.model)).toEqual(['naive', 'snaive']);
    // one series: the points of the chart are every point the summary row scored, so the
    // coverage counted from them is the row's
    r.intervals.forEach((row: { points: number; coverage: number }, i: number) => {
      const m = ic.models[i];
      expect(m.truth).toHaveLength(row.points);
      const inside = m.truth.filter((y: number, j: number) => y >= m.lower[j] && y <= m.upper[j]).length;
      expect(inside / row.points).toBeCloseTo(row.coverage, 12);
    });
    // the truth the forecasts are drawn against: the chart's truth at the same times
    const truthAt = new Map<number, number>(
      r.chart.times.map((t: number, j: number) => [t, r.chart.truth[j]]),
    );
    ic.models[0].times.forEach((t: number, j: number) =>
      expect(truthAt.get(t)).toBeCloseTo(ic.models[0].truth[j], 4),
    );
  });

  it('answers 404 naming id while an evaluation has no result (it failed)', async () => {
    const r = await api.http().get(`/evaluations/${tppId}/result.json`).expect(404);
    expect(r.body.details[0].field).toBe('id');
  });
});
