import { ModelEntity } from '@seqcast/db';
import { qrLeastSquares, Rng } from '@seqcast/numeric';
import { Table, tableFromIPC } from 'apache-arrow';
import * as fs from 'fs';
import * as path from 'path';
import { DataSource } from 'typeorm';
import { startApi, tempDataDir, TestApi, waitFor, collectBytes } from '../../../../test/support/api';

const N = 400;
const P = 2;
const H = 3;
const HOUR = 3_600_000;
const TRAIN_END = Math.floor(0.7 * N);

/** AR(2) around `level`: x_t = level + a1 (x_{t-1} - level) + a2 (x_{t-2} - level) + sd e_t. */
function ar2(seed: number, level: number, a1: number, a2: number, sd: number): number[] {
  const rng = new Rng(seed);
  const out: number[] = [];
  for (let t = 0; t < N; t++) {
    const d1 = t >= 1 ? out[t - 1] - level : 0;
    const d2 = t >= 2 ? out[t - 2] - level : 0;
    out.push(Number((level + a1 * d1 + a2 * d2 + sd * rng.normal()).toFixed(6)));
  }
  return out;
}

/**
 * Classic AR(P) on several channels worked out by hand: each channel standardised by its
 * training rows' mean and population std (as float32, what the model reads), one least-squares
 * fit with an intercept by QR over the windows of every channel (the zoo's channel-independent
 * models share their weights across channels and series), recursive forecasts mapped back.
 */
function pooledAr(channels: number[][]) {
  const scaled = channels.map((raw) => {
    const v = Float32Array.from(raw);
    let mean = 0;
    for (let i = 0; i < TRAIN_END; i++) mean += v[i];
    mean /= TRAIN_END;
    let ss = 0;
    for (let i = 0; i < TRAIN_END; i++) ss += (v[i] - mean) ** 2;
    const std = Math.sqrt(ss / TRAIN_END);
    return { mean, std, z: Float32Array.from(v, (x) => (x - mean) / std) };
  });
  const per = TRAIN_END - P;
  const rows = per * channels.length;
  const cols = P + 1;
  const x = new Float64Array(rows * cols);
  const y = new Float64Array(rows);
  scaled.forEach(({ z }, c) => {
    for (let r = 0; r < per; r++) {
      const row = c * per + r;
      x[row * cols] = 1;
      for (let i = 0; i < P; i++) x[row * cols + 1 + i] = z[r + i];
      y[row] = z[r + P];
    }
  });
  const w = qrLeastSquares(x, rows, cols, y);
  /** Channel c's forecast of H steps after the last row, on the data's scale. */
  return (c: number): number[] => {
    const { mean, std, z } = scaled[c];
    const path = Array.from(z.subarray(N - P), Number);
    return Array.from({ length: H }, () => {
      let next = w[0];
      for (let i = 0; i < P; i++) next += w[1 + i] * path[path.length - P + i];
      path.push(next);
      return next * std + mean;
    });
  };
}

type Forecast = {
  channels: string[];
  point: number[][];
  bounds?: Record<string, number[][]>;
  interval: { levels: string[] } | null;
};

/**
 * A model with several target columns over HTTP: created with `targets`, trained on one
 * array per target channel, served (JSON and Arrow) and calibrated per channel.
 *
 * The outside truths: the dataset is two simulated AR(2) series with different coefficients
 * and levels in two columns of one table. The zoo's models are channel-independent with
 * weights shared across channels (and series), so a model on both columns must forecast
 * exactly what a one-target model forecasts on the same columns stacked as two series of a
 * long table, and what a least-squares AR fit over both standardised channels (by QR) gives.
 * A channel's forecast reads that channel's history only.
 */
describe('multichannel models over HTTP', () => {
  let api: TestApi;
  let dir: string;
  let wideId: string;
  let longId: string;
  let wideKey: string;
  const a = ar2(21, 20, 0.6, -0.3, 1);
  const b = ar2(22, 5, 0.2, 0.5, 2);
  const stamp = (t: number) => new Date(t * HOUR).toISOString();

  const job = async (id: string) => (await api.http().get(`/jobs/${id}`).expect(200)).body;
  const settle = async (id: string) => {
    const j = await waitFor(
      () => job(id),
      (x) => x.status === 'succeeded' || x.status === 'failed',
      120000,
    );
    expect(j.error).toBeNull();
    expect(j.status).toBe('succeeded');
    return j;
  };
  const createModel = async (body: Record<string, unknown>) =>
    (
      await api
        .http()
        .post('/models')
        .send({ kind: 'classic-ar', config: { order: P }, lookback: P, horizon: H, ...body })
        .expect(201)
    ).body;
  const train = async (id: string) =>
    settle((await api.http().post(`/models/${id}/train`).expect(202)).body.id);
  const forecast = async (id: string, body: Record<string, unknown>): Promise<Forecast> =>
    (
      await api
        .http()
        .post(`/models/${id}/forecast`)
        .send({ horizon: H, ...body })
        .expect(200)
    ).body;
  const arrowForecast = async (id: string, body: Record<string, unknown>): Promise<Table> =>
    tableFromIPC(
      (
        await api
          .http()
          .post(`/models/${id}/forecast`)
          .set('accept', 'application/vnd.apache.arrow.stream')
          .send({ horizon: H, ...body })
          .buffer(true)
          .parse(collectBytes)
          .expect(200)
      ).body as Buffer,
    );
  const upload = async (name: string, csv: string, query = '') =>
    (
      await api
        .http()
        .post(`/datasets?name=${name}${query}`)
        .set('Content-Type', 'text/csv')
        .send(csv)
        .expect(201)
    ).body.id as string;
  const close = (got: number[], want: number[], tol: number) => {
    expect(got).toHaveLength(want.length);
    got.forEach((g, i) => expect(Math.abs(g - want[i])).toBeLessThan(tol));
  };

  beforeAll(async () => {
    dir = tempDataDir();
    api = await startApi({ DATA_DIR: dir, TF_BACKEND: 'cpu' });
    const wide = ['time,a,b', ...a.map((v, t) => `${stamp(t)},${v},${b[t]}`)].join('\n');
    const long = [
      'time,series,value',
      ...a.map((v, t) => `${stamp(t)},a,${v}`),
      ...b.map((v, t) => `${stamp(t)},b,${v}`),
    ].join('\n');
    const wideDataset = await upload('wide', wide);
    const longDataset = await upload('long', long, '&keyColumns=series');
    wideKey = (await api.http().get(`/datasets/${wideDataset}/series`).expect(200)).body.items[0].key;
    const wideModel = await createModel({ datasetId: wideDataset, targets: ['a', 'b'] });
    expect(wideModel).toMatchObject({ target: 'a', targets: ['a', 'b'], name: 'classic-ar on a, b' });
    wideId = wideModel.id;
    longId = (await createModel({ datasetId: longDataset, target: 'value' })).id;
    expect((await api.http().get(`/models/${longId}`).expect(200)).body.targets).toEqual(['value']);
  }, 60000);
  afterAll(async () => {
    await api?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses bad targets with a 400 naming the column', async () => {
    const datasetId = (await api.http().get(`/models/${wideId}`).expect(200)).body.datasetId;
    const refused = async (body: Record<string, unknown>) =>
      (
        await api
          .http()
          .post('/models')
          .send({ kind: 'classic-ar', datasetId, lookback: P, horizon: H, ...body })
          .expect(400)
      ).body;
    let r = await refused({ targets: ['a', 'c'] });
    expect(r.message).toContain("'c'");
    expect(r.details[0]).toMatchObject({ field: 'targets[1]' });
    expect(r.details[0].reason).toContain('a, b');
    r = await refused({ targets: ['b', 'b'] });
    expect(r.message).toContain("'b' is named twice");
    expect(r.details[0]).toMatchObject({ field: 'targets[1]' });
    r = await refused({ targets: ['time', 'a'] });
    expect(r.message).toContain("'time'");
    expect(r.details[0]).toMatchObject({ field: 'targets[0]' });
    r = await refused({ targets: [] });
    expect(r.details[0].field).toBe('targets');
    r = await refused({ target: 'a', targets: ['a', 'b'] });
    expect(r.details[0].field).toBe('target');
    r = await refused({});
    expect(r.details[0].field).toBe('target');
  });

  it('trains on both channels and forecasts each as the stacked one-target model and the pooled least squares', async () => {
    const wideRun = await train(wideId);
    const longRun = await train(longId);
    expect(wideRun.result.series).toBe(1);
    expect(longRun.result.series).toBe(2);
    // the same windows, scores and fit: a channel counts as a series would
    expect(wideRun.result.test.windows * 2).toBe(longRun.result.test.windows);
    expect(wideRun.result.test.mse).toBeCloseTo(longRun.result.test.mse, 5);

    const f = await forecast(wideId, { seriesKey: wideKey });
    expect(f.channels).toEqual(['a', 'b']);
    expect(f.point).toHaveLength(2);
    const truth = pooledAr([a, b]);
    for (const [c, key] of ['a', 'b'].entries()) {
      const stacked = await forecast(longId, { seriesKey: key });
      expect(stacked.channels).toEqual(['value']);
      close(f.point[c], stacked.point[0], 1e-4);
      close(f.point[c], truth(c), 1e-3);
    }
    // shared weights, not one model per column: a fit on column a alone forecasts otherwise
    const alone = pooledAr([a])(0);
    expect(Math.max(...alone.map((v, i) => Math.abs(v - f.point[0][i])))).toBeGreaterThan(1e-2);
    // a channel reads its own history only
    const contexts = [a.slice(N - 50), b.slice(N - 50)];
    const given = await forecast(wideId, { seriesKey: wideKey, contexts });
    expect(given.point).toEqual(f.point);
    const moved = await forecast(wideId, {
      seriesKey: wideKey,
      contexts: [contexts[0], contexts[1].map((v) => v + 3 * Math.sin(v))],
    });
    expect(moved.point[0]).toEqual(f.point[0]);
    expect(moved.point[1]).not.toEqual(f.point[1]);
  }, 180000);

  it('answers the same channels in JSON and Arrow', async () => {
    const f = await forecast(wideId, { seriesKey: wideKey });
    const t = await arrowForecast(wideId, { seriesKey: wideKey });
    const col = (name: string) => Array.from(t.getChild(name)!.toArray() as ArrayLike<number | string>);
    expect(t.numRows).toBe(2 * H);
    expect(col('channel')).toEqual(['a', 'a', 'a', 'b', 'b', 'b']);
    expect(col('step')).toEqual([1, 2, 3, 1, 2, 3]);
    expect(col('value')).toEqual([...f.point[0], ...f.point[1]]);
  });

  it('refuses a one-channel context or a wrong number of channels for a two-target model', async () => {
    let r = await api
      .http()
      .post(`/models/${wideId}/forecast`)
      .send({ seriesKey: wideKey, horizon: H, context: a.slice(N - 10) })
      .expect(400);
    expect(r.body.details[0].field).toBe('context');
    r = await api
      .http()
      .post(`/models/${wideId}/forecast`)
      .send({ seriesKey: wideKey, horizon: H, contexts: [a.slice(N - 10)] })
      .expect(400);
    expect(r.body.details[0].field).toBe('contexts');
    r = await api
      .http()
      .post(`/models/${wideId}/forecast`)
      .send({ seriesKey: wideKey, horizon: H, contexts: [a.slice(N - 10), [1]] })
      .expect(422);
    expect(r.body.details[0].field).toBe('contexts[1]');
  });

  it('calibrates every channel: its bounds are those of the stacked model for that series', async () => {
    for (const id of [wideId, longId]) {
      const { job: j } = (
        await api
          .http()
          .post(`/models/${id}/calibrators`)
          .send({ method: 'split', alpha: [0.1] })
          .expect(202)
      ).body;
      await settle(j.id);
    }
    const f = await forecast(wideId, { seriesKey: wideKey });
    expect(f.interval).toMatchObject({ levels: ['90'] });
    for (const [c, key] of ['a', 'b'].entries()) {
      const stacked = await forecast(longId, { seriesKey: key });
      close(f.bounds!['lo-90'][c], stacked.bounds!['lo-90'][0], 1e-3);
      close(f.bounds!['hi-90'][c], stacked.bounds!['hi-90'][0], 1e-3);
      f.point[c].forEach((v, i) => {
        expect(f.bounds!['lo-90'][c][i]).toBeLessThan(v);
        expect(v).toBeLessThan(f.bounds!['hi-90'][c][i]);
      });
    }
    const t = await arrowForecast(wideId, { seriesKey: wideKey });
    expect(Array.from(t.getChild('lo-90')!.toArray() as Float64Array)).toEqual([
      ...f.bounds!['lo-90'][0],
      ...f.bounds!['lo-90'][1],
    ]);
  }, 180000);

  it('reads a model row from before targets (null) as its one target', async () => {
    const before = await forecast(longId, { seriesKey: 'a' });
    await api.app.get(DataSource).getRepository(ModelEntity).update({ id: longId }, { targets: null });
    expect((await api.http().get(`/models/${longId}`).expect(200)).body).toMatchObject({
      target: 'value',
      targets: ['value'],
    });
    await new Promise((r) => setTimeout(r, 1100)); // past the forecast service's row cache
    expect((await forecast(longId, { seriesKey: 'a' })).point).toEqual(before.point);
  });

  it('backtests take one target: targets is refused by name', async () => {
    const datasetId = (await api.http().get(`/models/${wideId}`).expect(200)).body.datasetId;
    const r = await api
      .http()
      .post('/evaluations')
      .send({
        datasetId,
        targets: ['a', 'b'],
        target: 'a',
        lookback: P,
        horizon: H,
        models: [{ kind: 'naive' }],
      })
      .expect(400);
    expect(r.body.details.map((d: { field: string }) => d.field)).toContain('targets');
  });

  it('batch-forecasts every channel into the Arrow file', async () => {
    const { id } = (
      await api.http().post(`/models/${wideId}/batch-forecasts`).send({ horizon: H }).expect(202)
    ).body;
    const run = await settle(id);
    expect(run.result).toMatchObject({ series: 1, rows: 2 * H, skipped: [] });
    const t = tableFromIPC(fs.readFileSync(path.join(dir, run.result.file)));
    const f = await forecast(wideId, { seriesKey: wideKey });
    expect(Array.from(t.getChild('channel')!.toArray())).toEqual(['a', 'a', 'a', 'b', 'b', 'b']);
    expect(Array.from(t.getChild('value')!.toArray() as Float64Array)).toEqual([
      ...f.point[0],
      ...f.point[1],
    ]);
  }, 60000);
});
