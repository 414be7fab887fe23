import * as fs from 'fs';
import pl from 'nodejs-polars';
import { startApi, tempDataDir, TestApi, settleJob, collectBytes } from '../../../../test/support/api';

const N = 240;
const H = 4;
const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 2, 25); // the series crosses Europe/Paris' DST change (31 March)
const W = (2 * Math.PI) / 24;

/**
 * A daily cycle around a level: x_t = 10 + 3 sin(w t + phase). It obeys
 * x_t - 10 = 2 cos(w) (x_{t-1} - 10) - (x_{t-2} - 10) exactly, so a classic AR(2) with an
 * intercept fits it without error and its forecast is the cycle's continuation: the outside
 * truth the served forecast is checked against.
 */
const cycle = (t: number, phase: number) => 10 + 3 * Math.sin(W * t + phase);

describe('Parquet in, batch forecast out as Parquet and Arrow, read by polars', () => {
  let api: TestApi;
  let dir: string;

  beforeAll(async () => {
    dir = tempDataDir();
    api = await startApi({ DATA_DIR: dir, TF_BACKEND: 'cpu' });
  });
  afterAll(async () => {
    await api?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const bytes = (req: ReturnType<ReturnType<TestApi['http']>['get']>) =>
    req.buffer(true).parse(collectBytes).expect(200);

  it('keeps values and the time zone through upload, export and batch forecast', async () => {
    const keys: string[] = [];
    const times: Date[] = [];
    const values: number[] = [];
    for (const [k, phase] of [
      ['north', 0],
      ['south', 1],
    ] as const)
      for (let t = 0; t < N; t++) {
        keys.push(k);
        times.push(new Date(T0 + t * HOUR));
        values.push(cycle(t, phase));
      }
    const parquet = pl
      .DataFrame({ site: keys, ts: times, load: values })
      .select(pl.col('site'), pl.col('ts').cast(pl.Datetime('us', 'Europe/Paris')), pl.col('load'))
      .writeParquet({ compression: 'zstd' });

    const up = await api
      .http()
      .post('/datasets?name=parquet-cycle')
      .set('Content-Type', 'application/vnd.apache.parquet')
      .send(parquet)
      .expect(201);
    const datasetId = up.body.id as string;
    const detail = (await api.http().get(`/datasets/${datasetId}`).expect(200)).body;
    expect(detail.latest.schema.fields).toContainEqual({
      name: 'ts',
      type: 'Timestamp<MICROSECOND, Europe/Paris>',
      nullable: true,
    });

    // The dataset back as Parquet: polars reads the same rows and zone.
    const exported = pl.readParquet(
      (await bytes(api.http().get(`/datasets/${datasetId}/export?format=parquet`))).body as Buffer,
    );
    expect(exported.height).toBe(2 * N);
    expect(String(exported.getColumn('ts').dtype)).toContain('Europe/Paris');
    expect(exported.getColumn('load').toArray()).toEqual(values);

    const model = (
      await api
        .http()
        .post('/models')
        .send({
          kind: 'classic-ar',
          datasetId,
          config: { order: 2 },
          lookback: 2,
          horizon: H,
          target: 'load',
        })
        .expect(201)
    ).body;
    const settle = async (id: string) => {
      const j = await settleJob(api, id);
      expect(j.error).toBeNull();
      return j;
    };
    await settle((await api.http().post(`/models/${model.id}/train`).expect(202)).body.id);
    const batch = (
      await api.http().post(`/models/${model.id}/batch-forecasts`).send({ horizon: H }).expect(202)
    ).body;
    await settle(batch.id);
    const json = (
      await api
        .http()
        .post(`/models/${model.id}/forecast`)
        .send({ seriesKey: 'north', horizon: H })
        .expect(200)
    ).body;
    expect(json.timeZone).toBe('Europe/Paris');
    expect(json.start).toBe(new Date(T0 + N * HOUR).toISOString());
    const url = `/models/${model.id}/batch-forecasts/${batch.id}`;
    const asArrow = pl.readIPC((await bytes(api.http().get(url))).body as Buffer);
    const asParquet = pl.readParquet((await bytes(api.http().get(`${url}?format=parquet`))).body as Buffer);
    await api.http().get(`${url}?format=xlsx`).expect(400);
    for (const df of [asArrow, asParquet]) {
      expect(df.height).toBe(2 * H);
      expect(String(df.getColumn('timestamp').dtype)).toBe('DataType(Datetime(ms,Europe/Paris))');
      const series = df.getColumn('series').toArray();
      const stamps = (df.getColumn('timestamp').toArray() as unknown as Date[]).map((d) =>
        new Date(d).getTime(),
      );
      const got = df.getColumn('value').toArray() as number[];
      for (let i = 0; i < df.height; i++) {
        const step = i % H;
        const phase = series[i] === 'north' ? 0 : 1;
        expect(stamps[i]).toBe(T0 + (N + step) * HOUR);
        expect(Math.abs(got[i] - cycle(N + step, phase))).toBeLessThan(2e-3);
      }
    }
  }, 180000);
});
