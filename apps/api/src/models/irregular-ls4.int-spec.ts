import * as fs from 'fs';
import { simulateAr, TINY_LS4 } from '@seqcast/forecast';
import { startApi, tempDataDir, TestApi, uploadCsv } from '../../../../test/support/api';
import { runEntry } from '../../../../test/support/processes';

/**
 * An irregularly sampled series end to end, as a user runs it over HTTP and with the CLI:
 * uploaded (no frequency: the stamps are off any grid), LS4 trained on it with each step's
 * dt, forecasts by series and from an inline context with its stamps (a tiny configuration,
 * so the spec trains in seconds).
 */
const HOUR = 3_600_000;
const START = Date.UTC(2024, 0, 1);
const N = 150;
/** Gaps in minutes, cycled: median 60. */
const GAPS = [40, 60, 60, 95, 60, 25, 60, 130];

const y = Array.from(
  simulateAr({ coefficients: [0.6, -0.25], length: N, noiseStd: 2, seed: 3 }),
  (v) => +(50 + v).toFixed(4),
);
const t = [START];
for (let i = 1; i < N; i++) t.push(t[i - 1] + GAPS[(i - 1) % GAPS.length] * 60_000);
const iso = (ms: number) => new Date(ms).toISOString();

describe('LS4 on an irregular series over HTTP and the CLI', () => {
  let api: TestApi;
  let dir: string;
  let url: string;
  let datasetId: string;
  let modelId: string;

  const cli = async (...args: string[]) => {
    const p = runEntry('apps/cli/src/main.ts', { SEQCAST_URL: url }, args);
    return { code: await p.exited, output: p.output() };
  };

  beforeAll(async () => {
    dir = tempDataDir();
    api = await startApi({ DATA_DIR: dir, TF_BACKEND: 'cpu', SHUTDOWN_GRACE_MS: '0' });
    url = await api.app.getUrl();
    datasetId = await uploadCsv(
      api,
      'name=irregular&keyColumns=key&timeColumn=time&valueColumns=value',
      ['time,key,value', ...t.map((ms, i) => `${iso(ms)},s,${y[i]}`)].join('\n'),
    );
  }, 60000);
  afterAll(async () => {
    await api?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is stored without a frequency; ls4 is the kind that reads times', async () => {
    const ds = (await api.http().get(`/datasets/${datasetId}`).expect(200)).body;
    expect(ds.latest.frequency).toBeNull();
    // 25, 40, 95 and 130 minutes are off the hourly grid the most common gap suggests
    expect(ds.latest.stats.gaps.irregular).toBeGreaterThan(0);
    const kinds = (await api.http().get('/models/kinds').expect(200)).body as {
      kind: string;
      capabilities: string[];
    }[];
    expect(kinds.filter((k) => k.capabilities.includes('timed')).map((k) => k.kind)).toEqual(['ls4']);
  });

  it('trains ls4 with the CLI, dt from the stamps (the median gap is one step)', async () => {
    modelId = (
      await api
        .http()
        .post('/models')
        .send({
          kind: 'ls4',
          datasetId,
          target: 'value',
          lookback: 12,
          horizon: 4,
          config: TINY_LS4,
        })
        .expect(201)
    ).body.id;
    const trained = await cli('models', 'train', modelId, '--wait');
    expect(trained.code).toBe(0);
    const result = JSON.parse(
      trained.output.slice(trained.output.indexOf('{'), trained.output.lastIndexOf('}') + 1),
    );
    expect(result.timing).toMatchObject({ dt: true, unit: 'ms', nominalGap: HOUR });
    expect(result.test.mse).toBeGreaterThan(0);
  }, 150000);

  it('forecasts by series key one median gap apart, over HTTP and the CLI', async () => {
    const f = (
      await api.http().post(`/models/${modelId}/forecast`).send({ seriesKey: 's', horizon: 4 }).expect(200)
    ).body;
    expect(f.frequency).toBe('1h');
    expect(f.timing).toMatchObject({ dt: true, nominalGap: HOUR });
    const stamps = [1, 2, 3, 4].map((k) => iso(t[N - 1] + k * HOUR));
    expect(f.steps.map((s: { timestamp: string }) => s.timestamp)).toEqual(stamps);

    const out = await cli('models', 'forecast', modelId, '--series', 's', '--horizon', '4');
    expect(out.code).toBe(0);
    expect(out.output).toContain('# each context step');
    for (const s of stamps) expect(out.output).toContain(s);
  }, 60000);

  it('reads an inline context with its stamps: only the tail counts, and the stamps change the forecast', async () => {
    const context = y.slice(N - 60);
    const contextTimes = t.slice(N - 60).map(iso);
    const post = (body: Record<string, unknown>) =>
      api
        .http()
        .post(`/models/${modelId}/forecast`)
        .send({ seriesKey: 's', ...body });
    const long = (await post({ context, contextTimes, horizon: 4 }).expect(200)).body;
    // a trained series is read from its last lookback values (the cap cuts the stamps with them)
    const tail = (
      await post({ context: context.slice(-12), contextTimes: contextTimes.slice(-12), horizon: 4 }).expect(
        200,
      )
    ).body;
    expect(long.point).toEqual(tail.point);
    expect(long.origin).toBe(contextTimes[59]);
    // the same values one hour apart: another forecast
    const hourly = context.map((_, i) => iso(START + i * HOUR));
    const even = (await post({ context, contextTimes: hourly, horizon: 4 }).expect(200)).body;
    expect(
      Math.max(...even.point[0].map((v: number, i: number) => Math.abs(v - long.point[0][i]))),
    ).toBeGreaterThan(1e-3);

    let r = await post({ context, contextTimes: contextTimes.slice(1), horizon: 4 }).expect(400);
    expect(r.body.details[0].field).toBe('contextTimes');
    r = await post({ context, contextTimes: [...contextTimes.slice(0, 59), 'tomorrow'], horizon: 4 }).expect(
      400,
    );
    expect(r.body.details[0].field).toMatch(/^contextTimes/);
    r = await post({ context, contextTimes, contextEnd: contextTimes[59], horizon: 4 }).expect(400);
    expect(r.body.details[0].field).toBe('contextEnd');
  }, 60000);

  it('draws samples at given stamps (one median gap apart: the plain paths), names bad ones; refuses adapters', async () => {
    const post = (body: Record<string, unknown>) =>
      api
        .http()
        .post(`/models/${modelId}/samples`)
        .send({ count: 2, length: 6, seed: 3, ...body });
    const plain = (await post({}).expect(200)).body;
    expect(plain.times).toBeNull();
    const hourly = [0, 1, 2, 3, 4, 5].map((k) => iso(START + k * HOUR));
    const even = (await post({ times: hourly }).expect(200)).body;
    expect(even.times).toEqual(hourly);
    expect(even.timing).toMatchObject({ dt: true, unit: 'ms', nominalGap: HOUR });
    const flat = (p: number[][][]) => p.flat(2);
    flat(even.paths).forEach((v: number, i: number) => expect(v).toBeCloseTo(flat(plain.paths)[i], 4));
    const uneven = (await post({ times: [0, 1, 3, 4, 7, 8].map((k) => iso(START + k * HOUR)) }).expect(200))
      .body;
    expect(
      Math.max(...flat(uneven.paths).map((v: number, i: number) => Math.abs(v - flat(plain.paths)[i]))),
    ).toBeGreaterThan(1e-3);

    let r = await post({ times: hourly.slice(1) }).expect(400);
    expect(r.body.details[0].field).toBe('times');
    r = await post({ times: [...hourly.slice(0, 5), 'tomorrow'] }).expect(400);
    expect(r.body.details[0].field).toMatch(/^times/);
    r = await post({ times: [...hourly.slice(0, 3), hourly[1], ...hourly.slice(4)] }).expect(400);
    expect(r.body.details[0].field).toBe('times[3]');
    r = await post({
      length: 10000,
      times: Array.from({ length: 10001 }, (_, k) => iso(START + k * HOUR)),
    }).expect(400);
    expect(r.body.details[0].field).toBe('times');

    r = await api.http().post(`/models/${modelId}/adapters`).send({ method: 'petsa' }).expect(422);
    expect(r.body.details[0].field).toBe('model');
  }, 60000);
});
