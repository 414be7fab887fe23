import { DEFAULT_HAWKES, simulateHawkes } from '@seqcast/events';
import { trainDevTestSplit } from '@seqcast/models';
import { startApi, tempDataDir, TestApi } from '../../../../test/support/api';
import { trainedEventModel, uploadEventSequences } from '../../../../test/support/event-models';

interface Curve {
  typeNames: string[];
  unit: string;
  after: number;
  gaps: number[];
  times: number[];
  intensity: number[][];
  total: number[];
  compensator: number[];
  survival: number[];
  density: number[];
}

/** Linear interpolation of y(x) at x0 (x increasing). */
function at(x: number[], y: number[], x0: number): number {
  const i = x.findIndex((v) => v >= x0);
  if (i <= 0) throw new Error(`${x0} is outside [${x[0]}, ${x[x.length - 1]}]`);
  const w = (x0 - x[i - 1]) / (x[i] - x[i - 1]);
  return y[i - 1] * (1 - w) + y[i] * w;
}

/**
 * POST /event-models/:id/intensity on a simulated 3-type Hawkes process: a Poisson model's
 * curve against its closed form, and a trained RMTPP's integrated intensity against the
 * survival its own sampled predictions show (the integral of lambda is -log S).
 */
describe('event model intensity over HTTP', () => {
  let api: TestApi;
  let datasetId: string;
  const names = ['quake', 'aftershock', 'tremor'];
  const data = simulateHawkes(DEFAULT_HAWKES, 60, 11, { endTime: 60 });
  const history = { times: [0, 1.5, 2.25], types: ['quake', 'tremor', 'quake'] };

  const trained = (kind: string, config: Record<string, unknown> = {}) =>
    trainedEventModel(api, datasetId, kind, config, 0);
  const curve = async (id: string, body: Record<string, unknown>): Promise<Curve> =>
    (await api.http().post(`/event-models/${id}/intensity`).send(body).expect(200)).body;

  beforeAll(async () => {
    api = await startApi({ DATA_DIR: tempDataDir(), TF_BACKEND: 'cpu' });
    datasetId = await uploadEventSequences(api, data.sequences, names);
  }, 60000);
  afterAll(() => api?.close());

  it("gives a Poisson model's rates, Lambda = total rate x gap and the exponential density", async () => {
    const id = await trained('poisson');
    // the maximum-likelihood rates by hand on the job's training split (seed 0)
    const { train } = trainDevTestSplit(
      data.sequences.filter((q) => q.times.length >= 2),
      0,
    );
    const counts = [0, 0, 0];
    let time = 0;
    for (const q of train) {
      time += q.times[q.times.length - 1] - q.times[0];
      for (let i = 1; i < q.types.length; i++) counts[q.types[i]]++;
    }
    const c = await curve(id, { history, points: 11, horizon: 2 });
    expect(c.unit).toBe('as given');
    expect(c.after).toBe(2.25);
    expect(c.gaps).toHaveLength(11);
    c.gaps.forEach((g, i) => {
      expect(g).toBeCloseTo(0.2 * i, 12);
      expect(c.times[i]).toBeCloseTo(2.25 + 0.2 * i, 12);
    });
    const rates = names.map((_, k) => counts[k] / time);
    const total = rates.reduce((a, b) => a + b, 0);
    names.forEach((n, k) => {
      const row = c.intensity[c.typeNames.indexOf(n)];
      for (const v of row) expect(v).toBeCloseTo(rates[k], 9);
    });
    c.gaps.forEach((g, i) => {
      expect(c.total[i]).toBeCloseTo(total, 9);
      expect(c.compensator[i]).toBeCloseTo(total * g, 9);
      expect(c.survival[i]).toBeCloseTo(Math.exp(-total * g), 9);
      expect(c.density[i]).toBeCloseTo(total * Math.exp(-total * g), 9);
    });
    // along the history: the same rates at every time of its span, a hair either side of each event
    const a = (
      await api
        .http()
        .post(`/event-models/${id}/intensity`)
        .send({ history, points: 5, along: true })
        .expect(200)
    ).body.along as { times: number[]; intensity: number[][]; total: number[] };
    expect(a.times[0]).toBeCloseTo(0, 6);
    expect(a.times[a.times.length - 1]).toBeCloseTo(2.25, 6);
    expect(a.times.filter((t) => Math.abs(t - 1.5) < 1e-6)).toHaveLength(2);
    for (const t of a.total) expect(t).toBeCloseTo(total, 9);
    // without a horizon the grid reaches where the survival is 1% to 0.01%
    const d = await curve(id, { history });
    expect(d.gaps).toHaveLength(200);
    expect(d.survival[199]).toBeLessThanOrEqual(0.01);
    expect(d.survival[199]).toBeGreaterThanOrEqual(1e-4);
  }, 120000);

  it("integrates a trained RMTPP's intensity to -log of the survival its sampled predictions show", async () => {
    const id = await trained('rmtpp', { epochs: 2, hidden: 16 });
    const c = await curve(id, { history, points: 400 });
    const p = (
      await api
        .http()
        .post(`/event-models/${id}/predict`)
        .send({ history, samples: 20000, quantiles: [0.25, 0.5, 0.75], seed: 3 })
        .expect(200)
    ).body;
    // S(q_p) = 1 - p: the compensator at each sampled quantile is -log(1 - p)
    for (const q of [0.25, 0.5, 0.75]) {
      const gap = p.next.gapQuantiles[String(q)];
      expect(Math.exp(-at(c.gaps, c.compensator, gap))).toBeCloseTo(1 - q, 1);
      expect(Math.abs(at(c.gaps, c.survival, gap) - (1 - q))).toBeLessThan(0.02);
    }
    // and the per-type intensities add up to the total
    c.total.forEach((t, i) => expect(c.intensity.reduce((s, row) => s + row[i], 0)).toBeCloseTo(t, 9));
  }, 120000);

  it('names what it refuses', async () => {
    const id = await trained('poisson');
    const field = async (body: Record<string, unknown>, status: number) =>
      (await api.http().post(`/event-models/${id}/intensity`).send(body).expect(status)).body.details[0]
        .field;
    expect(await field({ history, points: 1 }, 400)).toBe('points');
    expect(await field({ history, points: 5000 }, 400)).toBe('points');
    expect(await field({ history, horizon: -1 }, 400)).toBe('horizon');
    expect(await field({ history: { times: [0, 1], types: ['quake', 'volcano'] } }, 400)).toBe(
      'history.types.1',
    );
    const untrained = (
      await api.http().post('/event-models').send({ kind: 'poisson', datasetId }).expect(201)
    ).body;
    await api.http().post(`/event-models/${untrained.id}/intensity`).send({ history }).expect(409);
  }, 120000);
});
