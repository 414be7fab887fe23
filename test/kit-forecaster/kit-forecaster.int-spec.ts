import { dataPaths } from '@seqcast/core';
import { createForecasterRegistry, readForecasterArtifact } from '@seqcast/forecast';
import { qrLeastSquares, Rng } from '@seqcast/numeric';
import { ArtifactStore } from '@seqcast/tensor';
import { tableFromIPC } from 'apache-arrow';
import * as fs from 'fs';
import * as path from 'path';
import { startApi, tempDataDir, TestApi, waitFor, collectBytes } from '../support/api';

type Step = { step: number; timestamp: string; value: number } & Record<string, number | string>;

const KIND = 'kit-linear-map';
const L = 3;
const H = 2;
const N = 300;
const HOUR = 3_600_000;

/**
 * The model kit's promise: a forecaster defined in one folder (linear-map.ts) with one
 * registration line (plugin.ts), named to the deployment by SEQCAST_PLUGINS, is created,
 * trained (in a worker thread), calibrated, saved, reloaded and served over HTTP as JSON
 * and Arrow, with no other file knowing it.
 *
 * The truths come from outside the model: the series is a simulated AR(2) with noise, and
 * the fitted map must be the least-squares affine map from the last L values to the next
 * H on the training windows (Householder QR in float64). The train job fits on each
 * series' first 70% of rows, standardised by the pipeline; an affine map fitted by least
 * squares commutes with that per-series affine scaling (the same weights, another bias),
 * so the map on the raw rows is the truth for the weights and for the served forecast.
 */
describe('a plugin forecaster over HTTP', () => {
  let api: TestApi;
  let dir: string;
  let modelId: string;
  let seriesKey: string;
  const env = () => ({
    DATA_DIR: dir,
    TF_BACKEND: 'cpu',
    SEQCAST_PLUGINS: path.join(__dirname, 'plugin.ts'),
  });

  // y_t = 20 + 0.6 (y_{t-1} - 20) - 0.3 (y_{t-2} - 20) + e_t: stationary, so the windows span every direction
  const values: number[] = [];
  const rng = new Rng(19);
  for (let t = 0; t < N; t++) {
    const d1 = t >= 1 ? values[t - 1] - 20 : 0;
    const d2 = t >= 2 ? values[t - 2] - 20 : 0;
    values.push(Number((20 + 0.6 * d1 - 0.3 * d2 + rng.normal()).toFixed(6)));
  }

  /** Rows [beta_h (L weights, oldest value first), c_h]: least squares on the training windows. */
  const truth = (() => {
    const rows = Math.floor(0.7 * N) - L - H + 1;
    const x = new Float64Array(rows * (L + 1));
    for (let r = 0; r < rows; r++) {
      for (let i = 0; i < L; i++) x[r * (L + 1) + i] = values[r + i];
      x[r * (L + 1) + L] = 1;
    }
    return Array.from({ length: H }, (_, h) =>
      Array.from(
        qrLeastSquares(
          x,
          rows,
          L + 1,
          Float64Array.from({ length: rows }, (_, r) => values[r + L + h]),
        ),
      ),
    );
  })();
  const context = values.slice(N - L);
  const expected = truth.map((beta) => context.reduce((s, v, i) => s + beta[i] * v, beta[L]));

  const job = async (id: string) => (await api.http().get(`/jobs/${id}`).expect(200)).body;
  const settle = (id: string) =>
    waitFor(
      () => job(id),
      (j) => j.status === 'succeeded' || j.status === 'failed',
      120000,
    );
  const forecast = async () =>
    (await api.http().post(`/models/${modelId}/forecast`).send({ seriesKey, horizon: H }).expect(200)).body;
  const arrowForecast = async () =>
    tableFromIPC(
      (
        await api
          .http()
          .post(`/models/${modelId}/forecast`)
          .set('accept', 'application/vnd.apache.arrow.stream')
          .send({ seriesKey, horizon: H })
          .buffer(true)
          .parse(collectBytes)
          .expect(200)
      ).body as Buffer,
    );

  beforeAll(async () => {
    dir = tempDataDir();
    api = await startApi(env());
    const csv = ['time,value', ...values.map((v, t) => `${new Date(t * HOUR).toISOString()},${v}`)].join(
      '\n',
    );
    const datasetId = (
      await api.http().post('/datasets?name=ar2').set('Content-Type', 'text/csv').send(csv).expect(201)
    ).body.id;
    seriesKey = (await api.http().get(`/datasets/${datasetId}/series`).expect(200)).body.items[0].key;
    modelId = (
      await api
        .http()
        .post('/models')
        .send({ kind: KIND, datasetId, target: 'value', lookback: L, horizon: H })
        .expect(201)
    ).body.id;
  }, 60000);
  afterAll(async () => {
    await api?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is a kind of this deployment only: listed over HTTP, absent from the zoo', async () => {
    expect(createForecasterRegistry().has(KIND)).toBe(false);
    const kinds = (await api.http().get('/models/kinds').expect(200)).body;
    expect(kinds.find((k: { kind: string }) => k.kind === KIND)).toMatchObject({
      family: 'series',
      trained: true,
      roles: { lookback: 'lookback', horizon: 'horizon' },
    });
    // the request's lookback and horizon reach the config through the declared roles
    const model = (await api.http().get(`/models/${modelId}`).expect(200)).body;
    expect(model.config).toMatchObject({ lookback: L, horizon: H });
  });

  it('trains in a worker thread to the least-squares map', async () => {
    const run = await settle((await api.http().post(`/models/${modelId}/train`).expect(202)).body.id);
    expect(run.error).toBeNull();
    expect(run.status).toBe('succeeded');
    const { weights } = (await api.http().get(`/models/${modelId}/coefficients`).expect(200)).body;
    for (let h = 0; h < H; h++) for (let i = 0; i < L; i++) expect(weights[h][i]).toBeCloseTo(truth[h][i], 4);
  }, 120000);

  it('serves the fitted map on the context, with calibrated intervals, equal in JSON and Arrow', async () => {
    const { job: j } = (
      await api
        .http()
        .post(`/models/${modelId}/calibrators`)
        .send({ method: 'split', alpha: [0.1] })
        .expect(202)
    ).body;
    const calibration = await settle(j.id);
    expect(calibration.error).toBeNull();
    expect(calibration.status).toBe('succeeded');

    const f = await forecast();
    expect(f.interval).toMatchObject({ method: 'split', levels: ['90'] });
    const steps = f.steps as Step[];
    expect(steps.map((s) => s.timestamp)).toEqual([
      new Date(N * HOUR).toISOString(),
      new Date((N + 1) * HOUR).toISOString(),
    ]);
    steps.forEach((s, h) => {
      // float32 weights and scaling: about 1e-5 of the level
      expect(Math.abs(s.value - expected[h])).toBeLessThan(1e-3);
      expect(s['lo-90']).toBeLessThan(s.value);
      expect(s.value).toBeLessThan(s['hi-90'] as number);
    });

    const table = await arrowForecast();
    const column = (name: string) => Array.from(table.getChild(name)!.toArray() as ArrayLike<number>);
    expect(column('value')).toEqual(steps.map((s) => s.value));
    expect(column('lo-90')).toEqual(steps.map((s) => s['lo-90']));
    expect(column('hi-90')).toEqual(steps.map((s) => s['hi-90']));
  }, 120000);

  it('reloads the saved artifact after a restart and answers the same numbers', async () => {
    const [version] = (await api.http().get(`/models/${modelId}/versions`).expect(200)).body;
    const { manifest, artifact } = await readForecasterArtifact(
      new ArtifactStore(dataPaths(api.config).artifacts),
      version.artifactRef,
    );
    expect(manifest.kind).toBe(KIND);
    expect(artifact.config).toMatchObject({ lookback: L, horizon: H });
    expect(artifact.tensors.weight.shape).toEqual([L, H]);
    const before = (await forecast()).steps as Step[];
    await api.close();
    api = await startApi(env());
    const after = (await forecast()).steps as Step[];
    expect(after).toEqual(before);
  }, 60000);
});
