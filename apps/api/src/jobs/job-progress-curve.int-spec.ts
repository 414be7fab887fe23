import * as fs from 'fs';
import { simulateAr } from '@seqcast/forecast';
import { settleJob, startApi, tempDataDir, TestApi, uploadCsv } from '../../../../test/support/api';

/**
 * GET /jobs/:id progress.curve: a training job's loss curve as numbers, one point per ended
 * epoch, for the console's live loss chart. Checked against what the training itself recorded:
 * as many points as the version's epochs, numbered from 1, and (SpaceTime keeps its best epoch
 * by validation) the version's validMse is the lowest validation loss on the curve.
 */

const H = 3_600_000;
const START = Date.UTC(2024, 0, 1);
const VALUES = simulateAr({ coefficients: [0.6, -0.2], length: 240, noiseStd: 1, seed: 3 });

function csv(): string {
  const lines = ['key,time,value'];
  VALUES.forEach((v, i) => lines.push(`a,${new Date(START + i * H).toISOString()},${10 + v}`));
  return lines.join('\n');
}

interface Point {
  epoch: number;
  epochs: number;
  loss: number;
  valLoss?: number;
}

describe('GET /jobs/:id progress.curve', () => {
  let api: TestApi;
  let dir: string;
  let datasetId: string;

  beforeAll(async () => {
    dir = tempDataDir();
    api = await startApi({ DATA_DIR: dir, TF_BACKEND: 'cpu' });
    datasetId = await uploadCsv(api, 'name=ar&keyColumns=key&timeColumn=time&valueColumns=value', csv());
  }, 60000);
  afterAll(async () => {
    await api?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Creates and trains a model; the finished job and the model's newest version. */
  const trained = async (kind: string, config: Record<string, unknown>) => {
    const model = (
      await api
        .http()
        .post('/models')
        .send({ kind, config, datasetId, target: 'value', lookback: 12, horizon: 4 })
        .expect(201)
    ).body.id as string;
    const queued = (await api.http().post(`/models/${model}/train`).send({}).expect(202)).body;
    expect(queued.progress.curve).toEqual([]);
    const done = await settleJob(api, queued.id);
    expect(done.error).toBeNull();
    const job = (await api.http().get(`/jobs/${queued.id}`).expect(200)).body;
    const [version] = (await api.http().get(`/models/${model}/versions`).expect(200)).body;
    return { curve: job.progress.curve as Point[], metrics: version.metrics };
  };

  it("carries a Trainer kind's epochs with their validation loss; the best is the version's validMse", async () => {
    const { curve, metrics } = await trained('spacetime', {
      epochs: 3,
      modelDim: 8,
      kernelDim: 4,
      encoderKernels: 2,
      decoderKernels: 2,
      maxMaWindow: 8,
    });
    expect(curve.map((p) => p.epoch)).toEqual([1, 2, 3]);
    expect(curve.length).toBe(metrics.epochs);
    for (const p of curve) {
      expect(p.epochs).toBe(3);
      expect(Number.isFinite(p.loss) && p.loss > 0).toBe(true);
      expect(Number.isFinite(p.valLoss)).toBe(true);
    }
    expect(Math.min(...curve.map((p) => p.valLoss!))).toBeCloseTo(metrics.validMse, 10);
  });

  it("carries AR-Net's own epochs (its loop is not the Trainer's)", async () => {
    const { curve, metrics } = await trained('ar-net', { epochs: 5, learningRate: 0.01 });
    expect(curve.map((p) => p.epoch)).toEqual([1, 2, 3, 4, 5]);
    expect(metrics.epochs).toBe(5);
    expect(curve.every((p) => p.epochs === 5 && Number.isFinite(p.loss))).toBe(true);
  });

  it('is empty for a model fitted in closed form, and described in the OpenAPI document', async () => {
    const { curve } = await trained('linear', { ridge: 0 });
    expect(curve).toEqual([]);
    const doc = (await api.http().get('/docs/json').expect(200)).body;
    const point = doc.components.schemas.EpochMetricsView;
    expect(Object.keys(point.properties).sort()).toEqual(['epoch', 'epochs', 'loss', 'valLoss']);
    expect(doc.components.schemas.JobProgressView.properties.curve.type).toBe('array');
  });
});
