import * as fs from 'fs';
import * as path from 'path';
import { startApi, tempDataDir, TestApi, waitFor } from '../../../../test/support/api';
import { runEntry } from '../../../../test/support/processes';

/** Rows whose class is the sign of the events' values: every model learns it in a few epochs. */
function signRows(n: number) {
  return Array.from({ length: n }, (_, i) => {
    const target = i % 2;
    const times = [0, 0.5 + (i % 3) * 0.1, 1.2, 2];
    return { times, numeric: times.map((_, t) => [(target ? 1 : -1) * (0.5 + ((i + t) % 4) / 10)]), target };
  });
}

const tinyConfig = (over: Record<string, unknown> = {}) => ({
  kind: 'sequences',
  datasets: [
    {
      name: 'signs',
      source: {
        kind: 'inline',
        schema: { task: 'classification', numClasses: 2, numericFeatures: 1 },
        pool: signRows(30),
        test: signRows(10),
      },
    },
  ],
  models: [{ kind: 'mean_pool_mlp', config: { hidden: 8, batchSize: 8, learningRate: 0.05 } }],
  hpo: { trials: 1, seeds: 1 },
  seeds: 2,
  ablations: ['drop_time'],
  ablationSeeds: 1,
  maxEpochs: 5,
  ...over,
});

describe('sequence-level evaluations over HTTP and the CLI', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startApi({ DATA_DIR: tempDataDir(), TF_BACKEND: 'cpu' });
  }, 60000);
  afterAll(() => api?.close());

  it('runs the protocol as a job: progress, the JSON figures and the Markdown report', async () => {
    const e = (await api.http().post('/evaluations').send(tinyConfig()).expect(202)).body;
    expect(e.type).toBe('evaluation.sequences');
    const seen = new Set<string>();
    const done = await waitFor(
      async () => {
        const j = (await api.http().get(`/evaluations/${e.id}`).expect(200)).body;
        if (j.progress?.message) seen.add(j.progress.message);
        return j;
      },
      (j) => j.status === 'succeeded' || j.status === 'failed',
      90000,
    );
    expect(done.error).toBeNull();
    expect(done.result.datasets[0].models[0].final.values).toHaveLength(2);
    expect(done.result.datasets[0].models[0].ablations.drop_time.values).toHaveLength(1);
    expect(done.result.meanRanks).toEqual({ mean_pool_mlp: 1 });
    const report = await api.http().get(`/evaluations/${e.id}/report`).expect(200);
    expect(report.text).toContain('| mean_pool_mlp |');
    expect(report.text).toContain('### Ranks');
  }, 120000);

  it('refuses bad configs naming the field: unknown model or metric, a dataset without a target, files outside the shared folder', async () => {
    const rows = signRows(4) as Array<Record<string, unknown>>;
    delete rows[2].target;
    let r = await api
      .http()
      .post('/evaluations')
      .send(
        tinyConfig({
          datasets: [
            {
              name: 'a',
              source: {
                kind: 'inline',
                schema: { task: 'classification', numClasses: 2, numericFeatures: 1 },
                pool: rows,
                test: signRows(2),
              },
              metric: 'auroc',
            },
          ],
          models: ['gru', 'lstm9'],
        }),
      )
      .expect(400);
    const fields = r.body.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(
      expect.arrayContaining(['datasets[0].source.pool[2].target', 'datasets[0].metric', 'models[1].kind']),
    );
    r = await api
      .http()
      .post('/evaluations')
      .send(
        tinyConfig({
          datasets: [{ name: 'x', source: { kind: 'uea', train: '/etc/passwd', test: '/etc/hosts' } }],
        }),
      )
      .expect(400);
    expect(r.body.details.map((d: { field: string }) => d.field)).toEqual([
      'datasets[0].source.train',
      'datasets[0].source.test',
    ]);
    // a backtest body is still checked as before
    r = await api
      .http()
      .post('/evaluations')
      .send({ target: 'x', lookback: 3, horizon: 1, models: [{ kind: 'naive' }] })
      .expect(400);
    expect(r.body.details.map((d: { field: string }) => d.field)).toContain('datasetId');
  }, 60000);

  it('runs from the CLI, here and on the server, and names bad fields', async () => {
    const dir = tempDataDir('seqcast-seq-');
    const file = path.join(dir, 'config.json');
    const { kind: _kind, ...config } = tinyConfig();
    fs.writeFileSync(file, JSON.stringify(config));
    const out = path.join(dir, 'result.json');
    let p = runEntry('apps/cli/src/main.ts', {}, ['eval', 'sequences', file, '--out', out]);
    expect(await p.exited).toBe(0);
    expect(p.output()).toContain('| mean_pool_mlp |');
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).datasets[0].name).toBe('signs');
    const url = (await api.app.getUrl()).replace('[::1]', '127.0.0.1');
    p = runEntry('apps/cli/src/main.ts', {}, ['--url', url, 'eval', 'sequences', file, '--server']);
    expect(await p.exited).toBe(0);
    expect(p.output()).toContain('### Ranks');
    fs.writeFileSync(file, JSON.stringify({ ...config, models: ['gru', { kind: 'nope' }] }));
    p = runEntry('apps/cli/src/main.ts', {}, ['eval', 'sequences', file]);
    expect(await p.exited).toBe(2);
    expect(p.output()).toMatch(/models\[1\]\.kind: unknown model 'nope'/);
  }, 180000);
});
