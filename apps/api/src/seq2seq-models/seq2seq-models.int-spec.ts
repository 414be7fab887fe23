import { seq2seqCsvLines } from '@seqcast/data';
import { CHUNK_STATISTICS_HISS, chunkStatisticsData } from '@seqcast/forecast';
import * as fs from 'fs';
import { settleJob, startApi, tempDataDir, TestApi } from '../../../../test/support/api';

const RATIO = 4;
/**
 * Var(max of 4 iid N(0, 1)) from the order-statistics tables (Teichroew 1956; E = 1.0294,
 * Var = 0.4917). The target is mean(chunk k) + max(chunk k - 1): the chunk mean is linear in
 * the inputs and independent of max - mean, so the best model linear in the inputs is left
 * with Var(max) - Cov(max, mean)^2 / Var(mean) = Var(max) - 1/4 of error.
 */
const LINEAR_FLOOR = 0.4917 - 1 / RATIO;

function mse(pred: number[][][], truth: Float32Array[][]): number {
  let sse = 0;
  let n = 0;
  truth.forEach((seq, s) =>
    seq.forEach((y, c) => y.forEach((v, t) => ((sse += (pred[s][c][t] - v) ** 2), n++))),
  );
  return sse / n;
}

/**
 * HiSS over HTTP: a seq2seq dataset whose target is a known function of chunk statistics
 * (chunk-statistics.testing.ts) uploaded as CSV, trained as a job (split by sequences), and
 * asked for the targets of new sequences; bad predict bodies are 400s naming the place.
 */
describe('seq2seq models over HTTP', () => {
  let api: TestApi;
  let dir: string;
  let datasetId: string;
  let modelId: string;
  const train = chunkStatisticsData(80, 10, RATIO, 1);
  const fresh = chunkStatisticsData(12, 10, RATIO, 3);

  beforeAll(async () => {
    dir = tempDataDir();
    api = await startApi({ DATA_DIR: dir, TF_BACKEND: 'cpu' });
    const r = await api
      .http()
      .post(
        `/datasets?name=chunks&kind=seq2seq&sequenceColumn=sequence&timeColumn=step&targetColumns=y&ratio=${RATIO}`,
      )
      .set('content-type', 'text/csv')
      .send(
        [...seq2seqCsvLines({ ...train, ratio: RATIO, inputColumns: ['x'], targetColumns: ['y'] })].join(
          '\n',
        ),
      )
      .expect(201);
    datasetId = r.body.id;
  }, 60000);
  afterAll(async () => {
    await api?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists HiSS and the flat baselines with their config schemas, beside the forecasters', async () => {
    const kinds = (await api.http().get('/models/kinds').expect(200)).body as {
      kind: string;
      family: string;
      configSchema: { properties: Record<string, unknown> };
    }[];
    const seq2seq = kinds.filter((k) => k.family === 'seq2seq').map((k) => k.kind);
    expect(seq2seq).toEqual(['hiss', 'flat_s4d', 'lstm', 'causal_transformer']);
    expect(kinds.find((k) => k.kind === 'hiss')!.configSchema.properties).toHaveProperty('lowWidth');
    expect(kinds.find((k) => k.kind === 'nlinear')).toMatchObject({ family: 'series' });
    const own = (await api.http().get('/seq2seq-models/kinds').expect(200)).body;
    expect(own.map((k: { kind: string }) => k.kind)).toEqual(seq2seq);
  });

  it("refuses a config whose ratio is not the dataset's, an unknown kind and a bad config field", async () => {
    let r = await api
      .http()
      .post('/seq2seq-models')
      .send({ kind: 'hiss', datasetId, config: { ratio: 5 } })
      .expect(422);
    expect(r.body.details).toEqual([expect.objectContaining({ field: 'config.ratio' })]);
    r = await api.http().post('/seq2seq-models').send({ kind: 'mamba', datasetId }).expect(400);
    expect(r.body.details[0]).toMatchObject({ field: 'kind' });
    r = await api
      .http()
      .post('/seq2seq-models')
      .send({ kind: 'hiss', datasetId, config: { lowLayers: 0 } })
      .expect(400);
    expect(r.body.details[0]).toMatchObject({ field: 'config.lowLayers' });
    // listed beside the forecasters, but not created at their route
    r = await api
      .http()
      .post('/models')
      .send({ kind: 'hiss', datasetId, target: 'y', lookback: 8, horizon: 2 })
      .expect(400);
    expect(r.body.details[0]).toMatchObject({
      field: 'kind',
      reason: expect.stringContaining('/seq2seq-models'),
    });
    // nor can a forecaster or a point process learn from a seq2seq dataset
    r = await api
      .http()
      .post('/models')
      .send({ kind: 'nlinear', datasetId, target: 'y', lookback: 8, horizon: 2 })
      .expect(422);
    expect(r.body).toMatchObject({ message: expect.stringContaining('is a seq2seq dataset') });
    expect(r.body.details[0]).toMatchObject({ field: 'datasetId' });
    r = await api.http().post('/event-models').send({ kind: 'poisson', datasetId }).expect(422);
    expect(r.body.details[0]).toMatchObject({ field: 'datasetId' });
  });

  it('trains HiSS as a job split by sequences and predicts the known function of new chunks', async () => {
    // small enough to train in seconds (the library spec's settings); ratio comes from the dataset
    const created = await api
      .http()
      .post('/seq2seq-models')
      .send({
        kind: 'hiss',
        datasetId,
        config: { ...CHUNK_STATISTICS_HISS, epochs: 50, patience: 0 },
      })
      .expect(201);
    modelId = created.body.id;
    expect(created.body.config.ratio).toBe(RATIO);
    const early = await api
      .http()
      .post(`/seq2seq-models/${modelId}/predict`)
      .send({ inputs: fresh.inputs.map((s) => s.map((c) => Array.from(c))) })
      .expect(409);
    expect(early.body.details[0]).toMatchObject({ field: 'status' });

    const job = await api.http().post(`/seq2seq-models/${modelId}/train`).send({}).expect(202);
    const run = await settleJob(api, job.body.id);
    expect(run.error).toBeNull();
    const result = run.result as {
      split: { train: string[]; validation: string[]; test: string[] };
      test: { mse: number; meanPredictorMse: number; perTarget: Record<string, number> };
      epochs: number;
    };
    // by whole sequences: 80 = 56 + 12 + 12, no sequence in two parts
    expect([result.split.train.length, result.split.validation.length, result.split.test.length]).toEqual([
      56, 12, 12,
    ]);
    expect(new Set([...result.split.train, ...result.split.validation, ...result.split.test]).size).toBe(80);
    expect(result.epochs).toBe(50);
    // the job's own test score meets the same tolerance as the answers below
    expect(result.test.mse).toBeLessThan(0.5 * LINEAR_FLOOR);
    expect(result.test.mse).toBeLessThan(result.test.meanPredictorMse);

    const answer = await api
      .http()
      .post(`/seq2seq-models/${modelId}/predict`)
      .send({ inputs: fresh.inputs.map((s) => s.map((c) => Array.from(c))) })
      .expect(200);
    expect(answer.body).toMatchObject({ ratio: RATIO, inputColumns: ['x'], targetColumns: ['y'] });
    const predictions = answer.body.predictions as number[][][];
    expect(predictions.map((s) => s[0].length)).toEqual(fresh.targets.map((s) => s[0].length));
    // the tolerance: half the error of the best linear model of the inputs (0.24 at ratio 4);
    // measured 0.046 here (0.053 on the job's test split, the mean predictor 0.78)
    expect(mse(predictions, fresh.targets)).toBeLessThan(0.5 * LINEAR_FLOOR);
  }, 120000);

  it('trains a flat baseline the same way, which the chunk means it reads hold to the linear floor', async () => {
    // the LSTM at the output rate sees each chunk's mean only (no deltas): the best it can do for
    // max(chunk k - 1) is E[max | mean] = mean + const (max - mean is independent of the mean), so
    // its error on chunks k >= 1 is Var(max - mean) = LINEAR_FLOOR whatever it learns
    const lstm = (
      await api
        .http()
        .post('/seq2seq-models')
        .send({
          kind: 'lstm',
          datasetId,
          config: {
            width: 16,
            layers: 1,
            inputRate: 'mean',
            appendDeltas: false,
            dropout: 0,
            learningRate: 2e-2,
            batchSize: 8,
            epochs: 20,
          },
        })
        .expect(201)
    ).body.id;
    const run = await settleJob(
      api,
      (await api.http().post(`/seq2seq-models/${lstm}/train`).send({}).expect(202)).body.id,
    );
    expect(run.error).toBeNull();
    const answer = await api
      .http()
      .post(`/seq2seq-models/${lstm}/predict`)
      .send({ inputs: fresh.inputs.map((s) => s.map((c) => Array.from(c))) })
      .expect(200);
    // 9 of 10 chunks carry the floor (the first has no chunk before it); 3 standard errors of the
    // mean of 108 squared errors (about 0.033 each) below that is still above HiSS's tolerance;
    // measured 0.226 (0.9 x the floor = 0.218)
    expect(mse(answer.body.predictions, fresh.targets)).toBeGreaterThan(0.5 * LINEAR_FLOOR);
    await api.http().delete(`/seq2seq-models/${lstm}`).expect(204);
  }, 120000);

  it('answers wrong channel counts, lengths off the ratio and non-numbers with 400 naming the place', async () => {
    const ask = (inputs: unknown) =>
      api.http().post(`/seq2seq-models/${modelId}/predict`).send({ inputs }).expect(400);
    let r = await ask([
      [
        [0, 1, 2, 3],
        [0, 1, 2, 3],
      ],
    ]);
    expect(r.body.details[0]).toMatchObject({
      field: 'inputs[0]',
      reason: expect.stringContaining('1 channels (x)'),
    });
    r = await ask([[[0, 1, 2, 3]], [[0, 1, 2, 3, 4, 5]]]);
    expect(r.body.details[0]).toMatchObject({
      field: 'inputs[1]',
      reason: expect.stringContaining('not a multiple of the ratio 4'),
    });
    r = await ask([[[0, 1, 'two', 3]]]);
    expect(r.body.details[0]).toMatchObject({ field: 'inputs[0][0][2]' });
    r = await ask([]);
    expect(r.body.details[0]).toMatchObject({ field: 'inputs' });
    r = await ask(Array.from({ length: 1001 }, () => [[0, 1, 2, 3]]));
    expect(r.body.details[0]).toMatchObject({
      field: 'inputs',
      reason: expect.stringContaining('1 to 1000'),
    });
  });

  it('lists the trained model with its artifact bytes and deletes it', async () => {
    const list = (await api.http().get('/seq2seq-models').expect(200)).body;
    expect(list.total).toBe(1);
    expect(list.items[0]).toMatchObject({ id: modelId, kind: 'hiss', status: 'trained' });
    expect(list.items[0].diskBytes).toBeGreaterThan(0);
    expect((await api.http().get(`/seq2seq-models/${modelId}`).expect(200)).body.diskBytes).toBe(
      list.items[0].diskBytes,
    );
    // the forecasting routes do not see it
    await api.http().get(`/models/${modelId}`).expect(404);
    await api.http().delete(`/seq2seq-models/${modelId}`).expect(204);
    const gone = await api
      .http()
      .post(`/seq2seq-models/${modelId}/predict`)
      .send({ inputs: [[[0, 1, 2, 3]]] })
      .expect(404);
    expect(gone.body.details[0]).toMatchObject({ field: 'id' });
  });
});
