import { DEFAULT_HAWKES, simulateHawkes } from '@seqcast/events';
import { startApi, tempDataDir, TestApi } from '../../../../test/support/api';
import { trainedEventModel, uploadEventSequences } from '../../../../test/support/event-models';

/**
 * HYPRO over HTTP: trained as any event model, then `rerank: {proposals}` on generate; a kind
 * that does not rerank refuses the field. A tiny configuration: this checks the route, the
 * training spec (libs/events/src/hypro/hypro-model.slow-spec.ts) checks the energy.
 */
describe('HYPRO generation over HTTP', () => {
  let api: TestApi;
  let datasetId: string;
  const names = ['a', 'b', 'c'];
  const data = simulateHawkes(DEFAULT_HAWKES, 40, 3, { endTime: 60 });
  const history = { times: [0, 1.5, 2.25, 3], types: [0, 2, 0, 1] };
  const trained = (kind: string, config: Record<string, unknown>) =>
    trainedEventModel(api, datasetId, kind, config, 1, 240000);

  beforeAll(async () => {
    api = await startApi({ DATA_DIR: tempDataDir(), TF_BACKEND: 'cpu' });
    datasetId = await uploadEventSequences(api, data.sequences, names);
  }, 60000);
  afterAll(() => api?.close());

  it('trains a HYPRO model as a job and generates reranked continuations; other kinds refuse rerank', async () => {
    const id = await trained('hypro', {
      hidden: 8,
      heads: 2,
      epochs: 1,
      horizonEvents: 4,
      trainProposals: 2,
      maxWindows: 16,
      energyEpochs: 1,
      proposals: 2,
    });
    const g = (
      await api
        .http()
        .post(`/event-models/${id}/generate`)
        .send({ history, count: 6, samples: 2, rerank: { proposals: 3 } })
        .expect(200)
    ).body;
    expect(g.samples).toHaveLength(2);
    for (const s of g.samples) {
      expect(s.times).toHaveLength(6);
      expect(s.times[0]).toBeGreaterThanOrEqual(3);
      for (let i = 1; i < 6; i++) expect(s.times[i]).toBeGreaterThanOrEqual(s.times[i - 1]);
    }
    let r = await api
      .http()
      .post(`/event-models/${id}/generate`)
      .send({ history, count: 6, rerank: { proposals: 0 } })
      .expect(400);
    expect(r.body.details[0].field).toMatch(/rerank/);
    const poisson = await trained('poisson', {});
    r = await api
      .http()
      .post(`/event-models/${poisson}/generate`)
      .send({ history, count: 3, rerank: { proposals: 3 } })
      .expect(422);
    expect(r.body.details[0].field).toBe('rerank');
  }, 300000);
});
